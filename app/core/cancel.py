"""Stop a slow set-up step (dataset load or download, model building) within a moment.

Python cannot interrupt a thread, and a torchvision download or a large folder of images can
take minutes, so a cancellable call runs in a daemon thread while the caller polls the cancel
event: on cancel the caller returns at once and the abandoned call finishes (or fails) in the
background with its result dropped. That keeps Stop within a batch's time and lets the window
close at any moment.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
POLL_S = 0.05


class Cancelled(Exception):
    """The user stopped the run before training began."""


def call_cancellable(call: Callable[[], T], cancel: threading.Event, what: str = "") -> T:
    """Return `call()`, or raise Cancelled as soon as `cancel` is set (see module docstring).
    An exception of `call` is raised here, in the caller's thread, with its traceback."""
    outcome: dict[str, object] = {}
    finished = threading.Event()

    def work() -> None:
        try:
            outcome["result"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller and raised there
            outcome["error"] = exc
        finally:
            finished.set()

    threading.Thread(target=work, name=f"netzwerkstatt-{what or 'setup'}", daemon=True).start()
    while not finished.wait(POLL_S):
        if cancel.is_set():
            raise Cancelled(what)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]
