"""The Weights tab: first-layer filters (left) beside weight and gradient histograms."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.core.probes import SnapshotHistory
from widgets.plots.common import draw_when_due, draw_when_idle, live_draws
from widgets.plots.filters import FiltersView
from widgets.plots.histograms import HistogramsView
from widgets.plots.run_view import RunView, ViewContext

FILTERS_WIDTH = 130  # the filters are a few small tiles; the histograms need the room


class WeightsView(QWidget, RunView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx: ViewContext | None = None
        self.filters = FiltersView()
        self.filters.setFixedWidth(FILTERS_WIDTH)
        self.histograms = HistogramsView()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.filters)
        row.addWidget(self.histograms, 1)

    def attach(self, ctx: ViewContext) -> None:
        self._ctx = ctx
        draw_when_idle(self, ctx.controller)
        self.histograms.layerChosen.connect(lambda _layer: ctx.redraw())

    def show_position(self, history: SnapshotHistory, index: int) -> None:
        snapshots = history.items[:index + 1]

        def draw() -> None:
            self.filters.show_snapshot(snapshots[-1])
            self.histograms.show_history(snapshots)
        draw_when_due(self, self._ctx is not None and self._ctx.follows_run(history, index), draw)

    def clear(self) -> None:
        live_draws().cancel(self)
        self.filters.clear()
        self.histograms.clear()
