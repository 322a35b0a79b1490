"""The installed Qt binding must not leak references to True/None (PySide6 6.12.0 did).

Before Python 3.12 these objects are not immortal: a binding that drops one reference per
signal emit crashes the app after a few minutes of live training.
"""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    value = Signal(int)


def test_signal_emit_keeps_true_and_none_alive(qtbot):
    emitter = _Emitter()
    received = []
    emitter.value.connect(received.append)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(2000):
        emitter.value.emit(i)
    assert len(received) == 2000
    # A leak loses one reference per emit; allow small noise from the interpreter itself.
    assert sys.getrefcount(True) - true_before > -100
    assert sys.getrefcount(None) - none_before > -100
