"""A block of layers on the canvas (the layers whose `Node.group` share a name).

An imported ResNet-18 has 71 layers; folded into its eight BasicBlocks it reads like the
diagram in the paper. Folded, the group is one opaque box over its layers with the block's
input and output ports, its layer and parameter count and its output shape; double-click
opens it. Open, it is a faint frame behind its layers whose title bar folds it again on
double-click. Folding is view state: the document (and the file) only says who belongs where.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QMenu,
    QStyleOptionGraphicsItem,
    QWidget,
)

from widgets.canvas import style
from widgets.canvas.node_item import HEIGHT, WIDTH

PAD = 18.0  # room around the layers of an open group
TITLE = 22.0  # the title bar above an open group, and the header of a folded one
PORT_RADIUS = 6.0
GROUP_COLOR = QColor("#3d4a5c")
FRAME_FILL = QColor(61, 74, 92, 18)


class GroupItem(QGraphicsItem):
    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.collapsed = True
        self.rect = QRectF()  # the layers' bounding box plus padding (scene coordinates)
        self.layers = 0
        self.params = 0
        self.out_shape = "?"
        self.problems = 0
        self.setAcceptHoverEvents(True)
        self._apply_state()

    # -- state --------------------------------------------------------------------------------
    def set_rect(self, rect: QRectF) -> None:
        if rect != self.rect:
            self.prepareGeometryChange()
            self.rect = QRectF(rect)

    def set_collapsed(self, collapsed: bool) -> None:
        if collapsed != self.collapsed:
            self.prepareGeometryChange()
            self.collapsed = collapsed
            self._apply_state()

    def set_content(self, layers: int, params: int, out_shape: str, problems: int) -> None:
        if (layers, params, out_shape, problems) != (self.layers, self.params, self.out_shape,
                                                     self.problems):
            self.layers, self.params, self.out_shape = layers, params, out_shape
            self.problems = problems
            self._refresh_tooltip()
            self.update()

    def _apply_state(self) -> None:
        # Folded it hides its layers and sits where they were; open it stays behind them.
        self.setZValue(1 if self.collapsed else -1)
        self.setCursor(Qt.CursorShape.PointingHandCursor if self.collapsed
                       else Qt.CursorShape.ArrowCursor)
        self._refresh_tooltip()
        self.update()

    def _refresh_tooltip(self) -> None:
        what = QCoreApplication.translate(
            "GroupItem", "{layers} layers, {count} parameters, output {shape}").format(
            layers=self.layers, count=f"{self.params:,}", shape=self.out_shape)
        action = (QCoreApplication.translate(
            "GroupItem", "Double-click to open the block and see its layers") if self.collapsed
            else QCoreApplication.translate(
                "GroupItem", "Double-click the title bar to fold the block into one box"))
        problems = QCoreApplication.translate(
            "GroupItem", "{n} problem(s) inside: open it to see them").format(n=self.problems)
        problems = (f"<br><span style='color:{style.ERROR.name()}'>{problems}</span>"
                    if self.problems else "")
        group = QCoreApplication.translate("GroupItem", "group of layers")
        self.setToolTip(f"<b>{escape(self.name)}</b> — {group}<br>{what}{problems}"
                        f"<br><i>{action}</i>")

    def port_pos(self, output: bool) -> QPointF:
        """Where wires into (left) and out of (right) the folded block end."""
        return QPointF(self.rect.right() if output else self.rect.left(), self.rect.center().y())

    def title_rect(self) -> QRectF:
        return QRectF(self.rect.left(), self.rect.top() - TITLE, self.rect.width(), TITLE)

    # -- geometry and painting ----------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        if self.collapsed:
            return self.rect.adjusted(-PORT_RADIUS - 2, -2, PORT_RADIUS + 2, 2)
        return self.rect.united(self.title_rect()).adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        """Folded: the whole box. Open: only the title bar, so the layers inside and the empty
        canvas around them take clicks and rubber-band selections as usual."""
        path = QPainterPath()
        path.addRoundedRect(self.rect if self.collapsed else self.title_rect(), 8, 8)
        return path

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        if self.collapsed:
            self._paint_folded(p)
        else:
            self._paint_open(p)

    def _paint_open(self, p: QPainter) -> None:
        p.setPen(QPen(GROUP_COLOR.lighter(160), 1.2, Qt.PenStyle.DashLine))
        p.setBrush(FRAME_FILL)
        p.drawRoundedRect(self.rect, 10, 10)
        title = self.title_rect()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(GROUP_COLOR.lighter(150))
        p.drawRoundedRect(QRectF(title.left(), title.top(), title.width(), TITLE - 2), 6, 6)
        p.setPen(QColor("white"))
        font = style.ui_font(8.5, bold=True)
        p.setFont(font)
        text = "▾ " + QCoreApplication.translate(
            "GroupItem", "{name}   ·   double-click here to fold").format(name=self.name)
        p.drawText(title.adjusted(8, 0, -8, -2), Qt.AlignmentFlag.AlignVCenter
                   | Qt.AlignmentFlag.AlignLeft,
                   QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight,
                                                  title.width() - 16))

    def _paint_folded(self, p: QPainter) -> None:
        """A white box with a dark header; the text grows with the box, so a network fitted
        to the window still reads block by block."""
        r = self.rect
        body = QPainterPath()
        body.addRoundedRect(r, 10, 10)
        p.fillPath(body, style.NODE_BG)
        header = QPainterPath()
        header.addRect(QRectF(r.left(), r.top(), r.width(), TITLE))
        p.fillPath(body.intersected(header), GROUP_COLOR)
        p.setFont(style.ui_font(8.5, bold=True))
        p.setPen(QColor("white"))
        p.drawText(QRectF(r.left() + 10, r.top(), r.width() - 20, TITLE),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   QFontMetricsF(p.font()).elidedText(
                       "▸ " + QCoreApplication.translate("GroupItem", "group {name}").format(
                           name=self.name),
                                                      Qt.TextElideMode.ElideRight,
                                                      r.width() - 20))
        inner = QRectF(r.left() + 12, r.top() + TITLE + 6, r.width() - 24,
                       r.height() - TITLE - 12)
        size = max(7.0, min(inner.height() / 7.5, inner.width() / 16, 30.0))
        hint = (QCoreApplication.translate("GroupItem", "{n} problem(s) inside").format(
            n=self.problems), style.ERROR) if self.problems else (
            QCoreApplication.translate("GroupItem", "double-click to open"), style.MUTED)
        counts = QCoreApplication.translate("GroupItem", "{layers} layers · {count} params").format(
            layers=self.layers, count=style.format_count(self.params))
        lines = [(self.name, style.TEXT, size * 1.25, True),
                 (counts, style.TEXT, size, False),
                 (f"→ {self.out_shape}", style.MUTED, size, False),
                 (hint[0], hint[1], size * 0.8, False)]
        fonts = [style.ui_font(pt, bold=bold) for _, _, pt, bold in lines]
        heights = [QFontMetricsF(f).height() * 1.15 for f in fonts]
        y = inner.center().y() - sum(heights) / 2
        for (text, color, _, _), font, h in zip(lines, fonts, heights, strict=True):
            p.setFont(font)
            p.setPen(color)
            p.drawText(QRectF(inner.left(), y, inner.width(), h), Qt.AlignmentFlag.AlignCenter,
                       QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight,
                                                      inner.width()))
            y += h
        p.setPen(QPen(style.ERROR, 2.5) if self.problems else QPen(GROUP_COLOR, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(r, 10, 10)
        p.setPen(QPen(style.WIRE.darker(120), 1.5))
        p.setBrush(QColor("white"))
        for output in (False, True):
            p.drawEllipse(self.port_pos(output), PORT_RADIUS, PORT_RADIUS)

    # -- interaction --------------------------------------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()  # so the double-click comes here, not to the rubber band
        else:
            event.ignore()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene = self.scene()
        if event.button() == Qt.MouseButton.LeftButton and scene is not None:
            scene.groups.set_collapsed(self.name, not self.collapsed)
            event.accept()

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        self.context_menu().exec(event.screenPos())

    def context_menu(self) -> QMenu:
        scene = self.scene()
        menu = QMenu()
        if self.collapsed:
            menu.addAction(QCoreApplication.translate("GroupItem", "Open group"), lambda: scene.groups.set_collapsed(self.name, False))
        else:
            menu.addAction(QCoreApplication.translate("GroupItem", "Collapse group"), lambda: scene.groups.set_collapsed(self.name, True))
        menu.addSeparator()
        menu.addAction(QCoreApplication.translate("GroupItem", "Collapse all groups"),
                       lambda: scene.groups.set_all_collapsed(True))
        menu.addAction(QCoreApplication.translate("GroupItem", "Open all groups"),
                       lambda: scene.groups.set_all_collapsed(False))
        return menu


class GroupLayer:
    """The scene's groups: which layers belong to which, which groups are folded, and the
    wire ends a folded group takes over. The scene calls it from its document handlers;
    every update touches only the group concerned."""

    def __init__(self, scene):
        self.scene = scene
        self.items: dict[str, GroupItem] = {}
        self.members: dict[str, list[str]] = {}
        self.group_of: dict[str, str] = {}

    def forget(self) -> None:
        """The scene was cleared (a new graph): its items are gone; new groups start folded."""
        self.items.clear()
        self.members.clear()
        self.group_of.clear()

    def is_collapsed(self, group: str) -> bool:
        item = self.items.get(group)
        return item is not None and item.collapsed

    # -- document changes -------------------------------------------------------------------------
    def node_added(self, node_id: str) -> None:
        group = self.scene.doc.graph.nodes[node_id].group
        if not group:
            return
        self.group_of[node_id] = group
        self.members.setdefault(group, []).append(node_id)
        if group not in self.items:
            item = GroupItem(group)
            self.items[group] = item
            self.scene.addItem(item)
        self.scene.nodes[node_id].setVisible(not self.items[group].collapsed)
        self._refresh_geometry(group)

    def node_removed(self, node_id: str) -> None:
        group = self.group_of.pop(node_id, None)
        if group is None:
            return
        self.members[group].remove(node_id)
        if not self.members[group]:
            del self.members[group]
            self.scene.removeItem(self.items.pop(group))
        else:
            self._refresh_geometry(group)

    def node_moved(self, node_id: str) -> None:
        group = self.group_of.get(node_id)
        if group is not None:
            self._refresh_geometry(group)

    def node_renamed(self, old: str, new: str) -> None:
        group = self.group_of.pop(old, None)
        if group is not None:
            self.group_of[new] = group
            members = self.members[group]
            members[members.index(old)] = new

    def _refresh_geometry(self, group: str) -> None:
        # The items, not the document: during a bulk replace the document may already lack
        # a member whose item is still about to be removed.
        points = [self.scene.nodes[n].pos() for n in self.members[group]]
        xs, ys = [pt.x() for pt in points], [pt.y() for pt in points]
        rect = QRectF(min(xs) - PAD, min(ys) - PAD, max(xs) - min(xs) + WIDTH + 2 * PAD,
                      max(ys) - min(ys) + HEIGHT + 2 * PAD)
        item = self.items[group]
        if rect != item.rect:
            item.set_rect(rect)
            if item.collapsed:
                self._reroute(group)

    def _reroute(self, group: str) -> None:
        inside = set(self.members.get(group, ()))
        for edge in self.scene.edges.values():
            if edge.src in inside or edge.dst in inside:
                self.scene._route(edge)

    # -- what the scene asks ------------------------------------------------------------------------
    def port(self, node_id: str, output: bool) -> QPointF | None:
        """The folded group's port that stands in for this layer's, or None."""
        group = self.group_of.get(node_id)
        if group is None or not self.items[group].collapsed:
            return None
        return self.items[group].port_pos(output)

    def hides(self, src: str, dst: str) -> bool:
        """A wire inside a folded group is not drawn."""
        group = self.group_of.get(src)
        return group is not None and group == self.group_of.get(dst) and self.is_collapsed(group)

    def apply_report(self, report) -> None:
        """Layer count, parameters, output shape and problems of each group."""
        from app.core.shapes import fmt_shape

        graph = self.scene.doc.graph
        for group, ids in self.members.items():
            inside = set(ids)
            exits = [n for n in ids if any(s not in inside for s in graph.outputs_of(n))]
            last = exits[-1] if exits else ids[-1]
            params = sum(report.nodes[n].params for n in ids if n in report.nodes)
            problems = sum(1 for n in ids for i in report.issues_for(n) if i.severity == "error")
            self.items[group].set_content(len(ids), params, fmt_shape(report.out_shape(last)),
                                          problems)

    # -- folding ---------------------------------------------------------------------------------
    def set_collapsed(self, group: str, collapsed: bool) -> None:
        item = self.items.get(group)
        if item is None or item.collapsed == collapsed:
            return
        item.set_collapsed(collapsed)
        for nid in self.members[group]:
            node_item = self.scene.nodes[nid]
            if collapsed:
                node_item.setSelected(False)
            node_item.setVisible(not collapsed)
        self._reroute(group)

    def set_all_collapsed(self, collapsed: bool) -> None:
        for group in list(self.items):
            self.set_collapsed(group, collapsed)

    def reveal(self, node_ids: list[str]) -> None:
        """Open the folded groups holding these layers (before they are selected)."""
        for nid in node_ids:
            group = self.group_of.get(nid)
            if group is not None:
                self.set_collapsed(group, False)
