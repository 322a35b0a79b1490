"""The first convolution's filters as little pictures: what pattern each one looks for.

Filters are shown on a diverging scale (blue negative, white zero, red positive), all divided
by the same largest weight, so strong and weak filters can be told apart. Colour inputs
(3 channels) are shown as RGB pictures instead.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.core.probes import Snapshot
from widgets.plots.common import DIVERGING_LUT, ClickableImage, caption, fit, image_view, mosaic

MAX_FILTERS = 64


def filter_tiles(filters: np.ndarray) -> tuple[np.ndarray, bool]:
    """(N, C, k, k) weights -> (tiles, rgb): RGB tiles in [0, 1] for 3 input channels,
    else the channel mean in [-1, 1]."""
    filters = filters[:MAX_FILTERS]
    scale = float(np.abs(filters).max()) or 1.0
    if filters.shape[1] == 3:
        return np.moveaxis(filters / scale * 0.5 + 0.5, 1, -1), True
    return filters.mean(axis=1) / scale, False


class FiltersView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = caption(self.tr("First-layer filters"), bold=True)
        self.view, self.box = image_view(60)
        self.view.setToolTip(self.tr("Each tile is a pattern the first layer looks for. Blue: "
                                     "negative weight, white: zero, red: positive; all tiles "
                                     "share one scale."))
        self.image = ClickableImage()
        self.box.addItem(self.image)
        self.note = caption(self.tr("Blue: −, red: +"), muted=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        self._geometry: tuple[int, ...] = ()

    def clear(self) -> None:
        self.title.setText(self.tr("First-layer filters"))
        self.note.setText(self.tr("Blue: −, red: +"))
        self.image.clear()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        if snapshot.filters is None:
            self.title.setText(self.tr("First-layer filters"))
            self.note.setText(self.tr("This network has no convolution layer, so there are no "
                                      "filter pictures."))
            self.image.clear()
            return
        tiles, rgb = filter_tiles(snapshot.filters)
        picture, _rows, _cols = mosaic(tiles)
        self.image.setImage(picture, levels=(0, 1) if rgb else (-1, 1), autoLevels=False,
                            lut=None if rgb else DIVERGING_LUT)
        if picture.shape != self._geometry:
            self._geometry = picture.shape
            fit(self.box, picture.shape[1], picture.shape[0])
        n, c, k = snapshot.filters.shape[:3]
        channels = "RGB" if rgb else (self.tr("1 channel") if c == 1 else
                                      self.tr("mean of {c} channels").format(c=c))
        self.title.setText(self.tr("Filters of {layer}").format(layer=snapshot.filters_layer))
        self.note.setText(self.tr("{n} filters of {k}×{k}, {channels}. Blue: −, red: +").format(
            n=n, k=k, channels=channels))
