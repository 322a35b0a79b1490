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
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
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
from widgets.plots.streamed_curves import StreamedCurves

COLORS = dict(zip(TWINS, RUN_COLORS, strict=False))
PATIENCE = 5  # epochs without a better validation loss before early stopping
VAL_SAMPLES = 1000  # validation set size unless the project sets one
# Used when the project has no augmentation of its own: mild, shape-preserving changes.
DEFAULT_AUGMENT = AugmentConfig(rotation=15.0, crop=2, noise=0.05)
ROWS = ((QT_TRANSLATE_NOOP("OverfittingView", "train loss"), "train_loss"),
        (QT_TRANSLATE_NOOP("OverfittingView", "val loss"), "val_loss"),
        (QT_TRANSLATE_NOOP("OverfittingView", "gap (val − train)"), "gap"),
        (QT_TRANSLATE_NOOP("OverfittingView", "train acc"), "train_acc"),
        (QT_TRANSLATE_NOOP("OverfittingView", "val acc"), "val_acc"),
        (QT_TRANSLATE_NOOP("OverfittingView", "epochs"), "epochs"))
TWIN_NAMES = {"plain": QT_TRANSLATE_NOOP("OverfittingView", "plain"),
              "regularised": QT_TRANSLATE_NOOP("OverfittingView", "regularised")}


def _tr(text: str) -> str:
    return QCoreApplication.translate("OverfittingView", text)


def batch_size_for(n_train: int, project_batch: int) -> int:
    """A small subset still needs several steps per epoch, or the twins barely learn."""
    return max(1, min(project_batch, n_train // 4))


class OverfittingView(LabView):
    TITLE = QT_TRANSLATE_NOOP("LabView", "Overfitting twins")
    EXPLAIN_EN = (
        "Two copies of your network start from identical weights and train on the same small "
        "subset: the plain twin memorises it, so its training loss keeps falling while its "
        "validation loss rises again. The shaded band is the generalisation gap (validation − "
        "training loss); dropout, weight decay, augmentation or early stopping in the "
        "regularised twin keep it narrow.")
    EXPLAIN_DE = (
        "Zwei Kopien Ihres Netzes starten mit denselben Gewichten und lernen auf derselben "
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
        self.subset_slider.setToolTip(self.tr("How many training samples both twins see"))
        self.subset_label = QLabel()
        self.subset_slider.valueChanged.connect(self._show_subset)
        self.dropout_spin = _spin(0.0, 0.9, 0.05, 0.5, 2,
                                  self.tr("Dropout rate of the regularised twin"))
        self.decay_spin = _spin(0.0, 0.1, 0.005, 0.01, 3,
                                self.tr("Weight decay of the regularised twin"))
        self.augment_check = QCheckBox(self.tr("augmentation"))
        self.augment_check.setToolTip(self.tr("Regularised twin trains on augmented images "
                                              "(the project's augmentation, or "
                                              "rotation/crop/noise)"))
        self.early_check = QCheckBox(self.tr("early stopping"))
        self.early_check.setToolTip(self.tr("Regularised twin stops after {n} epochs without a "
                                            "better validation loss and keeps its best epoch")
                                    .format(n=PATIENCE))
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 500)
        self.epochs_spin.setValue(40)
        self.epochs_spin.setToolTip(self.tr("Epochs of each twin"))
        self.run_button = QPushButton(self.tr("Run twins"))
        self.run_button.setToolTip(self.tr("Train both twins from the same initial weights"))
        self.run_button.clicked.connect(self.start_twins)
        # Two rows: what both twins get, then what only the regularised one gets (one row
        # squeezed the subset slider to nothing once the labels were German).
        controls = QHBoxLayout()
        controls.setSpacing(8)
        for widget in (QLabel(self.tr("subset")), self.subset_slider, self.subset_label,
                       QLabel(self.tr("epochs")), self.epochs_spin, self.run_button):
            controls.addWidget(widget, 1 if widget is self.subset_slider else 0)
        regularised = QHBoxLayout()
        regularised.setSpacing(8)
        for widget in (QLabel(self.tr("regularised twin:")), QLabel(self.tr("dropout")),
                       self.dropout_spin, QLabel(self.tr("weight decay")), self.decay_spin,
                       self.augment_check, self.early_check):
            regularised.addWidget(widget)
        regularised.addStretch(1)
        self.body.addLayout(controls)
        self.body.addLayout(regularised)
        self._show_subset(self.subset_slider.value())

        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.setLabel("left", self.tr("loss"))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setMinimumHeight(120)
        self.plot.addLegend(offset=(-5, 5), labelTextSize="8pt", colCount=2)
        self.curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        for twin in TWINS:
            color = QColor(COLORS[twin])
            for metric, style in (("train_loss", Qt.PenStyle.SolidLine),
                                  ("val_loss", Qt.PenStyle.DashLine)):
                name = (self.tr("{twin} train") if metric == "train_loss"
                        else self.tr("{twin} val")).format(twin=_tr(TWIN_NAMES[twin]))
                self.curves[twin, metric] = self.plot.plot(
                    [], [], name=name, pen=pg.mkPen(color, width=2, style=style))
            fill = QColor(color)
            fill.setAlpha(45)
            gap = pg.FillBetweenItem(self.curves[twin, "train_loss"],
                                     self.curves[twin, "val_loss"], brush=fill)
            self.plot.addItem(gap)
        self.table = QTableWidget(len(ROWS), len(TWINS))
        self.table.setHorizontalHeaderLabels([_tr(TWIN_NAMES[twin]) for twin in TWINS])
        self.table.setVerticalHeaderLabels([_tr(label) for label, _key in ROWS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setFixedWidth(330)
        self.table.horizontalHeader().setDefaultSectionSize(95)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.summary = caption("", muted=True)
        self.streamed = StreamedCurves(self.curves)
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
        self.streamed.clear()
        self.result = None
        self.table.clearContents()
        self.summary.setText("")

    def _show_subset(self, value: int) -> None:
        self.subset_label.setText(self.tr("{n} samples").format(n=f"{value:4d}"))

    # -- the computation --

    def start_twins(self) -> None:
        """Start both twins on the document's network and dataset (off the GUI thread)."""
        if self.doc is None:
            self.show_problem(self.tr("This view needs a project: open or build a network "
                                      "first."))
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

        self.start_job(self.tr("Training twins on {n} samples").format(n=n_train), call,
                       self._show_result, on_partial=self.streamed.add_epoch)
        info = DATASETS.get(project.data.name)
        if self.augment_check.isChecked() and info is not None and info.kind != "image":
            self.show_problem(self.tr("Augmentation only changes images: it is ignored for "
                                      "the '{name}' dataset (choose an image dataset).")
                              .format(name=project.data.name))

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
        best = QCoreApplication.translate("OverfittingView", " (best {n})")
        return f"{value:.0f}" + (best.format(n=stopped_at) if stopped_at else "")
    if not math.isfinite(value):
        return "–"
    return f"{value:.1%}" if key.endswith("acc") else f"{value:.3f}"


def _summary(result: TwinResult) -> str:
    """One sentence on what the plain twin did, in numbers."""
    m = result.histories["plain"].metrics
    if not m["val_loss"]:
        return QCoreApplication.translate("OverfittingView", "No epoch finished.")
    best = int(np.argmin(m["val_loss"]))
    plain = result.histories["plain"].final()
    regularised = result.histories["regularised"].final()
    return QCoreApplication.translate(
        "OverfittingView",
        "Plain twin on {n} samples: validation loss lowest {low} at epoch {epoch}, final "
        "{final}; final gap plain {gap_plain} vs regularised {gap_reg}.").format(
        n=result.n_train, low=f"{m['val_loss'][best]:.3f}", epoch=best + 1,
        final=f"{plain['val_loss']:.3f}",
        gap_plain=f"{plain['val_loss'] - plain['train_loss']:.3f}",
        gap_reg=f"{regularised['val_loss'] - regularised['train_loss']:.3f}")
