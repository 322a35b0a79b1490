"""Lab view "Where does the network look?": gradient saliency, SmoothGrad and Grad-CAM for a
chosen validation image and class, and a drawing pad whose picture the trained network
classifies while the learner draws (prediction, class probabilities, low/mid/high feature maps).

All numbers come from `app.core.saliency` (the maps, the dataset's drawing colours) and
`app.core.probes.snapshot_of` (the pad's feature maps), run off the GUI thread on the last
run's weights; this file only draws their numpy results.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEventLoop,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from torch import nn

from app.background import BackgroundJob
from app.core.experiment import load_data
from app.core.probes import choose_probe_layers, snapshot_of
from app.core.saliency import (
    Explanation,
    default_cam_layer,
    drawing_colours,
    explain,
    probabilities,
    render_drawing,
)
from app.document import Document
from widgets.lab.base import LabView
from widgets.lab.drawing_pad import DrawingPad
from widgets.plots.common import (
    GREY_LUT,
    RUN_COLORS,
    as_display_image,
    caption,
    fit,
    image_view,
)
from widgets.plots.feature_maps import MapsMosaic
from widgets.plots.run_view import ViewContext

MAX_IMAGES = 200  # validation images to choose from
PAD_INTERVAL_MS = 100  # the pad's prediction follows the pen at up to ~10 Hz
OVERLAY_LUT = pg.colormap.get("inferno").getLookupTable(nPts=256)
# Names shown translated (context "SaliencyView"); SmoothGrad and Grad-CAM are method names.
MAPS = (QT_TRANSLATE_NOOP("SaliencyView", "gradient"), "SmoothGrad", "Grad-CAM")
SLOTS = (QT_TRANSLATE_NOOP("SaliencyView", "low"), QT_TRANSLATE_NOOP("SaliencyView", "mid"),
         QT_TRANSLATE_NOOP("SaliencyView", "high"))
PREDICTED = QT_TRANSLATE_NOOP("SaliencyView", "predicted class")


def _shown(name: str) -> str:
    return QCoreApplication.translate("SaliencyView", name)


@dataclass(frozen=True)
class Setup:
    """What the view needs from the last run: its model, images to choose and the pad's style."""

    model: nn.Module  # used by the saliency jobs (one at a time, under the view's lock)
    pad_model: nn.Module  # a copy, used only by the pad's jobs
    images: torch.Tensor  # (N, C, H, W) validation images
    labels: np.ndarray  # (N,) their classes
    predicted: np.ndarray  # (N,) the network's classes for them
    classes: tuple[str, ...]
    value_range: tuple[float, float]  # of the training images, for display
    background: np.ndarray  # (C,) the pad's background and ink values, measured on the data
    ink: np.ndarray
    cam_layers: tuple[str, ...]  # layers with feature maps, in network order
    cam_default: str | None
    probe_layers: tuple[str, ...]
    run: int  # the run whose weights these are (the document may have moved on meanwhile)


@dataclass(frozen=True)
class PadResult:
    probs: np.ndarray
    maps: dict[str, np.ndarray]  # layer -> (C, H, W) scaled to |max| = 1 (probes.Snapshot)
    shapes: dict[str, tuple[int, ...]]
    seconds: float


def _unit(image: np.ndarray, value_range: tuple[float, float]) -> np.ndarray:
    lo, hi = value_range
    return (image - lo) / max(hi - lo, 1e-12)


def _colour(values: np.ndarray, value_range: tuple[float, float]) -> QColor:
    """A dataset value (one per channel) as the colour it is shown in."""
    unit = np.clip(_unit(values, value_range), 0, 1)
    rgb = np.repeat(unit, 3) if len(unit) == 1 else unit[:3]
    return QColor(*(int(round(v * 255)) for v in rgb))


def overlay_rgba(saliency: np.ndarray, opacity: float) -> np.ndarray:
    """(H, W) map -> (H, W, 4) uint8: colour by strength, and see-through where it is weak."""
    top = float(saliency.max())
    unit = saliency / top if top > 0 else np.zeros_like(saliency)
    rgba = np.empty((*saliency.shape, 4), dtype=np.uint8)
    rgba[..., :3] = OVERLAY_LUT[(unit * 255).astype(np.int64)][..., :3]
    rgba[..., 3] = (np.clip(unit * opacity, 0, 1) * 255).astype(np.uint8)
    return rgba


def _short(name: str, width: int = 14) -> str:
    return name if len(name) <= width else name[:width - 1] + "…"


class ProbabilityBars(pg.PlotWidget):
    """Horizontal bars of the class probabilities, the predicted class highlighted."""

    def __init__(self) -> None:
        super().__init__()
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.getPlotItem().invertY(True)
        self.setXRange(0, 1, padding=0)
        self.getAxis("bottom").setTicks([[(0, "0"), (0.5, "50 %"), (1, "100 %")]])
        self.setMinimumHeight(90)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[])
        self.addItem(self.bars)
        self.classes: tuple[str, ...] = ()
        self.probs = np.zeros(0)

    def set_classes(self, classes: tuple[str, ...]) -> None:
        self.classes = classes
        self.getAxis("left").setTicks([[(i, _short(c)) for i, c in enumerate(classes)]])
        self.setYRange(-0.5, len(classes) - 0.5, padding=0.02)
        self.setMinimumHeight(min(14 * len(classes) + 30, 200))  # one readable line a class
        self.show_probs(np.zeros(len(classes)), None)

    def show_probs(self, probs: np.ndarray, target: int | None) -> None:
        self.probs = np.asarray(probs, dtype=np.float64)
        best = int(self.probs.argmax()) if self.probs.size and self.probs.max() > 0 else -1
        brushes = [pg.mkBrush(RUN_COLORS[1] if i == target and i != best else
                              RUN_COLORS[0] if i == best else "#b8c0c8")
                   for i in range(len(self.probs))]
        self.bars.setOpts(x0=np.zeros(len(self.probs)), y=np.arange(len(self.probs)),
                          width=self.probs, height=0.7, brushes=brushes)
        self.setToolTip("\n".join(f"{c}: {p:.1%}" for c, p in zip(self.classes, self.probs,
                                                                  strict=False)))


class _Picture(QWidget):
    """A title over an image view with a base image and an optional overlay."""

    def __init__(self, title: str, tooltip: str, min_height: int = 110) -> None:
        super().__init__()
        self.title = caption(title, bold=True)
        self.view, self.box = image_view(min_height)
        self.base = pg.ImageItem()
        self.overlay = pg.ImageItem()
        self.box.addItem(self.base)
        self.box.addItem(self.overlay)
        self.setToolTip(tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        self._geometry: tuple[int, ...] = ()

    def show_image(self, picture: np.ndarray, overlay: np.ndarray | None) -> None:
        self.base.setImage(picture, levels=(0, 1), autoLevels=False,
                           lut=None if picture.ndim == 3 else GREY_LUT)
        if overlay is None:
            self.overlay.clear()
        else:
            self.overlay.setImage(overlay, autoLevels=False, levels=(0, 255))
        if picture.shape[:2] != self._geometry:
            self._geometry = picture.shape[:2]
            fit(self.box, picture.shape[1], picture.shape[0])


class _MapsColumn(QWidget):
    """One layer's channels of the pad's picture as a mosaic (fixed levels, like the dashboard)."""

    def __init__(self, slot: str) -> None:
        super().__init__()
        self.slot = _shown(slot)
        self.title = caption(self.slot, bold=True)
        self.view, self.box = image_view(70)
        self.image = pg.ImageItem()
        self.box.addItem(self.image)
        self.mosaic = MapsMosaic(self.image, self.box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)

    def show_maps(self, layer: str, maps: np.ndarray, shape: tuple[int, ...]) -> None:
        self.mosaic.show(maps)
        self.title.setText(f"<b>{self.slot}</b> {layer} · {'×'.join(map(str, shape))}")


class SaliencyView(LabView):
    """Saliency maps of a validation image and a drawing pad (see the module docstring)."""

    TITLE = QT_TRANSLATE_NOOP("LabView", "Where does the network look?")
    EXPLAIN_EN = (
        "Gradient saliency colours each pixel by how strongly a small change there would move "
        "the score of the chosen class; SmoothGrad averages this over noisy copies of the image, "
        "Grad-CAM weights the last conv layer's feature maps by their gradient and shows the "
        "coarse region the decision rests on. Draw on the pad (left button draws, right button "
        "erases) and watch the prediction and the feature maps follow your pen.")
    EXPLAIN_DE = (
        "Die Gradienten-Saliency färbt jedes Pixel danach, wie stark eine kleine Änderung dort "
        "den Wert der gewählten Klasse verschieben würde; SmoothGrad mittelt das über "
        "verrauschte Kopien des Bildes, Grad-CAM gewichtet die Merkmalskarten der letzten "
        "Faltungsschicht mit ihrem Gradienten und zeigt grob, auf welche Gegend sich die "
        "Entscheidung stützt. Zeichnen Sie auf der Fläche (linke Taste malt, rechte radiert), "
        "und sehen Sie zu, wie Vorhersage und Merkmalskarten Ihrem Stift folgen.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc: Document | None = None
        self.setup: Setup | None = None
        self.result: Explanation | None = None
        self.pad_result: PadResult | None = None
        self._stale = True  # weights arrived (or none yet) that the view has not loaded
        self._lock = threading.Lock()  # the saliency model, between overlapping jobs
        self._pad_dirty = False
        self._pad_started = 0.0
        self.pad_job = BackgroundJob(self)
        self.pad_job.done.connect(self._show_pad)
        self.pad_job.failed.connect(self.show_problem)
        self.pad_timer = QTimer(self)
        self.pad_timer.setSingleShot(True)
        self.pad_timer.timeout.connect(self._predict_pad)

        # controls
        self.image_spin = QSpinBox()
        self.image_spin.setPrefix(self.tr("validation image "))
        self.image_spin.setRange(1, 1)
        self.image_spin.setToolTip(self.tr("Which validation image to explain"))
        self.class_combo = QComboBox()
        self.class_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.class_combo.setToolTip(self.tr("The class whose score the maps explain (by "
                                            "default the class the network predicts)"))
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip(self.tr("The layer whose feature maps Grad-CAM weights (by "
                                            "default the last conv layer with its "
                                            "activation)"))
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(80)
        self.opacity.setFixedWidth(90)
        self.opacity.setToolTip(self.tr("How strongly the maps cover the image"))
        self.reload_button = QPushButton(self.tr("Reload weights"))
        self.reload_button.setToolTip(self.tr("Use the weights of the last run (done by itself "
                                              "when a run ends)"))
        self.reload_button.clicked.connect(self.refresh)
        self.status = caption("", muted=True)
        controls = QHBoxLayout()
        for widget in (self.image_spin, self.class_combo, caption(self.tr("Grad-CAM layer:")),
                       self.layer_combo, caption(self.tr("overlay:")), self.opacity,
                       self.reload_button):
            controls.addWidget(widget)
        controls.addWidget(self.status, 1)

        # the chosen image, its three maps and its probabilities
        self.pictures = [_Picture(self.tr("image"),
                                  self.tr("The validation image as the network sees it"))]
        tips = {"gradient": self.tr("|d score / d pixel|: where a small change moves the class "
                                    "score most"),
                "SmoothGrad": self.tr("The gradient saliency averaged over noisy copies of the "
                                      "image"),
                "Grad-CAM": self.tr("Feature maps of the chosen layer weighted by their mean "
                                    "gradient, rectified and scaled up to the image")}
        self.pictures += [_Picture(_shown(name), tips[name]) for name in MAPS]
        self.image_bars = ProbabilityBars()
        self.image_bars.setToolTip(self.tr("Class probabilities of the chosen image"))
        left = QGridLayout()
        left.setSpacing(4)
        for i, picture in enumerate(self.pictures):
            left.addWidget(picture, 0, i)
        self.image_note = caption("", muted=True)
        left.addWidget(self.image_note, 1, 0, 1, 4)
        left.addWidget(self.image_bars, 2, 0, 1, 4)
        left.setRowStretch(0, 1)
        left.setRowStretch(2, 1)

        # the drawing pad and what the network makes of it
        self.pad = DrawingPad()
        self.pad.changed.connect(self._pad_changed)
        self.pad.strokeFinished.connect(self._pad_changed)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Wipe the pad"))
        self.clear_button.clicked.connect(self.pad.clear)
        self.brush_spin = QDoubleSpinBox()
        self.brush_spin.setRange(0.5, 8.0)
        self.brush_spin.setSingleStep(0.5)
        self.brush_spin.setDecimals(1)
        self.brush_spin.setValue(self.pad.brush)
        self.brush_spin.setPrefix(self.tr("brush "))
        self.brush_spin.setSuffix(" px")
        self.brush_spin.setToolTip(self.tr("Pen width in input pixels"))
        self.brush_spin.valueChanged.connect(self.pad.set_brush)
        self.pad_prediction = caption("", bold=True)
        self.pad_bars = ProbabilityBars()
        self.pad_bars.setToolTip(self.tr("Class probabilities of your drawing"))
        pad_tools = QHBoxLayout()
        pad_tools.addWidget(self.clear_button)
        pad_tools.addWidget(self.brush_spin)
        pad_side = QVBoxLayout()
        pad_side.setSpacing(2)
        pad_side.addWidget(caption(self.tr("<b>Draw your own</b>")))
        pad_side.addWidget(self.pad)
        pad_side.addLayout(pad_tools)
        pad_side.addStretch(1)
        verdict = QVBoxLayout()
        verdict.setSpacing(2)
        verdict.addWidget(self.pad_prediction)
        verdict.addWidget(self.pad_bars, 1)
        pad_row = QHBoxLayout()
        pad_row.addLayout(pad_side)
        pad_row.addLayout(verdict, 1)
        self.columns = [_MapsColumn(slot) for slot in SLOTS]
        maps_row = QHBoxLayout()
        for column in self.columns:
            maps_row.addWidget(column, 1)
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addLayout(pad_row, 3)
        right.addLayout(maps_row, 2)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        main = QHBoxLayout()
        main.addLayout(left, 5)
        main.addWidget(line)
        main.addLayout(right, 4)
        self.body.addLayout(controls)
        self.body.addLayout(main, 1)

        self.image_spin.valueChanged.connect(self._image_changed)
        self.class_combo.currentIndexChanged.connect(lambda _i: self.compute())
        self.layer_combo.currentIndexChanged.connect(lambda _i: self.compute())
        self.opacity.valueChanged.connect(lambda _v: self._draw_result())

    # -- run view --

    def attach(self, ctx: ViewContext) -> None:
        self._doc = ctx.doc
        ctx.doc.trainedChanged.connect(self._weights_changed)

    def run_started(self, run_id: int, data: dict[str, Any]) -> None:
        if self.setup is not None:
            self.status.setText(self.tr("Run {run} is training: the maps show the previous "
                                        "weights until it ends.").format(run=run_id))

    def clear(self) -> None:
        self.status.setText("")

    def _weights_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            QTimer.singleShot(0, self.refresh)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self._refresh_if_stale)

    def _refresh_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self.refresh()

    # -- loading the last run --

    def refresh(self) -> None:
        """Load the last run's weights and validation images, or say why that cannot be."""
        doc = self._doc
        if doc is None:
            return
        self._stale = False
        if doc.trained is None:
            self.show_problem(self.tr("There are no trained weights yet: train the network "
                                      "first (Training tab); this view then fills in by "
                                      "itself."))
            return
        if not doc.trained_matches():
            self.show_problem(self.tr("The network changed since the last run: train it again "
                                      "to see where it looks."))
            return
        model = self.trained_model(doc)
        if model is None:
            return
        model.eval()
        graph, report, data_cfg = doc.graph.copy(), doc.report, doc.project.data
        run = doc.trained.info.run
        not_images = self.tr("'{dataset}' is not an image classification dataset: saliency and "
                             "the drawing pad need images and classes (choose shapes, mnist or "
                             "cifar10)")
        no_val = self.tr("the dataset has no validation images to explain: give it a "
                         "validation share")
        probe_layers = tuple(choose_probe_layers(graph, report))
        cam_layers = tuple(nid for nid in graph.topo_order()
                           if nid in report.nodes and report.nodes[nid].out_shape is not None
                           and len(report.nodes[nid].out_shape) == 3
                           and graph.nodes[nid].type not in ("Input", "Output"))

        def work(progress) -> Setup:
            data = load_data(data_cfg, progress=progress)
            if data.x_val.dim() != 4 or data.task != "classification":
                raise ValueError(not_images.format(dataset=data.name))
            if len(data.x_val) == 0:
                raise ValueError(no_val)
            images = data.x_val[:MAX_IMAGES].float().cpu()
            labels = data.y_val[:MAX_IMAGES].cpu().numpy()
            with self._lock:
                predicted = probabilities(model, images).argmax(1)
                try:
                    cam_default = default_cam_layer(model, images[:1])
                except ValueError:  # no feature maps (an MLP): gradient maps only
                    cam_default = None
            train = data.x_train.float().cpu()
            background, ink = drawing_colours(train)
            classes = tuple(data.classes) or tuple(str(i) for i in range(data.num_classes))
            names = dict(model.named_modules())
            return Setup(model, copy.deepcopy(model), images, labels, predicted, classes,
                         (float(train.min()), float(train.max())), background, ink,
                         tuple(layer for layer in cam_layers if layer in names),
                         cam_default, probe_layers, run)

        self.start_job(self.tr("Loading weights and images…"), work, self._set_up)

    def refresh_and_wait(self, timeout_s: float = 120.0) -> None:
        """Load the weights and explain the first image (two jobs in a row), keeping the GUI
        running until both have ended (screenshots)."""
        self.refresh()
        self._wait(self.job, lambda: self.job.running, "loading the saliency view", timeout_s)

    def _wait(self, job: BackgroundJob, busy: Callable[[], bool], what: str,
              timeout_s: float) -> None:
        """Run the GUI's event loop while `busy()`; TimeoutError naming `what` after
        `timeout_s`."""
        loop = QEventLoop()
        timer = QTimer(loop)  # owned by the loop: it never fires after the loop is gone
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(int(timeout_s * 1000))
        ended = (job.done, job.failed, job.cancelled, self.pad_timer.timeout)
        for signal in ended:
            signal.connect(loop.quit)
        while timer.isActive() and busy():
            loop.exec()
        for signal in ended:
            signal.disconnect(loop.quit)
        if busy():
            job.cancel()
            raise TimeoutError(f"{what} took longer than {timeout_s:.0f} s")

    def _set_up(self, setup: Setup) -> None:
        self.setup = setup
        blockers = [QSignalBlocker(w) for w in (self.image_spin, self.class_combo,
                                                 self.layer_combo)]
        self.image_spin.setRange(1, len(setup.images))
        self.class_combo.clear()
        self.class_combo.addItem(_shown(PREDICTED))
        self.class_combo.addItems(list(setup.classes))
        self.layer_combo.clear()
        self.layer_combo.addItems(list(setup.cam_layers))
        if setup.cam_default is not None:
            self.layer_combo.setCurrentText(setup.cam_default)
        self.layer_combo.setEnabled(setup.cam_default is not None)
        del blockers
        self.image_bars.set_classes(setup.classes)
        self.pad_bars.set_classes(setup.classes)
        h, w = setup.images.shape[-2:]
        if self.pad.input_size != (h, w):
            self.pad.set_input_size(h, w)
            self.brush_spin.setValue(round(0.09 * min(h, w) * 2) / 2)  # ~2.5 px at 28x28
        self.pad.set_colours(_colour(setup.background, setup.value_range),
                             _colour(setup.ink, setup.value_range))
        self.status.setText(self.tr("Weights of run {run}; {n} validation images").format(
            run=setup.run, n=len(setup.images)))
        self._pad_dirty = True
        self._schedule_pad()
        self.compute()

    # -- the chosen image --

    @property
    def target(self) -> int | None:
        index = self.class_combo.currentIndex()
        return None if index <= 0 else index - 1

    def _image_changed(self, _value: int) -> None:
        self.compute()

    def compute(self) -> None:
        """Explain the chosen image for the chosen class off the GUI thread."""
        setup = self.setup
        if setup is None:
            return
        image = setup.images[self.image_spin.value() - 1]
        target = self.target
        layer = (self.layer_combo.currentText() or None) if setup.cam_default else None
        lock = self._lock

        def work(progress) -> Explanation:
            with lock:
                return explain(setup.model, image, target, layer, progress=progress)

        self.start_job(self.tr("Computing saliency…"), work, self._show_result)

    def _show_result(self, result: Explanation) -> None:
        self.result = result
        self._draw_result()

    def _draw_result(self) -> None:
        setup, result = self.setup, self.result
        if setup is None or result is None:
            return
        index = self.image_spin.value() - 1
        picture = as_display_image(np.clip(_unit(setup.images[index].numpy(),
                                                 setup.value_range), 0, 1))
        opacity = self.opacity.value() / 100
        self.pictures[0].show_image(picture, None)
        maps = (result.gradient, result.smooth, result.cam)
        for picture_view, name, values in zip(self.pictures[1:], MAPS, maps, strict=True):
            if values is None:
                picture_view.show_image(picture, None)
                picture_view.title.setText(self.tr("<b>{map}</b>: needs a conv layer").format(
                    map=_shown(name)))
                continue
            picture_view.show_image(picture, overlay_rgba(values, opacity))
            picture_view.title.setText(f"<b>{_shown(name)}</b>" + (f" · {result.layer}"
                                                                  if name == "Grad-CAM"
                                                                  else ""))
        classes = setup.classes
        true, predicted = int(setup.labels[index]), int(result.probs.argmax())
        verdict = self.tr("right") if true == predicted else self.tr("wrong")
        self.image_note.setText(self.tr(
            "true: {true} · predicted: {predicted} ({share}, {verdict}) · maps for class "
            "<b>{target}</b> (see-through = weak, yellow = strong)").format(
            true=classes[true], predicted=classes[predicted],
            share=f"{result.probs[predicted]:.0%}", verdict=verdict,
            target=classes[result.target]))
        self.image_bars.show_probs(result.probs, result.target)

    # -- the drawing pad --

    def _pad_changed(self) -> None:
        self._pad_dirty = True
        self._schedule_pad()

    def _schedule_pad(self) -> None:
        """At most one prediction in flight and one start per PAD_INTERVAL_MS."""
        if self.setup is None or self.pad_job.running or self.pad_timer.isActive():
            return
        waited_ms = (perf_counter() - self._pad_started) * 1000
        self.pad_timer.start(int(max(0.0, PAD_INTERVAL_MS - waited_ms)))

    def _predict_pad(self) -> None:
        setup = self.setup
        if setup is None or not self._pad_dirty or self.pad_job.running:
            return
        self._pad_dirty = False
        self._pad_started = perf_counter()
        x = render_drawing(self.pad.coverage(), setup.background, setup.ink)

        def work(_progress) -> PadResult:
            start = perf_counter()
            snapshot = snapshot_of(setup.pad_model, setup.probe_layers, x,
                                   extras={"probs": lambda m: probabilities(m, x)[0]})
            return PadResult(snapshot.extras["probs"], snapshot.feature_maps,
                             snapshot.out_shapes, perf_counter() - start)

        self.pad_job.start(work)

    def wait_for_pad(self, timeout_s: float = 30.0) -> None:
        """Keep the GUI running until the pad's latest drawing is classified (screenshots)."""
        self._wait(self.pad_job, lambda: self._pad_dirty or self.pad_job.running,
                   "classifying the drawing", timeout_s)

    def _show_pad(self, result: PadResult) -> None:
        self.pad_result = result
        setup = self.setup
        if setup is not None:
            best = int(result.probs.argmax())
            text = (self.tr("prediction: {name} ({share}) (empty pad)") if self.pad.is_empty()
                    else self.tr("prediction: {name} ({share})"))
            self.pad_prediction.setText(text.format(name=setup.classes[best],
                                                    share=f"{result.probs[best]:.0%}"))
            self.pad_prediction.setToolTip(self.tr("{ms} ms for the prediction and the feature "
                                                   "maps").format(
                ms=f"{result.seconds * 1000:.0f}"))
            self.pad_bars.show_probs(result.probs, None)
            for column, layer in zip(self.columns, setup.probe_layers, strict=False):
                if layer in result.maps:
                    column.show_maps(layer, result.maps[layer], result.shapes[layer])
            for column in self.columns[len(setup.probe_layers):]:
                column.hide()
        if self._pad_dirty:
            self._schedule_pad()
