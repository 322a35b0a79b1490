"""Overfitting twins: the canvas network trained twice from identical weights on a small
subset, plain and regularised, with both twins' curves and their generalisation gap shaded.

The view runs its own computation (`app.core.twin_run.run_twins`) in a background job on the
document's graph and data settings; the main run is not needed. Epochs stream in live.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.core.datasets import DATASETS, AugmentConfig
from app.core.experiment import load_data
from app.core.twin_run import TWINS, Regularisation, TwinResult, run_twins
from app.document import Document
from widgets.lab.base import LabView
from widgets.plots.common import RUN_COLORS, caption
from widgets.plots.run_view import ViewContext

COLORS = dict(zip(TWINS, RUN_COLORS, strict=False))
PATIENCE = 5  # epochs without a better validation loss before early stopping
VAL_SAMPLES = 1000  # validation set size unless the project sets one
# Used when the project has no augmentation of its own: mild, shape-preserving changes.
DEFAULT_AUGMENT = AugmentConfig(rotation=15.0, crop=2, noise=0.05)
ROWS = (("train loss", "train_loss"), ("val loss", "val_loss"), ("gap (val − train)", "gap"),
        ("train acc", "train_acc"), ("val acc", "val_acc"), ("epochs", "epochs"))


def batch_size_for(n_train: int, project_batch: int) -> int:
    """A small subset still needs several steps per epoch, or the twins barely learn."""
    return max(1, min(project_batch, n_train // 4))


class OverfittingView(LabView):
    TITLE = "Overfitting twins"
    EXPLAIN_EN = (
        "Two copies of your network start from identical weights and train on the same small "
        "subset: the plain twin memorises it, so its training loss keeps falling while its "
        "validation loss rises again. The shaded band is the generalisation gap (validation − "
        "training loss); dropout, weight decay, augmentation or early stopping in the "
        "regularised twin keep it narrow.")
    EXPLAIN_DE = (
        "Zwei Kopien deines Netzes starten mit denselben Gewichten und lernen auf derselben "
        "kleinen Teilmenge: Der einfache Zwilling lernt sie auswendig – der Trainingsverlust "
        "sinkt weiter, der Validierungsverlust steigt wieder (Überanpassung). Das schattierte "
        "Band ist die Generalisierungslücke (Validierungs- minus Trainingsverlust); Dropout, "
        "Gewichtsverfall (weight decay), Datenaugmentierung oder frühes Stoppen im regularisierten Zwilling "
        "halten sie schmal.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.history: dict[str, dict[str, list[float]]] = {}
        self.result: TwinResult | None = None  # the last finished twins

        self.subset_slider = QSlider(Qt.Orientation.Horizontal)
        self.subset_slider.setRange(16, 1000)
        self.subset_slider.setValue(48)
        self.subset_slider.setToolTip("How many training samples both twins see")
        self.subset_label = QLabel()
        self.subset_slider.valueChanged.connect(self._show_subset)
        self.dropout_spin = _spin(0.0, 0.9, 0.05, 0.5, 2, "Dropout rate of the regularised twin")
        self.decay_spin = _spin(0.0, 0.1, 0.005, 0.01, 3, "Weight decay of the regularised twin")
        self.augment_check = QCheckBox("augmentation")
        self.augment_check.setToolTip("Regularised twin trains on augmented images (the "
                                      "project's augmentation, or rotation/crop/noise)")
        self.early_check = QCheckBox("early stopping")
        self.early_check.setToolTip(f"Regularised twin stops after {PATIENCE} epochs without "
                                    "a better validation loss and keeps its best epoch")
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 500)
        self.epochs_spin.setValue(40)
        self.epochs_spin.setToolTip("Epochs of each twin")
        self.run_button = QPushButton("Run twins")
        self.run_button.setToolTip("Train both twins from the same initial weights")
        self.run_button.clicked.connect(self.start_twins)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        for widget in (QLabel("subset"), self.subset_slider, self.subset_label,
                       QLabel("dropout"), self.dropout_spin, QLabel("weight decay"),
                       self.decay_spin, self.augment_check, self.early_check,
                       QLabel("epochs"), self.epochs_spin, self.run_button):
            controls.addWidget(widget, 2 if widget is self.subset_slider else 0)
        self.body.addLayout(controls)
        self._show_subset(self.subset_slider.value())

        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "loss")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setMinimumHeight(120)
        self.plot.addLegend(offset=(-5, 5), labelTextSize="8pt", colCount=2)
        self.curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        for twin in TWINS:
            color = QColor(COLORS[twin])
            for metric, style in (("train_loss", Qt.PenStyle.SolidLine),
                                  ("val_loss", Qt.PenStyle.DashLine)):
                name = f"{twin} {'train' if metric == 'train_loss' else 'val'}"
                self.curves[twin, metric] = self.plot.plot(
                    [], [], name=name, pen=pg.mkPen(color, width=2, style=style))
            fill = QColor(color)
            fill.setAlpha(45)
            gap = pg.FillBetweenItem(self.curves[twin, "train_loss"],
                                     self.curves[twin, "val_loss"], brush=fill)
            self.plot.addItem(gap)
        self.table = QTableWidget(len(ROWS), len(TWINS))
        self.table.setHorizontalHeaderLabels(list(TWINS))
        self.table.setVerticalHeaderLabels([label for label, _key in ROWS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setFixedWidth(330)
        self.table.horizontalHeader().setDefaultSectionSize(95)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.summary = caption("", muted=True)
        side = QWidget()
        side_layout = QHBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.plot, 1)
        side_layout.addWidget(self.table)
        self.body.addWidget(side, 1)
        self.body.addWidget(self.summary)
        self.clear()

    def attach(self, ctx: ViewContext) -> None:
        self.doc = ctx.doc

    def clear(self) -> None:
        self.history = {twin: {"train_loss": [], "val_loss": []} for twin in TWINS}
        self.result = None
        for curve in self.curves.values():
            curve.setData([], [])
        self.table.clearContents()
        self.summary.setText("")

    def _show_subset(self, value: int) -> None:
        self.subset_label.setText(f"{value:4d} samples")

    # -- the computation --

    def start_twins(self) -> None:
        """Start both twins on the document's network and dataset (off the GUI thread)."""
        if self.doc is None:
            self.show_problem("This view needs a project: open or build a network first.")
            return
        project = self.doc.to_project()
        n_train = self.subset_slider.value()
        augment = project.data.augment if project.data.augment.active else DEFAULT_AUGMENT
        regularisation = Regularisation(
            dropout=self.dropout_spin.value(), weight_decay=self.decay_spin.value(),
            augment=augment if self.augment_check.isChecked() else AugmentConfig(),
            early_stopping=self.early_check.isChecked(), patience=PATIENCE)
        epochs = self.epochs_spin.value()
        config = replace(project.training, epochs=epochs,
                         batch_size=batch_size_for(n_train, project.training.batch_size))
        data_cfg = replace(project.data, n_train=n_train, n_val=project.data.n_val or VAL_SAMPLES)
        self.clear()

        def call(progress, post) -> TwinResult:
            data = load_data(data_cfg, config.seed)
            epochs_done = [0]

            def on_epoch(twin: str, metrics: dict[str, Any]) -> None:
                epochs_done[0] += 1
                progress(epochs_done[0], 2 * epochs)
                post((twin, metrics))

            return run_twins(project.graph, data, config, n_train, regularisation, on_epoch)

        self.start_job(f"Training twins on {n_train} samples", call, self._show_result,
                       on_partial=self._add_epoch)
        info = DATASETS.get(project.data.name)
        if self.augment_check.isChecked() and info is not None and info.kind != "image":
            self.show_problem("Augmentation only changes images: it is ignored for the "
                              f"'{project.data.name}' dataset (choose an image dataset).")

    def _add_epoch(self, value: tuple[str, dict[str, Any]]) -> None:
        twin, metrics = value
        for metric in ("train_loss", "val_loss"):
            values = self.history[twin][metric]
            values.append(float(metrics[metric]))
            self.curves[twin, metric].setData(np.arange(1, len(values) + 1), np.array(values))

    def _show_result(self, result: TwinResult) -> None:
        self.result = result
        for column, twin in enumerate(TWINS):
            history = result.histories[twin]
            final = history.final()
            final["gap"] = final["val_loss"] - final["train_loss"]
            final["epochs"] = len(history.epochs)
            for row, (_label, key) in enumerate(ROWS):
                self.table.setItem(row, column, QTableWidgetItem(_format(key, final[key],
                                                                         history.stopped_at)))
        self.summary.setText(_summary(result))


def _spin(low: float, high: float, step: float, value: float, decimals: int,
          tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setDecimals(decimals)
    spin.setValue(value)
    spin.setToolTip(tip)
    return spin


def _format(key: str, value: float, stopped_at: int | None) -> str:
    if key == "epochs":
        return f"{value:.0f}" + (f" (best {stopped_at})" if stopped_at else "")
    if not math.isfinite(value):
        return "–"
    return f"{value:.1%}" if key.endswith("acc") else f"{value:.3f}"


def _summary(result: TwinResult) -> str:
    """One sentence on what the plain twin did, in numbers."""
    m = result.histories["plain"].metrics
    if not m["val_loss"]:
        return "No epoch finished."
    best = int(np.argmin(m["val_loss"]))
    plain = result.histories["plain"].final()
    regularised = result.histories["regularised"].final()
    return (f"Plain twin on {result.n_train} samples: validation loss lowest "
            f"{m['val_loss'][best]:.3f} at epoch {best + 1}, final {plain['val_loss']:.3f}; "
            f"final gap plain {plain['val_loss'] - plain['train_loss']:.3f} vs regularised "
            f"{regularised['val_loss'] - regularised['train_loss']:.3f}.")
