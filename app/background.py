"""Run a slow call (loading a dataset, importing torchvision) off the GUI thread.

The result comes back as a queued signal, so the callbacks run on the GUI thread. The call
runs in a daemon thread: it never holds up closing the window, and a result that arrives
after its receiver is gone is simply not delivered (Qt disconnects deleted receivers).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(str)


_alive: set[_Relay] = set()  # relays whose result has not been delivered yet


def run_in_background(call: Callable[[], Any], on_done: Callable[[Any], None],
                      on_failed: Callable[[str], None],
                      expected: tuple[type[BaseException], ...] = ()) -> None:
    """Run `call()` in a thread; then `on_done(result)` or `on_failed(message)` on the GUI
    thread. Exceptions of the `expected` types carry a message meant for the user; any other
    is reported with its type and logged with its traceback on stderr."""
    relay = _Relay()
    relay.done.connect(on_done)
    relay.failed.connect(on_failed)
    for signal in (relay.done, relay.failed):
        signal.connect(lambda *_args, relay=relay: _alive.discard(relay))
    _alive.add(relay)

    def work() -> None:
        try:
            result = call()
        except expected as exc:
            relay.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the user, traceback logged
            traceback.print_exc()
            relay.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            relay.done.emit(result)

    threading.Thread(target=work, name="netzwerkstatt-background", daemon=True).start()
