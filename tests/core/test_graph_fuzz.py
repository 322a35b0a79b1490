"""Property-based: random graphs from the catalog never crash inference, the built model's
real forward matches the inferred shapes node by node, and what `check` calls valid trains.

The generator draws every catalog layer with parameters inside, just outside and far outside
their ranges (wrong types, NaN, huge numbers), wires chains off image, sequence, vector and
token inputs, and adds cycles, dangling layers, extra inputs into one-input ports, mismatched
merges, frozen layers, groups and names that collide with Python or torch. `make fuzz` draws
thousands (tests/core/fuzz_budget.py)."""

import math

import torch
from hypothesis import example, given
from hypothesis import strategies as st

from app.core import datasets
from app.core.builder import build
from app.core.catalog import SPECS, full_params
from app.core.experiment import prepare_model
from app.core.graph import Graph, GraphError, Node, valid_node_id
from app.core.project_io import ProjectError, _parse_graph
from app.core.shapes import check_data_fit, infer
from app.core.trainer import TrainConfig, Trainer
from tests.core.fuzz_budget import budget

LAYER_TYPES = [s for s in SPECS if s.type != "Input"]
MERGES = [s.type for s in SPECS if s.max_inputs is None]
# Mostly fresh names; some that Python, torch.nn.Module or torch.fx already use must be
# refused by the graph (GraphError), never built into a broken model.
RESERVED = ["forward", "class", "training", "eval", "input_ids", "to", "__init__", "self",
            "torch", "cuda", "parameters", "state_dict", "graph", "code", "sum", "print",
            "None", "frozen_ids", "1abc", "a-b", "", "ä", "_modules", "register_buffer"]
ACCEPTED_ODD = ["output", "placeholder", "getattr_1", "x", "inputs", "root", "meta", "fx", "math",
                "operator", "getitem", "nn", "F", "inf_1", "Tensor", "output_1", "add", "cat"]
IDS = st.one_of(st.from_regex(r"[a-z]{1,3}[0-9]?", fullmatch=True),
                st.sampled_from(RESERVED + ACCEPTED_ODD))
WILD = st.sampled_from([None, "3", 2.5, True, math.nan, math.inf, -math.inf, 10**30, -(10**9),
                        (), (2, 2), 2**31])
SHAPES = [(2,), (1, 8, 8), (3, 6, 6), (6, 3), (16,), (4, 5, 5), (8, 4)]
# Inputs a file or a careless edit can hold: empty, negative, huge, 1-wide, rank 4.
WILD_SHAPES = [(0,), (-1, 4), (10**9,), (1, 10**5, 10**5), (3, 1, 1), (1,), (2, 1), (1, 2, 3, 4)]


@st.composite
def params_for(draw, layer):
    """Defaults, values inside the declared ranges, just outside them and wild values."""
    params = {}
    for p in layer.params:
        roll = draw(st.integers(0, 9))
        if roll < 5:
            continue  # mostly defaults
        if roll == 9:
            params[p.name] = draw(WILD)
            continue
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
            params[p.name] = draw(st.sampled_from(
                [(-1,), (1, 4, 4), (4, 4), (-1, 2), (0,), (2, -1, 2), (-1, -1), (10**6, 10**6)]))
    return params


@st.composite
def graphs(draw, input_shape=None, dtype=None, classes=4):
    """Chains hung off one or two Inputs, plus random extra wires (cycles, merges, fan-in),
    dangling layers and merges of unrelated branches; usually the last chain ends in a
    Flatten -> Linear head, so a useful share is valid."""
    g = Graph()
    for k in range(1 if input_shape else draw(st.sampled_from([1, 1, 1, 2]))):
        shape = input_shape or draw(st.sampled_from(SHAPES) if draw(st.integers(0, 7))
                                    else st.sampled_from(WILD_SHAPES))
        g.add_node(Node(f"inp{k}" if k else draw(st.sampled_from(["inp", "output", "x"])),
                        "Input", {"shape": shape,
                                  "dtype": dtype or draw(st.sampled_from(["float", "long"])),
                                  "features": shape == (2,) and draw(st.booleans())}))
    prev = next(iter(g.nodes))
    for _ in range(draw(st.integers(1, 3))):
        prev = draw(st.sampled_from(list(g.nodes)))
        for _ in range(draw(st.integers(1, 3))):
            layer = draw(st.sampled_from(LAYER_TYPES))
            nid = draw(IDS)
            try:
                g.add_node(Node(nid, layer.type, draw(params_for(layer)),
                                frozen=draw(st.integers(0, 5)) == 0,
                                group=draw(st.sampled_from(["", "", "block1", "layer1_0"]))))
            except GraphError:
                assert not valid_node_id(nid) or nid in g.nodes
                continue  # a taken or reserved name is refused, as the editor would
            if draw(st.integers(0, 9)):  # else: a dangling layer with no input
                g.connect(prev, nid)
            prev = nid
    if draw(st.integers(0, 3)) == 0:  # a merge of two random branches, shapes may differ
        merge = draw(st.sampled_from(MERGES))
        a, b = draw(st.sampled_from(list(g.nodes))), draw(st.sampled_from(list(g.nodes)))
        g.add_node(Node("mrg", merge, {}))
        for src in dict.fromkeys((a, b, prev)):
            g.connect(src, "mrg")
        prev = "mrg"
    if draw(st.integers(0, 4)):
        for nid, layer in (("hflat", "Flatten"), ("hfc", "Linear")):
            g.add_node(Node(nid, layer, {"out_features": classes} if layer == "Linear" else {}))
            g.connect(prev, nid)
            prev = nid
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3]))):  # cycles, fan-in, fan-out
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


def _chain(*layers, shape=(1, 8, 8), dtype="float"):
    """Input -> layers -> Output, for regression examples: layers as (type, params)."""
    g = Graph()
    g.add_node(Node("inp", "Input", {"shape": shape, "dtype": dtype}))
    prev = "inp"
    for i, (type_name, params) in enumerate(layers):
        g.add_node(Node(f"n{i}", type_name, dict(params)))
        g.connect(prev, f"n{i}")
        prev = f"n{i}"
    g.add_node(Node("out", "Output", {}))
    g.connect(prev, "out")
    return g


def _two_inputs_multiplied(a, b):
    """Input a, Input b -> Multiply -> Output: merges of unequal ranks."""
    g = Graph()
    for nid, shape in (("ia", a), ("ib", b)):
        g.add_node(Node(nid, "Input", {"shape": shape}))
    g.add_node(Node("mul", "Multiply", {}))
    g.add_node(Node("out", "Output", {"loss": "mse"}))
    for src, dst in (("ia", "mul"), ("ib", "mul"), ("mul", "out")):
        g.connect(src, dst)
    return g


def _check_graph(g: Graph) -> None:
    """The property: issues that name a node, or a model whose forward matches node by node."""
    report = infer(g)
    if not report.ok:
        assert all(i.node_id in g.nodes or "no Input" in i.message or "no Output" in i.message
                   for i in report.errors), report.errors
        assert all(i.message.strip() for i in report.issues)
        return
    model = build(g, report=report)
    seen, finite = {}, {}

    def record(name, out):  # returns None: a forward hook's result would replace the output
        seen[name] = tuple(out.shape[1:])
        finite[name] = bool(out.float().isfinite().all())

    for name, module in model.named_children():
        module.register_forward_hook(lambda _m, _i, out, name=name: record(name, out))
    inputs = [_sample(tuple(full_params("Input", g.nodes[i].params)["shape"]),
                      model.input_dtypes[i]) for i in model.input_ids]
    model.eval()
    with torch.no_grad():
        model(*inputs)
    assert seen == {nid: report.out_shape(nid) for nid in seen}
    assert set(seen) == {nid for nid in report.nodes if nid in dict(model.named_children())}
    # Random finite inputs through freshly initialised layers give finite values: a parameter
    # that validates but poisons the output (NaN eps, NaN slope) is a defect.
    assert all(finite.values()), [nid for nid, ok in finite.items() if not ok]
    for nid in model.frozen_ids:  # frozen layers take no gradient and stay in eval mode
        sub = model.get_submodule(nid)
        assert g.nodes[nid].frozen and not any(t.requires_grad for t in sub.parameters())
    model.train()
    assert all(not model.get_submodule(nid).training for nid in model.frozen_ids)


@budget(ci=150, fuzz=8000)
@given(graphs())
@example(_chain(("Flatten", {}), ("Linear", {"out_features": 64}), shape=(10**5, 10**5, 10**5)))
@example(_chain(("BatchNorm", {"eps": math.nan}), shape=(4,)))  # NaN passed the range check
@example(_chain(("LeakyReLU", {"negative_slope": math.nan}), shape=(4,)))
@example(_chain(("RepeatSteps", {"steps": 4096}), ("Linear", {"out_features": 65536}),
                shape=(8,)))  # 268 M activations per sample: refused before it is built
# (1,) x (2, 1) broadcast the batch axis against a feature axis: inference (batch 2) said
# (2, 1), the real forward with batch 3 crashed. Unequal ranks are now refused.
@example(_two_inputs_multiplied((1,), (2, 1)))
@example(_two_inputs_multiplied((4, 1, 1), (4, 3, 3)))  # the squeeze-and-excitation gate
def test_inference_never_raises_and_the_real_forward_matches_it(g):
    _check_graph(g)


@budget(ci=60, fuzz=2000)
@given(graphs())
def test_every_graph_round_trips_through_a_project_file_or_names_the_field(g):
    """What the editor holds can be saved; loading gives the same graph (frozen and group
    included) or, for a parameter out of its range, a ProjectError naming that field."""
    try:
        back = _parse_graph(g.to_dict())
    except ProjectError as exc:
        assert exc.field.startswith("graph.nodes[") and ".params." in exc.field, exc
        return
    assert back.to_dict() == g.to_dict()


DATA = {name: datasets.load(name, n_train=16, n_val=8) for name in ("circle", "sequence")}


@st.composite
def fitted(draw):
    name = draw(st.sampled_from(sorted(DATA)))
    data = DATA[name]
    return name, draw(graphs(data.input_shape, data.input_dtype, data.num_classes))


def _frozen_circle_net():
    g = Graph()
    g.add_node(Node("inp", "Input", {"shape": DATA["circle"].input_shape}))
    g.add_node(Node("fc", "Linear", {"out_features": DATA["circle"].num_classes}, frozen=True))
    g.add_node(Node("out", "Output", {}))
    g.connect("inp", "fc")
    g.connect("fc", "out")
    return g


@budget(ci=40, fuzz=600)
@given(fitted())
@example(("circle", _frozen_circle_net()))  # check said OK; the Trainer then refused to start
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
