"""Graph document: safe node ids, deterministic order, adjacency indexes, linear cost."""

import gc
import keyword

import pytest
from torch import fx

from app.core.bench import graph_load_s
from app.core.builder import GraphModel
from app.core.graph import Edge, Graph, GraphError, Node, node_id_problem, valid_node_id

RESERVED_EXAMPLES = ["class", "forward", "eval", "training", "zero_grad", "graph", "code",
                     "state_dict", "to", "cuda", "type", "input_ids", "output_ids", "losses",
                     "__init__", "self", "print", "input"]


@pytest.mark.parametrize("name", RESERVED_EXAMPLES)
def test_names_python_or_torch_use_are_refused_with_a_reason(name):
    problem = node_id_problem(name)
    assert problem and name in problem and "choose another name" in problem
    g = Graph()
    with pytest.raises(GraphError, match="already uses"):
        g.add_node(Node(name, "ReLU"))
    g.add_node(Node("a", "ReLU"))
    with pytest.raises(GraphError, match="already uses"):
        g.rename("a", name)
    assert list(g.nodes) == ["a"]


def test_reserved_set_covers_what_the_built_model_and_fx_use():
    model_attrs = set(GraphModel.__annotations__)
    fx_globals = set(getattr(fx.graph, "_custom_builtins", {}))
    for name in model_attrs | fx_globals | set(keyword.kwlist) | set(dir(fx.GraphModule)):
        assert not valid_node_id(name), name


@pytest.mark.parametrize("name", ["conv1", "x", "_hidden", "Fc_2"])
def test_ordinary_identifiers_are_fine(name):
    assert node_id_problem(name) is None


@pytest.mark.parametrize("bad", ["1conv", "a-b", "", "ü", 3])
def test_non_identifiers_are_refused(bad):
    assert "letters, digits and _" in node_id_problem(bad)


@pytest.mark.parametrize("prefix", ["Forward", "class", "__init__", "", "3d", "type"])
def test_unique_id_never_produces_a_reserved_or_taken_name(prefix):
    g = Graph()
    for _ in range(3):
        nid = g.unique_id(prefix)
        assert valid_node_id(nid) and nid not in g.nodes
        g.add_node(Node(nid, "ReLU"))


def _diamond() -> Graph:
    g = Graph()
    for nid in ("inp", "b", "a", "add", "out"):
        g.add_node(Node(nid, "ReLU"))
    for src, dst in (("inp", "a"), ("inp", "b"), ("b", "add"), ("a", "add"), ("add", "out")):
        g.connect(src, dst)
    return g


def test_topological_order_breaks_ties_by_document_order():
    g = _diamond()
    assert g.topo_order() == ["inp", "b", "a", "add", "out"]
    assert g.depths() == {"inp": 0, "b": 1, "a": 1, "add": 2, "out": 3}


def test_a_cycle_is_reported_in_flow_direction():
    g = _diamond()
    g.connect("out", "b")
    cycle = g.find_cycle()
    assert cycle[0] == cycle[-1]
    assert all(g.has_edge(src, dst) for src, dst in zip(cycle, cycle[1:], strict=False))
    with pytest.raises(GraphError, match="cycle through"):
        g.topo_order()


def _indexes_match_edges(g: Graph) -> bool:
    return all(g.inputs_of(n) == [e.src for e in g.edges if e.dst == n]
               and g.outputs_of(n) == [e.dst for e in g.edges if e.src == n] for n in g.nodes)


def test_indexes_follow_every_mutator():
    g = _diamond()
    index = g.disconnect("b", "add")
    assert _indexes_match_edges(g)
    g.connect("b", "add", index)  # undo puts the input back first
    assert g.inputs_of("add") == ["b", "a"] and _indexes_match_edges(g)
    g.rename("a", "left")
    assert g.inputs_of("add") == ["b", "left"] and _indexes_match_edges(g)
    node, removed = g.remove_node("b")
    assert not g.has_edge("inp", "b") and _indexes_match_edges(g)
    g.add_node(node)
    for i, e in removed:
        g.connect(e.src, e.dst, i)
    assert g.edges == _diamond_renamed_edges() and _indexes_match_edges(g)
    assert _indexes_match_edges(g.copy())


def _diamond_renamed_edges() -> list[Edge]:
    return [Edge("inp", "left"), Edge("inp", "b"), Edge("b", "add"), Edge("left", "add"),
            Edge("add", "out")]


def _median_ratio(small: int, large: int) -> float:
    """Python's cyclic GC runs whenever the torch-sized heap grows by a quarter, which adds
    steps unrelated to the graph code; it is paused so the ratio measures our work only."""
    gc.disable()
    try:
        return graph_load_s(large, repeats=3) / graph_load_s(small, repeats=3)
    finally:
        gc.enable()


def test_loading_and_inferring_grow_linearly():
    ratio = _median_ratio(4000, 16000)
    assert ratio < 8, f"4x the nodes took {ratio:.1f}x the time (quadratic would be 16x)"
