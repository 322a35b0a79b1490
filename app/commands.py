"""Undo commands: the only way the editor changes a Document.

One user gesture is one command (a drag that moves five nodes, a paste of ten, a one-click fix
that inserts a layer and rewires two edges), so Ctrl+Z always undoes exactly what the learner
just did. Commands touch only the document; views follow its signals.
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QUndoCommand

from app.core.catalog import spec
from app.core.graph import Edge, Graph, Node
from app.core.layout import LAYOUT_DX, layout_positions
from app.core.shapes import Fix, apply_fix
from app.core.weights import Trained
from app.document import Document
from app.shown import shown

_MISSING = object()  # a parameter the node did not set (the catalog default applies)
_MOVE_ID, _PARAM_ID, _SETTINGS_ID = 1, 2, 3
_merge_keys = itertools.count(1)
# Undo texts name settings like this (shown through QCoreApplication.translate("Commands", ...)).
SETTING_LABELS = {
    "name": QT_TRANSLATE_NOOP("Commands", "dataset"),
    "data_dir": QT_TRANSLATE_NOOP("Commands", "data folder"),
    "n_train": QT_TRANSLATE_NOOP("Commands", "training samples"),
    "lr": QT_TRANSLATE_NOOP("Commands", "learning rate"),
    "batch_size": QT_TRANSLATE_NOOP("Commands", "batch size"),
    "hflip": QT_TRANSLATE_NOOP("Commands", "flip"),
    "color_jitter": QT_TRANSLATE_NOOP("Commands", "colour jitter"),
    "crop": QT_TRANSLATE_NOOP("Commands", "shift"),
    "val_fraction": QT_TRANSLATE_NOOP("Commands", "validation share"),
    "sample": QT_TRANSLATE_NOOP("Commands", "data sample"),
    "log_dir": QT_TRANSLATE_NOOP("Commands", "run log folder"),
    "min_step_s": QT_TRANSLATE_NOOP("Commands", "training speed (s per step)"),
}


def new_merge_key() -> int:
    """A fresh key for one continuous gesture (a drag, a run of spin-box steps)."""
    return next(_merge_keys)


class _Command(QUndoCommand):
    """Base: commands that make up a macro are kept in a Python list of their parent and run
    by it, not handed to Qt as child commands: Qt would delete them from C++ while Python
    still owns them."""

    def __init__(self, text: str, parent: _Command | None = None):
        super().__init__(text)
        self._children: list[_Command] = []
        if parent is not None:
            parent._children.append(self)


class _Batched(_Command):
    """Runs the (child) edits with one shape inference at the end."""

    def __init__(self, doc: Document, text: str, parent: _Command | None = None):
        super().__init__(text, parent)
        self.doc = doc

    def redo(self) -> None:
        with self.doc.batch():
            self._redo()

    def undo(self) -> None:
        with self.doc.batch():
            self._undo()

    def _redo(self) -> None:
        for child in self._children:
            child.redo()

    def _undo(self) -> None:
        for child in reversed(self._children):
            child.undo()


class AddNode(_Batched):
    def __init__(self, doc: Document, type_name: str, pos: tuple[float, float],
                 params: dict[str, Any] | None = None, node_id: str | None = None,
                 parent: _Command | None = None, frozen: bool = False):
        spec(type_name)  # unknown types fail here, before the stack sees the command
        super().__init__(doc, QCoreApplication.translate("Commands", "Add {layer}").format(
            layer=type_name), parent)
        self.node = Node(node_id or doc.graph.unique_id(type_name), type_name,
                         dict(params or {}), (float(pos[0]), float(pos[1])), frozen)

    @property
    def node_id(self) -> str:
        return self.node.id

    def _redo(self) -> None:
        self.doc.add_node(Node(self.node.id, self.node.type, dict(self.node.params),
                               self.node.pos, self.node.frozen))

    def _undo(self) -> None:
        self.doc.remove_node(self.node.id)


class Connect(_Batched):
    def __init__(self, doc: Document, src: str, dst: str, index: int | None = None,
                 parent: _Command | None = None):
        super().__init__(doc, QCoreApplication.translate(
            "Commands", "Connect {source} → {target}").format(source=src, target=dst), parent)
        self.src, self.dst, self.index = src, dst, index

    def _redo(self) -> None:
        self.doc.connect(self.src, self.dst, self.index)

    def _undo(self) -> None:
        self.doc.disconnect(self.src, self.dst)


class Disconnect(_Batched):
    def __init__(self, doc: Document, src: str, dst: str, parent: _Command | None = None):
        super().__init__(doc, QCoreApplication.translate(
            "Commands", "Disconnect {source} → {target}").format(source=src, target=dst),
            parent)
        self.src, self.dst = src, dst
        self.index: int | None = None

    def _redo(self) -> None:
        self.index = self.doc.disconnect(self.src, self.dst)

    def _undo(self) -> None:
        # Re-inserting at the old index keeps the input order of Add/Concat intact.
        self.doc.connect(self.src, self.dst, self.index)


class Delete(_Batched):
    """Remove wires and layers (with all their wires); undo restores the exact edge order."""

    def __init__(self, doc: Document, node_ids: list[str], edges: list[Edge] = (),
                 parent: _Command | None = None):
        n, e = len(node_ids), len(edges)
        if n:
            text = (QCoreApplication.translate("Commands", "Delete 1 layer") if n == 1
                    else QCoreApplication.translate("Commands", "Delete {n} layers"))
        else:
            text = (QCoreApplication.translate("Commands", "Delete 1 wire") if e == 1
                    else QCoreApplication.translate("Commands", "Delete {n} wires"))
        super().__init__(doc, text.format(n=n or e), parent)
        gone = set(node_ids)
        self.edges = [x for x in edges if x.src not in gone and x.dst not in gone]
        self.node_ids = list(node_ids)
        self._edge_index: list[int] = []
        self._removed: list[tuple[Node, list[tuple[int, Edge]]]] = []

    def _redo(self) -> None:
        self._edge_index = [self.doc.disconnect(x.src, x.dst) for x in self.edges]
        self._removed = [self.doc.remove_node(nid) for nid in self.node_ids]

    def _undo(self) -> None:
        # Strict reverse order: every recorded index is valid again at the time it is used.
        for node, edges in reversed(self._removed):
            self.doc.add_node(node)
            for index, edge in edges:
                self.doc.connect(edge.src, edge.dst, index)
        for edge, index in reversed(list(zip(self.edges, self._edge_index, strict=True))):
            self.doc.connect(edge.src, edge.dst, index)


class MoveNodes(_Command):
    """Move several nodes at once. Commands sharing a merge key (one drag) merge into one."""

    def __init__(self, doc: Document, moves: dict[str, tuple[tuple[float, float],
                                                             tuple[float, float]]],
                 merge_key: int | None = None, text: str = "", parent: _Command | None = None):
        n = len(moves)
        moved = (QCoreApplication.translate("Commands", "Move 1 layer") if n == 1
                 else QCoreApplication.translate("Commands", "Move {n} layers").format(n=n))
        super().__init__(text or moved, parent)
        self.doc = doc
        self.moves = dict(moves)  # id -> (old, new)
        self.merge_key = merge_key

    def id(self) -> int:
        return _MOVE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MoveNodes) or other.merge_key != self.merge_key:
            return False
        for nid, (_old, new) in other.moves.items():
            old = self.moves.get(nid, other.moves[nid])[0]
            self.moves[nid] = (old, new)
        self.setObsolete(all(old == new for old, new in self.moves.values()))
        return True

    def redo(self) -> None:
        for nid, (_old, new) in self.moves.items():
            self.doc.set_pos(nid, new)

    def undo(self) -> None:
        for nid, (old, _new) in self.moves.items():
            self.doc.set_pos(nid, old)


class SetParam(_Batched):
    """Change one parameter; consecutive changes with the same merge key are one step."""

    def __init__(self, doc: Document, node_id: str, name: str, value: Any,
                 merge_key: int | None = None, parent: _Command | None = None):
        super().__init__(doc, QCoreApplication.translate(
            "Commands", "Set {parameter} of {layer}").format(parameter=name, layer=node_id),
            parent)
        self.node_id, self.name, self.value = node_id, name, value
        self.old = doc.graph.nodes[node_id].params.get(name, _MISSING)
        self.merge_key = merge_key

    def id(self) -> int:
        return _PARAM_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SetParam) and other.merge_key == self.merge_key
                and (other.node_id, other.name) == (self.node_id, self.name)):
            return False
        self.value = other.value
        self.setObsolete(self.value == self.old)
        return True

    def _redo(self) -> None:
        self.doc.set_param(self.node_id, self.name, self.value)

    def _undo(self) -> None:
        self.doc.set_param(self.node_id, self.name, None if self.old is _MISSING else self.old)


class SetSettings(_Command):
    """Change run settings (one section: data, augment or training); consecutive changes of
    the same fields with the same merge key (spin-box steps) are one undo step."""

    def __init__(self, doc: Document, section: str, values: dict[str, Any],
                 merge_key: int | None = None, parent: _Command | None = None):
        names = ", ".join(QCoreApplication.translate("Commands", SETTING_LABELS.get(k, k))
                          for k in values)
        shown = next(iter(values.values())) if len(values) == 1 else None
        text = (QCoreApplication.translate("Commands", "Set {names} to {value}").format(
            names=names, value=shown) if shown is not None
            else QCoreApplication.translate("Commands", "Set {names}").format(names=names))
        super().__init__(text, parent)
        self.doc, self.section, self.values = doc, section, dict(values)
        current = doc.settings(section)
        self.old = {key: getattr(current, key) for key in values}
        self.merge_key = merge_key

    def id(self) -> int:
        return _SETTINGS_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SetSettings) and other.merge_key == self.merge_key
                and (other.section, other.values.keys()) == (self.section, self.values.keys())):
            return False
        self.values = dict(other.values)
        self.setText(other.text())
        self.setObsolete(self.values == self.old)
        return True

    def redo(self) -> None:
        self.doc.set_settings(self.section, self.values)

    def undo(self) -> None:
        self.doc.set_settings(self.section, self.old)


class Rename(_Batched):
    def __init__(self, doc: Document, old: str, new: str, parent: _Command | None = None):
        super().__init__(doc, QCoreApplication.translate(
            "Commands", "Rename {old} to {new}").format(old=old, new=new), parent)
        self.old, self.new = old, new

    def _redo(self) -> None:
        self.doc.rename(self.old, self.new)

    def _undo(self) -> None:
        self.doc.rename(self.new, self.old)


class SetFrozen(_Command):
    """Freeze or unfreeze one layer (transfer learning: its weights stay as they are)."""

    def __init__(self, doc: Document, node_id: str, frozen: bool,
                 parent: _Command | None = None):
        text = (QCoreApplication.translate("Commands", "Freeze {layer}") if frozen
                else QCoreApplication.translate("Commands", "Unfreeze {layer}"))
        super().__init__(text.format(layer=node_id), parent)
        self.doc, self.node_id, self.frozen = doc, node_id, bool(frozen)
        self.old = doc.graph.nodes[node_id].frozen

    def redo(self) -> None:
        self.doc.set_frozen(self.node_id, self.frozen)

    def undo(self) -> None:
        self.doc.set_frozen(self.node_id, self.old)


KEEP_WEIGHTS_RUNS = 5  # runs whose weights undo/redo can bring back (each may be many MB)
_DROPPED = object()  # weights an old KeepTrained let go of
_kept_by_doc: weakref.WeakKeyDictionary[Document, list[weakref.ref[KeepTrained]]] = \
    weakref.WeakKeyDictionary()


class KeepTrained(_Command):
    """Keep a run's final weights with the project (saved beside it); undo drops them again.

    Every run pushes one, so the undo history would hold every run's weights: only the last
    KEEP_WEIGHTS_RUNS runs' weights stay in it. Older commands let go of theirs and say so in
    their undo text; undoing or redoing one of them leaves the project without weights.
    """

    def __init__(self, doc: Document, trained: Trained, parent: _Command | None = None):
        super().__init__(QCoreApplication.translate(
            "Commands", "Keep weights of run {run}").format(run=trained.info.run), parent)
        self.doc = doc
        self.run = trained.info.run
        self.before, self.after = doc.trained, trained
        history = _kept_by_doc.setdefault(doc, [])
        history.append(weakref.ref(self))
        _let_go_of_old_weights(doc, history)

    @property
    def dropped(self) -> bool:
        """True when this command no longer holds the weights it would restore."""
        return self.before is _DROPPED or self.after is _DROPPED

    def redo(self) -> None:
        self.doc.set_trained(None if self.after is _DROPPED else self.after)

    def undo(self) -> None:
        self.doc.set_trained(None if self.before is _DROPPED else self.before)


def _let_go_of_old_weights(doc: Document, history: list[weakref.ref[KeepTrained]]) -> None:
    """Drop the weights that neither the newest KEEP_WEIGHTS_RUNS commands nor the document
    hold from every older KeepTrained of `doc` (commands Qt has deleted are forgotten)."""
    alive = [command for command in (ref() for ref in history) if command is not None]
    history[:] = [weakref.ref(command) for command in alive]
    keep = {id(command.after) for command in alive[-KEEP_WEIGHTS_RUNS:]} | {id(doc.trained)}
    for command in alive[:-1]:
        was_dropped = command.dropped
        if command.before not in (None, _DROPPED) and id(command.before) not in keep:
            command.before = _DROPPED
        if command.after is not _DROPPED and id(command.after) not in keep:
            command.after = _DROPPED
        if command.dropped and not was_dropped:
            command.setText(QCoreApplication.translate(
                "Commands", "Keep weights of run {run} (weights no longer kept: only the last "
                "{n} runs' weights can be undone)").format(run=command.run, n=KEEP_WEIGHTS_RUNS))


class ReplaceGraph(_Batched):
    """Swap in an edited copy of the graph; the document emits only what differs."""

    def __init__(self, doc: Document, after: Graph, text: str,
                 parent: _Command | None = None):
        super().__init__(doc, text, parent)
        self.before = doc.graph.copy()
        self.after = after

    def _redo(self) -> None:
        self.doc.replace_graph(self.after.copy())

    def _undo(self) -> None:
        self.doc.replace_graph(self.before.copy())


def apply_fix_command(doc: Document, fix: Fix) -> tuple[ReplaceGraph, list[str]]:
    """A fix as one undo step; also returns the ids of layers it inserted."""
    after = doc.graph.copy()
    added = apply_fix(after, fix)
    return ReplaceGraph(doc, after, shown(fix.label)), added


class Paste(_Batched):
    """Add a copied sub-graph (fresh ids, shifted) and its internal wires as one step."""

    def __init__(self, doc: Document, fragment: Graph, offset: tuple[float, float],
                 text: str = "", parent: _Command | None = None):
        super().__init__(doc, text or QCoreApplication.translate("Commands", "Paste"), parent)
        taken = set(doc.graph.nodes)
        self.id_map: dict[str, str] = {}
        for node in fragment.nodes.values():
            new_id = _fresh_id(node.id, node.type, taken)
            taken.add(new_id)
            self.id_map[node.id] = new_id
            AddNode(doc, node.type, (node.pos[0] + offset[0], node.pos[1] + offset[1]),
                    node.params, new_id, parent=self, frozen=node.frozen)
        for edge in fragment.edges:
            if edge.src in self.id_map and edge.dst in self.id_map:
                Connect(doc, self.id_map[edge.src], self.id_map[edge.dst], parent=self)

    @property
    def new_ids(self) -> list[str]:
        return list(self.id_map.values())


def _fresh_id(old_id: str, type_name: str, taken: set[str]) -> str:
    """conv1 -> conv1_copy, conv1_copy2, ...; readable and unique."""
    base = f"{old_id}_copy"
    if base not in taken:
        return base
    return next(f"{base}{i}" for i in itertools.count(2) if f"{base}{i}" not in taken)


def fragment_of(graph: Graph, node_ids: list[str]) -> Graph:
    """The selected nodes and the wires between them (what copy puts on the clipboard)."""
    keep = [n for n in graph.nodes if n in set(node_ids)]
    frag = Graph()
    for nid in keep:
        n = graph.nodes[nid]
        frag.add_node(Node(n.id, n.type, dict(n.params), n.pos, n.frozen))
    for e in graph.edges:
        if e.src in frag.nodes and e.dst in frag.nodes:
            frag.connect(e.src, e.dst)
    return frag


def insert_after_command(doc: Document, type_name: str, after: str | None,
                         fallback_pos: tuple[float, float]) -> tuple[_Batched, str]:
    """Add a layer behind `after` and splice it into its outgoing wires, as one step.

    Downstream layers shift right to make room, so a chain stays readable. Returns the
    command and the new node's id.
    """
    parent = _Batched(doc, QCoreApplication.translate("Commands", "Insert {layer}").format(
        layer=type_name))
    if after is None or after not in doc.graph.nodes:
        add = AddNode(doc, type_name, fallback_pos, parent=parent)
        return parent, add.node_id
    g = doc.graph
    ax, ay = g.nodes[after].pos
    add = AddNode(doc, type_name, (ax + LAYOUT_DX, ay), parent=parent)
    new_id = add.node_id
    accepts = spec(type_name).max_inputs != 0
    if accepts and spec(g.nodes[after].type).has_output:
        successors = g.outputs_of(after) if spec(type_name).has_output else []
        for dst in successors:
            index = g.edges.index(Edge(after, dst))
            Disconnect(doc, after, dst, parent=parent)
            Connect(doc, new_id, dst, index, parent=parent)
        Connect(doc, after, new_id, parent=parent)
        downstream = g.downstream(after)
        if downstream:
            MoveNodes(doc, {n: (g.nodes[n].pos, (g.nodes[n].pos[0] + LAYOUT_DX,
                                                 g.nodes[n].pos[1])) for n in downstream},
                      parent=parent)
    return parent, new_id


def auto_layout_command(doc: Document, canvas: tuple[float, float],
                        node_size: tuple[float, float]) -> MoveNodes | None:
    """Auto-layout as one undo step; None when every layer is already in place."""
    g = doc.graph
    moves = {nid: (g.nodes[nid].pos, pos)
             for nid, pos in layout_positions(g, canvas, node_size).items()
             if g.nodes[nid].pos != pos}
    return (MoveNodes(doc, moves, text=QCoreApplication.translate("Commands", "Auto-layout"))
            if moves else None)
