"""Weight and gradient histograms of one layer: now (step curves) and over time (an image).

The picture over time works like TensorBoard's distributions: each column is one snapshot's
histogram, so a learner sees weights spread out as they learn, and gradients shrink (or
vanish, or explode) as training goes on. Bins are fixed per layer for the whole run, which is
what makes the columns comparable.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from app.core.probes import Snapshot
from widgets.plots.common import WARM_LUT, caption, grow_range, keep_plots_whole, settle_ranges

WEIGHT_COLOR = "#1f6feb"
GRAD_COLOR = "#e07b1f"


def _history_image(rows: list[np.ndarray]) -> np.ndarray:
    """Counts per snapshot -> (bins, snapshots) with each column scaled to its peak."""
    counts = np.stack(rows, axis=1).astype(np.float32)
    peak = counts.max(axis=0, keepdims=True)
    return counts / np.where(peak > 0, peak, 1)


class HistogramsView(QWidget):
    """Layer chooser, live histograms (left) and their history (right)."""

    layerChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setToolTip(self.tr("Layer whose weights and gradients are shown"))
        self.combo.currentTextChanged.connect(self.layerChosen)
        self._top: dict[pg.PlotItem, float] = {}  # the range tops `grow_range` has shown
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.ci.setSpacing(6)
        self.plots.ci.setContentsMargins(2, 2, 2, 2)
        # Axes, ticks and grid are straight lines: drawn without antialiasing (curves that
        # need it set it themselves), each live repaint costs a fraction.
        self.plots.setAntialiasing(False)
        # One row with short titles (each picture over time beside its histogram now): the
        # dashboard's weights row is wide and short; the axes are explained in the legend below.
        self.weights = self.plots.addPlot(row=0, col=0, title=self.tr("Weights now"))
        self.weights_time = self.plots.addPlot(row=0, col=1, title=self.tr("over time"))
        self.grads = self.plots.addPlot(row=0, col=2, title=self.tr("Gradient sizes now"))
        self.grads_time = self.plots.addPlot(row=0, col=3, title=self.tr("over time"))
        for plot in (self.weights, self.weights_time, self.grads, self.grads_time):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.setTitle(plot.titleLabel.text, size="9pt")
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)
        # Step outlines are axis-parallel: antialiasing them (and their fill) only costs time.
        self.weight_curve = self.weights.plot(
            stepMode="center", fillLevel=0, antialias=False, pen=pg.mkPen(WEIGHT_COLOR, width=1.5),
            brush=pg.mkBrush(WEIGHT_COLOR + "55"))
        self.grad_curve = self.grads.plot(
            stepMode="center", fillLevel=0, antialias=False, pen=pg.mkPen(GRAD_COLOR, width=1.5),
            brush=pg.mkBrush(GRAD_COLOR + "55"))
        self.weight_image = pg.ImageItem(lut=WARM_LUT, levels=(0, 1))
        self.grad_image = pg.ImageItem(lut=WARM_LUT, levels=(0, 1))
        self.weights_time.addItem(self.weight_image)
        self.grads_time.addItem(self.grad_image)
        keep_plots_whole(self.plots)
        self.note = caption("", muted=True)
        self.legend = caption(self.tr("Now: → value or log10 |g|, ↑ count. Over time: → "
                                      "snapshot, darker = more."), muted=True)
        self.legend.setToolTip(self.tr(
            "Now: the histogram of the latest snapshot (→ weight value or log10 of the "
            "gradient size, ↑ how many). Over time, right of it: one column per snapshot "
            "(about two a second), darker = more in that bin; bins are fixed for the run so "
            "columns compare. log10 |g| of −8 means a gradient of 0.00000001 (vanishing); near "
            "0 means large."))
        head = QHBoxLayout()
        head.addWidget(caption(self.tr("Layer"), bold=True))
        head.addWidget(self.combo)
        head.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.legend)

    @property
    def layer(self) -> str:
        return self.combo.currentText()

    def set_layers(self, layers: list[str]) -> None:
        """Offer the layers a snapshot has histograms for (keeps the current choice)."""
        if layers == [self.combo.itemText(i) for i in range(self.combo.count())]:
            return
        current = self.layer
        with QSignalBlocker(self.combo):
            self.combo.clear()
            self.combo.addItems(layers)
            if current in layers:
                self.combo.setCurrentText(current)

    def clear(self) -> None:
        for curve in (self.weight_curve, self.grad_curve):
            curve.setData([], [])
        for image in (self.weight_image, self.grad_image):
            image.clear()
        self.note.setText("")

    def show_history(self, history: list[Snapshot]) -> None:
        """Show the last snapshot of `history` and the columns of all of it."""
        if not history:
            return
        latest = history[-1]
        self.set_layers(list(latest.hists))
        hist = latest.hists.get(self.layer)
        if hist is None:
            return
        self.weight_curve.setData(hist.edges, hist.weight_counts)
        self.grad_curve.setData(hist.grad_edges, hist.grad_counts)
        rows = [s.hists[self.layer] for s in history if self.layer in s.hists]
        # The pictures over time grow in round jumps of snapshots, not with every snapshot
        # (the histograms now keep fitting their counts: their peaks must stay readable).
        self._top = {plot: grow_range(plot, "x", float(len(rows)), self._top.get(plot, 0.0))
                     for plot in (self.weights_time, self.grads_time)}
        for image, counts, edges in (
                (self.weight_image, [h.weight_counts for h in rows], hist.edges),
                (self.grad_image, [h.grad_counts for h in rows], hist.grad_edges)):
            image.setImage(_history_image(counts), levels=(0, 1), autoLevels=False)
            image.setRect(QRectF(0, edges[0], len(rows), edges[-1] - edges[0]))
        settle_ranges(self.weights, self.weights_time, self.grads, self.grads_time)
        total = int(hist.weight_counts.sum())
        self.note.setText(self.tr("{total} weights · step {step}").format(
            total=f"{total:,}", step=latest.step))
