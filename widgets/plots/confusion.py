"""Results after each epoch: which classes get confused, and the validation images missed.

Rows are the true class and columns the predicted one; cells are coloured by the share of the
row (so small classes are as visible as big ones) and labelled with the raw counts.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.probes import Misclassified
from widgets.plots.common import BLUES_LUT, caption, to_pixmap
from widgets.plots.run_view import RunView

WAITING = QT_TRANSLATE_NOOP("ResultsView", "Results appear after the first epoch of a "
                            "classification run.")
MAX_CELL_LABELS = 20  # beyond 20 classes the counts would be unreadable
THUMB = 48


class _CellCounts(pg.GraphicsObject):
    """The count in every cell, drawn by one item at screen size (a TextItem per cell costs
    about a millisecond each to make, which would stall the first epoch's update)."""

    def __init__(self) -> None:
        super().__init__()
        self.matrix = np.zeros((0, 0), dtype=np.int64)
        self.share = np.zeros((0, 0))
        self.font = QFont()

    def set_counts(self, matrix: np.ndarray, share: np.ndarray) -> None:
        self.prepareGeometryChange()
        self.matrix, self.share = matrix, share
        self.font.setPointSizeF(8 if len(matrix) <= 10 else 7)
        self.update()

    def boundingRect(self) -> QRectF:
        k = len(self.matrix)
        return QRectF(-0.5, -0.5, k, k)

    def paint(self, painter: QPainter, *_args) -> None:
        k = len(self.matrix)
        if k > MAX_CELL_LABELS:
            return
        to_screen = painter.transform()
        painter.resetTransform()
        painter.setFont(self.font)
        for i, j in np.ndindex(k, k):
            if self.matrix[i, j]:
                centre = to_screen.map(QPointF(j, i))
                painter.setPen(QColor("#ffffff" if self.share[i, j] > 0.55 else "#1f2328"))
                painter.drawText(QRectF(centre.x() - 30, centre.y() - 10, 60, 20),
                                 Qt.AlignmentFlag.AlignCenter, str(int(self.matrix[i, j])))


class ConfusionView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = caption(self.tr("Confusion matrix: after the first epoch"), bold=True)
        self.plots = pg.GraphicsLayoutWidget()
        self.plot = self.plots.addPlot()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.plot.setLabel("left", self.tr("true class"))
        self.plot.setLabel("bottom", self.tr("predicted class"))
        self.image = pg.ImageItem(lut=BLUES_LUT, levels=(0, 1))
        self.plot.addItem(self.image)
        self.counts = _CellCounts()
        self.plot.addItem(self.counts)
        self.classes: tuple[str, ...] = ()
        self.matrix: np.ndarray | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plots, 1)

    def clear(self) -> None:
        self.matrix = None
        self.image.clear()
        self.counts.set_counts(np.zeros((0, 0)), np.zeros((0, 0)))
        self.title.setText(self.tr("Confusion matrix: after the first epoch"))

    def show_matrix(self, matrix: np.ndarray, classes: tuple[str, ...], epoch: int,
                    val_acc: float | None, run: int | None = None) -> None:
        self.matrix = matrix
        k = len(matrix)
        rows = matrix.sum(axis=1, keepdims=True)
        share = matrix / np.where(rows > 0, rows, 1)
        self.image.setImage(share.astype(np.float32), levels=(0, 1), autoLevels=False)
        self.image.setRect(QRectF(-0.5, -0.5, k, k))
        self.counts.set_counts(matrix, share)
        if classes != self.classes:
            self._set_classes(classes, k)
        if run is None:
            title = self.tr("Confusion matrix after epoch {epoch}").format(epoch=epoch)
        else:
            title = self.tr("Confusion matrix of run {run} after epoch {epoch}").format(
                run=run, epoch=epoch)
        if val_acc is not None:
            title += self.tr(", validation accuracy {acc}").format(acc=f"{val_acc:.1%}")
        self.title.setText(title)

    def _set_classes(self, classes: tuple[str, ...], k: int) -> None:
        """Axis ticks and range (only when the classes change)."""
        self.classes = classes
        short = [name if len(name) <= 14 else name[:13] + "…" for name in classes]
        self.plot.getAxis("left").setTicks([[(i, f"{s} ({i})") for i, s in enumerate(short)]])
        self.plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(k)]])
        self.plot.setRange(xRange=(-0.5, k - 0.5), yRange=(-0.5, k - 0.5), padding=0)


class MisclassifiedGallery(QWidget):
    """Thumbnails of wrongly classified validation images with their true and predicted class."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = caption(self.tr("Misclassified validation images"), bold=True)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 50, THUMB + 34))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        font = self.list.font()
        font.setPointSizeF(7.5)
        self.list.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)

    def show_examples(self, wrong: Misclassified, classes: tuple[str, ...], n_val: int,
                      total_wrong: int) -> None:
        self.list.clear()
        title = self.tr("Misclassified validation images: {wrong} of {n}").format(
            wrong=total_wrong, n=n_val)
        if total_wrong > len(wrong.indices):
            title += self.tr(" (first {shown} shown)").format(shown=len(wrong.indices))
        self.title.setText(title)
        if wrong.images is None:
            self.list.addItem(self.tr("Pictures are shown for image datasets only."))
            return
        for image, true, pred, index in zip(wrong.images, wrong.y_true, wrong.y_pred,
                                            wrong.indices, strict=True):
            item = QListWidgetItem(QIcon(to_pixmap(image, THUMB)),
                                   f"{_name(classes, true)}\n→ {_name(classes, pred)}")
            item.setToolTip(self.tr("validation image {index}: true class {true}, predicted "
                                    "{pred}").format(index=int(index), true=_name(classes, true),
                                                     pred=_name(classes, pred)))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.list.addItem(item)


def _name(classes: tuple[str, ...], index) -> str:
    i = int(index)
    return classes[i] if i < len(classes) else str(i)


class ResultsView(QWidget, RunView):
    """Confusion matrix (left) and misclassified gallery (right), refreshed each epoch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.confusion = ConfusionView()
        self.gallery = MisclassifiedGallery()
        self.note = caption(self.tr(WAITING), muted=True)
        row = QHBoxLayout()
        row.addWidget(self.confusion, 5)
        row.addWidget(self.gallery, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note)
        layout.addLayout(row, 1)
        self.epochs_shown = 0
        self._latest: dict | None = None
        self._shown: dict | None = None

    def add_epoch(self, payload: dict) -> None:
        """Only the newest epoch is drawn, and only when the tab is visible (or becomes so)."""
        self._latest = payload
        if self.isVisible():
            self.show_epoch(payload)

    def showEvent(self, event) -> None:
        if self._latest is not None and self._latest is not self._shown:
            self.show_epoch(self._latest)
        super().showEvent(event)

    def clear(self) -> None:
        self.confusion.clear()
        self.gallery.list.clear()
        self.note.setText(self.tr(WAITING))
        self.epochs_shown = 0
        self._latest = self._shown = None

    def show_epoch(self, payload: dict) -> None:
        self._shown = payload
        if "confusion" not in payload:
            self.note.setText(self.tr("Epoch {epoch}: no confusion matrix for a regression "
                                      "task.").format(epoch=payload["epoch"]))
            return
        matrix, classes = payload["confusion"], payload["classes"]
        val_acc = payload.get("val_acc")
        self.confusion.show_matrix(matrix, classes, payload["epoch"], val_acc, payload["run_id"])
        n_val = int(matrix.sum())
        self.gallery.show_examples(payload["misclassified"], classes, n_val,
                                   n_val - int(np.trace(matrix)))
        self.note.setText(self.tr("Read a row: of all images of that true class, how many the "
                                  "network called each class. Off-diagonal cells are mistakes."))
        self.epochs_shown += 1
