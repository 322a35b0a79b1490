"""The canvas scene: a mirror of the Document plus the edit operations on the selection.

Items are created, moved, relabelled and removed only in reaction to document signals, so
undo/redo, fixes, file loading and gestures all update the picture the same way. After each
shape inference only the items whose displayed content changed are repainted.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPointF, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGraphicsScene

from app import commands
from app.core.catalog import full_params, spec
from app.core.graph import Edge, Graph
from app.core.shapes import Fix, ShapeReport, fmt_shape
from app.document import Document
from app.shown import shown
from widgets.canvas import style
from widgets.canvas.edge_item import EdgeItem
from widgets.canvas.group_item import GroupLayer
from widgets.canvas.node_item import HEIGHT, WIDTH, NodeItem

GRAPH_MIME = "application/x-netzwerkstatt-graph"
PASTE_OFFSET = (40.0, 40.0)


class CanvasScene(QGraphicsScene):
    featureMapsRequested = Signal(str)  # node id; the training panel shows its activations
    message = Signal(str)  # short feedback for the status bar ("cannot connect: ...")

    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        self._shown: dict[str, tuple] = {}  # what each node item displays, to skip repaints
        self.groups = GroupLayer(self)  # blocks of layers (Node.group), folded or open
        self.setBackgroundBrush(style.CANVAS_BG)
        doc.graphReset.connect(self.rebuild)
        doc.nodeAdded.connect(self._add_node)
        doc.nodeRemoved.connect(self._remove_node)
        doc.nodeChanged.connect(self._node_changed)
        doc.nodeMoved.connect(self._node_moved)
        doc.nodeRenamed.connect(self._node_renamed)
        doc.edgeAdded.connect(self._add_edge)
        doc.edgeRemoved.connect(self._remove_edge)
        doc.shapesChanged.connect(self._apply_report)
        doc.frozenChanged.connect(
            lambda nid: self.nodes[nid].set_frozen(self.doc.graph.nodes[nid].frozen))
        self.rebuild()

    # -- mirroring ----------------------------------------------------------------------------
    def rebuild(self) -> None:
        self.clear()
        self.groups.forget()
        self.nodes.clear()
        self.edges.clear()
        self._shown.clear()
        for nid in self.doc.graph.nodes:
            self._add_node(nid)
        for e in self.doc.graph.edges:
            self._add_edge(e.src, e.dst)
        self._apply_report(self.doc.report)

    def _add_node(self, node_id: str) -> None:
        node = self.doc.graph.nodes[node_id]
        item = NodeItem(node_id, node.type)
        item.setPos(*node.pos)
        item.set_frozen(node.frozen)
        self.addItem(item)
        self.nodes[node_id] = item
        self.groups.node_added(node_id)

    def _remove_node(self, node_id: str) -> None:
        self.groups.node_removed(node_id)
        item = self.nodes.pop(node_id)
        self._shown.pop(node_id, None)
        self.removeItem(item)

    def _node_changed(self, node_id: str) -> None:
        if self.nodes[node_id].type_name != self.doc.graph.nodes[node_id].type:
            self._remove_node(node_id)
            self._add_node(node_id)
            for e in self.edges.values():
                if node_id in e.key:
                    self._route(e)

    def _node_moved(self, node_id: str) -> None:
        self.nodes[node_id].setPos(*self.doc.graph.nodes[node_id].pos)
        self.groups.node_moved(node_id)
        for e in self.edges.values():
            if node_id in e.key:
                self._route(e)

    def _node_renamed(self, old: str, new: str) -> None:
        item = self.nodes.pop(old)
        self.groups.node_renamed(old, new)
        item.set_node_id(new)
        self.nodes[new] = item
        self._shown.pop(old, None)
        for key in [k for k in self.edges if old in k]:
            edge = self.edges.pop(key)
            edge.src = new if edge.src == old else edge.src
            edge.dst = new if edge.dst == old else edge.dst
            self.edges[edge.key] = edge

    def _add_edge(self, src: str, dst: str) -> None:
        item = EdgeItem(src, dst)
        self.addItem(item)
        self.edges[(src, dst)] = item
        self._route(item)
        self._label_edge(item, self.doc.report)

    def _remove_edge(self, src: str, dst: str) -> None:
        self.removeItem(self.edges.pop((src, dst)))

    def _route(self, edge: EdgeItem) -> None:
        src, dst = self.nodes[edge.src], self.nodes[edge.dst]
        a = src.output_port.scenePos() if src.output_port else src.pos() + QPointF(WIDTH, HEIGHT / 2)
        b = dst.input_port.scenePos() if dst.input_port else dst.pos() + QPointF(0, HEIGHT / 2)
        # A folded group's ports stand in for its layers'; wires inside it are not drawn.
        folded_a, folded_b = self.groups.port(edge.src, True), self.groups.port(edge.dst, False)
        edge.set_ends(a if folded_a is None else folded_a, b if folded_b is None else folded_b)
        edge.setVisible(not self.groups.hides(edge.src, edge.dst))

    def _apply_report(self, report: ShapeReport) -> None:
        """Refresh only the nodes and wires whose displayed content changed."""
        graph = self.doc.graph
        for nid, item in self.nodes.items():
            node = graph.nodes[nid]
            ns = report.nodes.get(nid)
            issues = report.issues_for(nid)
            content = (_summary(node.type, node.params), ns.out_shape if ns else None,
                       ns.params if ns else 0, tuple(issues))
            if self._shown.get(nid) != content:
                self._shown[nid] = content
                item.set_content(content[0], content[1], content[2], issues)
        for edge in self.edges.values():
            self._label_edge(edge, report)
        self.groups.apply_report(report)

    @staticmethod
    def _label_edge(edge: EdgeItem, report: ShapeReport) -> None:
        shape = report.out_shape(edge.src)
        edge.set_label(fmt_shape(shape), shape is None)

    # -- selection ----------------------------------------------------------------------------
    def selected_node_ids(self) -> list[str]:
        """Selected layers in graph order (stable for copy, delete and the inspector)."""
        chosen = {i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)}
        return [nid for nid in self.doc.graph.nodes if nid in chosen]

    def selected_edges(self) -> list[Edge]:
        return [Edge(i.src, i.dst) for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def select_nodes(self, node_ids: list[str]) -> None:
        self.groups.reveal(node_ids)  # a layer inside a folded group is shown first
        self.clearSelection()
        for nid in node_ids:
            if nid in self.nodes:
                self.nodes[nid].setSelected(True)

    def select_all(self) -> None:
        for item in list(self.nodes.values()) + list(self.edges.values()):
            item.setSelected(True)

    # -- edit operations (each one undo step) ---------------------------------------------------
    def push(self, command) -> None:
        self.doc.undo_stack.push(command)

    def add_layer(self, type_name: str, centre: QPointF) -> str:
        """Add a layer centred on `centre` (a palette drop) and select it."""
        cmd = commands.AddNode(self.doc, type_name,
                               (round(centre.x() - WIDTH / 2), round(centre.y() - HEIGHT / 2)))
        self.push(cmd)
        self.select_nodes([cmd.node_id])
        return cmd.node_id

    def insert_after_selection(self, type_name: str, fallback_centre: QPointF) -> str:
        """Palette double-click: add behind the selected layer and wire it in."""
        ids = self.selected_node_ids()
        cmd, new_id = commands.insert_after_command(
            self.doc, type_name, ids[-1] if ids else None,
            (fallback_centre.x() - WIDTH / 2, fallback_centre.y() - HEIGHT / 2))
        self.push(cmd)
        self.select_nodes([new_id])
        return new_id

    def connect_nodes(self, src: str, dst: str) -> bool:
        problem = self.doc.connect_problem(src, dst)
        if problem:
            self.message.emit(self.tr("Cannot connect: {problem}").format(problem=problem))
            return False
        self.push(commands.Connect(self.doc, src, dst))
        return True

    def delete_selection(self) -> None:
        nodes, edges = self.selected_node_ids(), self.selected_edges()
        if nodes or edges:
            self.push(commands.Delete(self.doc, nodes, edges))

    def duplicate_selection(self) -> None:
        ids = self.selected_node_ids()
        if ids:
            self._paste(commands.fragment_of(self.doc.graph, ids), PASTE_OFFSET,
                        self.tr("Duplicate"))

    def copy_selection(self) -> bool:
        ids = self.selected_node_ids()
        if not ids:
            return False
        text = json.dumps(commands.fragment_of(self.doc.graph, ids).to_dict())
        mime = QMimeData()
        mime.setData(GRAPH_MIME, text.encode())
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def cut_selection(self) -> None:
        if self.copy_selection():
            self.push(commands.Delete(self.doc, self.selected_node_ids(), self.selected_edges()))

    def paste(self, at: QPointF | None = None) -> None:
        """Paste the clipboard's layers; at the cursor when given, else beside the originals."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(GRAPH_MIME):
            self.message.emit(self.tr("Nothing to paste: copy some layers first"))
            return
        try:
            fragment = Graph.from_dict(json.loads(bytes(mime.data(GRAPH_MIME)).decode()))
            for node in fragment.nodes.values():
                spec(node.type)
        except (ValueError, KeyError, TypeError) as exc:
            self.message.emit(self.tr("Cannot paste: the clipboard holds no valid layers "
                                      "({error})").format(error=exc))
            return
        if not fragment.nodes:
            return
        offset = PASTE_OFFSET
        if at is not None:
            left = min(n.pos[0] for n in fragment.nodes.values())
            top = min(n.pos[1] for n in fragment.nodes.values())
            offset = (at.x() - left, at.y() - top)
        self._paste(fragment, offset, self.tr("Paste"))

    def _paste(self, fragment: Graph, offset: tuple[float, float], text: str) -> None:
        cmd = commands.Paste(self.doc, fragment, offset, text)
        self.push(cmd)
        self.select_nodes(cmd.new_ids)

    def apply_fix(self, fix: Fix) -> None:
        cmd, added = commands.apply_fix_command(self.doc, fix)
        self.push(cmd)
        self.message.emit(self.tr("Applied: {fix}").format(fix=shown(fix.label)))
        if added:
            self.select_nodes(added)

    def auto_layout(self, canvas: tuple[float, float]) -> None:
        cmd = commands.auto_layout_command(self.doc, canvas, (WIDTH, HEIGHT))
        if cmd is not None:
            self.push(cmd)


def _summary(type_name: str, params: dict) -> str:
    return spec(type_name).summary(full_params(type_name, params))
