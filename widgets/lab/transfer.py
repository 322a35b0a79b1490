"""Transfer learning: the canvas network fine-tuned from the weights of an earlier run versus
trained from scratch, on a small subset of a new dataset; both validation curves overlaid and,
per layer, how far training moved its weights.

The computation is `app.core.transfer.compare` in a background job; the source weights are the
run kept with the document (`doc.trained`) or a `.weights.safetensors` file. Layers frozen with
the canvas padlock stay exactly as they are in the fine-tune run (their bars stay at 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import weights
from app.core.catalog import full_params
from app.core.datasets import DATASETS
from app.core.experiment import load_data
from app.core.transfer import RUNS, TransferResult, compare
from app.document import Document
from widgets.canvas.node_item import padlock_pixmap
from widgets.lab.base import LabView
from widgets.lab.overfitting import batch_size_for
from widgets.plots.common import RUN_COLORS, caption
from widgets.plots.run_view import ViewContext
from widgets.plots.streamed_curves import StreamedCurves

COLORS = dict(zip(RUNS, RUN_COLORS, strict=False))
VAL_SAMPLES = 500  # validation images of the target set: enough for a steady curve, quick
KEPT, FILE = "kept", "file"
ROWS = ((QT_TRANSLATE_NOOP("TransferView", "val accuracy"), "val_acc"),
        (QT_TRANSLATE_NOOP("TransferView", "val loss"), "val_loss"),
        (QT_TRANSLATE_NOOP("TransferView", "train loss"), "train_loss"),
        (QT_TRANSLATE_NOOP("TransferView", "epochs"), "epochs"))
RUN_NAMES = {"fine-tune": QT_TRANSLATE_NOOP("TransferView", "fine-tune"),
             "scratch": QT_TRANSLATE_NOOP("TransferView", "scratch")}
BAR = 0.38  # bar thickness; the two runs' bars of a layer sit side by side


def _tr(text: str) -> str:
    return QCoreApplication.translate("TransferView", text)


class TransferView(LabView):
    TITLE = QT_TRANSLATE_NOOP("LabView", "Transfer learning")
    EXPLAIN_EN = (
        "A network that learned one task already knows useful features (edges, corners, "
        "curves). Here your network starts once from the weights of an earlier run (fine-tune; "
        "the output layer is resized to the new classes and starts fresh) and once from random "
        "weights (scratch), both on the same few images of a new dataset. Layers you freeze "
        "with the padlock on the canvas keep their weights: their bars stay at zero.")
    EXPLAIN_DE = (
        "Ein Netz, das eine Aufgabe gelernt hat, kennt schon nützliche Merkmale (Kanten, Ecken, "
        "Bögen). Hier startet Ihr Netz einmal mit den Gewichten eines früheren Laufs "
        "(Feintuning; die Ausgabeschicht wird an die neuen Klassen angepasst und beginnt "
        "neu) und einmal mit Zufallsgewichten (von null), beide mit denselben wenigen Bildern "
        "eines neuen Datensatzes. Schichten, die Sie mit dem Schloss auf der Arbeitsfläche "
        "einfrieren, behalten ihre Gewichte: Ihre Balken bleiben bei null.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.source_file: Path | None = None
        self.source_file_dataset = ""  # what the chosen file's weights were trained on
        self.result: TransferResult | None = None

        self.source_combo = QComboBox()
        # As wide as a run's name, not as its longest (German) item: the popup shows it whole.
        self.source_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_combo.setMinimumContentsLength(22)
        self.source_combo.setToolTip(self.tr("Where the starting weights come from: the run "
                                             "kept with this project, or a "
                                             ".weights.safetensors file"))
        self.source_combo.addItem(self.tr("kept weights"), KEPT)
        self.source_combo.addItem(self.tr("weights file…"), FILE)
        self.source_combo.activated.connect(self._source_chosen)
        self.target_combo = QComboBox()
        self.target_combo.setToolTip(self.tr("The new task: both runs train on a subset of it "
                                             "(the output layer is resized to its classes)"))
        self.subset_slider = QSlider(Qt.Orientation.Horizontal)
        self.subset_slider.setRange(10, 1000)
        self.subset_slider.setValue(60)
        self.subset_slider.setMinimumWidth(80)
        self.subset_slider.setToolTip(self.tr("How many training images of the new dataset "
                                              "both runs see: transfer helps most when there "
                                              "are few"))
        self.subset_label = QLabel()
        self.subset_slider.valueChanged.connect(self._show_subset)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 300)
        self.epochs_spin.setValue(20)
        self.epochs_spin.setToolTip(self.tr("Epochs of each run"))
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setToolTip(self.tr("Fine-tune from the source weights, then train the "
                                           "same network from scratch, on the same subset"))
        self.run_button.clicked.connect(self.start_comparison)
        controls = QHBoxLayout()
        controls.setSpacing(6)
        for widget in (QLabel(self.tr("from")), self.source_combo, QLabel(self.tr("to")),
                       self.target_combo, QLabel(self.tr("subset")), self.subset_slider,
                       self.subset_label, QLabel(self.tr("epochs")), self.epochs_spin,
                       self.run_button):
            controls.addWidget(widget, 2 if widget is self.subset_slider else 0)
        self.body.addLayout(controls)
        self._show_subset(self.subset_slider.value())

        self.acc_plot = _plot(self.tr("validation accuracy"), self.tr("epoch"))
        self.loss_plot = _plot(self.tr("validation loss"), self.tr("epoch"))
        self.curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        for run in RUNS:
            pen = pg.mkPen(QColor(COLORS[run]), width=2)
            name = _tr(RUN_NAMES[run])
            self.curves[run, "val_acc"] = self.acc_plot.plot([], [], name=name, pen=pen,
                                                             symbol="o", symbolSize=4,
                                                             symbolBrush=COLORS[run])
            self.curves[run, "val_loss"] = self.loss_plot.plot([], [], name=name, pen=pen)
        self.acc_plot.setYRange(0, 1)
        self.move_plot = _plot(self.tr("weight change per layer"), "‖w − w₀‖ / ‖w₀‖ in %",
                               legend=False)
        self.move_plot.getPlotItem().getAxis("bottom").enableAutoSIPrefix(False)
        self.move_plot.getViewBox().invertY(True)
        self.move_plot.setMouseEnabled(x=False, y=False)
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.padlocks: list[QGraphicsPixmapItem] = []
        self.table = QTableWidget(len(ROWS), len(RUNS))
        self.table.setHorizontalHeaderLabels([_tr(RUN_NAMES[run]) for run in RUNS])
        self.table.setVerticalHeaderLabels([_tr(label) for label, _key in ROWS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setDefaultSectionSize(80)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.setFixedHeight(22 + 20 * len(ROWS) + 4)
        self.table.setToolTip(self.tr("Final numbers of both runs on the new dataset's "
                                      "validation set"))
        self.loaded = caption("", muted=True)
        self.summary = caption("")
        self.streamed = StreamedCurves(self.curves)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.table)
        side_layout.addWidget(self.summary)
        side_layout.addWidget(self.loaded, 1, Qt.AlignmentFlag.AlignTop)
        # Wide enough for the row and column names in the UI language (German ones are longer).
        header = self.table.horizontalHeader()
        columns = sum(max(80, header.sectionSizeHint(c)) for c in range(len(RUNS)))
        width = max(250, self.table.verticalHeader().sizeHint().width() + columns + 4)
        self.table.setFixedWidth(width)
        side.setFixedWidth(width)
        row = QHBoxLayout()
        row.addWidget(self.acc_plot, 3)
        row.addWidget(self.loss_plot, 2)
        row.addWidget(self.move_plot, 3)
        row.addWidget(side)
        self.body.addLayout(row, 1)
        self.clear()

    # -- run view --

    def attach(self, ctx: ViewContext) -> None:
        self.doc = ctx.doc
        ctx.doc.trainedChanged.connect(self._show_sources)
        ctx.doc.settingsChanged.connect(lambda _section: self._show_targets())
        ctx.doc.shapesChanged.connect(lambda _report: self._show_targets())
        self._show_sources()

    def clear(self) -> None:
        self.streamed.clear()
        self.result = None
        self._clear_bars()
        self.table.clearContents()
        self.summary.setText("")
        self.loaded.setText("")

    def _show_subset(self, value: int) -> None:
        self.subset_label.setText(self.tr("{n} images").format(n=f"{value:4d}"))

    # -- choices --

    def _show_sources(self) -> None:
        trained = self.doc.trained if self.doc is not None else None
        if trained is None:
            text = self.tr("kept weights (none yet: train first)")
        else:
            acc = "" if trained.info.val_acc is None else f", {trained.info.val_acc:.0%}"
            text = self.tr("run {run} ({dataset})").format(
                run=trained.info.run, dataset=f"{trained.info.dataset}{acc}")
        self.source_combo.setItemText(0, text)
        self.source_combo.setItemText(1, self.source_file.name if self.source_file
                                      else self.tr("weights file…"))
        self._show_targets(reset=True)

    def _source_chosen(self, index: int) -> None:
        if self.source_combo.itemData(index) != FILE:
            self._show_targets(reset=True)
            return
        start = str(self.doc.path.parent) if self.doc is not None and self.doc.path else ""
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Weights to start from"), start,
            self.tr("Weights (*{suffix});;All files (*)").format(suffix=weights.SUFFIX))
        if path:
            self.use_file(Path(path))
        elif self.source_file is None:
            self.source_combo.setCurrentIndex(0)

    def use_file(self, path: Path) -> None:
        """Start from the weights in `path` (a safetensors file) from now on."""
        self.source_file = Path(path)
        self.source_file_dataset = ""
        self.source_combo.setItemText(1, self.source_file.name)
        self.source_combo.setCurrentIndex(1)
        try:  # the file's metadata names the dataset it was trained on
            self.source_file_dataset = weights.load(self.source_file, _file_info(path)).info.dataset
        except weights.WeightsError as exc:
            self.show_problem(str(exc))
        self._show_targets(reset=True)

    def source_dataset(self) -> str:
        if self.source_combo.currentData() == FILE:
            return self.source_file_dataset
        if self.doc is not None and self.doc.trained is not None:
            return self.doc.trained.info.dataset
        return ""

    def _show_targets(self, reset: bool = False) -> None:
        """Image datasets the network's input fits; the default (on `reset`, when the source
        changed) is the project's dataset, or, when the source weights come from it, another
        one (shapes -> glyphs)."""
        if self.doc is None:
            return
        shape = _input_shape(self.doc)
        names = [name for name, info in DATASETS.items()
                 if info.kind == "image" and (shape is None or info.input_shape == shape)]
        current = self.target_combo.currentText()
        own, source = self.doc.project.data.name, self.source_dataset()
        if reset or not current or current not in names:
            current = own if own in names and own != source else next(
                (n for n in names if n != source and DATASETS[n].builtin),
                names[0] if names else "")
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItems(names)
        self.target_combo.setCurrentText(current)
        self.target_combo.blockSignals(False)

    # -- the computation --

    def _source(self) -> tuple[Callable[[], dict[str, Any]], str]:
        """How to get the source tensors (a file is read in the job) and a short name for
        them; ValueError says what is missing."""
        if self.source_combo.currentData() == FILE:
            path = self.source_file
            if path is None:
                raise ValueError(self.tr("Choose a weights file first (from: weights "
                                         "file…)."))
            return (lambda: weights.load(path, _file_info(path)).state), path.name
        trained = self.doc.trained if self.doc is not None else None
        if trained is None:
            raise ValueError(self.tr("There are no kept weights yet: train the network on the "
                                     "source dataset first (e.g. shapes), or choose a weights "
                                     "file."))
        return (lambda: trained.state), self.tr("run {run} on {dataset}").format(
            run=trained.info.run, dataset=trained.info.dataset)

    def start_comparison(self) -> None:
        """Start fine-tune vs scratch on the chosen target dataset (off the GUI thread)."""
        if self.doc is None:
            self.show_problem(self.tr("This view needs a project: open or build a network "
                                      "first."))
            return
        target = self.target_combo.currentText()
        if not target:
            self.show_problem(self.tr("No image dataset fits this network's input: give it an "
                                      "Input of 1x28x28 (shapes, glyphs, MNIST) or 3x32x32 "
                                      "(CIFAR-10)."))
            return
        try:
            source, source_name = self._source()
        except ValueError as exc:
            self.show_problem(str(exc))
            return
        project = self.doc.to_project()
        n_train, epochs = self.subset_slider.value(), self.epochs_spin.value()
        config = replace(project.training, epochs=epochs, max_steps=None,
                         batch_size=batch_size_for(n_train, project.training.batch_size))
        data_cfg = replace(project.data, name=target, n_train=n_train, n_val=VAL_SAMPLES,
                           val_fraction=None, sample=0, noise=None)
        self.clear()

        def call(progress, post) -> TransferResult:
            state = source()
            data = load_data(data_cfg, config.seed)
            done = [0]

            def on_epoch(run: str, metrics: dict[str, Any]) -> None:
                done[0] += 1
                progress(done[0], 2 * epochs)
                post((run, metrics))

            return compare(project.graph, data, state, config, n_train, on_epoch)

        self.start_job(self.tr("Fine-tuning from {source} and training from scratch on {n} "
                               "{target} images").format(source=source_name, n=n_train,
                                                         target=target),
                       call, self._show_result, on_partial=self.streamed.add_epoch)

    def compare_and_wait(self, timeout_s: float = 300.0) -> None:
        """Run the comparison and wait for it (screenshots)."""
        self.run_and_wait(self.start_comparison, "the transfer comparison", timeout_s)

    def _show_result(self, result: TransferResult) -> None:
        self.result = result
        for column, run in enumerate(RUNS):
            if run not in result.histories:
                continue
            final = result.final(run)
            final["epochs"] = len(result.histories[run].epochs)
            for row, (_label, key) in enumerate(ROWS):
                self.table.setItem(row, column, QTableWidgetItem(_format(key, final[key])))
        self._show_bars(result)
        self.loaded.setText(_loaded_text(result))
        self.summary.setText(_summary(result))

    # -- movement bars --

    def _clear_bars(self) -> None:
        for item in [*self.bars.values(), *self.padlocks]:
            self.move_plot.removeItem(item)
        self.bars.clear()
        self.padlocks.clear()

    def _show_bars(self, result: TransferResult) -> None:
        self._clear_bars()
        layers = result.layers
        y = np.arange(len(layers), dtype=float)
        for offset, run in zip((-BAR / 2, BAR / 2), RUNS, strict=True):
            if run not in result.movement:
                continue
            widths = 100.0 * np.array([result.movement[run][layer] for layer in layers])
            bars = pg.BarGraphItem(x0=np.zeros(len(layers)), y=y + offset, height=BAR,
                                   width=widths, brush=COLORS[run], pen=pg.mkPen(None),
                                   name=run)
            self.move_plot.addItem(bars)
            self.bars[run] = bars
        for index, layer in enumerate(layers):
            if layer in result.frozen:
                lock = QGraphicsPixmapItem(padlock_pixmap(13))
                lock.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
                lock.setOffset(3, -7)  # just right of the zero line, centred on the bar
                lock.setPos(0.0, index - BAR / 2)
                lock.setToolTip(self.tr("{layer} is frozen: its weights did not move")
                                .format(layer=layer))
                self.move_plot.addItem(lock)
                self.padlocks.append(lock)
        axis = self.move_plot.getPlotItem().getAxis("left")
        axis.setTicks([[(float(i), name) for i, name in enumerate(layers)]])
        top = max([max(m.values(), default=0.0) for m in result.movement.values()] or [0.0])
        self.move_plot.setXRange(0, 100.0 * max(top, 1e-3) * 1.1, padding=0)
        self.move_plot.setYRange(-0.6, len(layers) - 0.4, padding=0)


def _plot(left: str, bottom: str, legend: bool = True) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setLabel("bottom", bottom)
    if left:
        plot.getPlotItem().setTitle(left, size="9pt")
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setMinimumHeight(120)
    plot.setMinimumWidth(150)
    if legend:  # the bars share the curves' colours
        plot.addLegend(offset=(-5, -5), labelTextSize="8pt")
    return plot


def _file_info(path: Path) -> weights.RunInfo:
    """Stands in for the run details of a weights file written by another tool."""
    return weights.RunInfo(0, None, 0, 0, "")


def _input_shape(doc: Document) -> tuple[int, ...] | None:
    inputs = doc.graph.nodes_of_type("Input")
    if len(inputs) != 1:
        return None
    return tuple(full_params("Input", inputs[0].params)["shape"])


def _format(key: str, value: float) -> str:
    if key == "epochs":
        return f"{value:.0f}"
    if not math.isfinite(value):
        return "–"
    return f"{value:.1%}" if key.endswith("acc") else f"{value:.3f}"


def _loaded_text(result: TransferResult) -> str:
    report = result.report
    text = QCoreApplication.translate(
        "TransferView", "Loaded {n} of {total} weight tensors by name and shape.").format(
        n=len(report.loaded), total=len(report.loaded) + len(report.skipped))
    if report.skipped_layers:
        fresh = QCoreApplication.translate("TransferView", " Fresh random weights: {layers}")
        text += fresh.format(layers=", ".join(report.skipped_layers))
        text += f" ({report.skipped[0][1]})." if len(report.skipped_layers) == 1 else "."
    if result.head_fixes:
        text += QCoreApplication.translate("TransferView", " Head: {fixes}.").format(
            fixes="; ".join(result.head_fixes))
    if result.frozen:
        text += QCoreApplication.translate("TransferView", " Frozen: {layers}.").format(
            layers=", ".join(result.frozen))
    random_frozen = [layer for layer in report.skipped_layers if layer in result.frozen]
    if random_frozen:
        text += QCoreApplication.translate(
            "TransferView", " Note: {layers} is frozen but got no source weights, so it stays "
            "random: unfreeze it.").format(layers=", ".join(random_frozen))
    return text


def _summary(result: TransferResult) -> str:
    if any(run not in result.histories for run in RUNS):
        return QCoreApplication.translate("TransferView", "Stopped before both runs finished.")
    tuned, scratch = (result.final(run)["val_acc"] for run in RUNS)
    if not (math.isfinite(tuned) and math.isfinite(scratch)):
        return QCoreApplication.translate("TransferView",
                                          "No accuracy to compare (regression task).")
    sentence = (QT_TRANSLATE_NOOP("TransferView", "On {n} images, fine-tuning reached {tuned} "
                                  "validation accuracy, {points} points better than from "
                                  "scratch ({scratch}).") if tuned > scratch else
                QT_TRANSLATE_NOOP("TransferView", "On {n} images, fine-tuning reached {tuned} "
                                  "validation accuracy, {points} points worse than from "
                                  "scratch ({scratch})."))
    return _tr(sentence).format(n=result.n_train, tuned=f"{tuned:.1%}",
                                points=f"{abs(tuned - scratch) * 100:.1f}",
                                scratch=f"{scratch:.1%}")
