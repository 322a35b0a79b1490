"""A pad to draw one's own input with the mouse: left button draws, right button erases.

Strokes are painted antialiased on a canvas eight times finer than the network's input and
then averaged down to the input size, so a drawn line has the soft edges of a scanned digit.
The pad shows exactly that downsampled picture, pixel by pixel: what the network sees. It keeps
only the ink coverage (0..1 per input pixel); turning coverage into input values in the
dataset's scaling is `app.core.saliency.render_drawing`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from widgets.canvas import style

SUPERSAMPLE = 8  # canvas pixels per input pixel, each way
PAD_PX = 168


class DrawingPad(QWidget):
    """Ink coverage at the model's input size, drawn with the mouse (see module docstring)."""

    changed = Signal()  # the ink changed (many times per stroke)
    strokeFinished = Signal()  # the mouse button was released

    def __init__(self, parent: QWidget | None = None, size_px: int = PAD_PX) -> None:
        super().__init__(parent)
        self.setFixedSize(size_px, size_px)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(self.tr("Draw with the left mouse button, erase with the right one"))
        self.brush = 2.5  # stroke width in input pixels
        self.background = QColor("black")
        self.ink = QColor("white")
        self._last: QPointF | None = None
        self._erasing = False
        self._picture: QImage | None = None  # the coverage in display colours, cached
        self.set_input_size(28, 28)

    # -- set-up --

    def set_input_size(self, height: int, width: int) -> None:
        """A new, empty canvas for inputs of height x width pixels."""
        if height < 1 or width < 1:
            raise ValueError(f"a drawing needs at least 1x1 pixels, not {height}x{width}")
        self.input_size = (int(height), int(width))
        self._canvas = QImage(width * SUPERSAMPLE, height * SUPERSAMPLE,
                              QImage.Format.Format_Grayscale8)
        self._canvas.fill(0)
        self._changed()

    def set_colours(self, background: QColor, ink: QColor) -> None:
        """Show the drawing in the dataset's colours (e.g. white on black for MNIST)."""
        self.background, self.ink = QColor(background), QColor(ink)
        self._picture = None
        self.update()

    def set_brush(self, width: float) -> None:
        self.brush = float(width)

    # -- the drawing --

    def coverage(self) -> np.ndarray:
        """(H, W) float32 in [0, 1]: how much of each input pixel the ink covers."""
        h, w = self.input_size
        canvas = self._canvas
        raw = np.frombuffer(canvas.constBits(), dtype=np.uint8,
                            count=canvas.bytesPerLine() * canvas.height())
        pixels = raw.reshape(canvas.height(), canvas.bytesPerLine())[:, :canvas.width()]
        return (pixels.reshape(h, SUPERSAMPLE, w, SUPERSAMPLE).mean((1, 3)) / 255.0
                ).astype(np.float32)

    def is_empty(self) -> bool:
        return not self.coverage().any()

    def clear(self) -> None:
        self._canvas.fill(0)
        self._changed()
        self.strokeFinished.emit()

    def stroke(self, points: Sequence[tuple[float, float]], erase: bool = False) -> None:
        """Draw a stroke through `points` given in input pixels (x, y), as a mouse would."""
        if not points:
            return
        scale = float(SUPERSAMPLE)
        path = [QPointF(x * scale, y * scale) for x, y in points]
        self._paint(path[0], path[0], erase)
        for a, b in zip(path, path[1:], strict=False):
            self._paint(a, b, erase)
        self.strokeFinished.emit()

    def _paint(self, a: QPointF, b: QPointF, erase: bool) -> None:
        painter = QPainter(self._canvas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(0, 0, 0) if erase else QColor(255, 255, 255),
                   self.brush * SUPERSAMPLE * (2.0 if erase else 1.0))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        if a == b:
            painter.drawPoint(a)
        else:
            painter.drawLine(a, b)
        painter.end()
        self._changed()

    def _changed(self) -> None:
        self._picture = None
        self.update()
        self.changed.emit()

    # -- mouse --

    def _target(self) -> QRectF:
        """Where the picture sits in the widget: centred, with the input's aspect ratio."""
        h, w = self.input_size
        side = min((self.width() - 2) / w, (self.height() - 2) / h)
        return QRectF((self.width() - side * w) / 2, (self.height() - side * h) / 2,
                      side * w, side * h)

    def _to_canvas(self, pos: QPointF) -> QPointF:
        rect = self._target()
        scale = self._canvas.width() / rect.width()
        return QPointF((pos.x() - rect.left()) * scale, (pos.y() - rect.top()) * scale)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            super().mousePressEvent(event)
            return
        self._erasing = event.button() == Qt.MouseButton.RightButton
        self._last = self._to_canvas(event.position())
        self._paint(self._last, self._last, self._erasing)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._last is None:
            super().mouseMoveEvent(event)
            return
        point = self._to_canvas(event.position())
        self._paint(self._last, point, self._erasing)
        self._last = point
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._last is None:
            super().mouseReleaseEvent(event)
            return
        self._paint(self._last, self._to_canvas(event.position()), self._erasing)
        self._last = None
        event.accept()
        self.strokeFinished.emit()

    # -- painting --

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self._picture is None:
            self._picture = self._display_picture()
        painter = QPainter(self)
        painter.fillRect(self.rect(), style.MUTED)
        rect = self._target()
        painter.drawImage(rect, self._picture)  # no smoothing: one block per input pixel
        painter.setPen(QPen(style.MUTED, 1))
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.end()

    def _display_picture(self) -> QImage:
        cover = self.coverage()[..., None]
        bg = np.array(self.background.getRgb()[:3], dtype=np.float32)
        fg = np.array(self.ink.getRgb()[:3], dtype=np.float32)
        rgb = np.ascontiguousarray((bg + cover * (fg - bg)).round().astype(np.uint8))
        h, w = rgb.shape[:2]
        return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
