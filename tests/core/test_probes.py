"""Probes: what a snapshot holds, when snapshots are taken, that hooks never outlive a capture,
layer choice by depth, epoch results and the bounded replay history."""

import time

import numpy as np
import pytest
import torch

from app.core import presets, probes
from app.core.builder import build
from app.core.datasets import load
from app.core.probes import (
    GRAD_BINS,
    MAX_CHANNELS,
    WEIGHT_BINS,
    ProbeCallback,
    Snapshot,
    SnapshotHistory,
    bin_counts,
    choose_probe_layers,
    confusion_matrix,
    epoch_results,
    grad_histogram,
    histogram,
    misclassified,
)
from app.core.shapes import infer
from app.core.trainer import Callback, TrainConfig, TrainControl, Trainer
from tests.core.graphs import chain, lenet, residual

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def shapes_data():
    return load("shapes", n_train=256, n_val=64)


def shapes_cnn():
    graph = presets.load_preset("shapes_cnn").graph
    return graph, choose_probe_layers(graph, infer(graph))


def run(graph, layers, data, *, interval_s=0.5, callbacks=(), control=None, **config):
    snapshots: list[Snapshot] = []
    probe = ProbeCallback(layers, data.x_val[:4], snapshots.append, run_id=7,
                          interval_s=interval_s)
    cfg = TrainConfig(**{"epochs": 1, "batch_size": 32, "log_every": 4, **config})
    trainer = Trainer(build(graph), data, cfg, callbacks=[probe, *callbacks], control=control)
    summary = trainer.fit()
    return snapshots, probe, trainer, summary


# --- layer choice ----------------------------------------------------------------------------


def test_layers_are_low_mid_high_activations_of_conv_layers():
    graph, layers = shapes_cnn()
    assert layers == ["relu1", "relu2", "relu3"]
    # LeNet has two conv layers: its deepest hidden dense layer shows the "objects".
    assert choose_probe_layers(lenet(), infer(lenet())) == ["relu1", "relu2", "relu4"]


def test_deep_networks_get_three_layers_spread_over_depth():
    g = chain(*[(f"c{i}", "Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1})
                for i in range(7)], ("flat", "Flatten", {}), ("fc", "Linear", {"out_features": 2}))
    assert choose_probe_layers(g, infer(g)) == ["c0", "c3", "c6"]


def test_dense_networks_fall_back_to_hidden_layers():
    graph = presets.load_preset("mlp_playground").graph
    layers = choose_probe_layers(graph, infer(graph))
    assert layers and all(graph.nodes[n].type != "Output" for n in layers)
    assert len(choose_probe_layers(residual(), infer(residual()))) == 3


def test_cycles_choose_nothing():
    g = chain(("fc1", "Linear", {"out_features": 4}), ("fc2", "Linear", {"out_features": 4}),
              input_shape=(4,))
    g.connect("fc2", "fc1")
    assert choose_probe_layers(g, infer(g)) == []


# --- snapshots -------------------------------------------------------------------------------


def test_snapshot_contents(shapes_data):
    graph, layers = shapes_cnn()
    snapshots, probe, trainer, summary = run(graph, layers, shapes_data)
    assert summary.status == "completed"
    first, last = snapshots[0], snapshots[-1]
    assert first.step == 0 and first.run_id == 7  # the untrained "before" picture
    assert last.step == trainer.step
    assert last.feature_maps["relu1"].shape == (8, 28, 28)
    assert last.feature_maps["relu3"].shape == (MAX_CHANNELS, 7, 7)
    assert last.out_shapes["relu3"] == (32, 7, 7)
    for layer, maps in last.feature_maps.items():
        assert maps.dtype == np.float32
        assert np.abs(maps).max() <= 1.0 + 1e-6 and last.scales[layer] > 0
    assert set(last.hists) == {"conv1", "conv2", "conv3", "fc1", "fc2"}
    conv1 = last.hists["conv1"]
    assert conv1.weight_counts.shape == (WEIGHT_BINS,) and len(conv1.edges) == WEIGHT_BINS + 1
    assert conv1.weight_counts.sum() == 8 * 9 and conv1.grad_counts.sum() == 8 * 9
    assert first.hists["conv1"].grad_counts.sum() == 0  # no backward pass yet
    assert np.array_equal(first.hists["fc1"].edges, last.hists["fc1"].edges)  # fixed bins
    assert last.filters.shape == (8, 1, 3, 3) and last.filters_layer == "conv1"
    assert last.probe_input.shape == (1, 28, 28)
    assert any(s.epoch_end for s in snapshots)


def test_snapshots_are_copies(shapes_data):
    graph, layers = shapes_cnn()
    snapshots, _probe, trainer, _ = run(graph, layers, shapes_data, max_steps=3)
    weight = trainer.model.get_submodule("conv1").weight
    before = snapshots[-1].filters.copy()
    with torch.no_grad():
        weight.add_(1.0)
    assert np.array_equal(snapshots[-1].filters, before)


def test_captures_only_at_the_display_interval_and_epoch_end(shapes_data):
    graph, layers = shapes_cnn()
    snapshots, probe, trainer, _ = run(graph, layers, shapes_data, interval_s=3600, epochs=2)
    # start, then one per epoch end; nothing on the 14 ordinary steps in between
    assert [s.step for s in snapshots] == [0, 8, 16]
    assert probe.captures == 3


def test_hooks_exist_only_during_the_probe_pass(shapes_data):
    graph, layers = shapes_cnn()
    seen = []

    class CountHooks(Callback):
        def on_batch_end(self, trainer, *args):
            seen.append(sum(len(m._forward_hooks) for m in trainer.model.modules()))

    _snapshots, probe, _trainer, _ = run(graph, layers, shapes_data, interval_s=0,
                                         callbacks=[CountHooks()])
    assert probe.captures > 5 and seen and set(seen) == {0}


def test_single_steps_while_paused_are_captured(shapes_data):
    graph, layers = shapes_cnn()
    control = TrainControl()
    control.pause.set()
    steps = []

    class Stepper(Callback):
        def on_train_start(self, trainer):
            control.request_step()

        def on_batch_end(self, trainer, step, *args):
            steps.append(step)
            if step < 3:
                control.request_step()
            else:
                control.cancel.set()

    snapshots, *_ = run(graph, layers, shapes_data, interval_s=3600, control=control,
                        callbacks=[Stepper()])
    assert [s.step for s in snapshots] == [0, 1, 2, 3]


def test_layer_and_probe_image_can_change_mid_run(shapes_data):
    graph, layers = shapes_cnn()
    snapshots: list[Snapshot] = []
    probe = ProbeCallback(layers, shapes_data.x_val[:4], snapshots.append, interval_s=0)

    class Switch(Callback):
        def on_batch_end(self, trainer, step, *args):
            if step == 2:
                probe.set_layers(["pool2", "not_a_layer"])
                probe.set_probe_index(3)

    Trainer(build(graph), shapes_data, TrainConfig(epochs=1, batch_size=32, max_steps=4),
            callbacks=[Switch(), probe]).fit()
    assert set(snapshots[-1].feature_maps) == {"pool2"}
    assert snapshots[-1].probe_index == 3
    assert np.allclose(snapshots[-1].probe_input, shapes_data.x_val[3].numpy())


def test_dense_layers_become_one_channel(shapes_data):
    graph = presets.load_preset("mlp_playground").graph
    data = load("xor", n_train=128, n_val=32)
    layers = choose_probe_layers(graph, infer(graph))
    snapshots, *_ = run(graph, layers, data, max_steps=2)
    maps = snapshots[-1].feature_maps[layers[0]]
    assert maps.ndim == 3 and maps.shape[:2] == (1, 1)
    assert snapshots[-1].filters is None and snapshots[-1].probe_input.shape == (2,)


def test_a_failing_probe_layer_fails_the_run_with_its_name(shapes_data, monkeypatch):
    graph, layers = shapes_cnn()
    model = build(graph)

    def boom(*_args):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(model.get_submodule("conv2"), "forward", boom)
    probe = ProbeCallback(layers, shapes_data.x_val[:2], lambda s: None)
    summary = Trainer(model, shapes_data, TrainConfig(epochs=1, batch_size=32),
                      callbacks=[probe]).fit()
    assert summary.status == "failed" and "conv2" in summary.message


# --- histograms, results ---------------------------------------------------------------------


def test_histograms_keep_outliers_and_zeros():
    edges = np.linspace(-1, 1, 5)
    assert histogram(np.array([-5.0, 0.1, 5.0]), edges).tolist() == [1, 0, 1, 1]
    counts = grad_histogram(np.array([0.0, 1e-20, 1e-3, 10.0]))
    assert counts.sum() == 4 and counts[0] == 2 and counts[-1] == 1 and len(counts) == GRAD_BINS


def test_device_histograms_agree_with_numpy_and_leave_out_nan():
    """The capture counts on the model's device; numpy's histogram is the reference."""
    values = np.random.default_rng(0).normal(0, 0.4, 20_000)
    edges = np.linspace(-1, 1, WEIGHT_BINS + 1)
    expected = np.histogram(np.clip(values, -1, 1), bins=edges)[0]
    got = bin_counts(torch.from_numpy(values).float(), -1.0, 1.0, WEIGHT_BINS).numpy()
    assert got.dtype == np.int64 and got.sum() == len(values)
    assert np.abs(got - expected).sum() <= 4  # float32 vs float64 right at a bin edge
    assert bin_counts(torch.tensor([float("nan"), 0.5]), -1.0, 1.0, 4).tolist() == [0, 0, 0, 1]


def test_slow_captures_are_taken_less_often(shapes_data, monkeypatch):
    """A capture that costs more than MAX_CAPTURE_SHARE of the display interval stretches the
    interval, so probes never take more than that share of the training time."""
    graph, layers = shapes_cnn()
    probe = ProbeCallback(layers, shapes_data.x_val[:2], lambda s: None, interval_s=0.01)
    slow = probe.snapshot

    def snapshot(*args, **kwargs):
        time.sleep(0.005)  # 5 ms: at a 1 % share, at most one capture per 0.5 s
        return slow(*args, **kwargs)

    monkeypatch.setattr(probe, "snapshot", snapshot)
    trainer = Trainer(build(graph), shapes_data, TrainConfig(epochs=1, batch_size=32),
                      callbacks=[probe])
    trainer.fit()
    assert probe._gap >= 0.005 / probes.MAX_CAPTURE_SHARE
    assert probe.loop_capture_seconds <= probe.capture_seconds


def test_confusion_and_misclassified():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    m = confusion_matrix(y_true, y_pred, 3)
    assert m.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    x = torch.arange(6, dtype=torch.float32).view(6, 1, 1, 1)
    wrong = misclassified(x, y_true, y_pred)
    assert wrong.indices.tolist() == [1, 4]
    assert wrong.y_true.tolist() == [0, 2] and wrong.y_pred.tolist() == [1, 0]
    assert wrong.images[:, 0, 0, 0].tolist() == [1.0, 4.0]
    assert misclassified(x.view(6, 1), y_true, y_pred).images is None


def test_epoch_results(shapes_data):
    graph, _ = shapes_cnn()
    trainer = Trainer(build(graph), shapes_data, TrainConfig(epochs=1, batch_size=32))
    trainer.fit()  # epoch_results reads the validation pass the epoch end made
    result = epoch_results(trainer, {"epoch": 1, "val_acc": 0.5})
    assert result["epoch"] == 1 and result["confusion"].shape == (8, 8)
    assert result["confusion"].sum() == 64
    assert result["classes"] == shapes_data.classes
    wrong = result["misclassified"]
    assert len(wrong.indices) == min(24, 64 - np.trace(result["confusion"]))


# --- replay history --------------------------------------------------------------------------


def snap(step: int, epoch_end: bool = False) -> Snapshot:
    return Snapshot(0, step, 1, {}, {}, {}, {}, None, "", 0, np.zeros(2), epoch_end)


def test_history_stays_bounded_and_spans_the_whole_run():
    history = SnapshotHistory(capacity=10)
    for step in range(1000):
        history.append(snap(step, epoch_end=step % 250 == 249))
    steps = [s.step for s in history]
    assert len(history) <= 10
    assert steps[0] < 100 and steps[-1] >= 900 and steps == sorted(steps)
    assert {249, 499, 749, 999} <= set(steps)  # epoch ends survive thinning
    history.clear()
    assert len(history) == 0 and history.stride == 1


def test_history_never_exceeds_capacity_with_only_epoch_ends():
    history = SnapshotHistory(capacity=4)
    for step in range(50):
        history.append(snap(step, epoch_end=True))
    assert len(history) <= 4 and history[-1].step == 49


def test_probe_batch_must_not_be_empty():
    with pytest.raises(ValueError, match="empty"):
        ProbeCallback(["a"], torch.zeros(0, 2), lambda s: None)

