"""The canvas view: the gestures of the editor.

Wheel zooms around the cursor, middle button or Space+drag pans, dragging on empty canvas
rubber-band selects, dragging a layer moves it (one undo step per drag), dragging from a port
draws a wire (refused targets light up red and create nothing), palette drops add layers and
a dropped project file opens. Every change goes to the Document through the scene.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsView, QWidget

from app import commands
from app.core import layout
from widgets.canvas import style
from widgets.canvas.edge_item import wire_path
from widgets.canvas.node_item import NodeItem
from widgets.canvas.port_item import PortItem
from widgets.canvas.scene import CanvasScene

LAYER_MIME = "application/x-netzwerkstatt-layer"
MIN_ZOOM, MAX_ZOOM, MAX_FIT_ZOOM = 0.15, 3.0, 1.25
GRID_STEP = 24.0
DRAG_THRESHOLD = 3.0  # pixels before a press on a layer becomes a move


def project_file_of(event: QDropEvent | QDragEnterEvent) -> str | None:
    """The .json project file dragged in from a file manager, if any."""
    for url in event.mimeData().urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".json"):
            return url.toLocalFile()
    return None


class CanvasView(QGraphicsView):
    fileDropped = Signal(str)

    def __init__(self, scene: CanvasScene, parent: QWidget | None = None):
        super().__init__(scene, parent)
        self.canvas = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSceneRect(QRectF(-20000, -20000, 40000, 40000))  # room to pan anywhere
        self._pan_from: QPointF | None = None
        self._space = False
        self._move: tuple[QPointF, dict[str, tuple[float, float]], int] | None = None
        self._moved = False
        self._wire_from: PortItem | None = None
        self._wire_target: PortItem | None = None
        self._wire_item: QGraphicsPathItem | None = None

    # -- zoom and fit -------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        factor = max(MIN_ZOOM / self.zoom(), min(MAX_ZOOM / self.zoom(), factor))
        self.scale(factor, factor)

    def zoom_in(self) -> None:
        self._zoom_centred(1.25)

    def zoom_out(self) -> None:
        self._zoom_centred(0.8)

    def _zoom_centred(self, factor: float) -> None:
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.zoom_by(factor)
        self.setTransformationAnchor(anchor)

    def fit_all(self) -> None:
        """Show the whole network, but never blown up beyond a comfortable reading size."""
        rect = self.canvas.itemsBoundingRect()
        if rect.isEmpty():
            self.resetTransform()
            self.centerOn(0, 0)
            return
        m = layout.FIT_MARGIN
        self.fitInView(rect.adjusted(-m, -m, m, m), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > MAX_FIT_ZOOM:
            self.setTransform(self.transform().scale(MAX_FIT_ZOOM / self.zoom(),
                                                     MAX_FIT_ZOOM / self.zoom()))
        self.centerOn(rect.center())

    def canvas_size(self) -> tuple[float, float]:
        size = self.viewport().size()
        return float(size.width()), float(size.height())

    def visible_centre(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.15 ** steps)
        event.accept()

    # -- painting -----------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, style.CANVAS_BG)
        if self.zoom() < 0.4:
            return  # a dense grid would only add noise when zoomed far out
        painter.setPen(QPen(style.GRID, 0))
        left = int(rect.left() // GRID_STEP) * GRID_STEP
        top = int(rect.top() // GRID_STEP) * GRID_STEP
        x = left
        while x < rect.right():
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
            x += GRID_STEP
        y = top
        while y < rect.bottom():
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            y += GRID_STEP

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self.canvas.nodes:
            return
        painter.save()
        painter.resetTransform()
        painter.setPen(style.MUTED)
        painter.setFont(style.ui_font(12))
        painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter,
                         self.tr("Drag layers here from the palette\n"
                                 "then drag from an output port (right) to an input port (left)"))
        painter.restore()

    # -- mouse: pan, move, wire ----------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
                button == Qt.MouseButton.LeftButton and self._space):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if button != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = self.mapToScene(event.position().toPoint())
        port = self._port_at(pos)
        if port is not None:
            self._start_wire(port, pos)
            event.accept()
            return
        super().mousePressEvent(event)  # selection and rubber band
        item = self._node_at(pos)
        if item is not None and item.isSelected():
            ids = self.canvas.selected_node_ids()
            origin = {nid: self.canvas.doc.graph.nodes[nid].pos for nid in ids}
            self._move = (pos, origin, commands.new_merge_key())
            self._moved = False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        pos = self.mapToScene(event.position().toPoint())
        if self._wire_from is not None:
            self._drag_wire(pos)
            event.accept()
            return
        if self._move is not None:
            start, origin, key = self._move
            delta = pos - start
            if not self._moved and (abs(delta.x()) + abs(delta.y())) * self.zoom() < DRAG_THRESHOLD:
                return
            self._moved = True
            moves = {nid: (old, (round(old[0] + delta.x()), round(old[1] + delta.y())))
                     for nid, old in origin.items()}
            self.canvas.push(commands.MoveNodes(self.canvas.doc, moves, merge_key=key))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space
                                      else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        if self._wire_from is not None:
            self._finish_wire()
            event.accept()
            return
        self._move = None
        super().mouseReleaseEvent(event)

    def _items_near(self, pos: QPointF):
        r = 6 / self.zoom()
        return self.canvas.items(QRectF(pos.x() - r, pos.y() - r, 2 * r, 2 * r))

    def _port_at(self, pos: QPointF) -> PortItem | None:
        return next((i for i in self._items_near(pos) if isinstance(i, PortItem)), None)

    def _node_at(self, pos: QPointF) -> NodeItem | None:
        return next((i for i in self.canvas.items(pos) if isinstance(i, NodeItem)), None)

    def _start_wire(self, port: PortItem, pos: QPointF) -> None:
        self._wire_from = port
        self._wire_item = QGraphicsPathItem()
        self._wire_item.setPen(QPen(style.SELECTED, 2, Qt.PenStyle.DashLine))
        self._wire_item.setZValue(3)
        self.canvas.addItem(self._wire_item)
        self._drag_wire(pos)

    def _wire_problem(self, origin: PortItem, target: PortItem) -> str | None:
        if target.is_output == origin.is_output:
            return (self.tr("a wire must join an output to an input, not output to output")
                    if origin.is_output
                    else self.tr("a wire must join an output to an input, not input to input"))
        if origin.is_output:
            return self.canvas.doc.connect_problem(origin.node_id, target.node_id)
        return self.canvas.doc.connect_problem(target.node_id, origin.node_id)

    def _target_at(self, pos: QPointF) -> PortItem | None:
        """The port under the cursor; over a layer's body, the port a wire would use."""
        port = self._port_at(pos)
        if port is not None and port is not self._wire_from:
            return port
        node = self._node_at(pos)
        if node is None or node.node_id == self._wire_from.node_id:
            return port if port is not self._wire_from else None
        return node.input_port if self._wire_from.is_output else node.output_port

    def _drag_wire(self, pos: QPointF) -> None:
        target = self._target_at(pos)
        changed = target is not self._wire_target
        if changed and self._wire_target is not None:
            self._wire_target.set_highlight(None)
        self._wire_target = target
        end = pos
        if target is not None:
            problem = self._wire_problem(self._wire_from, target)
            target.set_highlight(style.ERROR if problem else style.OK)
            self._wire_item.setPen(QPen(style.ERROR if problem else style.SELECTED, 2,
                                        Qt.PenStyle.DashLine))
            if problem and changed:
                self.canvas.message.emit(  # say why, right away
                    self.tr("Cannot connect: {problem}").format(problem=problem))
            if not problem:
                end = target.scenePos()
        else:
            self._wire_item.setPen(QPen(style.SELECTED, 2, Qt.PenStyle.DashLine))
        start = self._wire_from.scenePos()
        self._wire_item.setPath(wire_path(start, end) if self._wire_from.is_output
                                else wire_path(end, start))

    def _finish_wire(self) -> None:
        origin, target = self._wire_from, self._wire_target
        self.canvas.removeItem(self._wire_item)
        self._wire_from = self._wire_target = self._wire_item = None
        if target is None:
            return
        target.set_highlight(None)
        problem = self._wire_problem(origin, target)
        if problem:
            self.canvas.message.emit(self.tr("Cannot connect: {problem}").format(problem=problem))
            return
        src, dst = ((origin.node_id, target.node_id) if origin.is_output
                    else (target.node_id, origin.node_id))
        self.canvas.connect_nodes(src, dst)

    # -- keys -----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._wire_from is not None:
            if self._wire_target is not None:
                self._wire_target.set_highlight(None)
                self._wire_target = None
            self._finish_wire()  # without a target: the wire is dropped
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    # -- drops: palette layers and project files --------------------------------------------------
    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        mime = event.mimeData()
        return mime.hasFormat(LAYER_MIME) or project_file_of(event) is not None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        # Not forwarded to the scene: its items take no drops, which would refuse ours.
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(LAYER_MIME):
            type_name = bytes(mime.data(LAYER_MIME)).decode()
            self.canvas.add_layer(type_name, self.mapToScene(event.position().toPoint()))
            self.setFocus()
            event.acceptProposedAction()
            return
        path = project_file_of(event)
        if path is not None:
            event.acceptProposedAction()
            self.fileDropped.emit(str(Path(path)))
            return
        event.ignore()

