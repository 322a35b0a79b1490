"""A wire: a cubic Bézier from an output port to an input port, labelled with the tensor shape
flowing along it ("16x14x14"), so a learner sees how each layer reshapes the data."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from widgets.canvas import style
from widgets.canvas.node_item import HEIGHT

LABEL_FONT_SIZE = 7.5


def wire_path(a: QPointF, b: QPointF) -> QPainterPath:
    """Forward wires are a smooth S; wires running backwards (to a node further left, e.g.
    into the next band of a wrapped layout) go round through the gap between the rows."""
    path = QPainterPath(a)
    dx = b.x() - a.x()
    if dx >= 30:
        bend = max(40.0, dx * 0.5)
        path.cubicTo(QPointF(a.x() + bend, a.y()), QPointF(b.x() - bend, b.y()), b)
        return path
    # Between the two rows, or (same row) below both nodes.
    between = abs(b.y() - a.y()) > HEIGHT
    mid_y = (a.y() + b.y()) / 2 if between else max(a.y(), b.y()) + HEIGHT * 0.8
    r = 30.0
    path.cubicTo(QPointF(a.x() + r * 1.5, a.y()), QPointF(a.x() + r * 1.5, mid_y),
                 QPointF(a.x(), mid_y))
    path.lineTo(QPointF(b.x(), mid_y))
    path.cubicTo(QPointF(b.x() - r * 1.5, mid_y), QPointF(b.x() - r * 1.5, b.y()), b)
    return path


class EdgeItem(QGraphicsItem):
    def __init__(self, src: str, dst: str):
        super().__init__()
        self.src, self.dst = src, dst
        self.label = ""
        self.unknown = False  # no shape flows along it (an upstream problem)
        self._path = QPainterPath()
        self._label_rect = QRectF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(0)
        self.setToolTip(QCoreApplication.translate(
            "EdgeItem", "{source} → {target}\nClick to select, Delete to remove").format(
            source=src, target=dst))

    @property
    def key(self) -> tuple[str, str]:
        return self.src, self.dst

    def set_ends(self, a: QPointF, b: QPointF) -> None:
        self.prepareGeometryChange()
        self._path = wire_path(a, b)
        self._place_label()

    def set_label(self, text: str, unknown: bool) -> None:
        if (text, unknown) == (self.label, self.unknown):
            return
        self.prepareGeometryChange()
        self.label, self.unknown = text, unknown
        self._place_label()
        self.update()

    def _place_label(self) -> None:
        if not self.label:
            self._label_rect = QRectF()
            return
        fm = QFontMetricsF(style.ui_font(LABEL_FONT_SIZE))
        w, h = fm.horizontalAdvance(self.label) + 8, fm.height() + 2
        mid = self._path.pointAtPercent(0.5)
        self._label_rect = QRectF(mid.x() - w / 2, mid.y() - h / 2, w, h)

    def boundingRect(self) -> QRectF:
        return self._path.boundingRect().adjusted(-6, -6, 6, 6).united(self._label_rect)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        hit = stroker.createStroke(self._path)
        hit.addRect(self._label_rect)
        return hit

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = style.SELECTED if self.isSelected() else style.WIRE
        dash = Qt.PenStyle.DashLine if self.unknown else Qt.PenStyle.SolidLine
        p.setPen(QPen(color, style.line_width(3.0 if self.isSelected() else 2.0), dash))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(self._path)
        if self.label:
            p.setPen(QPen(color.lighter(130), 1.0))
            p.setBrush(style.NODE_BG)  # the theme's node colour: readable light and dark
            p.drawRoundedRect(self._label_rect, 6, 6)
            p.setPen(style.MUTED if self.unknown else style.TEXT)
            p.setFont(style.ui_font(LABEL_FONT_SIZE))
            p.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self.label)
