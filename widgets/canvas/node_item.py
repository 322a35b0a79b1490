"""A layer on the canvas: a rounded box showing type, key parameters, output shape and size.

The item draws what the Document and its ShapeReport say and nothing else; the scene pushes
new content into it with `set_content` whenever the document changes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QMenu,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app import commands
from app.core.catalog import spec
from app.core.shapes import Issue, fmt_shape
from app.i18n import language
from app.shown import shown
from widgets.canvas import style
from widgets.canvas.port_item import PortItem

WIDTH, HEIGHT, HEADER = 140.0, 74.0, 22.0
FAR_LOD = 0.45  # below this zoom the text would be a few pixels high: boxes only (fast)
PADLOCK = 16.0  # the padlock's box on the node (bottom right)
FROZEN_COLOR = QColor("#0b6bcb")


def draw_padlock(p: QPainter, rect: QRectF, locked: bool, color: QColor) -> None:
    """A padlock in `rect`: closed shackle when locked, swung open when not."""
    w, h = rect.width(), rect.height()
    body = QRectF(rect.left() + 0.12 * w, rect.top() + 0.45 * h, 0.76 * w, 0.52 * h)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(color, max(1.2, 0.11 * w), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.setBrush(Qt.BrushStyle.NoBrush)
    shackle = QRectF(rect.left() + 0.26 * w, rect.top() + 0.06 * h, 0.48 * w, 0.62 * h)
    if not locked:
        shackle.translate(0.3 * w, -0.08 * h)  # swung up and to the right: open
    shackle_path = QPainterPath()
    shackle_path.moveTo(shackle.left(), shackle.center().y() + (0.0 if locked else 0.1 * h))
    shackle_path.arcTo(shackle.left(), shackle.top(), shackle.width(), shackle.width(), 180, -180)
    shackle_path.lineTo(shackle.right(), body.top() + 1 if locked else shackle.center().y())
    p.drawPath(shackle_path)
    p.setBrush(color if locked else QColor("white"))
    p.drawRoundedRect(body, 0.12 * w, 0.12 * w)
    p.restore()


def padlock_pixmap(size: int = 14, locked: bool = True,
                   color: QColor = FROZEN_COLOR) -> QPixmap:
    """The padlock as a small picture (lab views mark frozen layers with it)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    draw_padlock(painter, QRectF(0, 0, size, size), locked, color)
    painter.end()
    return pixmap


class PadlockItem(QGraphicsItem):
    """Click to freeze or unfreeze the layer (one undo step); shown only on layers that have
    trainable weights."""

    def __init__(self, node_id: str, parent: QGraphicsItem):
        super().__init__(parent)
        self.node_id = node_id
        self.frozen = False
        self.hovered = False
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)
        self._refresh_tooltip()

    def boundingRect(self) -> QRectF:
        return QRectF(-3, -3, PADLOCK + 6, PADLOCK + 6)  # a little larger than drawn: easy hit

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        color = FROZEN_COLOR if self.frozen else (style.TEXT if self.hovered else style.NODE_BORDER)
        draw_padlock(p, QRectF(0, 0, PADLOCK, PADLOCK), self.frozen, color)

    def set_frozen(self, frozen: bool) -> None:
        if frozen != self.frozen:
            self.frozen = frozen
            self._refresh_tooltip()
            self.update()

    def _refresh_tooltip(self) -> None:
        if self.frozen:
            self.setToolTip(QCoreApplication.translate(
                "PadlockItem", "Frozen: training leaves this layer's weights exactly as they are "
                "(transfer learning keeps what it learned before). Click to unfreeze."))
        else:
            self.setToolTip(QCoreApplication.translate(
                "PadlockItem", "Trainable: training changes this layer's weights. Click to "
                "freeze it, e.g. to keep the features a network learned on another dataset."))

    def hoverEnterEvent(self, event) -> None:
        self.hovered = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:
        self.hovered = False
        self.update()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()  # the release comes here, and the layer is not selected or moved
        else:
            event.ignore()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if (event.button() == Qt.MouseButton.LeftButton
                and self.boundingRect().contains(event.pos())):
            self.toggle()

    def toggle(self) -> None:
        """Freeze or unfreeze the layer: one undo command on the document."""
        scene = self.scene()
        if scene is not None:
            scene.push(commands.SetFrozen(scene.doc, self.node_id, not self.frozen))


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
        self.padlock = PadlockItem(node_id, self)
        self.padlock.setPos(WIDTH - PADLOCK - 6, HEIGHT - PADLOCK - 5)
        self.padlock.setVisible(False)  # until the shape report says the layer has weights

    # -- content ------------------------------------------------------------------------------
    def set_node_id(self, node_id: str) -> None:
        self.node_id = node_id
        for port in (self.input_port, self.output_port):
            if port:
                port.node_id = node_id
        self.padlock.node_id = node_id
        self._refresh_tooltip()
        self.update()

    def set_content(self, summary: str, out_shape: tuple | None, params: int,
                    issues: list[Issue]) -> None:
        self.summary = summary
        self.out_shape = fmt_shape(out_shape)
        self.params = params
        self.issues = list(issues)
        self.padlock.setVisible(params > 0 or self.padlock.frozen)
        self._refresh_tooltip()
        self.update()

    @property
    def frozen(self) -> bool:
        return self.padlock.frozen

    def set_frozen(self, frozen: bool) -> None:
        """Mirror the document's frozen flag (the scene calls this on frozenChanged)."""
        self.padlock.set_frozen(frozen)
        self.padlock.setVisible(self.params > 0 or frozen)
        self._refresh_tooltip()
        self.update()

    @property
    def has_error(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    def _refresh_tooltip(self) -> None:
        lines = [f"<b>{escape(self.node_id)}</b> — {escape(self.type_name)}"]
        for issue in self.issues:
            color = style.ERROR if issue.severity == "error" else style.WARNING
            lines.append(f"<span style='color:{color.name()}'>{escape(shown(issue.message))}</span>")
        if not self.issues:
            lines.append(QCoreApplication.translate(
                "NodeItem", "output {shape}, {count} parameters").format(
                shape=escape(self.out_shape), count=f"{self.params:,}"))
        if self.padlock.frozen:
            lines.append(QCoreApplication.translate(
                "NodeItem", "frozen: its weights do not change while training"))
        if not self.issues:
            lines.append(f"<i>{escape(spec(self.type_name).explain(language()))}</i>")
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
        if option.levelOfDetailFromTransform(p.worldTransform()) < FAR_LOD:
            self._paint_far(p)
            return
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
        count = (QCoreApplication.translate("NodeItem", "{count} params").format(
            count=style.format_count(self.params)) if self.params
            else QCoreApplication.translate("NodeItem", "no weights"))
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

    def _paint_far(self, p: QPainter) -> None:
        """Zoomed far out (a 70-layer import fitted to the window): category colour, state
        border, no text, so panning and zooming stay smooth and the structure still reads."""
        rect = QRectF(0, 0, WIDTH, HEIGHT)
        p.fillRect(rect, style.NODE_BG)
        p.fillRect(QRectF(0, 0, WIDTH, HEADER), style.category_color(self.category))
        color = (style.SELECTED if self.isSelected() else style.ERROR if self.has_error
                 else style.WARNING if self.issues else style.NODE_BORDER)
        p.setPen(QPen(color, 4.0 if color != style.NODE_BORDER else 0.0))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)

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
        menu.addAction(QCoreApplication.translate("NodeItem", "Delete"),
                       scene.delete_selection).setShortcut("Del")
        menu.addAction(QCoreApplication.translate("NodeItem", "Duplicate"),
                       scene.duplicate_selection).setShortcut("Ctrl+D")
        fixes = [i.fix for i in self.issues if i.fix is not None]
        if fixes:
            menu.addSeparator()
        for fix in fixes:
            menu.addAction(QCoreApplication.translate("NodeItem", "Fix: {fix}").format(
                fix=shown(fix.label)), lambda f=fix: scene.apply_fix(f))
        menu.addSeparator()
        feature_maps = menu.addAction(QCoreApplication.translate("NodeItem", "Show feature maps"),
                                      lambda: scene.featureMapsRequested.emit(self.node_id))
        feature_maps.setToolTip(QCoreApplication.translate(
            "NodeItem", "Show this layer's activations in the training panel"))
        return menu
