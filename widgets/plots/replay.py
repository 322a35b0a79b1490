"""A slider over the recorded snapshots of the current run, to scrub back in time.

Dragging moves the slider by many positions a second; redrawing three feature-map grids and
the histograms for each would lag, so positions are throttled: the first one is shown at once,
later ones at most every THROTTLE_MS, and the last one always.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from app.core.probes import Snapshot

LIVE = -1
THROTTLE_MS = 40


class ReplayBar(QWidget):
    """Emits `indexChanged(i)` when the learner drags to snapshot i, and LIVE (-1) when they
    return to following the run."""

    indexChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setToolTip(self.tr("Drag to replay how the network changed during the run"))
        self.slider.valueChanged.connect(self._moved)
        self.live_button = QPushButton(self.tr("Live"))
        self.live_button.setToolTip(self.tr("Follow the running training again"))
        self.live_button.setCheckable(True)
        self.live_button.setChecked(True)
        self.live_button.clicked.connect(self.go_live)
        self.label = QLabel(self.tr("Replay: no snapshots yet"))
        self.label.setMinimumWidth(230)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Replay")))
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.live_button)
        self.live = True
        self._pending: int | None = None
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(THROTTLE_MS)
        self._throttle.timeout.connect(self._emit_pending)

    def set_count(self, count: int) -> None:
        """The history now holds `count` snapshots; a live bar moves to the newest."""
        with QSignalBlocker(self.slider):
            self.slider.setRange(0, max(0, count - 1))
            if self.live:
                self.slider.setValue(max(0, count - 1))

    def show_position(self, index: int, count: int, snapshot: Snapshot | None) -> None:
        """Move without emitting (to mirror another bar) and describe the shown snapshot."""
        self.live = index == LIVE
        self.live_button.setChecked(self.live)
        self.set_count(count)
        if not self.live:
            with QSignalBlocker(self.slider):
                self.slider.setValue(index)
        if snapshot is None:
            self.label.setText(self.tr("Replay: no snapshots yet"))
            return
        where = self.tr("step {step}, epoch {epoch}").format(step=snapshot.step,
                                                           epoch=max(1, snapshot.epoch))
        if self.live:
            self.label.setText(self.tr("Live · {where}").format(where=where))
        else:
            self.label.setText(self.tr("Replay {index}/{count} · {where}").format(
                index=index + 1, count=count, where=where))

    def _moved(self, value: int) -> None:
        at_end = value >= self.slider.maximum()
        self.live = at_end
        self.live_button.setChecked(at_end)
        self._pending = LIVE if at_end else value
        if not self._throttle.isActive():
            self._emit_pending()
            self._throttle.start()

    def _emit_pending(self) -> None:
        if self._pending is not None:
            index, self._pending = self._pending, None
            self.indexChanged.emit(index)

    def go_live(self) -> None:
        self.live = True
        self.live_button.setChecked(True)
        self._pending = None
        with QSignalBlocker(self.slider):
            self.slider.setValue(self.slider.maximum())
        self.indexChanged.emit(LIVE)
