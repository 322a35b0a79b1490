"""Shared plumbing of the training plots: pyqtgraph defaults, colour maps, image mosaics.

All plots are built once and then only fed new arrays (setData / setImage with fixed levels),
which keeps a live dashboard cheap enough to redraw several times a second.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QElapsedTimer, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from widgets.canvas import style

# Row-major images: a numpy (H, W) array shows as it prints, like every other image library.
pg.setConfigOptions(imageAxisOrder="row-major", background="w", foreground="#1f2328",
                    antialias=True)

RUN_COLORS = ("#1f6feb", "#e07b1f", "#1a7f37", "#c2417a", "#8a5cc7", "#1a9c8c")
SEQUENTIAL = pg.colormap.get("viridis")
DIVERGING = pg.colormap.get("CET-D1")  # blue - white - red, for values of either sign
WARM = pg.ColorMap([0.0, 0.4, 1.0], [QColor("#ffffff"), QColor("#f0a030"), QColor("#6e1010")])
BLUES = pg.ColorMap([0.0, 1.0], [QColor("#ffffff"), QColor("#1f4fa8")])

SEQUENTIAL_LUT = SEQUENTIAL.getLookupTable(nPts=256)
DIVERGING_LUT = DIVERGING.getLookupTable(nPts=256)
WARM_LUT = WARM.getLookupTable(nPts=256)  # white - orange - dark red: counts
BLUES_LUT = BLUES.getLookupTable(nPts=256)
GREY_LUT = np.repeat(np.arange(256, dtype=np.ubyte)[:, None], 3, axis=1)


LIVE_GAP_MS = 25  # from the end of one view's live redraw to the next: the GUI answers in between


class LiveDraws(QObject):
    """Spreads the live redraws of the run views over turns of the event loop, one view per
    turn and LIVE_GAP_MS apart, so no turn draws (and then paints) curves, feature maps and
    histograms together: each turn stays short and the GUI answers a drag in between. A view
    that asks again before its turn keeps its place and draws only once, the newest."""

    drew = Signal(QObject)  # the owner whose redraw was just done (tests, benchmarks)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # id(owner) -> (owner, draw), in order of asking
        self._pending: dict[int, tuple[QObject, Callable[[], None]]] = {}
        self._owners: set[int] = set()  # owners whose destruction drops their request
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._draw_next)
        self._since = QElapsedTimer()

    def request(self, owner: QObject, draw: Callable[[], None]) -> None:
        """Call `draw` (which draws `owner`) at its turn; a request of the same owner that
        is still waiting is replaced."""
        key = id(owner)
        if key not in self._owners:
            self._owners.add(key)
            owner.destroyed.connect(lambda _obj=None, key=key: self._forget(key))
        self._pending[key] = (owner, draw)
        self._schedule()

    def pending(self) -> int:
        return len(self._pending)

    def draw_now(self, owner: QObject) -> None:
        """Do `owner`'s waiting redraw at once (if it has one)."""
        entry = self._pending.pop(id(owner), None)
        if entry is not None:
            entry[1]()
            self.drew.emit(owner)

    def cancel(self, owner: QObject) -> None:
        """Drop `owner`'s waiting redraw (it was cleared: the old picture must not return)."""
        self._pending.pop(id(owner), None)

    def _forget(self, key: int) -> None:
        self._pending.pop(key, None)
        self._owners.discard(key)

    def _schedule(self) -> None:
        if self._pending and not self._timer.isActive():
            since = self._since.elapsed() if self._since.isValid() else LIVE_GAP_MS
            self._timer.start(max(0, LIVE_GAP_MS - since))

    def _draw_next(self) -> None:
        if not self._pending:  # cancelled before the timer fired
            return
        owner, draw = self._pending.pop(next(iter(self._pending)))
        try:
            draw()
        finally:
            self._since.start()  # the gap counts from the end of a draw: the GUI's own time
            self._schedule()
        self.drew.emit(owner)


def draw_when_due(owner: QObject, live: bool, draw: Callable[[], None]) -> None:
    """Following a running run, `draw` waits for its turn in `live_draws`; otherwise (a finished
    run, replay, another layer chosen) it draws now: the learner waits for this one picture."""
    if live:
        live_draws().request(owner, draw)
    else:
        draw()


def draw_when_idle(owner: QObject, controller: QObject) -> None:
    """When a run has ended (`controller` turns "idle"), `owner` draws a live redraw that still
    waits at once: the newest picture of a finished run does not wait for a turn."""
    controller.stateChanged.connect(
        lambda state: live_draws().draw_now(owner) if state == "idle" else None)


_live_draws: LiveDraws | None = None


def live_draws() -> LiveDraws:
    """The one queue of live redraws of this GUI (made on first use, after QApplication)."""
    global _live_draws
    if _live_draws is None:
        _live_draws = LiveDraws()
    return _live_draws


def run_color(run_id: int) -> str:
    return RUN_COLORS[(run_id - 1) % len(RUN_COLORS)]


def caption(text: str = "", bold: bool = False, muted: bool = False) -> QLabel:
    """A small label for plot titles and explanations."""
    label = QLabel(text)
    label.setFont(style.ui_font(9, bold=bold))
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if muted:
        label.setStyleSheet(f"color: {style.MUTED.name()}")
    return label


class _SidewaysScroll(QScrollArea):
    """Scrolls only sideways: it asks for its content's full minimum height, so tall
    content still sizes the dock, but not for its minimum width."""

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        height = content.minimumSizeHint().height() if content is not None else 0
        return QSize(super().minimumSizeHint().width(), height)


def scroll_inside(owner: QWidget) -> QVBoxLayout:
    """A layout for `owner`'s content inside a frameless, sideways scroll area: a tab whose
    content is wider than the dock scrolls instead of forcing the dock (and the window)
    wider and squeezing the layer palette at 1280x800."""
    content = QWidget()
    area = _SidewaysScroll()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    return QVBoxLayout(content)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value (value > 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def grow_range(plot: pg.PlotItem, axis: str, newest: float, shown: float,
               least: float = 1.0, ahead: float = 1.25) -> float:
    """Show 0 .. a round number at least `ahead` times `newest` on `axis` ("x" or "y") of
    `plot`, but only when `newest` has passed the range `shown` (or fell under a quarter of
    it); returns the range's new top. A range that follows every new value makes the axes
    redraw their ticks and labels each time, the costliest part of a live plot."""
    if newest <= shown and (newest > shown / 4 or shown <= least):
        return shown
    top = nice_ceiling(max(least, newest * ahead))
    if axis == "x":
        plot.setXRange(0, top, padding=0.02)
    else:
        plot.setYRange(0, top, padding=0.02)
    return top


def settle_ranges(*plots: pg.PlotItem) -> None:
    """Fit the auto ranges to new data now, not when the plots are about to be painted: that
    late fit changes the range during the paint and makes the plots paint a second time."""
    for plot in plots:
        plot.vb.prepareForPaint()


def keep_plots_whole(widget: pg.GraphicsLayoutWidget) -> None:
    """Never let a splitter make `widget` narrower than its plots' titles and axes need:
    pyqtgraph would draw them past the edge, cut off, instead of shrinking them."""
    widget.ci.layout.invalidate()  # drop a size cached before the titles and labels were set
    minimum = widget.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize).width()
    widget.setMinimumWidth(math.ceil(minimum) + 2)


def image_view(min_height: int = 60) -> tuple[pg.GraphicsLayoutWidget, pg.ViewBox]:
    """A bare view for images: square pixels, y down like the picture, no mouse zooming."""
    widget = pg.GraphicsLayoutWidget()
    widget.ci.setContentsMargins(1, 1, 1, 1)
    widget.setMinimumHeight(min_height)
    box = widget.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
    box.setMenuEnabled(False)
    box.setDefaultPadding(0.01)
    return widget, box


def grid_shape(n: int, max_cols: int | None = None) -> tuple[int, int]:
    """(rows, cols) of a near-square grid for n tiles."""
    cols = max(1, math.ceil(math.sqrt(n)))
    if max_cols is not None:
        cols = min(cols, max_cols)
    return math.ceil(n / cols) if n else 0, cols


def mosaic(tiles: np.ndarray, cols: int | None = None, pad: int = 1,
           fill: float = np.nan) -> tuple[np.ndarray, int, int]:
    """Tile (N, H, W) or (N, H, W, 3) arrays into one picture with `pad` pixel gaps.

    Returns (picture, rows, cols). Gaps are NaN by default, which image items leave
    transparent, so tiles stand apart on any background.
    """
    n, h, w = tiles.shape[:3]
    rows, cols = grid_shape(n) if cols is None else (math.ceil(n / cols), cols)
    extra = tiles.shape[3:]
    out = np.full((rows * (h + pad) - pad, cols * (w + pad) - pad, *extra), fill,
                  dtype=np.float32)
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * (h + pad):r * (h + pad) + h, c * (w + pad):c * (w + pad) + w] = tiles[i]
    return out, rows, cols


def tile_at(x: float, y: float, tile_h: int, tile_w: int, cols: int, n: int,
            pad: int = 1) -> int | None:
    """Index of the mosaic tile under image coordinates (x, y), or None for a gap."""
    if x < 0 or y < 0:
        return None
    c, cx = divmod(int(x), tile_w + pad)
    r, ry = divmod(int(y), tile_h + pad)
    index = r * cols + c
    if cx >= tile_w or ry >= tile_h or c >= cols or index >= n:
        return None
    return index


def as_display_image(image: np.ndarray) -> np.ndarray:
    """(C, H, W) in [0, 1] -> (H, W) grey or (H, W, 3) RGB for display."""
    if image.ndim == 3 and image.shape[0] == 3:
        return np.clip(np.moveaxis(image, 0, -1), 0, 1)
    return image[0] if image.ndim == 3 else image


def to_pixmap(image: np.ndarray, size: int) -> QPixmap:
    """A (C, H, W) image in [0, 1] as a crisp pixmap of `size` x `size` (nearest neighbour)."""
    pic = (np.clip(as_display_image(image), 0, 1) * 255).astype(np.uint8)
    pic = np.ascontiguousarray(pic)
    h, w = pic.shape[:2]
    if pic.ndim == 3:
        qimage = QImage(pic.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    else:
        qimage = QImage(pic.data, w, h, w, QImage.Format.Format_Grayscale8)
    # copy(): the QImage must not outlive the numpy buffer it points into
    return QPixmap.fromImage(qimage.copy()).scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)


class ClickableImage(pg.ImageItem):
    """An ImageItem that reports left clicks in image (pixel) coordinates."""

    clicked = Signal(float, float)

    def mouseClickEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            pos = ev.pos()
            self.clicked.emit(pos.x(), pos.y())
            ev.accept()


def fit(box: pg.ViewBox, width: float, height: float) -> None:
    """Show exactly the image area (called when the picture's size changes, not per frame)."""
    box.setRange(QRectF(0, 0, width, height), padding=0.02)
