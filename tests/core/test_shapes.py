"""Shape inference: every catalog entry, helpful errors with fixes, merges and cycles."""

import pytest
import torch

from app.core.builder import build
from app.core.catalog import CATALOG, SPECS, full_params
from app.core.graph import Graph, GraphError, Node
from app.core.shapes import apply_fix, check_data_fit, infer
from tests.core.graphs import chain, lenet, residual

# A valid minimal context for each layer type: (input shape, input dtype, extra layers before).
CONTEXT = {
    "Conv2d": ((3, 16, 16), "float"), "MaxPool2d": ((3, 16, 16), "float"),
    "AvgPool2d": ((3, 16, 16), "float"), "AdaptiveAvgPool2d": ((3, 16, 16), "float"),
    "BatchNorm": ((3, 16, 16), "float"), "Flatten": ((3, 4, 4), "float"),
    "Reshape": ((784,), "float"), "LSTM": ((10, 4), "float"), "GRU": ((10, 4), "float"),
    "Embedding": ((10,), "long"),
}


def context_graph(type_name: str) -> Graph:
    """A minimal valid graph around one layer named 'layer'."""
    if CATALOG[type_name].min_inputs == 2:
        g = Graph()
        g.add_node(Node("inp", "Input", {"shape": (12,)}))
        g.add_node(Node("a", "Linear", {"out_features": 5}))
        g.add_node(Node("b", "Linear", {"out_features": 5}))
        g.add_node(Node("layer", type_name, {}))
        g.add_node(Node("out", "Output", {"loss": "mse"}))
        for s, d in [("inp", "a"), ("inp", "b"), ("a", "layer"), ("b", "layer"), ("layer", "out")]:
            g.connect(s, d)
        return g
    shape, dtype = CONTEXT.get(type_name, ((12,), "float"))
    g = chain(("layer", type_name, {}), input_shape=shape, dtype=dtype)
    if type_name in CONTEXT and type_name != "Flatten":
        g.nodes["out"].params["loss"] = "mse"  # multi-dimensional output: regression head
    return g


@pytest.mark.parametrize("type_name", [s.type for s in SPECS if s.type not in ("Input", "Output")])
def test_every_catalog_entry_infers_and_builds(type_name):
    g = context_graph(type_name)
    report = infer(g)
    assert report.ok, report.issues
    assert report.nodes["layer"].out_shape is not None
    model = build(g, report=report)
    assert isinstance(model.get_submodule("layer"), torch.nn.Module)
    spec = CATALOG[type_name]
    assert spec.explain_en and spec.explain_de and spec.explain_en != spec.explain_de
    for p in spec.params:  # every default lies inside its own declared range
        assert p.validate(full_params(type_name, {})[p.name]) is None


def test_lenet_shapes_and_params():
    report = infer(lenet())
    assert report.ok
    assert report.nodes["conv1"].out_shape == (6, 28, 28)
    assert report.nodes["pool2"].out_shape == (16, 5, 5)
    assert report.nodes["flat"].out_shape == (400,)
    assert report.nodes["out"].out_shape == (10,)
    # conv1: 6*1*5*5+6, conv2: 16*6*5*5+16, fc: 400*120+120, 120*84+84, 84*10+10
    assert report.total_params == 156 + 2416 + 48120 + 10164 + 850


def test_linear_after_conv_names_node_and_offers_flatten():
    g = chain(("conv1", "Conv2d", {"out_channels": 4}), ("fc1", "Linear", {"out_features": 10}))
    report = infer(g)
    assert not report.ok
    issue = report.issues_for("fc1")[0]
    assert "fc1" in issue.message and "4x28x28" in issue.message and "Flatten" in issue.message
    added = apply_fix(g, issue.fix)
    assert g.nodes[added[0]].type == "Flatten"
    assert g.inputs_of("fc1") == added and g.inputs_of(added[0]) == ["conv1"]
    assert infer(g).ok


def test_concat_spatial_mismatch_message():
    g = Graph()
    g.add_node(Node("inp", "Input", {"shape": (1, 28, 28)}))
    g.add_node(Node("a", "MaxPool2d", {"kernel_size": 2}))
    g.add_node(Node("b", "MaxPool2d", {"kernel_size": 4}))
    g.add_node(Node("cat", "Concat", {}))
    for s, d in [("inp", "a"), ("inp", "b"), ("a", "cat"), ("b", "cat")]:
        g.connect(s, d)
    issue = infer(g).issues_for("cat")[0]
    assert "Concat needs equal spatial size: 14x14 vs 7x7" in issue.message


def test_add_channel_mismatch_offers_fix():
    g = residual()
    g.nodes["c2"].params["out_channels"] = 4
    report = infer(g)
    issue = report.issues_for("add")[0]
    assert "4x28x28" in issue.message and "8x28x28" in issue.message
    assert issue.fix is not None and issue.fix.node_id == "c2"
    apply_fix(g, issue.fix)
    assert infer(g).ok


def test_cycle_is_reported_not_raised():
    g = chain(("a", "ReLU", {}), ("b", "ReLU", {}))
    g.connect("b", "a")
    report = infer(g)
    assert not report.ok
    assert "cycle through" in report.issues[0].message
    assert "a" in report.issues[0].message and "b" in report.issues[0].message
    with pytest.raises(GraphError, match="cycle"):
        g.topo_order()


def test_kernel_too_large_and_conv_on_vector():
    g = chain(("p", "MaxPool2d", {"kernel_size": 8}), ("c", "Conv2d", {"kernel_size": 5, "padding": 0}),
              input_shape=(1, 28, 28))
    issue = infer(g).issues_for("c")[0]
    assert "larger than" in issue.message and issue.fix.param == "kernel_size"
    apply_fix(g, issue.fix)
    assert not infer(g).issues_for("c")
    g2 = chain(("c", "Conv2d", {}), input_shape=(784,))
    issue = infer(g2).issues_for("c")[0]
    assert "needs an image" in issue.message and issue.fix.node_type == "Reshape"
    apply_fix(g2, issue.fix)
    assert infer(g2).nodes["c"].out_shape == (8, 28, 28)


def test_missing_inputs_and_unknown_params_do_not_cascade():
    g = chain(("fc", "Linear", {"out_features": 3}), input_shape=(5,))
    g.add_node(Node("lonely", "ReLU", {}))
    report = infer(g)
    msgs = [i.message for i in report.issues_for("lonely")]
    assert any("needs an input" in m for m in msgs)
    g.nodes["fc"].params["out_features"] = 0
    report = infer(g)
    assert any("out_features must be at least 1" in i.message for i in report.issues_for("fc"))
    assert not report.issues_for("out")  # downstream of a broken node: no second error


def test_data_fit_input_and_classes():
    g = lenet()
    report = infer(g)
    issues = check_data_fit(g, report, (3, 32, 32), 10)
    assert any("expects 1x28x28" in i.message and "3x32x32" in i.message for i in issues)
    issues = check_data_fit(g, report, (1, 28, 28), 8)
    assert issues and "8 classes" in issues[0].message
    apply_fix(g, issues[0].fix)
    assert g.nodes["fc3"].params["out_features"] == 8


def test_embedding_lstm_sequence():
    g = chain(("emb", "Embedding", {"num_embeddings": 20, "embedding_dim": 8}),
              ("lstm", "LSTM", {"hidden_size": 16}), ("fc", "Linear", {"out_features": 3}),
              input_shape=(12,), dtype="long")
    report = infer(g)
    assert report.ok, report.issues
    assert report.nodes["emb"].out_shape == (12, 8)
    assert report.nodes["lstm"].out_shape == (16,)
    g2 = chain(("fc", "Linear", {}), input_shape=(12,), dtype="long")
    assert "insert Embedding" in infer(g2).issues_for("fc")[0].message


def test_unconnected_branch_is_a_warning():
    g = chain(("fc", "Linear", {"out_features": 3}), input_shape=(5,))
    g.add_node(Node("extra", "ReLU", {}))
    g.connect("inp", "extra")
    report = infer(g)
    assert report.ok
    assert report.issues_for("extra")[0].severity == "warning"


def test_wire_out_of_an_output_is_reported():
    g = chain(("fc", "Linear", {"out_features": 3}), input_shape=(5,))
    g.add_node(Node("after", "ReLU", {}))
    g.connect("out", "after")
    assert "end of Output 'out'" in infer(g).issues_for("after")[0].message


@pytest.mark.parametrize("bad", [(-1, 28, 28), (1, 0, 28)])
def test_an_input_shape_must_be_positive(bad):
    g = chain(("flat", "Flatten", {}), ("fc", "Linear", {"out_features": 10}), input_shape=bad)
    issue = next(i for i in infer(g).issues if i.node_id == "inp")
    assert "positive" in issue.message and issue.fix.param == "shape"
    apply_fix(g, issue.fix)
    assert all(v > 0 for v in g.nodes["inp"].params["shape"]) and infer(g).ok


def test_data_fit_checks_the_input_dtype():
    g = chain(("emb", "Embedding", {}), ("rnn", "LSTM", {}), ("fc", "Linear", {"out_features": 3}),
              input_shape=(20,), dtype="long")
    report = infer(g)
    assert report.ok
    floats = check_data_fit(g, report, (20,), 3, input_dtype="float")
    assert [i.node_id for i in floats] == ["inp"] and "token ids" in floats[0].message
    assert floats[0].fix is None  # switching to float would only break the Embedding
    plain = chain(("fc", "Linear", {"out_features": 3}), input_shape=(20,))
    tokens = check_data_fit(plain, infer(plain), (20,), 3, input_dtype="long")
    assert tokens[0].fix.param == "dtype" and tokens[0].fix.value == "long"


@pytest.mark.parametrize("loss", ["mse", "bce_with_logits"])
def test_data_fit_checks_what_mse_and_bce_compare_with_class_labels(loss):
    g = chain(("conv", "Conv2d", {"out_channels": 2}))
    g.nodes["out"].params["loss"] = loss
    report = infer(g)
    assert report.ok  # a regression head may output an image...
    issues = check_data_fit(g, report, (1, 28, 28), 8)
    assert issues and issues[0].node_id == "out" and "class labels" in issues[0].message
    single = chain(("flat", "Flatten", {}), ("fc", "Linear", {"out_features": 1}))
    single.nodes["out"].params["loss"] = loss
    assert check_data_fit(single, infer(single), (1, 28, 28), 2) == []  # 0/1 labels fit
    assert check_data_fit(single, infer(single), (1, 28, 28), 3)[0].fix.value == 3


def test_data_fit_needs_something_to_learn():
    g = chain(("flat", "Flatten", {}))
    issues = check_data_fit(g, infer(g), (1, 28, 28), 784)
    assert [i.node_id for i in issues] == ["out"] and "learn" in issues[0].message
