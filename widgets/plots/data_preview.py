"""A glimpse of the chosen dataset before training: sample images, 2-D points or sequences."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.core.datasets import DataBundle, sample_images
from widgets.plots.common import GREY_LUT, RUN_COLORS, caption, fit, mosaic

N_IMAGES = 8
N_SEQUENCES = 6


class DataPreview(QWidget):
    """One small plot whose items (image, scatter, lines) are made once and switched."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setFixedHeight(78)
        self.plots.ci.setContentsMargins(0, 0, 0, 0)
        self.box = self.plots.addViewBox(enableMouse=False)
        self.box.setMenuEnabled(False)
        self.image = pg.ImageItem()
        self.scatter = pg.ScatterPlotItem(size=3, pen=None)
        self.lines = [pg.PlotDataItem() for _ in range(N_SEQUENCES)]
        for item in (self.image, self.scatter, *self.lines):
            self.box.addItem(item)
        self.note = caption("", muted=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plots)
        layout.addWidget(self.note)

    def show_bundle(self, bundle: DataBundle) -> None:
        x, y = sample_images(bundle, N_IMAGES if bundle.kind == "image" else 400)
        for item in (self.image, self.scatter, *self.lines):
            item.setVisible(False)
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
            self.note.setText(f"{len(names)} classes · {_shape(bundle.input_shape)} · e.g. "
                              f"{shown}, …")
        elif bundle.kind == "points":
            self.box.invertY(False)
            self.box.setAspectLocked(True)
            brushes = [pg.mkBrush(RUN_COLORS[int(c) % len(RUN_COLORS)]) for c in y]
            self.scatter.setData(x[:, 0], x[:, 1], brush=brushes)
            self.scatter.setVisible(True)
            self.box.autoRange(padding=0.05)
            self.note.setText(f"2-D points · classes: {', '.join(names)}")
        else:
            self.box.invertY(False)
            self.box.setAspectLocked(False)
            for line, seq, label in zip(self.lines, x, y, strict=False):
                line.setData(seq.reshape(len(seq), -1)[:, 0],
                             pen=pg.mkPen(RUN_COLORS[int(label) % len(RUN_COLORS)], width=1.5))
                line.setVisible(True)
            self.box.autoRange(padding=0.05)
            self.note.setText(f"sequences of {bundle.input_shape[0]} steps · classes: "
                              f"{', '.join(names)}")

    def show_problem(self, message: str) -> None:
        for item in (self.image, self.scatter, *self.lines):
            item.setVisible(False)
        self.note.setText(message)


def _shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(s) for s in shape)
