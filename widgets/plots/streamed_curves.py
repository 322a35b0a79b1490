"""Curves that grow one epoch at a time while a lab view's own trainings run in a job (the
overfitting twins, transfer's fine-tune vs scratch): each posted `(run, metrics)` appends one
point to every curve of that run."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg


class StreamedCurves:
    """Feeds `curves[run, metric]` from posted epochs; the history lives here, not in the view."""

    def __init__(self, curves: dict[tuple[str, str], pg.PlotDataItem]) -> None:
        self.curves = curves
        self.history: dict[tuple[str, str], list[float]] = {}
        self.clear()

    def clear(self) -> None:
        self.history = {key: [] for key in self.curves}
        for curve in self.curves.values():
            curve.setData([], [])

    def add_epoch(self, value: tuple[str, dict[str, Any]]) -> None:
        """One epoch of run `value[0]`: its metrics `value[1]` extend that run's curves."""
        run, metrics = value
        for (name, metric), curve in self.curves.items():
            if name != run:
                continue
            values = self.history[name, metric]
            values.append(float(metrics[metric]))
            curve.setData(np.arange(1, len(values) + 1), np.array(values))
