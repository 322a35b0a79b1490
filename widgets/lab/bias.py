"""Bias and shortcuts: the canvas network trained on shapes whose corner mark names the class
in a share of the training images the learner sets, then tested on fair images where the mark
is random. The view shows training vs fair-test accuracy, a per-class table split by whether
the mark agrees, saliency that shows where the network looked, and a sweep over strengths.

The computation is `app.core.bias` (its own trainings, in a background job, epochs streamed);
the main run is not needed.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.bias import (
    N_TRAIN,
    SWEEP_STRENGTHS,
    BiasResult,
    GroupStats,
    SweepPoint,
    run_bias,
    steps_of,
    sweep,
)
from app.core.datasets import SHAPE_CLASSES
from app.core.trainer import TrainConfig
from app.document import Document
from widgets.canvas import style
from widgets.lab.base import LabView
from widgets.lab.overfitting import batch_size_for
from widgets.plots.common import RUN_COLORS, caption, to_pixmap
from widgets.plots.run_view import ViewContext

TRAIN_COLOR, FAIR_COLOR = RUN_COLORS[0], RUN_COLORS[1]
SHORT = ("— bar", "| bar", "cross", "x cross", "square", "triangle", "circle", "corner")
PICTURE_PX = 58
# (row label, GroupStats field); the labels are translated where shown.
STATS_ROWS = ((QT_TRANSLATE_NOOP("BiasView", "accuracy"), "acc"),
              (QT_TRANSLATE_NOOP("BiasView", "mark = class"), "agreement"),
              (QT_TRANSLATE_NOOP("BiasView", "acc., mark agrees"), "agree_acc"),
              (QT_TRANSLATE_NOOP("BiasView", "acc., mark disagrees"), "disagree_acc"),
              (QT_TRANSLATE_NOOP("BiasView", "took mark's class"), "follows_cue"))
OK_COLOR, CUE_COLOR = "#1a7f37", "#c0392b"


def overlay(image: np.ndarray, saliency: np.ndarray) -> np.ndarray:
    """A grey (H, W) image, dimmed, with its saliency (0..1) laid over it from red (some) to
    yellow (most), as (3, H, W) in [0, 1]."""
    sal = np.clip(saliency, 0, 1)[..., None]
    heat = np.concatenate([np.ones_like(sal), sal, np.zeros_like(sal)], axis=-1)
    alpha = np.clip((sal - 0.05) / 0.95, 0, 1) ** 0.6  # the faintest gradients stay grey
    grey = np.repeat(np.clip(image, 0, 1)[..., None], 3, axis=-1) * 0.55
    return np.moveaxis((1 - alpha) * grey + alpha * heat, -1, 0)


class BiasView(LabView):
    TITLE = QT_TRANSLATE_NOOP("LabView", "Bias and shortcuts")
    EXPLAIN_EN = (
        "In the training images a small white mark sits at a place that names the shape's "
        "class – in as many images as the slider says. The network learns whatever predicts "
        "the labels, so with a strong mark it learns the mark instead of the shape and fails "
        "on fair test images where the mark is random. A recruiting tool trained on past "
        "hiring decisions learned their bias in just this way: the model picks up every cue "
        "that predicted the old decisions, fair or not.")
    EXPLAIN_DE = (
        "In den Trainingsbildern sitzt eine kleine weiße Markierung an einer Stelle, die die "
        "Klasse der Form verrät – in so vielen Bildern, wie der Regler angibt. Das Netz lernt "
        "alles, was die Labels vorhersagt: Bei einer starken Markierung lernt es die "
        "Markierung statt der Form und versagt auf fairen Testbildern, in denen sie zufällig "
        "ist. Genauso hat ein Bewerbungs-Tool, das mit früheren Einstellungsentscheidungen "
        "trainiert wurde, deren Vorurteile übernommen: Das Modell greift jedes Merkmal auf, "
        "das die alten Entscheidungen vorhersagte – ob fair oder nicht.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.result: BiasResult | None = None
        self.points: list[SweepPoint] | None = None  # the last finished sweep
        self.epochs_seen: list[dict[str, float]] = []
        self._sweep_live: list[SweepPoint] = []

        self.strength_slider = QSlider(Qt.Orientation.Horizontal)
        self.strength_slider.setRange(0, 100)
        self.strength_slider.setValue(95)
        self.strength_slider.setToolTip(self.tr("In this share of the training images the mark "
                                                "names the class; in the others it sits at a "
                                                "random place"))
        self.strength_label = QLabel()
        self.strength_label.setMinimumWidth(40)
        self.strength_slider.valueChanged.connect(self._show_strength)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 200)
        self.epochs_spin.setValue(10)
        self.epochs_spin.setToolTip(self.tr("Epochs over the {n} biased training images")
                                    .format(n=N_TRAIN))
        self.train_button = QPushButton(self.tr("Train"))
        self.train_button.setToolTip(self.tr("Train the network on the canvas (head resized to "
                                             "the 8 shapes) on the biased images, then test it "
                                             "on fair ones"))
        self.train_button.clicked.connect(self.start_training)
        self.sweep_button = QPushButton(self.tr("Sweep strengths"))
        strengths = ", ".join(f"{s:.0%}" for s in SWEEP_STRENGTHS)
        self.sweep_button.setToolTip(self.tr("Train once per mark strength ({strengths}) and "
                                             "plot the fair-test accuracy against it")
                                     .format(strengths=strengths))
        self.sweep_button.clicked.connect(self.start_sweep)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        for widget in (QLabel(self.tr("mark strength")), self.strength_slider,
                       self.strength_label, QLabel(self.tr("epochs")), self.epochs_spin,
                       self.train_button,
                       self.sweep_button):
            controls.addWidget(widget, 2 if widget is self.strength_slider else 0)
        self.body.addLayout(controls)
        self._show_strength(self.strength_slider.value())

        self.headline = caption("", bold=True)
        self.stats = _table(len(STATS_ROWS), (self.tr("training"), self.tr("fair test")),
                            [QCoreApplication.translate("BiasView", label)
                             for label, _key in STATS_ROWS], 128, 66)
        self.stats.setToolTip(self.tr(
            "The same network on its biased training images and on fair test images, where "
            "the mark is random. Rows: accuracy; share of images whose mark names their class; "
            "accuracy on those and on the others; share of the others that the network gave "
            "the mark's class"))
        self.groups = _table(len(SHAPE_CLASSES), (self.tr("mark agrees"), self.tr("disagrees")),
                             list(SHAPE_CLASSES), 104, 90)  # "100% of 125", "100% von 125"
        self.groups.setToolTip(self.tr("Fair-test accuracy per class, split by whether the "
                                       "mark names the image's class (images in each group)"))
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addWidget(caption(self.tr("Training vs fair test"), bold=True))
        left.addWidget(self.stats)
        left.addWidget(self.headline)
        left.addStretch(1)

        self.pictures = QGridLayout()
        self.pictures.setHorizontalSpacing(4)
        self.pictures.setVerticalSpacing(0)
        self.saliency_note = caption("", muted=True)
        pictures_box = QVBoxLayout()
        pictures_box.setSpacing(2)
        pictures_box.addWidget(caption(self.tr("Where it looked (saliency, fair test)"),
                                       bold=True))
        pictures_box.addLayout(self.pictures)
        pictures_box.addWidget(self.saliency_note)
        pictures_box.addStretch(1)
        pictures_host = QWidget()
        pictures_host.setLayout(pictures_box)
        pictures_host.setFixedWidth(3 * (PICTURE_PX + 8) + 8)

        lines = (("train_acc", self.tr("training"), TRAIN_COLOR),
                 ("fair_acc", self.tr("fair test"), FAIR_COLOR))
        self.epoch_plot = _plot(self.tr("epoch"))
        self.epoch_curves = {
            key: self.epoch_plot.plot([], [], name=name, symbol="o", symbolSize=5,
                                      pen=pg.mkPen(color, width=2), symbolBrush=color)
            for key, name, color in lines}
        self.sweep_plot = _plot(self.tr("mark strength (%)"))
        self.sweep_curves = {
            key: self.sweep_plot.plot([], [], name=name, symbol="o", symbolSize=6,
                                      pen=pg.mkPen(color, width=2), symbolBrush=color)
            for key, name, color in lines}
        self.sweep_plot.setXRange(0, 100)
        self.plots = QTabWidget()
        self.plots.addTab(self.epoch_plot, self.tr("Epochs"))
        self.plots.addTab(self.sweep_plot, self.tr("Sweep"))
        # The per-class table is a tab of its own: beside the other tables it made the view
        # wider than the dock at 1280x800.
        self.plots.addTab(self.groups, self.tr("Per class"))
        self.plots.setTabToolTip(2, self.tr("Fair test per class"))
        self.plots.setMinimumWidth(220)
        self.sweep_note = caption("", muted=True)
        plots_box = QVBoxLayout()
        plots_box.setSpacing(2)
        plots_box.addWidget(self.plots, 1)
        plots_box.addWidget(self.sweep_note)

        main = QHBoxLayout()
        main.setSpacing(8)
        main.addLayout(left)
        main.addWidget(pictures_host)
        main.addLayout(plots_box, 1)
        self.body.addLayout(main, 1)
        self.clear()

    def attach(self, ctx: ViewContext) -> None:
        self.doc = ctx.doc

    def clear(self) -> None:
        self.result = None
        self.epochs_seen = []
        for curve in self.epoch_curves.values():
            curve.setData([], [])
        self.stats.clearContents()
        self.groups.clearContents()
        self.headline.setText("")
        self.saliency_note.setText("")
        self._clear_pictures()

    def _show_strength(self, value: int) -> None:
        self.strength_label.setText(f"{value} %")

    @property
    def strength(self) -> float:
        return self.strength_slider.value() / 100

    # -- the computations --

    def _config(self) -> TrainConfig | None:
        if self.doc is None:
            self.show_problem(self.tr("This view needs a project: open or build a network "
                                      "first."))
            return None
        training = self.doc.to_project().training
        return replace(training, epochs=self.epochs_spin.value(),
                       batch_size=batch_size_for(N_TRAIN, training.batch_size))

    def start_training(self) -> None:
        """Train the canvas network on the biased set (off the GUI thread, epochs streamed)."""
        config = self._config()
        if config is None:
            return
        graph, strength = self.doc.graph.copy(), self.strength
        self.clear()
        self.plots.setCurrentWidget(self.epoch_plot)

        def call(progress, post) -> BiasResult:
            return run_bias(graph, config, strength, progress=progress, on_epoch=post)

        self.start_job(self.tr("Training with a {strength} mark").format(
                           strength=f"{strength:.0%}"), call, self._show_result,
                       on_partial=self._add_epoch)

    def start_sweep(self) -> None:
        """Train once per strength in SWEEP_STRENGTHS and plot the accuracies against it."""
        config = self._config()
        if config is None:
            return
        graph = self.doc.graph.copy()
        self.points, self._sweep_live = None, []
        self.sweep_note.setText("")
        for curve in self.sweep_curves.values():
            curve.setData([], [])
        self.plots.setCurrentWidget(self.sweep_plot)

        def call(progress, post) -> list[SweepPoint]:
            return sweep(graph, config, SWEEP_STRENGTHS, progress=progress, on_point=post)

        runs = len(SWEEP_STRENGTHS)
        self.start_job(self.tr("Sweep: {runs} trainings of {steps} steps").format(
                           runs=runs, steps=steps_of(config, N_TRAIN)), call,
                       self._show_sweep, on_partial=self._add_point)

    def train_and_wait(self, sweep_too: bool = False, timeout_s: float = 300.0) -> None:
        """Train (after a sweep, if asked) and keep the GUI running until done (screenshots);
        RuntimeError with the view's message if a computation failed."""
        if sweep_too:
            self.run_and_wait(self.start_sweep, "the strength sweep", timeout_s)
            if self.points is None:
                raise RuntimeError(self.problem.text())
        self.run_and_wait(self.start_training, "the biased training", timeout_s)
        if self.result is None:
            raise RuntimeError(self.problem.text())
        if sweep_too:
            self.plots.setCurrentWidget(self.sweep_plot)

    def _add_epoch(self, epoch: dict[str, float]) -> None:
        self.epochs_seen.append(epoch)
        x = np.array([e["epoch"] for e in self.epochs_seen])
        for key, curve in self.epoch_curves.items():
            curve.setData(x, np.array([e[key] for e in self.epochs_seen]) * 100)

    def _add_point(self, point: SweepPoint) -> None:
        self._sweep_live.append(point)
        x = np.array([p.strength for p in self._sweep_live]) * 100
        for key, curve in self.sweep_curves.items():
            curve.setData(x, np.array([getattr(p, key) for p in self._sweep_live]) * 100)

    def _show_sweep(self, points: list[SweepPoint]) -> None:
        self.points = points
        self._sweep_live = []
        for point in points:
            self._add_point(point)
        worst = min(points, key=lambda p: p.fair_acc)
        self.sweep_note.setText(self.tr(
            "Fair-test accuracy from {first_acc} (mark {first_mark}) down to {worst_acc} (mark "
            "{worst_mark}), while training accuracy stays {train_acc} or more.").format(
            first_acc=f"{points[0].fair_acc:.0%}", first_mark=f"{points[0].strength:.0%}",
            worst_acc=f"{worst.fair_acc:.0%}", worst_mark=f"{worst.strength:.0%}",
            train_acc=f"{min(p.train_acc for p in points):.0%}"))

    # -- the result --

    def _show_result(self, result: BiasResult) -> None:
        self.result = result
        for column, stats in enumerate((result.train, result.fair)):
            for row, (_label, key) in enumerate(STATS_ROWS):
                self.stats.setItem(row, column, _item(_percent(getattr(stats, key))))
        for row in range(len(SHAPE_CLASSES)):
            for column in range(2):
                n, ok = int(result.counts[row, column]), int(result.correct[row, column])
                text = self.tr("{share} of {n}").format(share=f"{ok / n:.0%}", n=n) if n else "–"
                self.groups.setItem(row, column, _item(text))
        self.headline.setText(_verdict(result.train, result.fair))
        self._draw_pictures(result)

    def _clear_pictures(self) -> None:
        while self.pictures.count():
            item = self.pictures.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _draw_pictures(self, result: BiasResult) -> None:
        self._clear_pictures()
        for i in range(len(result.images)):
            label, cue, predicted = (int(result.labels[i]), int(result.cues[i]),
                                     int(result.predicted[i]))
            picture = QLabel()
            picture.setPixmap(to_pixmap(overlay(result.images[i], result.saliency[i]),
                                        PICTURE_PX))
            picture.setFixedSize(PICTURE_PX + 2, PICTURE_PX + 2)
            picture.setStyleSheet(f"border: 1px solid {style.MUTED.name()}")
            color = (OK_COLOR if predicted == label else CUE_COLOR if predicted == cue
                     else style.MUTED.name())
            text = caption(f"→ {SHORT[predicted]}")
            text.setWordWrap(False)
            text.setStyleSheet(f"color: {color}")
            text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            tip = self.tr("A {shape}; its mark names {cue}; the network said {predicted}. "
                          "Bright: pixels whose change would move its score most (gradient "
                          "saliency).").format(shape=SHAPE_CLASSES[label],
                                               cue=SHAPE_CLASSES[cue],
                                               predicted=SHAPE_CLASSES[predicted])
            for widget in (picture, text):
                widget.setToolTip(tip)
            row, col = divmod(i, 3)
            self.pictures.addWidget(picture, 2 * row, col, Qt.AlignmentFlag.AlignHCenter)
            self.pictures.addWidget(text, 2 * row + 1, col)
        self.saliency_note.setText(self.tr(
            "Mark named another class. On the mark: {ratio}× the saliency of other pixels. "
            "Green: right; red: took the mark's class.").format(
            ratio=f"{result.cue_saliency:.1f}"))


def _verdict(train: GroupStats, fair: GroupStats) -> str:
    gap = train.acc - fair.acc
    if gap > 0.2 and fair.follows_cue > 0.2:
        what = QCoreApplication.translate("BiasView", "it learned the mark, not the shape")
    elif gap > 0.1:
        what = QCoreApplication.translate("BiasView", "partly the mark")
    else:
        what = QCoreApplication.translate("BiasView", "it learned the shapes")
    return QCoreApplication.translate("BiasView", "Training {train}, fair test {fair}: {what}.") \
        .format(train=f"{train.acc:.0%}", fair=f"{fair.acc:.0%}", what=what)


def _percent(value: float) -> str:
    return f"{value:.1%}" if math.isfinite(value) else "–"


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(rows: int, columns: tuple[str, ...], row_labels: list[str], label_px: int,
           column_px: int) -> QTableWidget:
    table = QTableWidget(rows, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setVerticalHeaderLabels(row_labels)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setDefaultSectionSize(column_px)
    table.verticalHeader().setDefaultSectionSize(20)
    table.verticalHeader().setFixedWidth(label_px)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    table.setFixedWidth(label_px + len(columns) * column_px + 4)
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 20 * rows + 4)
    return table


def _plot(x_label: str) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", QCoreApplication.translate("BiasView", "accuracy (%)"))
    plot.setYRange(0, 100)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setMinimumHeight(120)
    plot.addLegend(offset=(-5, -5), labelTextSize="8pt")
    return plot
