"""Lab view "Adversarial examples": FGSM / PGD on a chosen validation image with an epsilon
slider (original, amplified perturbation, adversarial image, top-3 predictions of each), the
feature-map change of the low/mid/high layer and the validation accuracy against epsilon, and
adversarial training that overlays the robust copy's accuracy curve.

All computation is `app.core.adversarial` on the last run's weights. The curves and the
adversarial training run through `start_job`; the single-image attack behind the slider runs
in a second, quick job (milliseconds), throttled so that dragging stays smooth. Every job
builds its own model from the weights, so the jobs never share forward hooks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundJob
from app.core import adversarial as adv
from app.core.datasets import DataBundle
from app.core.experiment import load_data
from app.core.graph import Graph
from app.core.probes import choose_probe_layers
from app.core.weights import Trained, model_with_weights
from app.document import Document
from widgets.canvas import style
from widgets.lab.base import LabView
from widgets.plots.common import DIVERGING_LUT, RUN_COLORS, caption, to_pixmap
from widgets.plots.run_view import ViewContext

PICTURE_PX = 96
COLUMN_PX, NAME_PX = 136, 80  # a picture's column; the class names beside the top-3 bars
MAX_VAL = 500  # validation images behind the curves: a few seconds even with PGD
EPS_TICKS = 1000  # slider ticks per whole value range; the slider reaches 0.3 of the range
EPS_MAX_FRACTION = 0.3
DEFAULT_FRACTION = 0.05
THROTTLE_MS = 40  # at most ~25 single-image attacks a second while the slider moves
ROBUST_EPOCHS = 3
LOW, MID, HIGH, LAYER = (QT_TRANSLATE_NOOP("AdversarialView", "low"),
                         QT_TRANSLATE_NOOP("AdversarialView", "mid"),
                         QT_TRANSLATE_NOOP("AdversarialView", "high"),
                         QT_TRANSLATE_NOOP("AdversarialView", "layer"))
ROLES = {3: (LOW, MID, HIGH), 2: (LOW, HIGH), 1: (LAYER,)}  # translated where shown
LAYER_COLORS = ("#1a7f37", "#8a5cc7", "#c2417a")
PLAIN, ROBUST = RUN_COLORS[0], RUN_COLORS[1]
RIGHT, WRONG = "#1a7f37", "#d1242f"


def _picture_label(tip: str) -> QLabel:
    label = QLabel()
    label.setFixedSize(PICTURE_PX + 2, PICTURE_PX + 2)
    label.setStyleSheet(f"border: 1px solid {style.MUTED.name()}")
    label.setToolTip(tip)
    return label


def diverging_picture(delta: np.ndarray, epsilon: float) -> np.ndarray:
    """(C, H, W) perturbation -> (3, H, W) RGB in [0, 1]: blue where pixels got darker, red
    where brighter, full colour at +-epsilon (the channels' mean for colour images)."""
    mean = delta.mean(0) if delta.ndim == 3 else delta
    scaled = np.clip(mean / epsilon, -1, 1) if epsilon > 0 else np.zeros_like(mean)
    index = np.round((scaled + 1) / 2 * (len(DIVERGING_LUT) - 1)).astype(int)
    return np.moveaxis(DIVERGING_LUT[index][..., :3].astype(np.float32) / 255, -1, 0)


class TopBars(QWidget):
    """The three most likely classes with their softmax confidence as bars (true class green)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(1)
        self.names: list[QLabel] = []
        self.bars: list[QProgressBar] = []
        for row in range(adv.TOP_K):
            name = caption("")
            name.setWordWrap(False)
            name.setFixedWidth(NAME_PX)
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setFixedHeight(14)
            bar.setTextVisible(True)
            bar.setFont(style.ui_font(8))
            grid.addWidget(name, row, 0)
            grid.addWidget(bar, row, 1)
            self.names.append(name)
            self.bars.append(bar)

    def show_top(self, classes: np.ndarray, probs: np.ndarray, names: tuple[str, ...],
                 label: int) -> None:
        for name, bar in zip(self.names[len(classes):], self.bars[len(classes):],
                             strict=True):
            name.setText("")
            bar.setValue(0)
            bar.setFormat("")
        for name, bar, cls, prob in zip(self.names, self.bars, classes, probs, strict=False):
            text = names[cls] if cls < len(names) else str(cls)
            name.setText(name.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                       NAME_PX - 6))  # the label's margins
            tip = (self.tr("class {index}: {name} (the true class)") if cls == label
                   else self.tr("class {index}: {name}"))
            name.setToolTip(tip.format(index=cls, name=text))
            bar.setValue(round(float(prob) * 1000))
            bar.setFormat(f"{prob:.1%}")
            color = RIGHT if cls == label else WRONG
            bar.setStyleSheet(f"QProgressBar::chunk {{ background: {color}; }}"
                              "QProgressBar { text-align: right; }")

    def texts(self) -> list[tuple[str, str]]:
        return [(name.text(), bar.format()) for name, bar in zip(self.names, self.bars,
                                                                  strict=True)]


class AdversarialView(LabView):
    TITLE = QT_TRANSLATE_NOOP("LabView", "Adversarial examples")
    EXPLAIN_EN = (
        "Changing every pixel by at most ε — far too little to notice — in the direction that "
        "raises the loss can flip the network's decision: FGSM takes one such step, PGD several "
        "smaller ones. The plots show how far the feature maps of the low, mid and high layer "
        "drift and how the validation accuracy collapses as ε grows. <b>Adversarial "
        "training</b> fine-tunes a copy on attacked images: it becomes far more robust at that "
        "ε (on harder data usually at some cost in clean accuracy).")
    EXPLAIN_DE = (
        "Ändert man jedes Pixel um höchstens ε – viel zu wenig, um es zu sehen – in die "
        "Richtung, in der der Verlust steigt, kann die Entscheidung des Netzes kippen: FGSM "
        "macht einen solchen Schritt, PGD mehrere kleine. Die Diagramme zeigen, wie stark sich "
        "die Merkmalskarten der frühen, mittleren und späten Schicht verändern und wie die "
        "Genauigkeit auf den Validierungsbildern mit wachsendem ε einbricht. <b>Adversariales "
        "Training</b> trainiert eine Kopie mit angegriffenen Bildern nach: Sie wird gegen "
        "Angriffe dieser Stärke deutlich robuster (bei schwierigeren Daten meist auf Kosten "
        "von etwas Genauigkeit auf unveränderten Bildern).")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc: Document | None = None
        self._graph: Graph | None = None
        self._trained: Trained | None = None
        self.model: torch.nn.Module | None = None  # for the quick single-image attacks only
        self.layers: list[str] = []
        self.data: DataBundle | None = None
        self.x_val: torch.Tensor | None = None
        self.y_val: torch.Tensor | None = None
        self.bounds: tuple[float, float] = (0.0, 1.0)
        self.single: adv.SingleAttack | None = None
        self.curve: adv.RobustnessCurve | None = None
        self.robust_curve: adv.RobustnessCurve | None = None
        self._curve_method = ""
        self._points: list[tuple[float, float]] = []  # the plain curve as it streams in
        self._pending = False

        self.attack_button = QPushButton(self.tr("Attack"))
        self.attack_button.setToolTip(self.tr("Load the validation images and the weights of "
                                              "the last run, attack the chosen image and "
                                              "measure the curves"))
        self.attack_button.clicked.connect(self.compute)
        self.image_spin = QSpinBox()
        self.image_spin.setPrefix(self.tr("image "))
        self.image_spin.setRange(0, 0)
        self.image_spin.setToolTip(self.tr("Which validation image to attack"))
        self.method_combo = QComboBox()
        self.method_combo.addItem("FGSM", "fgsm")
        self.method_combo.addItem("PGD", "pgd")
        self.method_combo.setToolTip(self.tr("FGSM: one step of ε along the gradient's sign. "
                                             "PGD: several smaller steps, each projected back "
                                             "to ±ε"))
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, 100)
        self.steps_spin.setValue(adv.PGD_STEPS)
        self.steps_spin.setPrefix(self.tr("PGD steps: "))
        self.steps_spin.setToolTip(self.tr("Steps of the PGD attack (step size 2.5·ε / steps)"))
        self.steps_spin.setEnabled(False)
        self.eps_slider = QSlider(Qt.Orientation.Horizontal)
        self.eps_slider.setRange(0, round(EPS_MAX_FRACTION * EPS_TICKS))
        self.eps_slider.setValue(round(DEFAULT_FRACTION * EPS_TICKS))
        self.eps_slider.setToolTip(self.tr("ε: how far each pixel may move, as a share of the "
                                           "data's value range"))
        self.eps_label = QLabel()
        widest = self.tr("ε = {epsilon} ({share} of range)").format(epsilon="0.000",
                                                                     share="30.0%")
        self.eps_label.setMinimumWidth(self.eps_label.fontMetrics().horizontalAdvance(widest) + 8)
        self.robust_button = QPushButton(self.tr("Adversarial training"))
        self.robust_button.setToolTip(self.tr("Fine-tune a copy of the trained network on "
                                              "attacked images (at the slider's ε and attack) "
                                              "and overlay its accuracy curve"))
        self.robust_button.clicked.connect(self.train_robust)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 50)
        self.epochs_spin.setValue(ROBUST_EPOCHS)
        self.epochs_spin.setPrefix(self.tr("epochs: "))
        self.epochs_spin.setToolTip(self.tr("Epochs of adversarial fine-tuning"))
        controls = QHBoxLayout()
        controls.setSpacing(6)
        for widget in (self.attack_button, self.image_spin, self.method_combo, self.steps_spin):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.robust_button)
        controls.addWidget(self.epochs_spin)
        self.body.addLayout(controls)
        # ε gets a row of its own above the pictures it changes: in one row with the other
        # controls the slider had no room left in the dock at 1280x800.
        epsilon_row = QHBoxLayout()
        epsilon_row.setSpacing(6)
        epsilon_row.addWidget(QLabel("ε"))
        epsilon_row.addWidget(self.eps_slider, 1)
        epsilon_row.addWidget(self.eps_label)

        self.pictures = {name: _picture_label(tip) for name, tip in (
            ("original", self.tr("The validation image as it is")),
            ("perturbation", self.tr("What the attack added: red brighter, blue darker; full "
                                     "colour at ±ε, so the change is amplified")),
            ("adversarial", self.tr("Original + perturbation, kept within the data's value "
                                    "range")))}
        self.captions = {name: caption(text, bold=True) for name, text in (
            ("original", self.tr("original")), ("perturbation", self.tr("perturbation")),
            ("adversarial", self.tr("adversarial")))}
        self.top_original = TopBars()
        self.top_adversarial = TopBars()
        self.verdict = caption("", muted=True)
        self.verdict.setWordWrap(True)
        self.verdict.setFixedWidth(COLUMN_PX)
        images = QGridLayout()
        images.setHorizontalSpacing(8)
        images.setVerticalSpacing(2)
        for col, name in enumerate(self.pictures):
            images.addWidget(self.captions[name], 0, col)
            images.addWidget(self.pictures[name], 1, col)
        images.addWidget(self.top_original, 2, 0, 1, 1)
        images.addWidget(self.verdict, 2, 1, 1, 1)
        images.addWidget(self.top_adversarial, 2, 2, 1, 1)
        images_host = QWidget()
        images_layout = QVBoxLayout(images_host)
        images_layout.setContentsMargins(0, 0, 0, 0)
        images_layout.addLayout(epsilon_row)
        images_layout.addLayout(images)
        images_layout.addStretch(1)
        images_host.setFixedWidth(3 * (COLUMN_PX + 8))
        for bars in (self.top_original, self.top_adversarial):
            bars.setFixedWidth(COLUMN_PX)

        self.change_plot = self._plot("ε", self.tr("relative feature-map change"))
        self.change_plot.setToolTip(self.tr("How far each probe layer's output moves: "
                                            "‖f(attacked) − f(original)‖ / ‖f(original)‖, "
                                            "averaged over the validation images; dots: the "
                                            "chosen image at the slider's ε"))
        self.change_legend = self.change_plot.addLegend(offset=(5, 5), labelTextSize="8pt")
        self.change_curves: list[pg.PlotDataItem] = []
        self.change_points = pg.ScatterPlotItem(size=8, pen=pg.mkPen("#1f2328"))
        self.change_plot.addItem(self.change_points)
        self.acc_plot = self._plot("ε", self.tr("validation accuracy"))
        self.acc_plot.setYRange(0, 1, padding=0.02)
        self.acc_legend = self.acc_plot.addLegend(offset=(2, -2), labelTextSize="8pt",
                                                  verSpacing=-4)
        self.plain_line = self.acc_plot.plot([], [], name=self.tr("trained"),
                                             pen=pg.mkPen(PLAIN, width=2), symbol="o",
                                             symbolSize=5, symbolBrush=PLAIN)
        self.robust_line = self.acc_plot.plot([], [], name=self.tr("adv. trained"),
                                              pen=pg.mkPen(ROBUST, width=2), symbol="o",
                                              symbolSize=5, symbolBrush=ROBUST)
        self.markers = []
        for plot in (self.change_plot, self.acc_plot):
            marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#57606a", style=Qt.PenStyle.DashLine))
            plot.addItem(marker)
            self.markers.append(marker)
        self.status = caption("", muted=True)
        row = QHBoxLayout()
        row.addWidget(images_host)
        row.addWidget(self.change_plot, 1)
        row.addWidget(self.acc_plot, 1)
        self.body.addLayout(row, 1)
        self.body.addWidget(self.status)

        self.quick = BackgroundJob(self)  # the slider's attack: never cancels the curves
        self.quick.done.connect(self._show_single)
        self.quick.failed.connect(self._quick_failed)
        self.throttle = QTimer(self)
        self.throttle.setSingleShot(True)
        self.throttle.setInterval(THROTTLE_MS)
        self.throttle.timeout.connect(self._attack_single)
        self.eps_slider.valueChanged.connect(self._epsilon_moved)
        self.image_spin.valueChanged.connect(self._request_attack)
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        self.steps_spin.valueChanged.connect(self._request_attack)
        self._epsilon_moved()

    @staticmethod
    def _plot(bottom: str, left: str) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.setLabel("bottom", bottom)
        plot.setLabel("left", left)
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setMinimumHeight(120)
        plot.setMouseEnabled(False, False)
        plot.setMenuEnabled(False)
        for axis in ("bottom", "left"):
            plot.getAxis(axis).enableAutoSIPrefix(False)  # ε reads as 0.1, not 100 (x0.001)
        return plot

    # -- run view protocol --

    def attach(self, ctx: ViewContext) -> None:
        self._doc = ctx.doc
        ctx.doc.trainedChanged.connect(self._weights_changed)

    def _weights_changed(self) -> None:
        if self.curve is not None or self.single is not None:
            self.status.setText(self.tr("New weights: press Attack to attack the network as it "
                                        "is now."))

    def run_started(self, run_id: int, data: dict[str, Any]) -> None:
        if self.curve is not None:
            self.status.setText(self.tr("Run {run} is training: press Attack when it has "
                                        "ended.").format(run=run_id))

    def clear(self) -> None:
        self.single = self.curve = self.robust_curve = None
        self.model = self.data = self.x_val = self.y_val = None
        for label in self.pictures.values():
            label.clear()
        for bars in (self.top_original, self.top_adversarial):
            bars.show_top(np.zeros(0, int), np.zeros(0), (), -1)
        self.verdict.setText("")
        self._draw_curves()
        self.status.setText("")

    # -- epsilon --

    def epsilon(self) -> float:
        """The slider's ε in data units (a share of the measured value range)."""
        lo, hi = self.bounds
        return self.eps_slider.value() / EPS_TICKS * (hi - lo)

    def set_epsilon_fraction(self, fraction: float) -> None:
        """Move the slider to ε = `fraction` of the value range (as a learner would)."""
        self.eps_slider.setValue(round(fraction * EPS_TICKS))

    def method(self) -> str:
        return self.method_combo.currentData()

    def _epsilon_moved(self) -> None:
        fraction = self.eps_slider.value() / EPS_TICKS
        self.eps_label.setText(self.tr("ε = {epsilon} ({share} of range)").format(
            epsilon=f"{self.epsilon():.3g}", share=f"{fraction:.1%}"))
        for marker in self.markers:
            marker.setValue(self.epsilon())
        self._request_attack()

    def _method_changed(self) -> None:
        self.steps_spin.setEnabled(self.method() == "pgd")
        self._request_attack()

    # -- the quick single-image attack --

    def _request_attack(self) -> None:
        """Throttle: at most one attack per THROTTLE_MS and one at a time; the newest settings
        win."""
        if self.model is not None and not self.throttle.isActive():
            self.throttle.start()

    def _attack_single(self) -> None:
        if self.model is None or self.x_val is None or self.y_val is None:
            return
        if self.quick.running:
            self._pending = True
            return
        self._pending = False
        index = min(self.image_spin.value(), len(self.x_val) - 1)
        model, layers, bounds = self.model, list(self.layers), self.bounds
        image, label = self.x_val[index], int(self.y_val[index])
        epsilon, method, steps = self.epsilon(), self.method(), self.steps_spin.value()
        self.quick.start(lambda _progress: (label, adv.attack_one(
            model, image, label, epsilon, bounds, method, steps, layers)))

    def _quick_failed(self, message: str) -> None:
        self.show_problem(message)
        self._pending = False

    def _show_single(self, result: tuple[int, adv.SingleAttack]) -> None:
        label, single = result
        self.single = single
        lo, hi = self.bounds
        scale = max(hi - lo, 1e-12)
        self.pictures["original"].setPixmap(to_pixmap((single.original - lo) / scale,
                                                      PICTURE_PX))
        self.pictures["adversarial"].setPixmap(to_pixmap((single.adversarial - lo) / scale,
                                                         PICTURE_PX))
        self.pictures["perturbation"].setPixmap(
            to_pixmap(diverging_picture(single.perturbation, single.epsilon), PICTURE_PX))
        names = self.data.classes if self.data is not None else ()
        self.captions["perturbation"].setText(self.tr("perturbation ±{epsilon}").format(
            epsilon=f"{single.epsilon:.3g}"))
        self.captions["adversarial"].setText(self.tr("adversarial · {method}").format(
            method=single.method.upper()))
        self.top_original.show_top(*single.top_original, names, label)
        self.top_adversarial.show_top(*single.top_adversarial, names, label)
        before, after = int(single.top_original[0][0]), int(single.top_adversarial[0][0])
        if before != after:
            outcome = self.tr("<b>flipped</b>: {before} → {after}").format(
                before=self._name(before), after=self._name(after))
        else:
            outcome = self.tr("still {name}").format(name=self._name(after))
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setText(self.tr("true class: {name}<br>loss {before} → {after}<br>"
                                     "{outcome}").format(
            name=self._name(label), before=f"{single.loss_original:.3g}",
            after=f"{single.loss_adversarial:.3g}", outcome=outcome))
        self.change_points.setData(
            [single.epsilon] * len(single.feature_change), list(single.feature_change),
            brush=[pg.mkBrush(LAYER_COLORS[i % len(LAYER_COLORS)])
                   for i in range(len(single.feature_change))])
        if self._pending:
            self._attack_single()

    def _name(self, cls: int) -> str:
        names = self.data.classes if self.data is not None else ()
        return names[cls] if 0 <= cls < len(names) else str(cls)

    def wait_for_attack(self, timeout_s: float = 30.0) -> None:
        """Keep the GUI running until the slider's attack is shown (screenshots)."""
        loop = QEventLoop()
        timer = QTimer(loop)
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(int(timeout_s * 1000))
        poll = QTimer(loop)
        poll.timeout.connect(lambda: None if (self.throttle.isActive() or self.quick.running
                                              or self._pending) else loop.quit())
        poll.start(20)
        loop.exec()

    # -- the curves --

    def _usable_weights(self) -> bool:
        doc = self._doc
        if doc is None:
            return False
        if doc.trained is None:
            self.show_problem(self.tr("There are no trained weights yet: train the network "
                                      "first (Training tab), then press Attack."))
            return False
        if not doc.trained_matches():
            self.show_problem(self.tr("The network changed since the last run: train it "
                                      "again, then press Attack."))
            return False
        return True

    def compute(self) -> None:
        """Load the data and the last run's weights, then measure the curves (in a job)."""
        if not self._usable_weights():
            return
        doc = self._doc
        model = self.trained_model(doc)
        if model is None:
            return
        losses = set(model.losses.values())
        if len(model.output_ids) != 1 or losses != {"cross_entropy"}:
            self.show_problem(self.tr("Adversarial examples need a classifier with one "
                                      "Output whose loss is cross_entropy: set the Output "
                                      "node's loss, train, then press Attack."))
            return
        graph, trained = doc.graph.copy(), doc.trained
        layers = choose_probe_layers(doc.graph, doc.report)
        data_cfg, method, steps = doc.project.data, self.method(), self.steps_spin.value()
        fractions = adv.EPSILON_FRACTIONS
        self.model = None  # no single attacks until the new data is there
        self.robust_curve = None
        self._draw_curves()

        def work(progress, post) -> adv.RobustnessCurve:
            data = load_data(data_cfg)
            adv.check_attackable(data.x_val, data.task)
            bounds = adv.data_range(data.x_train)
            x_val, y_val = data.x_val[:MAX_VAL].float(), data.y_val[:MAX_VAL]
            post(("data", data, x_val, y_val, bounds))
            epsilons = [f * (bounds[1] - bounds[0]) for f in fractions]
            own = model_with_weights(graph, trained).eval()  # no hooks shared with the slider
            return adv.robustness_curve(
                own, x_val, y_val, epsilons, bounds, method=method, steps=steps, layers=layers,
                progress=progress, on_point=lambda i, eps, acc: post(("point", i, eps, acc)))

        self._graph, self._trained, self.layers = graph, trained, layers
        self._curve_method = method
        self._points = []
        self.status.setText("")
        model.eval()
        self.start_job(self.tr("Attacking validation images ({method})").format(
                           method=method.upper()), work,
                       self._show_curve, on_partial=lambda value: self._partial(model, value))

    def compute_and_wait(self, timeout_s: float = 120.0) -> None:
        self.run_and_wait(self.compute, "the adversarial curves", timeout_s)

    def _partial(self, model: torch.nn.Module, value: tuple) -> None:
        if value[0] == "data":
            _kind, self.data, self.x_val, self.y_val, self.bounds = value
            self.model = model
            self.image_spin.setRange(0, len(self.x_val) - 1)
            self._epsilon_moved()  # the range gives ε its units; attacks the chosen image
        else:
            _kind, _i, eps, acc = value
            self._points.append((eps, acc))
            xs, ys = zip(*self._points, strict=True)
            self.plain_line.setData(list(xs), list(ys))

    def _show_curve(self, curve: adv.RobustnessCurve) -> None:
        self.curve = curve
        self._draw_curves()
        middle = len(curve.epsilons) // 2
        self.status.setText(self.tr(
            "{method} on {n} validation images: accuracy {clean} clean, {mid_acc} at ε = "
            "{mid_eps}, {last_acc} at ε = {last_eps}.").format(
            method=self._curve_method.upper(), n=curve.n_images,
            clean=f"{curve.accuracy[0]:.1%}", mid_acc=f"{curve.accuracy[middle]:.1%}",
            mid_eps=f"{curve.epsilons[middle]:.3g}", last_acc=f"{curve.accuracy[-1]:.1%}",
            last_eps=f"{curve.epsilons[-1]:.3g}"))

    def _draw_curves(self) -> None:
        for item in self.change_curves:
            self.change_plot.removeItem(item)
        self.change_curves = []
        self.change_legend.clear()
        self.change_legend.addItem(self.change_points, self.tr("this image"))
        curve = self.curve
        if curve is None:
            self.plain_line.setData([], [])
            self.robust_line.setData([], [])
            self.change_points.setData([], [])
            return
        roles = ROLES.get(len(curve.layers), ())
        for i, layer in enumerate(curve.layers):
            role = QCoreApplication.translate("AdversarialView",
                                              roles[i] if i < len(roles) else LAYER)
            color = LAYER_COLORS[i % len(LAYER_COLORS)]
            self.change_curves.append(self.change_plot.plot(
                curve.epsilons, curve.change[i], name=f"{role}: {layer}",
                pen=pg.mkPen(color, width=2)))
        self.plain_line.setData(curve.epsilons, curve.accuracy)
        self.acc_legend.getLabel(self.plain_line).setText(
            self.tr("trained ({method})").format(method=self._curve_method.upper()))
        robust = self.robust_curve
        if robust is None:
            self.robust_line.setData([], [])
        else:
            self.robust_line.setData(robust.epsilons, robust.accuracy)

    # -- adversarial training --

    def train_robust(self) -> None:
        """Fine-tune a copy on attacked images at the slider's ε, then measure its curve."""
        if self.curve is None or self.data is None or self._trained is None:
            self.show_problem(self.tr("Press Attack first: adversarial training starts from "
                                      "the measured, trained network."))
            return
        epsilon = self.epsilon()
        if epsilon <= 0:
            self.show_problem(self.tr("Set ε above 0 first: adversarial training at ε = 0 is "
                                      "ordinary fine-tuning."))
            return
        if self._doc is None:
            return
        config = self._doc.project.training
        graph, trained, data = self._graph, self._trained, self.data
        x_val, y_val, bounds = self.x_val, self.y_val, self.bounds
        epsilons, method = list(self.curve.epsilons), self._curve_method
        steps, epochs = self.steps_spin.value(), self.epochs_spin.value()
        n_train = min(len(data.x_train), 2000)
        train_batches = epochs * (n_train // max(1, min(config.batch_size, n_train)))
        curve_batches = len(epsilons) * -(-len(x_val) // adv.BATCH)

        def work(progress) -> tuple[adv.AdversarialTraining, adv.RobustnessCurve]:
            model = model_with_weights(graph, trained)
            result = adv.adversarial_training(
                model, data, config, epsilon, method=method, steps=steps, epochs=epochs,
                max_train=n_train, value_range=bounds,
                progress=lambda done, _total: progress(done, train_batches + curve_batches))
            curve = adv.robustness_curve(
                result.model, x_val, y_val, epsilons, bounds, method=method, steps=steps,
                progress=lambda done, _total: progress(train_batches + done,
                                                       train_batches + curve_batches))
            return result, curve

        self.start_job(self.tr("Adversarial training at ε = {epsilon} ({method})").format(
                           epsilon=f"{epsilon:.3g}", method=method.upper()), work,
                       self._show_robust)

    def train_robust_and_wait(self, timeout_s: float = 300.0) -> None:
        self.run_and_wait(self.train_robust, "the adversarial training", timeout_s)

    def _show_robust(self, result: tuple[adv.AdversarialTraining, adv.RobustnessCurve]) -> None:
        training, self.robust_curve = result
        self._draw_curves()
        plain, robust = self.curve, self.robust_curve
        at = int(np.argmin(np.abs(robust.epsilons - training.epsilon)))
        self.status.setText(self.tr(
            "Adversarially trained copy ({method}, ε = {epsilon}, {epochs} epochs): accuracy "
            "at ε = {at_eps} {plain_at} → {robust_at}; clean {plain_clean} → "
            "{robust_clean}.").format(
            method=training.method.upper(), epsilon=f"{training.epsilon:.3g}",
            epochs=len(training.epoch_losses), at_eps=f"{robust.epsilons[at]:.3g}",
            plain_at=f"{plain.accuracy[at]:.1%}", robust_at=f"{robust.accuracy[at]:.1%}",
            plain_clean=f"{plain.accuracy[0]:.1%}", robust_clean=f"{robust.accuracy[0]:.1%}"))

