"""A layer on the canvas: a rounded box showing type, key parameters, output shape and size.

The item draws what the Document and its ShapeReport say and nothing else; the scene pushes
new content into it with `set_content` whenever the document changes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneContextMenuEvent,
    QMenu,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.core.catalog import spec
from app.core.shapes import Issue, fmt_shape
from widgets.canvas import style
from widgets.canvas.port_item import PortItem

WIDTH, HEIGHT, HEADER = 140.0, 74.0, 22.0


class NodeItem(QGraphicsItem):
    def __init__(self, node_id: str, type_name: str):
        super().__init__()
        self.node_id = node_id
        self.type_name = type_name
        layer = spec(type_name)
        self.category = layer.category
        self.summary = ""
        self.out_shape = "?"
        self.params = 0
        self.issues: list[Issue] = []
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.input_port = (PortItem(node_id, False, layer.max_inputs is None, self)
                           if layer.max_inputs != 0 else None)
        self.output_port = PortItem(node_id, True, False, self) if layer.has_output else None
        if self.input_port:
            self.input_port.setPos(0, HEIGHT / 2)
        if self.output_port:
            self.output_port.setPos(WIDTH, HEIGHT / 2)

    # -- content ------------------------------------------------------------------------------
    def set_node_id(self, node_id: str) -> None:
        self.node_id = node_id
        for port in (self.input_port, self.output_port):
            if port:
                port.node_id = node_id
        self._refresh_tooltip()
        self.update()

    def set_content(self, summary: str, out_shape: tuple | None, params: int,
                    issues: list[Issue]) -> None:
        self.summary = summary
        self.out_shape = fmt_shape(out_shape)
        self.params = params
        self.issues = list(issues)
        self._refresh_tooltip()
        self.update()

    @property
    def has_error(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    def _refresh_tooltip(self) -> None:
        lines = [f"<b>{escape(self.node_id)}</b> — {escape(self.type_name)}"]
        for issue in self.issues:
            color = style.ERROR if issue.severity == "error" else style.WARNING
            lines.append(f"<span style='color:{color.name()}'>{escape(issue.message)}</span>")
        if not self.issues:
            lines.append(f"output {escape(self.out_shape)}, {self.params:,} parameters")
            lines.append(f"<i>{escape(spec(self.type_name).explain('en'))}</i>")
        self.setToolTip("<p style='white-space:pre-wrap'>" + "<br>".join(lines) + "</p>")

    # -- painting -----------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(-3, -3, WIDTH + 6, HEIGHT + 6)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, WIDTH, HEIGHT), 8, 8)
        return path

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        rect = QRectF(0, 0, WIDTH, HEIGHT)
        color = style.category_color(self.category)
        body = QPainterPath()
        body.addRoundedRect(rect, 8, 8)
        p.fillPath(body, style.NODE_BG)
        header = QPainterPath()
        header.addRoundedRect(QRectF(0, 0, WIDTH, HEADER + 8), 8, 8)
        header = header.intersected(body)
        clip = QPainterPath()
        clip.addRect(QRectF(0, 0, WIDTH, HEADER))
        p.fillPath(header.intersected(clip), color)

        style.draw_glyph(p, self.category, QRectF(6, 4, HEADER - 8, HEADER - 8), QColor("white"))
        p.setPen(QColor("white"))
        type_font = style.ui_font(8.5, bold=True)
        p.setFont(type_font)
        room = WIDTH - HEADER - (26 if self.has_error else 8)  # leave room for the badge
        p.drawText(QRectF(HEADER + 2, 0, room, HEADER),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   QFontMetricsF(type_font).elidedText(self.type_name,
                                                       Qt.TextElideMode.ElideRight, room))

        p.setPen(style.TEXT)
        name_font = style.ui_font(8.5, bold=True)
        p.setFont(name_font)
        name_rect = QRectF(8, HEADER + 3, WIDTH - 16, 17)
        name = QFontMetricsF(name_font).elidedText(self.node_id, Qt.TextElideMode.ElideRight,
                                                   (WIDTH - 16) * (0.5 if self.summary else 1))
        p.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        if self.summary:
            p.setPen(style.MUTED)
            p.setFont(style.ui_font(8))
            p.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       self.summary)

        p.setFont(style.ui_font(8))
        p.setPen(style.ERROR if self.has_error else style.MUTED)
        left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        p.drawText(QRectF(8, HEADER + 19, WIDTH - 16, 16), left, f"→ {self.out_shape}")
        p.setPen(style.MUTED)
        p.setFont(style.ui_font(7.5))
        count = f"{style.format_count(self.params)} params" if self.params else "no weights"
        p.drawText(QRectF(8, HEADER + 34, WIDTH - 16, 15), left, count)

        if self.has_error:
            pen = QPen(style.ERROR, 2.5)
        elif self.issues:
            pen = QPen(style.WARNING, 2.0, Qt.PenStyle.DashLine)
        else:
            pen = QPen(style.NODE_BORDER, 1.0)
        if self.isSelected():
            pen = QPen(style.SELECTED, 3.0)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(rect, 8, 8)
        if self.has_error:
            self._paint_badge(p)

    def _paint_badge(self, p: QPainter) -> None:
        centre = QPointF(WIDTH - 10, HEADER / 2)
        p.setPen(QPen(QColor("white"), 1.5))
        p.setBrush(style.ERROR)
        p.drawEllipse(centre, 7, 7)
        p.setFont(style.ui_font(8, bold=True))
        p.drawText(QRectF(centre.x() - 7, centre.y() - 7, 14, 14), Qt.AlignmentFlag.AlignCenter, "!")

    # -- context menu -------------------------------------------------------------------------
    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        scene = self.scene()
        if not self.isSelected():
            scene.clearSelection()
            self.setSelected(True)
        self.context_menu().exec(event.screenPos())

    def context_menu(self) -> QMenu:
        """Delete, Duplicate, the suggested fixes and "Show feature maps" for this layer."""
        scene = self.scene()
        menu = QMenu()
        menu.addAction("Delete", scene.delete_selection).setShortcut("Del")
        menu.addAction("Duplicate", scene.duplicate_selection).setShortcut("Ctrl+D")
        fixes = [i.fix for i in self.issues if i.fix is not None]
        if fixes:
            menu.addSeparator()
        for fix in fixes:
            menu.addAction(f"Fix: {fix.label}", lambda f=fix: scene.apply_fix(f))
        menu.addSeparator()
        feature_maps = menu.addAction("Show feature maps",
                                      lambda: scene.featureMapsRequested.emit(self.node_id))
        feature_maps.setToolTip("Show this layer's activations in the training panel")
        return menu
