"""Every catalog entry declares its behaviour, and the declarations hold on the meta device."""

import pytest

from app.core.catalog import INPUT_RANKS, SPECS, LayerSpec
from app.core.graph import Graph, Node
from app.core.shapes import infer

SAMPLES = {1: (6,), 2: (5, 6), 3: (4, 6, 6)}  # one input shape per rank
LAYERS = [s for s in SPECS if s.type != "Input"]
FITTING = {"Reshape": {"shape": (-1,)}, "Output": {"loss": "mse"}}  # fit any sample


def _run(layer: LayerSpec, shape, dtype="float", params=None):
    """Input -> (one branch per required input) -> layer -> Output; returns the layer's shape."""
    g = Graph()
    g.add_node(Node("inp", "Input", {"shape": shape, "dtype": dtype}))
    g.add_node(Node("layer", layer.type, {**FITTING.get(layer.type, {}), **(params or {})}))
    if layer.min_inputs > 1:
        for i in range(layer.min_inputs):
            g.add_node(Node(f"branch{i}", "Reshape", {"shape": shape}))
            g.connect("inp", f"branch{i}")
            g.connect(f"branch{i}", "layer")
    else:
        g.connect("inp", "layer")
    if layer.has_output:
        g.add_node(Node("out", "Output", {"loss": "mse"}))
        g.connect("layer", "out")
    report = infer(g)
    return report, report.nodes["layer"]


def _width_axis(shape):
    return 0 if len(shape) == 3 else len(shape) - 1


def _dtype(layer: LayerSpec) -> str:
    return "long" if layer.input_dtype == "long" else "float"


@pytest.mark.parametrize("layer", LAYERS, ids=lambda s: s.type)
def test_declarations_are_well_formed(layer):
    assert layer.input_kind in INPUT_RANKS
    assert layer.input_dtype in ("float", "long", "any")
    assert layer.keeps_width or not layer.keeps_shape  # same shape implies same width
    if layer.width_param:
        assert layer.param(layer.width_param).kind == "int"


@pytest.mark.parametrize("layer", LAYERS, ids=lambda s: s.type)
@pytest.mark.parametrize("rank", sorted(SAMPLES))
def test_input_kind_is_what_the_layer_accepts(layer, rank):
    report, ns = _run(layer, SAMPLES[rank], _dtype(layer))
    if layer.accepts_rank(rank):
        assert ns.out_shape is not None, report.issues
    else:
        assert ns.out_shape is None
        assert any(i.node_id == "layer" for i in report.issues)


KEEPERS = [(s, r) for s in LAYERS if s.keeps_width for r in sorted(SAMPLES) if s.accepts_rank(r)]


@pytest.mark.parametrize(("layer", "rank"), KEEPERS, ids=lambda v: getattr(v, "type", str(v)))
def test_shape_and_width_keeping_layers_keep_them(layer, rank):
    shape = SAMPLES[rank]
    _, ns = _run(layer, shape, _dtype(layer))
    out = ns.out_shape if layer.has_output else ns.in_shapes[0]
    axis = _width_axis(shape)
    assert out[_width_axis(out)] == shape[axis]
    if layer.keeps_shape and layer.has_output:
        assert out == shape


@pytest.mark.parametrize("layer", [s for s in LAYERS if s.width_param], ids=lambda s: s.type)
def test_width_param_sets_the_width(layer):
    rank = next(r for r in sorted(SAMPLES, reverse=True) if layer.accepts_rank(r))
    _, ns = _run(layer, SAMPLES[rank], _dtype(layer), {layer.width_param: 7})
    assert ns.out_shape[_width_axis(ns.out_shape)] == 7


@pytest.mark.parametrize("layer", LAYERS, ids=lambda s: s.type)
def test_input_dtype_declares_what_happens_to_token_ids(layer):
    rank = next(r for r in sorted(SAMPLES) if layer.accepts_rank(r))
    report, ns = _run(layer, SAMPLES[rank], "long")
    if layer.input_dtype == "float":
        assert any(i.node_id == "layer" and "Embedding" in i.message for i in report.issues)
    else:
        assert ns.out_shape is not None, report.issues
        assert ns.dtype == ("long" if layer.input_dtype == "any" else "float")
