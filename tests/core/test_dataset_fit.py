"""`experiment.dataset_fit` (what `check` reports against a dataset) agrees with training: each
problem it reports stops `prepare`, and applying the fix it offers lets `prepare` and a first
training step succeed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PIL import Image

from app.core import presets
from app.core.datasets import DATASETS
from app.core.experiment import SetupError, dataset_fit, load_data, prepare
from app.core.graph import Node
from app.core.shapes import apply_fix, check_data_fit, infer
from app.core.trainer import Trainer

BUILTIN = [name for name, info in DATASETS.items() if info.builtin]


def _project(preset: str, dataset: str | None = None, **params):
    """A preset on `dataset` with tiny data and one CPU step; params: {(node, param): value}."""
    project = presets.load_preset(preset)
    for node, values in params.items():
        project.graph.nodes[node].params.update(values)
    project.data = replace(project.data, name=dataset or project.data.name, n_train=16, n_val=8)
    project.training = replace(project.training, device="cpu", max_steps=1, epochs=1)
    return project


def _fit(project):
    return dataset_fit(project.graph, infer(project.graph), project.data.name)


def _trains(project) -> None:
    prepared = prepare(project)
    summary = Trainer(prepared.model, prepared.data, prepared.config, loss=prepared.loss).fit()
    assert summary.status in ("completed", "diverged"), summary.message


@pytest.mark.parametrize(("preset", "dataset", "params", "says"), [
    # Input shape: the dataset's samples are another shape.
    ("perceptron", "gauss", {"inp": {"shape": [3]}}, "expects 3 but the dataset gives 2"),
    ("shapes_cnn", "shapes", {"inp": {"shape": [3, 32, 32]}}, "set its shape to [1, 28, 28]"),
    ("lstm_sequence", "sequence", {"inp": {"shape": [10, 1]}}, "dataset gives 20x1"),
    # Class count: cross-entropy needs one score per class.
    ("shapes_cnn", "shapes", {"fc2": {"out_features": 10}}, "has 8 classes"),
    ("mlp_playground", "xor", {"fc3": {"out_features": 3}}, "has 2 classes"),
    ("perceptron", "gauss", {"neuron": {"out_features": 1}}, "gets 1 scores"),
    ("lstm_sequence", "sequence", {"fc": {"out_features": 2}}, "has 3 classes"),
    # Dtype: token ids where the dataset gives float values.
    ("perceptron", "circle", {"inp": {"dtype": "long"}}, "set its dtype to 'float'"),
    # MSE / BCE heads compare with one-hot labels: one value per class (or one for 2 classes).
    ("perceptron", "gauss", {"out": {"loss": "mse"}, "neuron": {"out_features": 3}},
     "needs 2 outputs"),
    ("perceptron", "xor", {"out": {"loss": "bce_with_logits"}, "neuron": {"out_features": 4}},
     "needs 2 outputs"),
    ("lstm_sequence", "sequence", {"out": {"loss": "mse"}, "fc": {"out_features": 1}},
     "has 3 classes"),
])
def test_each_reported_problem_stops_training_and_its_fix_lets_it_start(
        one_torch_thread, preset, dataset, params, says):
    project = _project(preset, dataset, **params)
    issues, note = _fit(project)
    assert note == "" and len(issues) == 1, issues
    (issue,) = issues
    assert says in issue.message and issue.severity == "error"
    assert issue.node_id in project.graph.nodes and issue.fix is not None
    with pytest.raises(SetupError) as err:
        prepare(project)
    if infer(project.graph).ok:  # else the build refuses first (Linear gets token ids)
        assert issue.message in str(err.value)  # training refuses with the same words
    apply_fix(project.graph, issue.fix)
    assert _fit(project) == ([], "")
    _trains(project)


@pytest.mark.parametrize(("loss", "width"), [("mse", 1), ("bce_with_logits", 1), ("mse", 2),
                                             ("bce_with_logits", 2), ("cross_entropy", 2)])
def test_heads_that_are_not_reported_train(one_torch_thread, loss, width):
    project = _project("perceptron", "gauss", out={"loss": loss}, neuron={"out_features": width})
    assert _fit(project) == ([], "")
    _trains(project)


def test_token_input_with_an_embedding_has_no_one_click_fix():
    project = _project("lstm_sequence", "sequence")
    graph = project.graph
    graph.add_node(Node("embed", "Embedding", {}))
    graph.disconnect("inp", "lstm")
    graph.connect("inp", "embed")
    graph.connect("embed", "lstm")
    graph.nodes["inp"].params.update(dtype="long", shape=[20])
    issues, _ = _fit(project)
    dtype = [i for i in issues if "dtype" in i.message]
    assert dtype and dtype[0].fix is None and "remove the Embedding" in dtype[0].message
    with pytest.raises(SetupError):
        prepare(project)


def test_unknown_dataset_is_reported_and_refused():
    project = _project("perceptron", "gaus")
    (issue,), note = _fit(project)
    assert issue.node_id is None and "unknown dataset 'gaus'" in issue.message
    assert "gauss" in issue.message and note == ""
    with pytest.raises(SetupError, match="unknown dataset 'gaus'"):
        prepare(project)


@pytest.mark.parametrize("preset", presets.list_presets())
@pytest.mark.parametrize("dataset", BUILTIN)
def test_check_and_training_agree_on_every_preset_and_builtin_dataset(one_torch_thread, preset,
                                                                      dataset):
    """No error from `check` (shapes + dataset_fit) <=> prepare succeeds; after the offered
    fixes (as a user would click them), an error without a fix remains or prepare succeeds."""
    project = _project(preset, dataset)
    for _ in range(4):
        issues = [i for i in infer(project.graph).issues + _fit(project)[0]
                  if i.severity == "error"]
        fixes = [i.fix for i in issues if i.fix is not None]
        if not issues:
            prepare(project)
            return
        with pytest.raises(SetupError):
            prepare(project)
        if len(fixes) < len(issues):
            return  # the message tells the user what to change by hand
        for fix in fixes:
            apply_fix(project.graph, fix)
    pytest.fail(f"fixes did not converge: {_fit(project)[0]}")


def test_image_folder_is_noted_and_checked_when_training_starts(tmp_path, one_torch_thread):
    for cls, colour in (("cats", (200, 10, 10)), ("dogs", (10, 10, 200))):
        (tmp_path / cls).mkdir()
        for i in range(3):
            Image.new("RGB", (6 + i, 5), colour).save(tmp_path / cls / f"{i}.png")
    project = _project("shapes_cnn", f"folder:{tmp_path}")
    issues, note = _fit(project)
    assert issues == [] and str(tmp_path) in note and "when training starts" in note
    with pytest.raises(SetupError) as err:
        prepare(project)
    assert "expects 1x28x28 but the dataset gives 3x32x32" in str(err.value)
    assert "2 classes" in str(err.value)
    # Fix as the messages say: the bundle now knows the shape and the classes.
    bundle = load_data(project.data)
    for issue in check_data_fit(project.graph, infer(project.graph), bundle.input_shape,
                                bundle.num_classes):
        apply_fix(project.graph, issue.fix)
    assert project.graph.nodes["inp"].params["shape"] == (3, 32, 32)
    assert project.graph.nodes["fc2"].params["out_features"] == 2
    _trains(project)
