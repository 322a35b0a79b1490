"""Loss landscape lab view: the loss around the trained weights, the run's path through it, and
a race of SGD, SGD with momentum and Adam from the run's starting point.

Everything is computed by `app.core.landscape`: the run records a few numbers per snapshot
(`PathRecorder`, a snapshot extra; for small networks the weights too), so the path is drawn
live while training on a random cut; the surface — on the PCA cut of the recorded path by
default, or on random filter-normalised directions — and the race run as background jobs once
the run has ended. This file only draws their arrays; the plot gets the room, the controls,
legend and race curves sit in a column beside it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
)

from app.core import landscape
from app.core.landscape import PathStats, RaceLane, RunPlane, Surface
from app.core.probes import SnapshotHistory
from widgets.lab.base import LabView
from widgets.plots.common import SEQUENTIAL, caption
from widgets.plots.run_view import ViewContext

EXTRA = "landscape"
LR_LOG_RANGE = (-4.0, 1.0)  # the race's learning rates: 1e-4 .. 10
LR_TICKS_PER_DECADE = 10
CONTOURS = 10
RACE_COLORS = {"SGD": "#d1242f", "SGD + momentum": "#e07b1f", "Adam": "#1f6feb"}
PATH_PEN = pg.mkPen("#ffffff", width=2)
RACE_DELAY_MS = 300  # the race restarts this long after the slider stops moving
# The texts of `landscape.DIRECTIONS` (app/core has no Qt), marked here for the translation.
DIRECTION_TEXTS = {"pca": QT_TRANSLATE_NOOP("LandscapeView", "PCA of the run's path"),
                   "random": QT_TRANSLATE_NOOP("LandscapeView", "random, filter-normalised")}
RACE_NAMES = {"SGD + momentum": QT_TRANSLATE_NOOP("LandscapeView", "SGD + momentum")}


def _tr(text: str) -> str:
    return QCoreApplication.translate("LandscapeView", text)


def race_name(lane: str) -> str:
    """An optimizer lane's name as shown (the lane keys stay English)."""
    return _tr(RACE_NAMES.get(lane, lane))


def lr_of_tick(tick: int) -> float:
    return 10.0 ** (LR_LOG_RANGE[0] + tick / LR_TICKS_PER_DECADE)


def tick_of_lr(lr: float) -> int:
    top = round((LR_LOG_RANGE[1] - LR_LOG_RANGE[0]) * LR_TICKS_PER_DECADE)
    tick = round((math.log10(max(lr, 1e-12)) - LR_LOG_RANGE[0]) * LR_TICKS_PER_DECADE)
    return min(max(tick, 0), top)


def _legend_html() -> str:
    """A one-line legend in the side column: a legend inside the plot would hide the surface."""
    mark = "<span style='background:#30123b; color:#ffffff'>&nbsp;{}&nbsp;</span>"
    run = QCoreApplication.translate("LandscapeView", "{line} your run, {square} its start")
    run = run.format(line=mark.format("━●"), square=mark.format("■"))
    lanes = ", ".join(f"<span style='color:{color}'><b>━━</b></span> {race_name(name)}"
                      for name, color in RACE_COLORS.items())
    return f"{run}; {lanes}"


class LandscapeView(LabView):
    TITLE = QT_TRANSLATE_NOOP("LabView", "Loss landscape")
    EXPLAIN_EN = (
        "The colours show the loss of <i>your</i> trained network (centre) on a flat cut "
        "through weight space; the white line is the path training took. The cut runs along "
        "the two directions in which that path moved most (PCA) or along two random "
        "directions scaled to the weights. <b>Race optimizers</b> starts SGD, SGD with momentum "
        "and Adam at the run's start: raise the learning rate to see them oscillate and "
        "diverge.")
    EXPLAIN_DE = (
        "Die Farben zeigen den Verlust <i>Ihres</i> trainierten Netzes (Mitte) auf einem "
        "ebenen Schnitt durch den Raum der Gewichte; die weiße Linie ist der Weg des "
        "Trainings. Der Schnitt folgt den zwei Richtungen, in die sich dieser Weg am meisten "
        "bewegt hat (PCA), oder zwei zufälligen, auf die Gewichte skalierten Richtungen. "
        "<b>Optimierer-Rennen</b> startet SGD, SGD mit Momentum und Adam am Startpunkt des "
        "Laufs: Mit größerer Lernrate sehen Sie sie schwingen und divergieren.")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._ctx: ViewContext | None = None
        self._seed = 0
        self._stats: list[PathStats] = []  # the recorded path of the shown run
        self._index = -1  # the shown snapshot among them
        self.plane: RunPlane | None = None
        self.surface: Surface | None = None
        self._stale = False  # new trained weights whose surface was not computed yet
        self.lanes: dict[str, RaceLane] = {}

        self.directions_combo = QComboBox()
        for key, label in landscape.DIRECTIONS.items():
            self.directions_combo.addItem(_tr(DIRECTION_TEXTS.get(key, label)), key)
        self.directions_combo.setToolTip(self.tr(
            "The two directions of the cut: PCA = the two directions in which the run's path "
            "moved most (Li et al. 2018, §7), so the whole path lies nearly in the plane; "
            "random = two random directions scaled filter by filter to the weights"))
        self.directions_combo.currentIndexChanged.connect(self._directions_chosen)
        self.compute_button = QPushButton(self.tr("Compute surface"))
        self.compute_button.setToolTip(self.tr("Evaluate the loss on a grid around the trained "
                                               "weights"))
        self.compute_button.clicked.connect(self.compute_surface)
        self.race_button = QPushButton(self.tr("Race optimizers"))
        self.race_button.setToolTip(self.tr("Train SGD, SGD + momentum and Adam from the run's "
                                            "start for {n} full-batch steps")
                                    .format(n=landscape.RACE_STEPS))
        self.race_button.clicked.connect(self.race)
        self.race_button.setEnabled(False)
        top = round((LR_LOG_RANGE[1] - LR_LOG_RANGE[0]) * LR_TICKS_PER_DECADE)
        self.lr_slider = QSlider(Qt.Orientation.Horizontal)
        self.lr_slider.setRange(0, top)
        self.lr_slider.setToolTip(self.tr("Learning rate of the race (log scale: 0.0001 … 10)"))
        self.lr_label = QLabel()
        self.lr_label.setMinimumWidth(48)
        self.lr_slider.valueChanged.connect(self._lr_moved)
        self.lr_slider.setValue(tick_of_lr(0.01))
        self._race_timer = QTimer(self)
        self._race_timer.setSingleShot(True)
        self._race_timer.setInterval(RACE_DELAY_MS)
        self._race_timer.timeout.connect(self.race)
        surface_row = QHBoxLayout()
        surface_row.addWidget(QLabel(self.tr("Directions:")))
        surface_row.addWidget(self.directions_combo, 1)
        surface_row.addWidget(self.compute_button)
        race_row = QHBoxLayout()
        race_row.addWidget(self.race_button)
        lr = QLabel(self.tr("lr"))
        lr.setToolTip(self.tr("Learning rate of the race"))
        race_row.addWidget(lr)
        race_row.addWidget(self.lr_slider, 1)
        race_row.addWidget(self.lr_label)
        self.legend = caption(_legend_html())
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.info = caption("", muted=True)
        self.race_info = caption("", muted=True)

        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.image = pg.ImageItem()
        self.image.setLookupTable(SEQUENTIAL.getLookupTable(nPts=256))
        self.plot.addItem(self.image)
        self.contours = []
        for _ in range(CONTOURS):
            curve = pg.IsocurveItem(pen=pg.mkPen((255, 255, 255, 90), width=1))
            curve.setParentItem(self.image)
            self.contours.append(curve)
        self.run_path = self.plot.plot(pen=PATH_PEN, symbol="o", symbolSize=4,
                                       symbolBrush="#ffffff", symbolPen=None)
        self.here = pg.ScatterPlotItem(size=10, brush=pg.mkBrush("#ffffff"),
                                       pen=pg.mkPen("#1f2328"))
        self.start_marker = pg.ScatterPlotItem(size=9, symbol="s", brush=pg.mkBrush("#1f2328"),
                                               pen=pg.mkPen("#ffffff"))
        self.plot.addItem(self.here)
        self.plot.addItem(self.start_marker)
        self.race_paths = {name: self.plot.plot(pen=pg.mkPen(color, width=2))
                           for name, color in RACE_COLORS.items()}
        for axis in ("bottom", "left"):  # "500 (x0.001)" reads worse than 0.5
            self.plot.getAxis(axis).enableAutoSIPrefix(False)
        self._label_axes("random")
        self.race_plot = pg.PlotWidget()
        self.race_plot.setMenuEnabled(False)
        self.race_plot.setLogMode(y=True)
        self.race_plot.setLabel("bottom", self.tr("race step"))
        self.race_plot.setLabel("left", self.tr("loss"))
        self.race_curves = {name: self.race_plot.plot(pen=pg.mkPen(color, width=2))
                            for name, color in RACE_COLORS.items()}
        side = QVBoxLayout()
        side.setSpacing(3)
        side.addLayout(surface_row)
        side.addLayout(race_row)
        side.addWidget(self.legend)
        side.addWidget(self.info)
        side.addWidget(self.race_info)
        side.addWidget(self.race_plot, 1)
        plots = QHBoxLayout()
        plots.addWidget(self.plot, 3)
        plots.addLayout(side, 2)
        self.body.addLayout(plots, 1)

    @property
    def method(self) -> str:
        """The directions the learner chose (a key of `landscape.DIRECTIONS`)."""
        return self.directions_combo.currentData()

    def _label_axes(self, method: str, explained: np.ndarray | None = None) -> None:
        if method == "pca" and explained is not None:
            names = [self.tr("PC{k}: {share} % of the path").format(k=k + 1,
                                                                     share=f"{100 * share:.1f}")
                     for k, share in enumerate(explained)]
        elif method == "weights":
            names = [self.tr("weight 1"), self.tr("weight 2")]
        else:
            names = [self.tr("random direction 1"), self.tr("random direction 2")]
        self.plot.setLabel("bottom", f"α ({names[0]})")
        self.plot.setLabel("left", f"β ({names[1]})")

    # -- RunView ----------------------------------------------------------------------------------

    def attach(self, ctx: ViewContext) -> None:
        self._ctx = ctx
        ctx.doc.trainedChanged.connect(self._trained_changed)
        ctx.doc.settingsChanged.connect(self._settings_changed)
        self._settings_changed("training")

    def run_options(self) -> dict[str, Any]:
        """Record where the weights are at each snapshot, in the run's own random plane."""
        self._seed = self._ctx.doc.project.training.seed if self._ctx else 0
        return {"extras": {EXTRA: landscape.PathRecorder(self._seed)}}

    def run_started(self, run_id: int, data: dict[str, Any]) -> None:
        if data.get("restored"):
            return  # weights opened with a project: their surface is on its way
        self._stats, self._index = [], -1
        self._forget_surface()
        self.info.setText(self.tr("Training: the path is drawn on a random cut through the "
                                  "current weights; the loss surface on the chosen cut is "
                                  "computed when the run ends."))

    def show_position(self, history: SnapshotHistory, index: int) -> None:
        items = history.items
        self._stats = [s.extras[EXTRA] for s in items if EXTRA in s.extras]
        self._index = sum(1 for s in items[:index + 1] if EXTRA in s.extras) - 1
        self._draw_path()

    def clear(self) -> None:
        self.job.cancel()
        self._stats, self._index = [], -1
        self._forget_surface()
        self.info.setText("")
        self._draw_path()

    # -- the surface --------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:  # after the dashboard has handed us the run's snapshots
            QTimer.singleShot(0, self._compute_if_stale)

    def _compute_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self.compute_surface()

    def _trained_changed(self) -> None:
        trained = self._ctx.doc.trained if self._ctx else None
        self._stale = trained is not None
        if trained is None:
            self._forget_surface()
        elif self.isVisible():
            self.compute_surface()

    def compute_surface(self) -> None:
        """Evaluate the loss around the document's trained weights in the background."""
        doc = self._ctx.doc
        self._stale = False
        if doc.trained is None:
            self.show_problem(self.tr("Train the network first (Train, F5): the landscape is "
                                      "drawn around the trained weights."))
            return
        if not doc.trained_matches():
            self.show_problem(self.tr("The network was changed after run {run}: train again to "
                                      "see the landscape of the network as it is now.")
                              .format(run=doc.trained.info.run))
            return
        graph, data, trained = doc.graph.copy(), doc.project.data, doc.trained
        seed, recorded, method = self._seed, list(self._stats), self.method
        if not recorded:  # weights from a project file: the plane of the project's seed
            seed = self._seed = doc.project.training.seed

        def compute(progress):
            plane = landscape.run_plane(graph, data, trained, seed, recorded, method)
            return plane, landscape.run_surface(plane, recorded, progress=progress)

        self.race_button.setEnabled(False)
        self.start_job(self.tr("Loss on a {n}×{n} grid…").format(n=landscape.GRID), compute,
                       self._show_surface)

    def _show_surface(self, result: tuple[RunPlane, Surface]) -> None:
        self.plane, surface = result
        self.surface = surface
        a, b = surface.alphas, surface.betas
        da, db = a[1] - a[0], b[1] - b[0]
        finite = np.isfinite(surface.loss) & (surface.loss > 0)
        logs = np.log10(np.where(finite, surface.loss, np.nan))
        low, high = np.nanmin(logs), np.nanmax(logs)
        logs = np.nan_to_num(logs, nan=high)
        self.image.setImage(logs, levels=(low, max(high, low + 1e-6)))
        self.image.setRect(QRectF(a[0] - da / 2, b[0] - db / 2, a[-1] - a[0] + da,
                                  b[-1] - b[0] + db))
        for curve, level in zip(self.contours, np.linspace(low, high, CONTOURS + 2)[1:-1],
                                strict=True):
            curve.setData(logs, level)
        self.start_marker.setData([surface.start[0]], [surface.start[1]])
        self.plot.setRange(xRange=(a[0], a[-1]), yRange=(b[0], b[-1]), padding=0)
        self.plot.disableAutoRange()
        explained = surface.pca.explained if surface.pca is not None else None
        self._label_axes(surface.method, explained)
        if surface.method == "pca":
            axes = "" if explained is None else self.tr(
                "PCA of your run's path ({share} % of its spread lies in this plane)").format(
                share=f"{100 * explained.sum():.1f}")
        elif surface.method == "weights":
            axes = self.tr("the network's two weights")
        else:
            axes = self.tr("two random filter-normalised directions")
        note = f" {self.plane.note}" if self.plane.note else ""
        self.info.setText(self.tr(
            "Axes: {axes}.{note} Loss at the trained weights (centre): {here}; on this cut "
            "{low} … {high}. Colour: log10(loss), dark = low.").format(
            axes=axes, note=note, here=f"{surface.loss_here:.4g}",
            low=f"{np.nanmin(surface.loss):.4g}", high=f"{np.nanmax(surface.loss):.4g}"))
        self.race_button.setEnabled(True)
        self._draw_path()

    def _forget_surface(self) -> None:
        self.plane = self.surface = None
        self.race_button.setEnabled(False)
        self.image.clear()
        for curve in self.contours:
            curve.setData(None)
        self.start_marker.setData([], [])
        self._show_race({})
        self.plot.enableAutoRange()

    def _directions_chosen(self, _index: int) -> None:
        """Another cut through the same weights: recompute the surface (and drop the race,
        whose paths lay on the old plane)."""
        if self._ctx is not None and self._ctx.doc.trained is not None and \
                not self._ctx.controller.is_running:
            self._forget_surface()
            self.compute_surface()

    def compute_and_wait(self, race_lr: float | None = None, timeout_s: float = 120.0) -> None:
        """Compute the surface (and, with `race_lr`, race at that rate), keeping the GUI
        running until each job has ended (screenshots)."""
        if self.surface is None or self._stale:
            self.run_and_wait(self.compute_surface, "the loss landscape", timeout_s)
        if self.surface is None:
            raise RuntimeError(self.problem.text() or "the loss surface was not computed")
        if race_lr is not None:
            self.lr_slider.setValue(tick_of_lr(race_lr))
            self.run_and_wait(self.race, "the optimizer race", timeout_s)

    # -- the run's path -----------------------------------------------------------------------------

    def _draw_path(self) -> None:
        """The recorded snapshots up to the shown one, on the surface's plane (or, while there
        is none, on the plane through the shown snapshot's weights)."""
        if self._index < 0:
            self.run_path.setData([], [])
            self.here.setData([], [])
            return
        shown = self._stats[:self._index + 1]
        if self.surface is not None:
            path = self._clipped(self.surface.place(shown))
        else:  # while training: the random plane through the shown weights
            path = self._clipped(landscape.path_coordinates(shown, shown[-1]))
        self.run_path.setData(path[:, 0], path[:, 1])
        self.here.setData([path[-1, 0]], [path[-1, 1]])

    def _clipped(self, path: np.ndarray) -> np.ndarray:
        """Far-away points (a diverging optimizer) are pinned just outside the surface."""
        finite = path[np.isfinite(path).all(axis=1)]
        if self.surface is None:
            return finite
        limit = 3 * np.array([self.surface.alphas[-1], self.surface.betas[-1]])
        return np.clip(finite, -limit, limit)

    # -- the race -----------------------------------------------------------------------------------

    @property
    def race_lr(self) -> float:
        return lr_of_tick(self.lr_slider.value())

    def _lr_moved(self, _tick: int) -> None:
        self.lr_label.setText(f"{self.race_lr:.4g}")
        if self.lanes and self.plane is not None:
            self._race_timer.start()

    def _settings_changed(self, section: str) -> None:
        """The slider starts at the project's learning rate."""
        if section == "training" and self._ctx is not None and not self.lanes:
            self.lr_slider.setValue(tick_of_lr(self._ctx.doc.project.training.lr))

    def race(self) -> None:
        """SGD, momentum and Adam from the run's initial weights at the slider's rate."""
        self._race_timer.stop()
        plane, lr = self.plane, self.race_lr
        if plane is None:
            self.show_problem(self.tr("Compute the surface first: the race is drawn on it."))
            return
        self.start_job(self.tr("Racing at learning rate {lr}…").format(lr=f"{lr:.4g}"),
                       lambda progress: landscape.run_race(plane, lr, progress=progress),
                       lambda lanes: self._show_race(lanes, lr))

    def _show_race(self, lanes: dict[str, RaceLane], lr: float = math.nan) -> None:
        self.lanes = lanes
        notes = []
        for name, item in self.race_paths.items():
            lane = lanes.get(name)
            path = self._clipped(lane.path) if lane is not None else np.zeros((0, 2))
            item.setData(path[:, 0], path[:, 1])
            losses = lane.losses if lane is not None else np.zeros(0)
            self.race_curves[name].setData(np.arange(len(losses)), np.maximum(losses, 1e-12))
            if lane is not None:
                end = (self.tr("diverged after {n} steps").format(n=len(losses) - 1)
                       if lane.diverged else
                       self.tr("loss {start} → {end}").format(start=f"{losses[0]:.3g}",
                                                              end=f"{losses[-1]:.3g}"))
                notes.append(f"{race_name(name)}: {end}")
        self.race_info.setText(self.tr("Race at learning rate {lr}: {notes}").format(
            lr=f"{lr:.4g}", notes="; ".join(notes)) if notes else "")
