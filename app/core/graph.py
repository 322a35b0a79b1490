"""The network document: nodes, edges and their parameters as plain data.

The graph is deliberately dumb: it knows nothing about torch or Qt. Shape inference
(`shapes.py`) and model building (`builder.py`) read it; the GUI edits it through undo
commands. Every node has a single output; merge nodes (Add, Concat) accept several
incoming edges, whose order in `edges` is the order of their inputs.
"""

from __future__ import annotations

import builtins
import copy
import functools
import graphlib
import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from app.core.messages import QT_TRANSLATE_NOOP

_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Names the built model already uses (attributes set by builder.build on the GraphModule).
MODEL_ATTRIBUTES = ("input_ids", "output_ids", "losses", "input_dtypes", "frozen_ids")
# Globals of the forward code torch.fx generates, and its `self` argument.
_FX_GLOBALS = ("self", "inf", "nan", "NoneType", "torch", "device", "fx_pytree", "pytree")


def _module_attributes() -> frozenset[str]:
    """Every attribute of a built torch.fx.GraphModule instance (`forward`, `training`, ...).

    A layer named like one of them would shadow it as a submodule and break the model.
    """
    from torch import fx, nn  # here, not at the top: the document itself needs no torch

    g = fx.Graph()
    g.output(g.placeholder("x"))
    return frozenset(dir(fx.GraphModule(nn.Module(), g)))


@functools.cache
def _reserved() -> frozenset[str]:
    return (frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))
            | frozenset(MODEL_ATTRIBUTES) | frozenset(_FX_GLOBALS) | _module_attributes())


class GraphError(ValueError):
    """A structural edit that cannot be applied (unknown node, duplicate id, ...)."""


def node_id_problem(node_id: Any) -> str | None:
    """Why `node_id` cannot name a layer, or None when it can.

    Node ids become submodule names and fx variable names of the built model, so they must be
    identifiers that shadow nothing of Python, torch.nn.Module or torch.fx.GraphModule.
    """
    text = str(node_id)
    shown = repr(text if len(text) <= 40 else text[:37] + "...")
    if not isinstance(node_id, str) or not _ID_RE.match(node_id):
        return QT_TRANSLATE_NOOP(
            "ShapeCheck", "{name} is not a valid layer name: use letters, digits and _ only, not "
                          "starting with a digit").format(name=shown)
    if node_id.startswith("__") or node_id in _reserved():
        return QT_TRANSLATE_NOOP(
            "ShapeCheck", "{name} is a name Python or PyTorch already uses: choose another name, "
                          "e.g. '{example}_1'").format(name=shown,
                                                       example=node_id.strip("_") or "layer")
    return None


def valid_node_id(node_id: Any) -> bool:
    return node_id_problem(node_id) is None


@dataclass
class Node:
    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] = (0.0, 0.0)
    # A frozen layer keeps its weights (and BatchNorm statistics) while the network trains:
    # transfer learning reuses it as it is. Part of the node so copy, paste and undo keep it.
    frozen: bool = False
    # The block this layer belongs to (e.g. "layer1_0", a ResNet BasicBlock of an imported
    # network): the canvas can fold a group into one box. "" = no group.
    group: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()},
            "pos": [float(self.pos[0]), float(self.pos[1])],
            **({"frozen": True} if self.frozen else {}),  # absent: files stay as they were
            **({"group": self.group} if self.group else {}),
        }


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str

    def to_dict(self) -> dict[str, str]:
        return {"src": self.src, "dst": self.dst}


@dataclass
class Graph:
    """Nodes in document order and `edges` in input order (which defines the file format).

    Adjacency indexes make every query O(degree); they are kept in step by the mutators
    below, so `nodes` and `edges` must only be changed through them.
    """

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    _preds: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False,
                                         compare=False)
    _succs: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False,
                                         compare=False)
    _edge_set: set[Edge] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._reindex()

    def _reindex(self) -> None:
        self._preds = {n: [] for n in self.nodes}
        self._succs = {n: [] for n in self.nodes}
        for e in self.edges:
            self._preds[e.dst].append(e.src)
            self._succs[e.src].append(e.dst)
        self._edge_set = set(self.edges)

    # -- queries -----------------------------------------------------------------
    def inputs_of(self, node_id: str) -> list[str]:
        """Predecessors in input order."""
        return list(self._preds.get(node_id, ()))

    def outputs_of(self, node_id: str) -> list[str]:
        return list(self._succs.get(node_id, ()))

    def has_edge(self, src: str, dst: str) -> bool:
        return Edge(src, dst) in self._edge_set

    def nodes_of_type(self, type_name: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.type == type_name]

    def upstream(self, node_ids: list[str], inclusive: bool = False) -> set[str]:
        """Every node that feeds any of `node_ids` (and the nodes themselves if inclusive)."""
        return self._reach(node_ids, self._preds, inclusive)

    def downstream(self, node_id: str) -> set[str]:
        """Every node fed, directly or not, by `node_id`."""
        return self._reach([node_id], self._succs, False)

    @staticmethod
    def _reach(start: list[str], step: dict[str, list[str]], inclusive: bool) -> set[str]:
        seen: set[str] = set(start) if inclusive else set()
        frontier = [m for n in start for m in step.get(n, ())]
        while frontier:
            nid = frontier.pop()
            if nid not in seen:
                seen.add(nid)
                frontier.extend(step[nid])
        return seen

    def _sorter(self) -> graphlib.TopologicalSorter:
        """Nodes enter in document order, so ties are broken by document order."""
        sorter: graphlib.TopologicalSorter = graphlib.TopologicalSorter()
        for nid in self.nodes:
            sorter.add(nid)
        for nid, preds in self._preds.items():
            sorter.add(nid, *preds)
        return sorter

    def find_cycle(self) -> list[str] | None:
        """Return one cycle as a list of node ids (first == last), or None."""
        try:
            self._sorter().prepare()
        except graphlib.CycleError as exc:
            return list(exc.args[1])
        return None

    def topo_order(self) -> list[str]:
        """Sources first, level by level in document order. Raises GraphError on cycles."""
        try:
            return list(self._sorter().static_order())
        except graphlib.CycleError as exc:
            raise GraphError("cycle through " + " -> ".join(exc.args[1])) from None

    def depths(self) -> dict[str, int]:
        """Longest-path depth from any source; used for auto-layout and probe choice."""
        depth: dict[str, int] = {}
        for n in self.topo_order():
            depth[n] = 1 + max((depth[p] for p in self._preds[n]), default=-1)
        return depth

    def unique_id(self, prefix: str) -> str:
        """A fresh valid id `<prefix><n>` (never one Python or PyTorch already uses)."""
        base = re.sub(r"[^A-Za-z0-9_]", "_", prefix).lower().lstrip("_") or "node"
        if base[0].isdigit():
            base = "n_" + base
        i = 1
        while f"{base}{i}" in self.nodes or not valid_node_id(f"{base}{i}"):
            i += 1
        return f"{base}{i}"

    # -- edits ---------------------------------------------------------------------
    def add_node(self, node: Node) -> Node:
        problem = node_id_problem(node.id)
        if problem:
            raise GraphError(problem)
        if node.id in self.nodes:
            raise GraphError(f"a layer named '{node.id}' already exists")
        self.nodes[node.id] = node
        self._preds[node.id] = []
        self._succs[node.id] = []
        return node

    def remove_node(self, node_id: str) -> tuple[Node, list[tuple[int, Edge]]]:
        """Remove a node and its edges; returns what is needed to undo it."""
        node = self._node(node_id)
        removed = [(i, e) for i, e in enumerate(self.edges) if node_id in (e.src, e.dst)]
        self.edges = [e for e in self.edges if node_id not in (e.src, e.dst)]
        for _, e in removed:
            self._edge_set.discard(e)
            if e.src != node_id:
                self._succs[e.src].remove(node_id)
            if e.dst != node_id:
                self._preds[e.dst].remove(node_id)
        del self.nodes[node_id], self._preds[node_id], self._succs[node_id]
        return node, removed

    def connect(self, src: str, dst: str, index: int | None = None) -> Edge:
        """Add a wire; `index` (undo) puts it back at its old place in `edges`."""
        self._node(src)
        self._node(dst)
        if src == dst:
            raise GraphError(f"cannot connect '{src}' to itself")
        edge = Edge(src, dst)
        if edge in self._edge_set:
            raise GraphError(f"'{src}' is already connected to '{dst}'")
        if index is None or index >= len(self.edges):
            self.edges.append(edge)
            self._preds[dst].append(src)
        else:
            self.edges.insert(index, edge)
            position = sum(1 for e in self.edges[:index] if e.dst == dst)
            self._preds[dst].insert(position, src)
        self._succs[src].append(dst)
        self._edge_set.add(edge)
        return edge

    def disconnect(self, src: str, dst: str) -> int:
        """Remove an edge; returns its former index so undo can restore input order."""
        edge = Edge(src, dst)
        if edge not in self._edge_set:
            raise GraphError(f"no wire from '{src}' to '{dst}'")
        index = self.edges.index(edge)
        del self.edges[index]
        self._edge_set.discard(edge)
        self._preds[dst].remove(src)
        self._succs[src].remove(dst)
        return index

    def rename(self, old: str, new: str) -> None:
        if old == new:
            return
        problem = node_id_problem(new)
        if problem:
            raise GraphError(problem)
        if new in self.nodes:
            raise GraphError(f"a layer named '{new}' already exists")
        node = self._node(old)
        node.id = new
        self.nodes = {(new if k == old else k): v for k, v in self.nodes.items()}
        self.edges = [
            Edge(new if e.src == old else e.src, new if e.dst == old else e.dst) for e in self.edges
        ]
        self._reindex()

    def _node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise GraphError(f"no layer named '{node_id}'") from None

    # -- (de)serialisation ------------------------------------------------------------
    def copy(self) -> Graph:
        return copy.deepcopy(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_dict() for n in self.nodes.values()],
            "edges": [e.to_dict() for e in self.edges],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Graph:
        """Build from plain data. Field validation lives in project_io; this trusts its input."""
        g = cls()
        for nd in data.get("nodes", []):
            params = {k: tuple(v) if isinstance(v, list) else v for k, v in nd.get("params", {}).items()}
            pos = nd.get("pos", (0.0, 0.0))
            g.add_node(Node(nd["id"], nd["type"], params, (float(pos[0]), float(pos[1])),
                            frozen=bool(nd.get("frozen", False)),
                            group=str(nd.get("group", ""))))
        for ed in data.get("edges", []):
            g.connect(ed["src"], ed["dst"])
        return g
