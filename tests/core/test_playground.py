"""The Playground's measurements and the story it tells: a perceptron cannot separate xor, a
small MLP with Tanh can, and the same MLP without its non-linearities cannot again."""

import math
from dataclasses import replace

import numpy as np
import pytest
import torch
from torch import nn

from app.core import datasets
from app.core.builder import build
from app.core.experiment import load_data, prepare
from app.core.graph import Graph
from app.core.playground import (
    boundary_extra,
    bounds_of,
    evaluate,
    grid,
    hidden_layers,
)
from app.core.presets import load_preset
from app.core.probes import ProbeCallback
from app.core.project_io import DataConfig, ProjectError, validate_data
from app.core.shapes import infer
from app.core.trainer import Trainer

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def train_on_xor(preset: str, graph: Graph | None = None, epochs: int = 8,
                 callbacks: tuple = ()) -> float:
    """Validation accuracy of `preset` (or its `graph`) after a short run on xor."""
    project = load_preset(preset)
    project.data = replace(project.data, name="xor")
    project.training = replace(project.training, epochs=epochs, device="cpu")
    if graph is not None:
        project.graph = graph
    prepared = prepare(project)
    summary = Trainer(prepared.model, prepared.data, prepared.config, prepared.loss,
                      callbacks=callbacks).fit()
    assert summary.status == "completed", summary.message
    return summary.val_acc


def without_activations(graph: Graph) -> Graph:
    """The same network with every activation removed: a stack of linear layers."""
    graph = graph.copy()
    for node in [n for n in graph.nodes.values() if n.type in ("Tanh", "ReLU")]:
        (src,), (dst,) = graph.inputs_of(node.id), graph.outputs_of(node.id)
        graph.remove_node(node.id)
        graph.connect(src, dst)
    return graph


def test_perceptron_cannot_separate_xor():
    assert train_on_xor("perceptron") < 0.7


def test_mlp_separates_xor_and_its_linear_stand_in_does_not():
    mlp = load_preset("mlp_playground").graph
    assert train_on_xor("mlp_playground") > 0.9
    linear = without_activations(mlp)
    assert not any(n.type == "Tanh" for n in linear.nodes.values())
    assert train_on_xor("mlp_playground", linear) < 0.7


def test_grid_covers_bounds_row_by_row():
    points = grid((-1.0, 1.0, -2.0, 2.0), 4)
    assert points.shape == (16, 2)
    assert points[:4, 1].tolist() == [-1.5] * 4  # the first row is at y_min
    assert points[:4, 0].tolist() == [-0.75, -0.25, 0.25, 0.75]
    with pytest.raises(ValueError, match="at least 2"):
        grid((0, 1, 0, 1), 1)


def test_bounds_enclose_the_data_with_a_margin():
    x0, x1, y0, y1 = bounds_of(np.array([[0.0, -1.0], [2.0, 1.0]]), margin=0.1)
    assert (x0, x1, y0, y1) == pytest.approx((-0.2, 2.2, -1.2, 1.2))
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        bounds_of(np.zeros((3, 28)))


def test_boundary_equals_a_direct_forward_pass():
    project = load_preset("mlp_playground")
    project.data = replace(project.data, name="xor")
    model = prepare(project).model
    bounds = (-1.2, 1.2, -1.0, 1.0)
    result = boundary_extra(bounds, 20)(model)
    with torch.no_grad():
        direct = torch.softmax(model(torch.from_numpy(grid(bounds, 20))), 1)
    assert result.score.shape == (20, 20)
    np.testing.assert_allclose(result.score.ravel(), direct[:, 1].numpy(), atol=1e-6)
    np.testing.assert_array_equal(result.label.ravel(), direct.argmax(1).numpy())
    # One image per neuron of the two hidden layers, taken after their Tanh.
    assert hidden_layers(model) == ["act1", "act2"]
    assert list(result.neurons) == ["act1", "act2"]
    assert result.neurons["act1"].shape == (8, 20, 20)
    with torch.no_grad():
        first = torch.tanh(model.fc1(torch.from_numpy(grid(bounds, 20))))
    np.testing.assert_allclose(result.neurons["act1"][3].ravel(), first[:, 3].numpy(),
                               atol=1e-6)


def test_many_classes_give_the_winner_and_its_confidence():
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 12), nn.Linear(12, 3))
    result = evaluate(model, (-1, 1, -1, 1), resolution=10, max_neurons=8)
    with torch.no_grad():
        probs = torch.softmax(model(torch.from_numpy(grid((-1, 1, -1, 1), 10))), 1)
    assert result.num_classes == 3
    np.testing.assert_array_equal(result.label.ravel(), probs.argmax(1).numpy())
    np.testing.assert_allclose(result.score.ravel(), probs.max(1).values.numpy(), atol=1e-6)
    # The ReLU after the first layer, the second layer as it is; at most 8 neurons each.
    assert result.neurons["1"].shape == (8, 10, 10) and result.widths["1"] == 16
    assert result.neurons["2"].shape == (8, 10, 10) and result.widths["2"] == 12


def test_boundary_is_measured_at_every_snapshot_of_a_run():
    snapshots = []
    data = datasets.load("xor", n_train=64, n_val=32)
    probe = ProbeCallback([], data.x_val[:4], snapshots.append, interval_s=0.0,
                          extras={"playground": boundary_extra(bounds_of(data.x_train.numpy()))})
    train_on_xor("mlp_playground", epochs=1, callbacks=(probe,))
    boundaries = [s.extras["playground"] for s in snapshots]
    assert len(boundaries) > 3
    assert not np.allclose(boundaries[0].score, boundaries[-1].score)


def test_noise_ratio_and_sample_change_the_generated_points():
    base = load_data(DataConfig(name="xor"))
    assert (len(base.x_train), len(base.x_val)) == (1000, 300)
    noisy = load_data(DataConfig(name="xor", noise=0.4))
    assert noisy.x_train.std() > base.x_train.std()
    split = load_data(DataConfig(name="xor", val_fraction=0.5))
    assert (len(split.x_train), len(split.x_val)) == (650, 650)
    other = load_data(DataConfig(name="xor", sample=1))
    assert not torch.equal(other.x_train, base.x_train)
    assert torch.equal(load_data(DataConfig(name="xor", sample=0)).x_train, base.x_train)
    with pytest.raises(ProjectError, match=r"data\.val_fraction"):
        validate_data(DataConfig(name="xor", val_fraction=0.99))
    with pytest.raises(ProjectError, match=r"data\.noise"):
        validate_data(DataConfig(name="xor", noise=-0.1))


def with_features(graph: Graph) -> Graph:
    graph = graph.copy()
    graph.nodes["inp"].params["features"] = True
    return graph


def test_engineered_features_let_a_perceptron_draw_a_circle():
    def accuracy(graph: Graph | None) -> float:
        project = load_preset("perceptron")
        project.data = replace(project.data, name="circle")
        project.training = replace(project.training, epochs=10, device="cpu")
        project.graph = graph or project.graph
        prepared = prepare(project)
        return Trainer(prepared.model, prepared.data, prepared.config, prepared.loss).fit().val_acc

    perceptron = load_preset("perceptron").graph
    assert accuracy(perceptron) < 0.75
    assert accuracy(with_features(perceptron)) > 0.9


def test_features_are_a_module_after_the_input_that_the_first_layer_sees():
    plain = load_preset("mlp_playground").graph
    graph = with_features(plain)
    report = infer(graph)
    assert report.ok and report.nodes["inp"].out_shape == (7,)
    assert report.nodes["fc1"].params == 7 * 8 + 8
    assert infer(plain).nodes["inp"].out_shape == (2,)  # off by default: as before
    model = build(graph)
    points = torch.tensor([[0.5, -2.0]])
    expected = [0.5, -2.0, 0.25, 4.0, -1.0, math.sin(0.5), math.sin(-2.0)]
    np.testing.assert_allclose(model.inp(points)[0].numpy(), expected, rtol=1e-6)
    assert "inp" in hidden_layers(model)  # the Playground shows the features as tiles
    assert evaluate(model, (-1, 1, -1, 1), 10).neurons["inp"].shape == (7, 10, 10)
    graph.nodes["inp"].params["shape"] = [3]
    (issue,) = infer(graph).errors
    assert "turn 'features' off or set the shape to 2" in issue.message
