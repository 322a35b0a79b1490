"""Run a slow call (loading a dataset, a lab computation) off the GUI thread.

The result comes back as a queued signal, so the callbacks run on the GUI thread. The call
runs in a daemon thread: it never holds up closing the window, and a result that arrives
after its job (and the widget owning it) is gone is simply not delivered.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal


class JobCancelled(Exception):
    """Raised by a job's `progress` callback once the job was cancelled."""


class BackgroundJob(QObject):
    """One cancellable computation with progress, e.g. activation maximisation.

    `start(call)` runs `call(progress)` in a daemon thread, where `progress(done, total)`
    reports and raises JobCancelled after `cancel()`; results arrive as `done(result)`,
    problems as `failed(message)`, a cancel as `cancelled()` — all on the GUI thread.
    Starting again cancels the previous computation; its late result is dropped.
    With `start(call, streams=True)` it runs `call(progress, post)`, where `post(value)`
    delivers an intermediate result as `partial(value)` (live curves of a lab computation).
    """

    progressed = Signal(int, int)
    partial = Signal(object)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    _finished = Signal(int, str, object)  # generation, outcome, value (queued to the GUI)

    def __init__(self, parent: QObject | None = None,
                 expected: tuple[type[BaseException], ...] = (ValueError,)) -> None:
        super().__init__(parent)
        self.expected = expected
        self._generation = 0
        self._cancel = threading.Event()
        self.running = False
        self._finished.connect(self._deliver)

    def start(self, call: Callable[..., Any], streams: bool = False) -> None:
        self.cancel()
        self._generation += 1
        generation, cancel = self._generation, threading.Event()
        self._cancel, self.running = cancel, True

        def emit(outcome: str, value: Any) -> None:
            if not shiboken6.isValid(self):  # the view was closed: stop, deliver nothing
                cancel.set()
                return
            self._finished.emit(generation, outcome, value)

        def progress(done: int, total: int) -> None:
            if cancel.is_set():
                raise JobCancelled()
            emit("progress", (done, total))

        def post(value: Any) -> None:
            if cancel.is_set():
                raise JobCancelled()
            emit("partial", value)

        def work() -> None:
            try:
                result = call(progress, post) if streams else call(progress)
            except JobCancelled:
                emit("cancelled", None)
            except self.expected as exc:
                emit("failed", str(exc))
            except Exception as exc:  # noqa: BLE001 - reported to the user, traceback logged
                traceback.print_exc()
                emit("failed", f"{type(exc).__name__}: {exc}")
            else:
                emit("done", result)

        threading.Thread(target=work, name="netzwerkstatt-job", daemon=True).start()

    def cancel(self) -> None:
        self._cancel.set()

    def _deliver(self, generation: int, outcome: str, value: Any) -> None:
        if generation != self._generation:
            return  # a computation that was replaced or cancelled
        if outcome == "progress":
            self.progressed.emit(*value)
            return
        if outcome == "partial":
            self.partial.emit(value)
            return
        self.running = False
        if outcome == "done":
            self.done.emit(value)
        elif outcome == "failed":
            self.failed.emit(value)
        else:
            self.cancelled.emit()
