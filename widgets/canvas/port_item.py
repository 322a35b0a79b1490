"""Ports: the input (left) and output (right) connectors of a node.

A port knows only which node and side it belongs to; whether a wire may end on it is asked of
the Document, which owns the graph.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from widgets.canvas import style

RADIUS = 6.0


class PortItem(QGraphicsItem):
    """A connector; `many` ports (Add, Concat inputs) are drawn as a bar that takes many wires."""

    def __init__(self, node_id: str, is_output: bool, many: bool, parent: QGraphicsItem):
        super().__init__(parent)
        self.node_id = node_id
        self.is_output = is_output
        self.many = many
        self.highlight: QColor | None = None  # green/red while a wire is dragged over it
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setZValue(2)
        if is_output:
            direction = QCoreApplication.translate("PortItem",
                                                   "output: drag to another layer's input")
        elif many:
            direction = QCoreApplication.translate("PortItem", "input: accepts several wires")
        else:
            direction = QCoreApplication.translate("PortItem", "input: takes one wire")
        self.setToolTip(direction)

    def boundingRect(self) -> QRectF:
        r = RADIUS + 4  # generous hit area: ports are small targets
        h = r * 2.4 if self.many else r
        return QRectF(-r, -h, 2 * r, 2 * h)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = self.highlight or style.WIRE
        painter.setPen(QPen(color.darker(120), 1.5))
        painter.setBrush(QBrush(self.highlight or QColor("white")))
        r = RADIUS + (2 if self.highlight else 0)
        if self.many:
            painter.drawRoundedRect(QRectF(-r * 0.8, -r * 2.2, r * 1.6, r * 4.4), r * 0.8, r * 0.8)
        else:
            painter.drawEllipse(QPointF(0, 0), r, r)

    def set_highlight(self, color: QColor | None) -> None:
        if color != self.highlight:
            self.highlight = color
            self.update()
