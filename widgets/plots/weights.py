"""The Weights tab: first-layer filters (left) beside weight and gradient histograms."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.core.probes import SnapshotHistory
from widgets.plots.filters import FiltersView
from widgets.plots.histograms import HistogramsView
from widgets.plots.run_view import RunView, ViewContext

FILTERS_WIDTH = 190


class WeightsView(QWidget, RunView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filters = FiltersView()
        self.filters.setFixedWidth(FILTERS_WIDTH)
        self.histograms = HistogramsView()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.filters)
        row.addWidget(self.histograms, 1)

    def attach(self, ctx: ViewContext) -> None:
        self.histograms.layerChosen.connect(lambda _layer: ctx.redraw())

    def show_position(self, history: SnapshotHistory, index: int) -> None:
        self.filters.show_snapshot(history[index])
        self.histograms.show_history(history.items[:index + 1])

    def clear(self) -> None:
        self.filters.clear()
        self.histograms.clear()
