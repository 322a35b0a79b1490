"""The Playground: the decision boundary of the learner's own network on a 2-D dataset, and
what every hidden neuron computes over the same plane (after TensorFlow Playground).

The run measures the boundary at every snapshot (`app.core.playground.boundary_extra`); this
view only draws it, with the run's training and validation points on top, and follows the
replay slider. Noise, the validation share and a fresh sample of the points are run settings:
the controls change them in the document, one undo step each.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
)

from app import commands
from app.core import datasets
from app.core.catalog import PlaneFeatures, full_params
from app.core.experiment import SetupError, load_data
from app.core.playground import RESOLUTION, Boundary, boundary_extra, bounds_of
from app.core.probes import SnapshotHistory
from widgets.lab.base import LabView
from widgets.plots.common import DIVERGING_LUT, caption
from widgets.plots.run_view import ViewContext
from widgets.training_controls import SpinGesture

EXTRA = "playground"
TILE_COLUMNS = 2  # neuron tiles side by side per hidden layer
# The heatmap is a paler version of the points' colours, so the points stand out on it.
PALE_LUT = (DIVERGING_LUT[:, :3] * 0.55 + 255 * 0.45).astype(np.ubyte)
CLASS_COLORS = ("#1f4fa8", "#b5302a", "#1a7f37", "#8a5cc7", "#e07b1f", "#1a9c8c")


def _class_brushes(labels: np.ndarray) -> list[pg.QtGui.QBrush]:
    brushes = [pg.mkBrush(c) for c in CLASS_COLORS]
    return [brushes[int(y) % len(brushes)] for y in labels]


def _class_image(boundary: Boundary, discrete: bool) -> np.ndarray:
    """(H, W, 3) colours of the winning classes, paler where the network is unsure."""
    colors = np.array([pg.mkColor(c).getRgb()[:3] for c in CLASS_COLORS], dtype=np.float32)
    rgb = colors[boundary.label % len(colors)]
    weight = 1.0 if discrete else boundary.score[..., None]
    return (255 - (255 - rgb) * 0.55 * weight).astype(np.ubyte)


class PlaygroundView(LabView):
    TITLE = QT_TRANSLATE_NOOP("LabView", "Playground")
    EXPLAIN_EN = (
        "The coloured plane is your network's answer for every point of the input plane; "
        "circles are training points, squares validation points. Each small tile shows what "
        "one hidden neuron computes over the same plane: the next layer combines these "
        "pictures, and without a non-linearity (e.g. Tanh) every combination stays a straight "
        "boundary.")
    EXPLAIN_DE = (
        "Die farbige Fläche ist die Antwort Ihres Netzes für jeden Punkt der Eingabeebene; "
        "Kreise sind Trainingspunkte, Quadrate Validierungspunkte. Jede kleine Kachel zeigt, "
        "was ein verborgenes Neuron über derselben Ebene berechnet: Die nächste Schicht "
        "kombiniert diese Bilder, und ohne Aktivierungsfunktion (z. B. Tanh) bleibt jede "
        "Kombination eine gerade Entscheidungsgrenze.")

    def __init__(self) -> None:
        super().__init__()
        self.ctx: ViewContext | None = None
        self.boundary: Boundary | None = None
        self._tile_layout: tuple[tuple[str, int], ...] = ()
        self.tiles: list[pg.ImageItem] = []
        self.tile_titles: list[str] = []  # per hidden layer (column): node id · type (count)
        self.tile_names: list[str] = []  # per tile: "#i", or the input feature's name

        self.noise_spin = QDoubleSpinBox()
        self.noise_spin.setRange(0.0, 1.0)
        self.noise_spin.setSingleStep(0.05)
        self.noise_spin.setDecimals(2)
        self.noise_spin.setToolTip(self.tr("Standard deviation of the noise added to every "
                                           "point"))
        self.val_spin = QSpinBox()
        self.val_spin.setRange(5, 90)
        self.val_spin.setSuffix(" %")
        self.val_spin.setToolTip(self.tr("Share of all points kept aside for validation (test "
                                         "points)"))
        self.resample_button = QPushButton(self.tr("Re-sample"))
        self.resample_button.setToolTip(self.tr("Draw a new random sample of the points"))
        self.resample_button.clicked.connect(self._resample)
        self.discrete_check = QCheckBox(self.tr("Discretize output"))
        self.discrete_check.setToolTip(self.tr("Show only the predicted class, not how sure "
                                               "the network is"))
        self.discrete_check.toggled.connect(lambda _on: self._draw())
        controls = QHBoxLayout()
        for label, widget in ((self.tr("Noise"), self.noise_spin),
                              (self.tr("Validation"), self.val_spin)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addWidget(self.resample_button)
        controls.addWidget(self.discrete_check)
        self.status = caption("", muted=True)
        controls.addWidget(self.status, 1)
        self.body.addLayout(controls)

        self.neuron_widget = pg.GraphicsLayoutWidget()
        self.neuron_widget.ci.setContentsMargins(1, 1, 1, 1)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setAspectLocked(True)
        self.plot.setLabel("bottom", "x1")
        self.plot.setLabel("left", "x2")
        self.heatmap = pg.ImageItem()
        self.heatmap.setLookupTable(PALE_LUT)
        self.plot.addItem(self.heatmap)
        self.train_points = pg.ScatterPlotItem(size=5, pen=pg.mkPen("w", width=0.6), symbol="o")
        self.val_points = pg.ScatterPlotItem(size=5, pen=pg.mkPen("k", width=0.6), symbol="s")
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.val_points)
        self._plots_row = row = QHBoxLayout()
        row.addWidget(self.neuron_widget, 2)
        row.addWidget(self.plot, 3)
        self.body.addLayout(row, 1)

    # -- RunView --

    def attach(self, ctx: ViewContext) -> None:
        self.ctx = ctx
        doc = ctx.doc
        self._gestures = (
            SpinGesture(doc, self.noise_spin, "data", "noise"),
            SpinGesture(doc, self.val_spin, "data", "val_fraction", lambda v: v / 100),
        )
        doc.settingsChanged.connect(self._settings_changed)
        doc.shapesChanged.connect(lambda _report: self._check_fit())
        doc.graphReset.connect(self._settings_changed)
        self._settings_changed()

    def run_options(self) -> dict[str, Any]:
        """The boundary over the box of the points this run will train on."""
        points = self._load_points()
        if points is None:
            return {}
        return {"extras": {EXTRA: boundary_extra(bounds_of(points[0]), RESOLUTION)}}

    def show_position(self, history: SnapshotHistory, index: int) -> None:
        boundary = history[index].extras.get(EXTRA)
        if boundary is None:  # a run that was not 2-D: the note says why
            return
        self.boundary = boundary
        self._draw()

    def clear(self) -> None:
        self.boundary = None
        self.heatmap.clear()
        self._set_tiles({})
        self._settings_changed()

    # -- what fits --

    def fit_problem(self) -> str:
        """Why this view cannot show the document's network and dataset ("" if it can)."""
        doc = self.ctx.doc
        info = datasets.DATASETS.get(doc.project.data.name)
        if info is None or info.kind != "points":
            return self.tr("This view needs a 2-D dataset: choose xor, circle, gauss or spiral "
                           "in the Training tab.")
        inputs = doc.graph.nodes_of_type("Input")
        if len(inputs) != 1 or tuple(full_params("Input", inputs[0].params)["shape"]) != (2,):
            return self.tr("This view needs a network with one 2-D input: set the Input's shape "
                           "to 2 (or start from the mlp_playground preset).")
        return ""

    def _check_fit(self) -> str:
        problem = self.fit_problem()
        self.show_problem(problem)
        if problem:
            self.train_points.clear()
            self.val_points.clear()
            self.status.setText("")
        for widget in (self.noise_spin, self.val_spin, self.resample_button):
            widget.setEnabled(not problem)
        return problem

    # -- the points --

    def _load_points(self) -> tuple[np.ndarray, ...] | None:
        """(x_train, y_train, x_val, y_val) exactly as a run now would generate them (a few
        thousand points: milliseconds), drawn at once; None if the view does not fit."""
        if self.ctx is None or self._check_fit():
            return None
        project = self.ctx.doc.project
        try:
            data = load_data(project.data, project.training.seed)
        except SetupError as exc:
            self.show_problem(str(exc))
            return None
        points = tuple(t.cpu().numpy() for t in (data.x_train, data.y_train,
                                                 data.x_val, data.y_val))
        self.train_points.setData(pos=points[0], brush=_class_brushes(points[1]))
        self.val_points.setData(pos=points[2], brush=_class_brushes(points[3]))
        self.status.setText(self.tr("{train} training and {val} validation points").format(
            train=len(points[0]), val=len(points[2])))
        return points

    def _settings_changed(self, _section: str = "") -> None:
        """Mirror the document's data settings and show the points they give."""
        if self.ctx is None:
            return
        cfg = self.ctx.doc.project.data
        noise = datasets.POINT_NOISE.get(cfg.name, 0.0) if cfg.noise is None else cfg.noise
        for spin, value in ((self.noise_spin, noise),
                            (self.val_spin, round(100 * (cfg.val_fraction or 300 / 1300)))):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        if not self.ctx.controller.is_running:
            self._load_points()

    def _resample(self) -> None:
        doc = self.ctx.doc
        doc.undo_stack.push(commands.SetSettings(
            doc, "data", {"sample": doc.project.data.sample + 1}))

    # -- drawing --

    def _draw(self) -> None:
        boundary = self.boundary
        if boundary is None:
            return
        x0, x1, y0, y1 = boundary.bounds
        discrete = self.discrete_check.isChecked()
        if boundary.num_classes == 2:
            score = (boundary.score > 0.5).astype(np.float32) if discrete else boundary.score
            self.heatmap.setImage(score, levels=(0.0, 1.0), autoLevels=False)
        else:
            self.heatmap.setImage(_class_image(boundary, discrete), autoLevels=False)
        self.heatmap.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self._set_tiles(boundary.neurons)
        images = (image for layer in boundary.neurons.values() for image in layer)
        for tile, image in zip(self.tiles, images, strict=True):
            limit = max(float(np.abs(image).max()), 1e-6)
            tile.setImage(image, levels=(-limit, limit), autoLevels=False)

    def _set_tiles(self, neurons: dict[str, np.ndarray]) -> None:
        """One column of neuron tiles per hidden layer; rebuilt only when the layers change."""
        layout = tuple((name, *images.shape) for name, images in neurons.items())
        if layout == self._tile_layout:
            return
        self._tile_layout = layout
        self.neuron_widget.clear()
        self.tiles = []
        self.tile_titles, self.tile_names = [], []
        self._plots_row.setStretch(0, max(2, len(layout)))  # a third column needs room too
        widths = self.boundary.widths if self.boundary is not None else {}
        for col, (name, count, height, width) in enumerate(layout):
            title, names = self._layer_names(name, count, widths.get(name, count))
            self.tile_titles.append(title)
            self.neuron_widget.addLabel(title.replace(": ", "<br>"), row=0,
                                        col=col * TILE_COLUMNS,
                                        colspan=TILE_COLUMNS, size="9pt")
            for i in range(count):
                row, sub = divmod(i, TILE_COLUMNS)
                box = self.neuron_widget.addViewBox(row=row + 1, col=col * TILE_COLUMNS + sub,
                                                    lockAspect=True, enableMouse=False)
                box.setMenuEnabled(False)
                tile = pg.ImageItem()
                tile.setLookupTable(DIVERGING_LUT)
                box.addItem(tile)
                label = pg.TextItem(names[i], color="#1f2328", fill=pg.mkBrush(255, 255, 255, 190),
                                    anchor=(0, 0))
                label.setPos(0, height)  # the tile's top-left corner (row 0 is at the bottom)
                box.addItem(label, ignoreBounds=True)
                box.setRange(QRectF(0, 0, width, height), padding=0.02)
                self.tiles.append(tile)
                self.tile_names.append(names[i])

    def _layer_names(self, name: str, count: int, width: int) -> tuple[str, list[str]]:
        """A column's title — its own layer's node id and type, how many neurons it shows —
        and each tile's name: the neuron's index, or the engineered feature it is."""
        node = self.ctx.doc.graph.nodes.get(name) if self.ctx is not None else None
        if node is not None and node.type == "Input":
            return (self.tr("{name}: input features").format(name=name),
                    list(PlaneFeatures.NAMES[:count]))
        kind = f" · {node.type}" if node is not None else ""
        shown = (self.tr("{count} of {width}").format(count=count, width=width)
                 if width > count else f"{count}")
        return (self.tr("{layer}: {shown} neurons").format(layer=f"{name}{kind}", shown=shown),
                [f"#{i}" for i in range(count)])
