"""Property-based: random graphs from the catalog never crash inference, the built model's
real forward matches the inferred shapes, and what `check` calls valid really trains."""

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import datasets
from app.core.builder import build
from app.core.catalog import SPECS
from app.core.experiment import prepare_model
from app.core.graph import Graph, GraphError, Node
from app.core.shapes import check_data_fit, infer
from app.core.trainer import TrainConfig, Trainer

LAYER_TYPES = [s for s in SPECS if s.type != "Input"]
# Mostly fresh names; some that Python or torch already use must be refused, never built.
IDS = st.one_of(st.from_regex(r"[a-z]{1,3}[0-9]?", fullmatch=True),
                st.sampled_from(["forward", "class", "training", "eval", "input_ids", "to"]))


@st.composite
def params_for(draw, layer):
    """Defaults, values inside the declared ranges and a few just outside them."""
    params = {}
    for p in layer.params:
        if draw(st.integers(0, 2)):
            continue  # mostly defaults
        if p.kind == "int":
            lo = int(p.minimum if p.minimum is not None else 0)
            hi = int(p.maximum) if p.maximum is not None else lo + 12
            params[p.name] = draw(st.one_of(st.integers(lo, min(hi, lo + 12)),
                                            st.sampled_from([lo - 1, hi + 1])))
        elif p.kind == "float":
            params[p.name] = draw(st.floats(-0.2, 1.2, allow_nan=False))
        elif p.kind == "choice":
            params[p.name] = draw(st.sampled_from(p.choices))
        elif p.kind == "bool":
            params[p.name] = draw(st.booleans())
        else:
            params[p.name] = draw(st.sampled_from([(-1,), (1, 4, 4), (4, 4), (-1, 2), (0,)]))
    return params


@st.composite
def graphs(draw, input_shape=None, dtype=None, classes=4):
    """Small chains hung off one Input, plus random extra wires (cycles, merges, fan-in);
    usually the last chain ends in a Flatten -> Linear head, so a useful share is valid."""
    g = Graph()
    shape = input_shape or draw(st.sampled_from([(2,), (1, 8, 8), (3, 6, 6), (6, 3), (16,)]))
    g.add_node(Node("inp", "Input", {"shape": shape,
                                     "dtype": dtype or draw(st.sampled_from(["float", "long"]))}))
    for _ in range(draw(st.integers(1, 2))):
        prev = draw(st.sampled_from(list(g.nodes)))
        for _ in range(draw(st.integers(1, 3))):
            layer = draw(st.sampled_from(LAYER_TYPES))
            nid = draw(IDS)
            try:
                g.add_node(Node(nid, layer.type, draw(params_for(layer))))
            except GraphError:
                continue  # a taken or reserved name is refused, as the editor would
            g.connect(prev, nid)
            prev = nid
    if draw(st.integers(0, 4)):
        for nid, layer in (("hflat", "Flatten"), ("hfc", "Linear")):
            g.add_node(Node(nid, layer, {"out_features": classes} if layer == "Linear" else {}))
            g.connect(prev, nid)
            prev = nid
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3]))):
        src, dst = draw(st.sampled_from(list(g.nodes))), draw(st.sampled_from(list(g.nodes)))
        if src != dst and not g.has_edge(src, dst):
            g.connect(src, dst)
    if not g.nodes_of_type("Output") and draw(st.integers(0, 9)):
        g.add_node(Node("head", "Output", {"loss": draw(st.sampled_from(
            ["cross_entropy", "mse", "bce_with_logits"]))}))
        g.connect(prev, "head")
    return g


def _sample(shape, dtype, n=3):
    if dtype == "long":
        return torch.randint(0, 2, (n, *shape))
    return torch.randn(n, *shape)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_inference_never_raises_and_the_real_forward_matches_it(g):
    report = infer(g)
    if not report.ok:
        assert all(i.node_id in g.nodes or "no Input" in i.message or "no Output" in i.message
                   for i in report.errors)
        return
    model = build(g, report=report)
    seen = {}
    for name, module in model.named_children():
        module.register_forward_hook(
            lambda _m, _i, out, name=name: seen.__setitem__(name, tuple(out.shape[1:])))
    inputs = [_sample(report.out_shape(i), model.input_dtypes[i]) for i in model.input_ids]
    model.eval()
    with torch.no_grad():
        model(*inputs)
    assert seen == {nid: report.out_shape(nid) for nid in seen}
    assert set(seen) == {nid for nid in report.nodes if nid in dict(model.named_children())}


DATA = {name: datasets.load(name, n_train=16, n_val=8) for name in ("circle", "sequence")}


@st.composite
def fitted(draw):
    name = draw(st.sampled_from(sorted(DATA)))
    data = DATA[name]
    return name, draw(graphs(data.input_shape, data.input_dtype, data.num_classes))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fitted())
def test_what_check_calls_valid_trains(case):
    name, g = case
    data = DATA[name]
    report = infer(g)
    if not report.ok or check_data_fit(g, report, data.input_shape, data.num_classes,
                                       data.task, data.input_dtype):
        return
    model = prepare_model(g, data, seed=0)
    summary = Trainer(model, data, TrainConfig(epochs=1, batch_size=8, max_steps=2,
                                               device="cpu")).fit()
    assert summary.status == "completed", summary.message
