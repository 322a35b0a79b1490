"""The built model is exactly the network on the canvas: same outputs as a hand-written one."""

import pytest
import torch
from torch import nn

from app.core.builder import BuildError, build
from app.core.graph import Graph, Node
from tests.core.graphs import chain, lenet, residual


class HandLeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


class HandResidual(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, padding=1)
        self.c1 = nn.Conv2d(8, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 8, 3, padding=1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        s = self.stem(x)
        y = self.c2(torch.relu(self.c1(s))) + s
        return self.fc(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(y, 1), 1))


def _copy_weights(src: nn.Module, dst: nn.Module) -> None:
    """Copy by submodule name: the built model's names are the node ids."""
    dst_state = dst.state_dict()
    for name, value in src.state_dict().items():
        assert name in dst_state, f"{name} missing in built model ({list(dst_state)})"
        dst_state[name].copy_(value)


@pytest.mark.parametrize(("graph", "hand"), [(lenet, HandLeNet), (residual, HandResidual)])
def test_builder_matches_hand_written_module(graph, hand):
    model, reference = build(graph()), hand()
    _copy_weights(reference, model)
    x = torch.randn(5, 1, 28, 28)
    torch.testing.assert_close(model(x), reference(x))
    assert set(dict(model.named_parameters())) == set(dict(reference.named_parameters()))


def test_submodules_are_named_after_nodes_and_hooks_fire():
    model = build(lenet())
    seen = {}

    def hook(module, inputs, output):
        seen["c2"] = output.shape

    model.get_submodule("conv2").register_forward_hook(hook)
    model(torch.zeros(2, 1, 28, 28))
    assert seen["c2"] == (2, 16, 10, 10)
    assert model.input_ids == ("inp",) and model.output_ids == ("out",)
    assert model.losses == {"out": "cross_entropy"}


def test_same_seed_same_weights_different_seed_different_weights():
    a, b, c = build(lenet(), seed=3), build(lenet(), seed=3), build(lenet(), seed=4)
    for (name, pa), pb in zip(a.named_parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb), name
    assert not torch.equal(a.get_parameter("conv1.weight"), c.get_parameter("conv1.weight"))


def test_building_does_not_disturb_global_rng():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    build(lenet(), seed=1)
    assert torch.equal(torch.rand(3), expected)


def test_concat_and_two_heads():
    g = Graph()
    g.add_node(Node("inp", "Input", {"shape": (6,)}))
    g.add_node(Node("a", "Linear", {"out_features": 3}))
    g.add_node(Node("b", "Linear", {"out_features": 5}))
    g.add_node(Node("cat", "Concat", {}))
    g.add_node(Node("head1", "Output", {"loss": "mse"}))
    g.add_node(Node("head2", "Output", {"loss": "mse"}))
    for s, d in [("inp", "a"), ("inp", "b"), ("a", "cat"), ("b", "cat"), ("cat", "head1"),
                 ("a", "head2")]:
        g.connect(s, d)
    model = build(g)
    x = torch.randn(4, 6)
    y1, y2 = model(x)
    a, b = model.get_submodule("a"), model.get_submodule("b")
    torch.testing.assert_close(y1, torch.cat([a(x), b(x)], 1))
    torch.testing.assert_close(y2, a(x))


def test_invalid_graph_raises_build_error_listing_issues():
    g = chain(("conv", "Conv2d", {}), ("fc", "Linear", {"out_features": 10}))
    with pytest.raises(BuildError, match="insert Flatten before 'fc'"):
        build(g)


def test_unused_branch_is_pruned():
    g = chain(("fc", "Linear", {"out_features": 3}), input_shape=(5,))
    g.add_node(Node("extra", "Linear", {"out_features": 7}))
    g.connect("inp", "extra")
    model = build(g)
    assert "extra" not in dict(model.named_modules())
