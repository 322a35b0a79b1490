"""How many examples each property test draws: a bounded slice in `make test`, thousands in
`make fuzz` (NETZWERKSTATT_FUZZ=1). One place, so both fuzz files scale together."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ = os.environ.get("NETZWERKSTATT_FUZZ") == "1"
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
          HealthCheck.data_too_large, HealthCheck.filter_too_much]


def budget(ci: int, fuzz: int) -> settings:
    """`ci` examples in the normal suite, `fuzz` under `make fuzz`; no per-example deadline
    (a shared 2-core machine makes timings noisy), no database writes in long runs."""
    return settings(max_examples=fuzz if FUZZ else ci, deadline=None,
                    suppress_health_check=_QUIET, database=None if FUZZ else settings().database)
