"""The one interface every view of a training run implements (curves, feature maps, lab views).

The dashboard (`widgets.training_panel.TrainingPanel`) keeps a list of views and feeds each
of them the same six calls, so a new view is its own file plus one entry in
`widgets.run_views.VIEWS`; nothing else changes. Every call has a no-op default here: a view
overrides only what it shows. Payloads are the worker's numpy dicts (see `app.training`);
views never see torch tensors, the model or the worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from app.core.probes import SnapshotHistory
from app.document import Document
from app.training import TrainingController


@dataclass(frozen=True)
class ViewContext:
    """What a view may reach when it is attached: the document (to follow the graph), the
    controller (to steer what the worker measures) and a way to ask for a redraw of the
    current replay position (after the view changed what it shows, e.g. another layer)."""

    doc: Document
    controller: TrainingController
    redraw: Callable[[], None]

    def follows_run(self, history: SnapshotHistory, index: int) -> bool:
        """Snapshot `index` is the newest of a run still going: a live redraw, which waits for
        its turn (`widgets.plots.common.live_draws`) instead of drawing with the others."""
        return self.controller.is_running and index == len(history) - 1


class RunView:
    """Mixin for QWidget views of a run; see the module docstring."""

    def attach(self, ctx: ViewContext) -> None:
        """Called once, before the first run: connect to the document or controller here."""

    def run_options(self) -> dict[str, Any]:
        """Keyword arguments for `TrainingController.start` this view needs (probe layers)."""
        return {}

    def run_started(self, run_id: int, data: dict[str, Any]) -> None:
        """A run's data is loaded: `data` is the worker's dataReady payload (classes, probe
        images, sizes)."""

    def add_scalars(self, payloads: list[dict[str, Any]]) -> None:
        """New loss/accuracy/learning-rate points (every payload since the last call)."""

    def add_epoch(self, payload: dict[str, Any]) -> None:
        """Results of a finished epoch: validation metrics, confusion, misclassified."""

    def show_position(self, history: SnapshotHistory, index: int) -> None:
        """Show snapshot `index` of `history` (the newest while live, older when replaying).
        Only called while the view is visible; it catches up when it is shown."""

    def clear(self) -> None:
        """Forget everything shown (another project was opened)."""


@dataclass(frozen=True)
class ViewSpec:
    """One entry of the dashboard's view list."""

    title: str
    make: Callable[[], QWidget]  # returns a QWidget that also is a RunView
    tooltip: str = ""
    replay: bool = False  # shows snapshots: gets a replay slider under it
    key: str = ""  # name for `netzwerkstatt screenshot --view KEY` (lab views)
