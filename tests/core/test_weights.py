"""Trained weights round-trip through safetensors exactly, never through pickle, and a file that
no longer fits the network is refused naming the layer; the project file points to them."""

import json
import pickle

import numpy as np
import pytest
import torch

from app.core import weights
from app.core.builder import build
from app.core.probes import snapshot_of
from app.core.project_io import Project, ProjectError, dumps, project_from_dict
from app.core.weights import RunInfo, Trained, WeightsError, WeightsRef
from tests.core.graphs import chain, lenet

INFO = RunInfo(run=3, val_acc=0.953, epochs=5, steps=120, dataset="shapes")


def _bn_net():
    """A small CNN with BatchNorm, so buffers (running stats, an int64 counter) are covered."""
    return chain(("conv1", "Conv2d", {"out_channels": 6, "kernel_size": 5}),
                 ("bn1", "BatchNorm", {}), ("relu1", "ReLU", {}),
                 ("flat", "Flatten", {}), ("fc", "Linear", {"out_features": 4}))


def _trained(graph, seed=1) -> tuple[torch.nn.Module, Trained]:
    model = build(graph, seed=seed)
    model.train()
    model(torch.randn(8, 1, 28, 28))  # moves the BatchNorm statistics away from their defaults
    model.eval()
    return model, Trained(weights.state_of(model), INFO, weights.graph_fingerprint(graph))


def test_round_trip_gives_identical_tensors_and_outputs(tmp_path):
    graph = _bn_net()
    model, trained = _trained(graph)
    path = tmp_path / "net.weights.safetensors"
    weights.save(path, trained)
    loaded = weights.load(path)
    assert loaded.info == INFO and loaded.fingerprint == trained.fingerprint
    assert loaded.state.keys() == trained.state.keys()
    for key, tensor in trained.state.items():
        assert loaded.state[key].dtype == tensor.dtype and torch.equal(loaded.state[key], tensor)
    restored = weights.model_with_weights(graph, loaded).eval()
    batch = torch.randn(5, 1, 28, 28)
    with torch.no_grad():
        assert torch.equal(restored(batch), model(batch))
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


def test_restored_model_shows_the_same_feature_maps():
    graph = lenet()
    model, trained = _trained(graph)
    restored = weights.model_with_weights(graph, trained)
    probe_x = torch.randn(4, 1, 28, 28)
    layers = ["relu1", "relu2", "fc1"]
    before = snapshot_of(model, layers, probe_x, probe_index=2)
    after = snapshot_of(restored, layers, probe_x, probe_index=2)
    fresh = snapshot_of(build(graph, seed=7), layers, probe_x, probe_index=2)
    assert set(after.feature_maps) == set(layers)
    for layer in layers:
        assert np.allclose(after.feature_maps[layer], before.feature_maps[layer])
        assert after.scales[layer] == pytest.approx(before.scales[layer])
    assert not np.allclose(fresh.feature_maps["relu1"], before.feature_maps["relu1"])
    for name, hist in before.hists.items():
        assert np.array_equal(after.hists[name].weight_counts, hist.weight_counts)
    assert np.array_equal(after.filters, before.filters)


def test_changed_layer_is_named_with_both_shapes():
    _, trained = _trained(lenet())
    edited = lenet()
    edited.nodes["conv1"].params["out_channels"] = 8
    expected = weights.expected_shapes(edited)["conv1.weight"]
    dims = "x".join(map(str, expected))
    old = "x".join(map(str, trained.state["conv1.weight"].shape))
    with pytest.raises(WeightsError) as err:
        weights.fits(edited, trained)
    assert (f"layer 'conv1' expects weight {dims} but the file has {old}: the network changed "
            f"since run {INFO.run}") in str(err.value)
    assert "train again" in str(err.value)
    with pytest.raises(WeightsError, match="conv1"):
        weights.model_with_weights(edited, trained)


def test_missing_and_extra_layers_are_named():
    _, trained = _trained(lenet())
    shorter = {k: v for k, v in trained.state.items() if not k.startswith("fc3.")}
    with pytest.raises(WeightsError, match="layer 'fc3' needs weight .* the file has none"):
        weights.fits(lenet(), Trained(shorter, INFO, trained.fingerprint))
    extra = {**trained.state, "fc9.weight": torch.zeros(2, 2)}
    with pytest.raises(WeightsError, match="weights for layer 'fc9', which the network does not"):
        weights.fits(lenet(), Trained(extra, INFO, trained.fingerprint))


def test_missing_and_corrupt_files_say_so(tmp_path):
    with pytest.raises(WeightsError, match="net.weights.safetensors is missing"):
        weights.load(tmp_path / "net.weights.safetensors")
    _, trained = _trained(_bn_net())
    path = tmp_path / "cut.weights.safetensors"
    weights.save(path, trained)
    path.write_bytes(path.read_bytes()[:-16])
    with pytest.raises(WeightsError, match="cut.weights.safetensors is not a readable "
                                           "safetensors file"):
        weights.load(path)


class _Planted:
    """Unpickling this would create a file: the proof that a pickle payload was executed."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_pickle_payloads_are_refused_and_never_run(tmp_path, monkeypatch):
    def forbidden(*_args, **_kwargs):
        raise AssertionError("weights must never be unpickled")

    monkeypatch.setattr(torch, "load", forbidden)
    monkeypatch.setattr(pickle, "load", forbidden)
    monkeypatch.setattr(pickle, "loads", forbidden)
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.weights.safetensors"
    evil.write_bytes(pickle.dumps({"conv1.weight": _Planted(marker)}))
    with pytest.raises(WeightsError, match="not a readable safetensors file"):
        weights.load(evil)
    assert not marker.exists()
    legacy = tmp_path / "legacy.weights.safetensors"
    torch.save(build(lenet()).state_dict(), legacy)  # torch's own (pickle-based) format
    with pytest.raises(WeightsError, match="not a readable safetensors file"):
        weights.load(legacy)


def test_fingerprint_ignores_positions_but_not_structure():
    graph = lenet()
    base = weights.graph_fingerprint(graph)
    moved = lenet()
    moved.nodes["conv1"].pos = (500.0, 80.0)
    assert weights.graph_fingerprint(moved) == base
    changed = lenet()
    changed.nodes["relu1"].type = "Tanh"
    assert weights.graph_fingerprint(changed) != base
    rewired = lenet()
    rewired.disconnect("relu4", "fc3")
    rewired.connect("relu3", "fc3")
    assert weights.graph_fingerprint(rewired) != base


def test_project_file_round_trips_the_reference():
    ref = WeightsRef("demo.weights.safetensors", INFO)
    project = Project(graph=lenet(), weights=ref)
    again = project_from_dict(json.loads(dumps(project)))
    assert again.weights == ref
    assert "weights" not in json.loads(dumps(Project(graph=lenet())))
    assert project_from_dict(json.loads(dumps(Project(graph=lenet())))).weights is None


@pytest.mark.parametrize(("change", "field"), [
    ({"file": "../elsewhere.safetensors"}, "weights.file"),
    ({"file": ""}, "weights.file"),
    ({"run": -1}, "weights.run"),
    ({"run": "3"}, "weights.run"),
    ({"val_acc": 1.5}, "weights.val_acc"),
    ({"epochs": True}, "weights.epochs"),
    ({"dataset": 7}, "weights.dataset"),
    ({"pickle": "yes"}, "weights.pickle"),
])
def test_bad_references_name_the_field(change, field):
    data = json.loads(dumps(Project(graph=lenet(),
                                    weights=WeightsRef("a.weights.safetensors", INFO))))
    data["weights"].update(change)
    with pytest.raises(ProjectError) as err:
        project_from_dict(data)
    assert err.value.field == field


def test_reference_without_run_is_refused():
    data = json.loads(dumps(Project(graph=lenet())))
    data["weights"] = {"file": "a.weights.safetensors"}
    with pytest.raises(ProjectError, match="weights.run"):
        project_from_dict(data)
