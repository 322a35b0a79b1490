"""The network document: nodes, edges and their parameters as plain data.

The graph is deliberately dumb: it knows nothing about torch or Qt. Shape inference
(`shapes.py`) and model building (`builder.py`) read it; the GUI edits it through undo
commands. Every node has a single output; merge nodes (Add, Concat) accept several
incoming edges, whose order in `edges` is the order of their inputs.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class GraphError(ValueError):
    """A structural edit that cannot be applied (unknown node, duplicate id, ...)."""


def valid_node_id(node_id: str) -> bool:
    """Node ids double as torch submodule names, so they must be identifiers."""
    return bool(_ID_RE.match(node_id))


@dataclass
class Node:
    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] = (0.0, 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()},
            "pos": [float(self.pos[0]), float(self.pos[1])],
        }


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str

    def to_dict(self) -> dict[str, str]:
        return {"src": self.src, "dst": self.dst}


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    # -- queries -----------------------------------------------------------------
    def inputs_of(self, node_id: str) -> list[str]:
        """Predecessors in input order."""
        return [e.src for e in self.edges if e.dst == node_id]

    def outputs_of(self, node_id: str) -> list[str]:
        return [e.dst for e in self.edges if e.src == node_id]

    def nodes_of_type(self, type_name: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.type == type_name]

    def upstream(self, node_ids: list[str], inclusive: bool = False) -> set[str]:
        """Every node that feeds any of `node_ids` (and the nodes themselves if inclusive)."""
        return self._reach(node_ids, self.inputs_of, inclusive)

    def downstream(self, node_id: str) -> set[str]:
        """Every node fed, directly or not, by `node_id`."""
        return self._reach([node_id], self.outputs_of, False)

    @staticmethod
    def _reach(start: list[str], step, inclusive: bool) -> set[str]:
        seen: set[str] = set(start) if inclusive else set()
        frontier = [m for n in start for m in step(n)]
        while frontier:
            nid = frontier.pop()
            if nid not in seen:
                seen.add(nid)
                frontier.extend(step(nid))
        return seen

    def find_cycle(self) -> list[str] | None:
        """Return one cycle as a list of node ids (first == last), or None."""
        succ: dict[str, list[str]] = {n: [] for n in self.nodes}
        for e in self.edges:
            if e.src in succ and e.dst in self.nodes:
                succ[e.src].append(e.dst)
        state: dict[str, int] = {}  # 1 = on stack, 2 = done
        for start in self.nodes:
            if state.get(start):
                continue
            stack: list[tuple[str, int]] = [(start, 0)]
            path: list[str] = [start]
            state[start] = 1
            while stack:
                node, i = stack[-1]
                if i < len(succ[node]):
                    stack[-1] = (node, i + 1)
                    nxt = succ[node][i]
                    if state.get(nxt) == 1:
                        return path[path.index(nxt):] + [nxt]
                    if not state.get(nxt):
                        state[nxt] = 1
                        stack.append((nxt, 0))
                        path.append(nxt)
                else:
                    state[node] = 2
                    stack.pop()
                    path.pop()
        return None

    def topo_order(self) -> list[str]:
        """Kahn's algorithm, stable with respect to insertion order. Raises on cycles."""
        indeg = {n: 0 for n in self.nodes}
        for e in self.edges:
            indeg[e.dst] += 1
        ready = [n for n in self.nodes if indeg[n] == 0]
        order: list[str] = []
        while ready:
            n = ready.pop(0)
            order.append(n)
            for m in self.outputs_of(n):
                indeg[m] -= 1
                if indeg[m] == 0:
                    ready.append(m)
        if len(order) != len(self.nodes):
            cycle = self.find_cycle() or []
            raise GraphError("cycle through " + " -> ".join(cycle))
        return order

    def depths(self) -> dict[str, int]:
        """Longest-path depth from any source; used for auto-layout and probe choice."""
        depth: dict[str, int] = {}
        for n in self.topo_order():
            preds = self.inputs_of(n)
            depth[n] = 1 + max((depth[p] for p in preds), default=-1)
        return depth

    def unique_id(self, prefix: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "_", prefix).lower() or "node"
        if base[0].isdigit():
            base = "n_" + base
        i = 1
        while f"{base}{i}" in self.nodes:
            i += 1
        return f"{base}{i}"

    # -- edits ---------------------------------------------------------------------
    def add_node(self, node: Node) -> Node:
        if not valid_node_id(node.id):
            raise GraphError(
                f"'{node.id}' is not a valid layer name: use letters, digits and _ only, "
                "not starting with a digit"
            )
        if node.id in self.nodes:
            raise GraphError(f"a layer named '{node.id}' already exists")
        self.nodes[node.id] = node
        return node

    def remove_node(self, node_id: str) -> tuple[Node, list[tuple[int, Edge]]]:
        """Remove a node and its edges; returns what is needed to undo it."""
        node = self._node(node_id)
        removed = [(i, e) for i, e in enumerate(self.edges) if node_id in (e.src, e.dst)]
        self.edges = [e for e in self.edges if node_id not in (e.src, e.dst)]
        del self.nodes[node_id]
        return node, removed

    def connect(self, src: str, dst: str, index: int | None = None) -> Edge:
        self._node(src)
        self._node(dst)
        if src == dst:
            raise GraphError(f"cannot connect '{src}' to itself")
        edge = Edge(src, dst)
        if edge in self.edges:
            raise GraphError(f"'{src}' is already connected to '{dst}'")
        if index is None:
            self.edges.append(edge)
        else:
            self.edges.insert(index, edge)
        return edge

    def disconnect(self, src: str, dst: str) -> int:
        """Remove an edge; returns its former index so undo can restore input order."""
        edge = Edge(src, dst)
        try:
            index = self.edges.index(edge)
        except ValueError:
            raise GraphError(f"no wire from '{src}' to '{dst}'") from None
        del self.edges[index]
        return index

    def rename(self, old: str, new: str) -> None:
        if old == new:
            return
        if not valid_node_id(new):
            raise GraphError(f"'{new}' is not a valid layer name")
        if new in self.nodes:
            raise GraphError(f"a layer named '{new}' already exists")
        node = self._node(old)
        node.id = new
        self.nodes = {(new if k == old else k): v for k, v in self.nodes.items()}
        self.edges = [
            Edge(new if e.src == old else e.src, new if e.dst == old else e.dst) for e in self.edges
        ]

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
            g.add_node(Node(nd["id"], nd["type"], params, (float(pos[0]), float(pos[1]))))
        for ed in data.get("edges", []):
            g.connect(ed["src"], ed["dst"])
        return g
