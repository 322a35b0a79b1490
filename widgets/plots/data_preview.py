"""A glimpse of the chosen dataset before training: sample images, 2-D points or sequences."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from app.core import translation
from app.core.datasets import DataBundle, sample_images
from widgets.plots.common import GREY_LUT, RUN_COLORS, caption, fit, mosaic

N_IMAGES = 8
N_SEQUENCES = 6
HEIGHT = 78  # a strip of sample images or sequences
POINTS_HEIGHT = 240  # a whole 2-D point set grows into the room the Data box has


class DataPreview(QWidget):
    """One small plot whose items (image, scatter, lines) are made once and switched."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setMinimumHeight(HEIGHT)
        self.plots.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.plots.ci.setContentsMargins(0, 0, 0, 0)
        self.box = self.plots.addViewBox(enableMouse=False)
        self.box.setMenuEnabled(False)
        self.image = pg.ImageItem()
        self.scatter = pg.ScatterPlotItem(size=3, pen=None)
        self.val_scatter = pg.ScatterPlotItem(size=5, symbol="s",
                                              pen=pg.mkPen((0, 0, 0, 150), width=0.6))
        self.lines = [pg.PlotDataItem() for _ in range(N_SEQUENCES)]
        for item in self._items():
            self.box.addItem(item)
        self.note = caption("", muted=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plots)
        layout.addWidget(self.note)
        layout.addStretch(1)  # the note stays right under the plot

    def _items(self) -> tuple[pg.GraphicsObject, ...]:
        return (self.image, self.scatter, self.val_scatter, *self.lines)

    def show_bundle(self, bundle: DataBundle) -> None:
        """A few samples of images and sequences; a 2-D point set whole (training points as
        dots, validation points as squares): it is what the run trains and is judged on."""
        for item in self._items():
            item.setVisible(False)
        self.plots.setMaximumHeight(POINTS_HEIGHT if bundle.kind == "points" else HEIGHT)
        self.plots.setVisible(bundle.kind != "text")
        if bundle.kind == "text":  # token ids: phrase pairs read better as words than as plots
            self.note.setText(self.tr("Phrase pairs, e.g. {pairs}").format(
                pairs=translation.preview(bundle.x_train.cpu(), bundle.y_train.cpu())))
            return
        x, y = sample_images(bundle, N_IMAGES if bundle.kind == "image" else N_SEQUENCES)
        names = bundle.classes
        if bundle.kind == "image":
            pictures = np.moveaxis(x, 1, -1) if x.shape[1] == 3 else x[:, 0]
            picture, _rows, _cols = mosaic(pictures, cols=len(pictures), pad=2)
            self.box.invertY(True)
            self.box.setAspectLocked(True)
            self.image.setImage(picture, levels=(0, 1), autoLevels=False,
                                lut=None if picture.ndim == 3 else GREY_LUT)
            self.image.setVisible(True)
            fit(self.box, picture.shape[1], picture.shape[0])
            shown = ", ".join(names[int(i)] for i in y[:4])
            self.note.setText(self.tr("{n} classes · {shape} · e.g. {examples}, …").format(
                n=len(names), shape=_shape(bundle.input_shape), examples=shown))
        elif bundle.kind == "points":
            self.box.invertY(False)
            self.box.setAspectLocked(True)
            for item, xs, ys in ((self.scatter, bundle.x_train, bundle.y_train),
                                 (self.val_scatter, bundle.x_val, bundle.y_val)):
                points, labels = xs.cpu().numpy(), ys.cpu().numpy()
                item.setData(points[:, 0], points[:, 1], brush=_class_brushes(labels))
                item.setVisible(True)
            self.box.autoRange(padding=0.05)
            self.note.setText(self.tr("2-D points · {train} training (●), {val} validation (■) "
                                      "· classes: {classes}").format(
                train=len(bundle.x_train), val=len(bundle.x_val), classes=", ".join(names)))
        else:
            self.box.invertY(False)
            self.box.setAspectLocked(False)
            for line, seq, label in zip(self.lines, x, y, strict=False):
                line.setData(seq.reshape(len(seq), -1)[:, 0],
                             pen=pg.mkPen(RUN_COLORS[int(label) % len(RUN_COLORS)], width=1.5))
                line.setVisible(True)
            self.box.autoRange(padding=0.05)
            self.note.setText(self.tr("sequences of {steps} steps · classes: {classes}").format(
                steps=bundle.input_shape[0], classes=", ".join(names)))

    def show_problem(self, message: str) -> None:
        for item in self._items():
            item.setVisible(False)
        self.note.setText(message)


def _class_brushes(labels: np.ndarray) -> list[pg.QtGui.QBrush]:
    brushes = [pg.mkBrush(color) for color in RUN_COLORS]
    return [brushes[int(c) % len(brushes)] for c in labels]


def _shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(s) for s in shape)
