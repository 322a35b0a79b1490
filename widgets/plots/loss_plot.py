"""Loss and accuracy curves: training loss per logged step (raw and smoothed), validation per
epoch, several runs overlaid so a learner can compare what a change did."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from widgets.plots.common import (
    caption,
    draw_when_idle,
    grow_range,
    keep_plots_whole,
    live_draws,
    run_color,
    settle_ranges,
)
from widgets.plots.run_view import RunView, ViewContext

MAX_RUNS = 4  # overlaid runs; older ones are dropped from the plot
SMOOTHING = 0.8  # weight of the past in the (debiased) exponential moving average
REDRAW_MS = 250  # curves redraw at most ~4 times a second: they share the GUI with the maps
X_START = 10.0  # steps shown before the first points


class _Series:
    """A growable float array (amortised O(1) appends, zero-copy views for setData)."""

    def __init__(self) -> None:
        self._data = np.empty(256)
        self.n = 0

    def extend(self, values: np.ndarray) -> None:
        need = self.n + len(values)
        if need > len(self._data):
            grown = np.empty(max(need, 2 * len(self._data)))
            grown[:self.n] = self._data[:self.n]
            self._data = grown
        self._data[self.n:need] = values
        self.n = need

    @property
    def values(self) -> np.ndarray:
        return self._data[:self.n]


class _Ema:
    """Debiased EMA like TensorBoard's smoothing: early values are not pulled towards 0."""

    def __init__(self, weight: float) -> None:
        self.weight = weight
        self.value = 0.0
        self.count = 0

    def __call__(self, values: np.ndarray) -> np.ndarray:
        out = np.empty(len(values))
        for i, x in enumerate(values):
            if math.isnan(x):
                out[i] = math.nan
                continue
            self.count += 1
            self.value = self.weight * self.value + (1 - self.weight) * x
            out[i] = self.value / (1 - self.weight ** self.count)
        return out


class RunCurves:
    """The plot items and data of one run; items are made once and then only fed data."""

    def __init__(self, run_id: int, label: str, loss_plot: pg.PlotItem,
                 acc_plot: pg.PlotItem) -> None:
        self.run_id = run_id
        self.label = label
        color = run_color(run_id)
        faint = pg.mkColor(color)
        faint.setAlpha(70)
        opts = {"clipToView": True, "autoDownsample": True, "downsampleMethod": "peak",
                "connect": "finite"}
        # The raw loss is dense and faint: drawn without antialiasing, which costs the most.
        self.loss_raw = loss_plot.plot(pen=pg.mkPen(faint, width=1), antialias=False, **opts)
        train = QCoreApplication.translate("CurvesView", "{run} train").format(run=label)
        val = QCoreApplication.translate("CurvesView", "{run} val").format(run=label)
        self.loss_smooth = loss_plot.plot(pen=pg.mkPen(color, width=2), name=train, **opts)
        self.val_loss = loss_plot.plot(pen=pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine),
                                       symbol="o", symbolSize=7, symbolBrush=color,
                                       symbolPen="w", name=val)
        self.acc_smooth = acc_plot.plot(pen=pg.mkPen(color, width=2), name=train, **opts)
        self.val_acc = acc_plot.plot(pen=pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine),
                                     symbol="o", symbolSize=7, symbolBrush=color, symbolPen="w",
                                     name=val)
        self.items = (self.loss_raw, self.loss_smooth, self.val_loss, self.acc_smooth,
                      self.val_acc)
        self.steps, self.loss, self.loss_ema, self.acc, self.acc_ema = (
            _Series() for _ in range(5))
        self._loss_ema, self._acc_ema = _Ema(SMOOTHING), _Ema(SMOOTHING)
        self.epochs: list[dict] = []
        self._drawn_epochs = 0  # epochs the validation markers show

    def add_points(self, steps: np.ndarray, loss: np.ndarray, acc: np.ndarray) -> None:
        self.steps.extend(steps)
        self.loss.extend(loss)
        self.loss_ema.extend(self._loss_ema(loss))
        self.acc.extend(acc)
        self.acc_ema.extend(self._acc_ema(acc))

    def add_epoch(self, step: int, metrics: dict) -> None:
        self.epochs.append({"step": step, **{k: metrics.get(k) for k in (
            "epoch", "train_loss", "train_acc", "val_loss", "val_acc")}})

    def redraw(self) -> None:
        x = self.steps.values
        self.loss_raw.setData(x, self.loss.values)
        self.loss_smooth.setData(x, self.loss_ema.values)
        self.acc_smooth.setData(x, self.acc_ema.values)
        if self._drawn_epochs == len(self.epochs):
            return  # the markers (scatter items, costly to set) have not changed
        self._drawn_epochs = len(self.epochs)
        ex = np.array([e["step"] for e in self.epochs], dtype=float)
        self.val_loss.setData(ex, _floats(e["val_loss"] for e in self.epochs))
        self.val_acc.setData(ex, _floats(e["val_acc"] for e in self.epochs))


def _floats(values) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=float)


class CurvesView(QWidget, RunView):
    """Loss (left) and accuracy (right) over training steps, per run, with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs: dict[int, RunCurves] = {}
        self._stale: set[int] = set()  # runs with data not yet drawn
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(0)
        # The throttled redraw then waits for its turn among the live views (one per turn).
        self._redraw_timer.timeout.connect(lambda: live_draws().request(self, self._redraw))
        self._since_redraw = QElapsedTimer()
        self.log_scale = QCheckBox(self.tr("Log-scale loss"))
        self.log_scale.setToolTip(self.tr("A logarithmic loss axis shows slow late progress "
                                          "clearly"))
        self.log_scale.toggled.connect(self.set_log_scale)
        # Tool buttons: as wide as their text, so the curves fit beside the feature maps.
        self.clear_button = QToolButton()
        self.clear_button.setText(self.tr("Clear old runs"))
        self.clear_button.setToolTip(self.tr("Keep only the latest run's curves"))
        self.clear_button.clicked.connect(self.clear_old_runs)
        self.csv_button = QToolButton()
        self.csv_button.setText("CSV…")
        self.csv_button.setToolTip(self.tr("Export every run's curves as a CSV table"))
        self.csv_button.clicked.connect(self._ask_export_csv)
        self.png_button = QToolButton()
        self.png_button.setText("PNG…")
        self.png_button.setToolTip(self.tr("Export both plots as a PNG picture"))
        self.png_button.clicked.connect(self._ask_export_png)
        bar = QHBoxLayout()
        bar.addWidget(self.log_scale)
        bar.addStretch(1)
        for button in (self.clear_button, self.csv_button, self.png_button):
            bar.addWidget(button)

        self.plots = pg.GraphicsLayoutWidget()
        self.plots.ci.setSpacing(6)
        self.plots.ci.setContentsMargins(2, 2, 2, 2)
        # Axes, ticks and grid are straight lines: drawn without antialiasing (curves that
        # need it set it themselves), each live repaint costs a fraction.
        self.plots.setAntialiasing(False)
        self.loss_plot = self.plots.addPlot(title=self.tr("Loss (lower is better)"))
        self.acc_plot = self.plots.addPlot(title=self.tr("Accuracy (higher is better)"))
        # The titles name the y axes; no axis labels beside them, so the plots fit narrow docks.
        for plot in (self.loss_plot, self.acc_plot):
            plot.setLabel("bottom", self.tr("training step"))
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.addLegend(offset=(-8, 8), labelTextSize="8pt", verSpacing=-6)
            plot.setMenuEnabled(False)
            plot.setTitle(plot.titleLabel.text, size="9pt")
        keep_plots_whole(self.plots)
        self.acc_plot.setXLink(self.loss_plot)
        self._x_max = 0.0
        self._fit_steps()
        self.acc_plot.setYRange(0, 1, padding=0.02)
        self.acc_plot.enableAutoRange(axis="y", enable=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.plots, 1)
        key = caption(self.tr("Faint: raw · bold: smoothed · dots: validation"), muted=True)
        key.setToolTip(self.tr("Faint: every few steps · bold: smoothed · dots: validation "
                               "per epoch"))
        layout.addWidget(key)

    # -- feeding --

    def attach(self, ctx: ViewContext) -> None:
        draw_when_idle(self, ctx.controller)

    def start_run(self, run_id: int, label: str) -> None:
        while len(self.runs) >= MAX_RUNS:
            self._remove(min(self.runs))
        self.runs[run_id] = RunCurves(run_id, label, self.loss_plot, self.acc_plot)

    def run_started(self, run_id: int, data: dict) -> None:
        if not data.get("restored"):  # restored weights come without their curves
            self.start_run(run_id, self.tr("run {n}").format(n=run_id))

    def add_scalars(self, payloads: list[dict]) -> None:
        for payload in payloads:
            run = self.runs.get(payload["run_id"])
            if run is not None:
                run.add_points(payload["steps"], payload["loss"], payload["acc"])
                self._changed(run)

    def add_epoch(self, payload: dict) -> None:
        run = self.runs.get(payload["run_id"])
        if run is not None:
            run.add_epoch(payload["step"], payload)
            self._changed(run)

    def _changed(self, run: RunCurves) -> None:
        """Redraw each changed run once, after the dashboard's current update, and only
        while the curves are visible (a run with many short epochs sends many updates)."""
        self._stale.add(run.run_id)
        if self.isVisible() and not self._redraw_timer.isActive():
            since = self._since_redraw.elapsed() if self._since_redraw.isValid() else REDRAW_MS
            self._redraw_timer.start(max(0, REDRAW_MS - since))

    def _redraw(self) -> None:
        self._since_redraw.start()
        for run_id in self._stale:
            if run_id in self.runs:
                self.runs[run_id].redraw()
        self._fit_steps()
        settle_ranges(self.loss_plot, self.acc_plot)
        self._stale.clear()

    def showEvent(self, event) -> None:
        self._redraw()
        super().showEvent(event)

    def clear(self) -> None:
        live_draws().cancel(self)
        for run_id in list(self.runs):
            self._remove(run_id)

    # -- actions --

    def set_log_scale(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)

    def _fit_steps(self) -> None:
        """The step axis grows in jumps ahead of the data instead of with every point: a new
        range redraws the axes' ticks and labels, the costliest part of a live redraw."""
        last = max((run.steps.values[-1] for run in self.runs.values() if run.steps.n),
                   default=0.0)
        # The accuracy plot's steps are linked to the loss plot's.
        self._x_max = grow_range(self.loss_plot, "x", last, self._x_max, least=X_START)

    def clear_old_runs(self) -> None:
        for run_id in sorted(self.runs)[:-1]:
            self._remove(run_id)

    def _remove(self, run_id: int) -> None:
        run = self.runs.pop(run_id)
        for plot, items in ((self.loss_plot, run.items[:3]), (self.acc_plot, run.items[3:])):
            for item in items:
                plot.removeItem(item)  # also takes it out of the legend

    def export_csv(self, path: str | Path) -> Path:
        """One row per logged step (kind "train") and per epoch (kind "epoch") for every run."""
        path = Path(path)
        with path.open("w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["run", "kind", "step", "epoch", "loss", "loss_smoothed", "acc",
                          "val_loss", "val_acc"])
            for run in self.runs.values():
                for row in zip(run.steps.values, run.loss.values, run.loss_ema.values,
                               run.acc.values, strict=True):
                    step, loss, smooth, acc = row
                    out.writerow([run.label, "train", int(step), "", f"{loss:.6g}",
                                  f"{smooth:.6g}", "" if math.isnan(acc) else f"{acc:.6g}",
                                  "", ""])
                for e in run.epochs:
                    out.writerow([run.label, "epoch", e["step"], e["epoch"],
                                  _fmt(e["train_loss"]), "", _fmt(e["train_acc"]),
                                  _fmt(e["val_loss"]), _fmt(e["val_acc"])])
        return path

    def export_png(self, path: str | Path) -> Path:
        path = Path(path)
        self._redraw()  # a hidden view may hold data it has not drawn yet
        if not self.plots.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        return path

    def _ask_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export curves"), "curves.csv",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export_csv(path)

    def _ask_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export curves"), "curves.png",
                                              self.tr("PNG images (*.png)"))
        if path:
            self.export_png(path)


def _fmt(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.6g}"
