"""Any file content gives a Project or a ProjectError naming the field, never another exception;
whatever loads can be set up for training (or says why not with a SetupError)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import presets
from app.core.experiment import SetupError, prepare
from app.core.project_io import ProjectError, load
from app.core.trainer import Trainer

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
# Small built-in presets: a point cloud MLP, a perceptron and the image CNN.
BASES = {name: json.loads(presets.preset_path(name).read_text())
         for name in ("perceptron", "mlp_playground", "shapes_cnn")}
DEEP, HUGE = "\x00deep", "\x00huge"  # placeholders for values json.dumps cannot write


def _paths(value, prefix=()):
    """Every position in a JSON tree below the root, as a tuple of keys and indices."""
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _set(tree, path, new):
    for key in path[:-1]:
        tree = tree[key]
    if new is _DELETE:
        del tree[path[-1]]
    else:
        tree[path[-1]] = new


_DELETE = object()
scalars = st.one_of(
    st.none(), st.booleans(), st.text(max_size=8), st.sampled_from(["", "cuda", "folder:"]),
    st.integers(-3, 3), st.sampled_from([10**30, -(10**30), 2**63, 70_000, 0.5, -0.0, 1e308]),
    st.sampled_from([math.nan, math.inf, -math.inf]), st.sampled_from([DEEP, HUGE]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=6)


@st.composite
def mutated_files(draw) -> str:
    """The text of a preset with one to three positions changed or deleted."""
    tree = json.loads(json.dumps(BASES[draw(st.sampled_from(sorted(BASES)))]))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(tree))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        _set(tree, path, draw(st.one_of(values, st.just(_DELETE))))
    text = json.dumps(tree)  # writes NaN and Infinity literals, as a careless tool would
    depth = draw(st.sampled_from([20, 1200]))
    text = text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)
    return text.replace(json.dumps(HUGE), "9" * 5000)


def _load_unchanged(path: Path, content: bytes):
    """Load `path`, checking the file on disk is byte-for-byte the same afterwards."""
    try:
        return load(path)
    finally:
        assert path.read_bytes() == content


@FUZZ
@given(text=mutated_files())
def test_mutated_project_loads_or_names_the_field(tmp_path, text):
    path = tmp_path / "p.json"
    path.write_text(text, encoding="utf-8")
    try:
        project = _load_unchanged(path, text.encode())
    except ProjectError as exc:
        assert exc.field, f"no field named for: {exc}"
        assert str(exc).startswith(exc.field)
    else:
        assert project.graph is not None and project.training.epochs >= 1


@FUZZ
@given(content=st.one_of(
    st.binary(max_size=300),
    st.builds(lambda name, cut: json.dumps(BASES[name]).encode()[:cut],
              st.sampled_from(sorted(BASES)), st.integers(0, 4000))))
def test_random_bytes_and_truncated_files_load_or_say_why(tmp_path, content):
    path = tmp_path / "p.json"
    path.write_bytes(content)
    try:
        _load_unchanged(path, content)
    except ProjectError as exc:
        assert str(exc).strip()


@FUZZ
@given(case=mutated_files())
def test_whatever_loads_can_start_training_or_says_why(tmp_path, one_torch_thread, case):
    path = tmp_path / "p.json"
    path.write_text(case, encoding="utf-8")
    try:
        project = load(path)
    except ProjectError:
        return
    # Tiny data and one step on the CPU: the property is about the settings, not the speed.
    project.data = replace(project.data, n_train=16, n_val=8)
    project.training = replace(project.training, device="cpu", max_steps=1, epochs=1)
    try:
        prepared = prepare(project)
    except SetupError as exc:
        assert str(exc).strip()
        return
    summary = Trainer(prepared.model, prepared.data, prepared.config, loss=prepared.loss).fit()
    # "failed" would be an exception inside the loop: settings that load must not cause one.
    assert summary.status in ("completed", "diverged"), summary.message


@pytest.mark.parametrize(("edit", "field"), [
    (lambda d: d["graph"]["edges"][1].update(src=["a"]), "graph.edges[1].src"),
    (lambda d: d["graph"]["edges"][1].update(dst={"a": 1}), "graph.edges[1].dst"),
    (lambda d: d["training"].update(epochs=None), "training.epochs"),
    (lambda d: d["training"].update(seed=None), "training.seed"),
    (lambda d: d["training"].update(max_steps="5"), "training.max_steps"),
    (lambda d: d["data"].update(name=None), "data.name"),
    (lambda d: d["data"].update(n_train="100"), "data.n_train"),
    (lambda d: d["data"].update(n_train=math.nan), "data.n_train"),
    (lambda d: d["data"].update(n_train=1e308), "data.n_train"),
    (lambda d: d["data"].update(n_train=10**30), "data.n_train"),
    (lambda d: d["data"].update(augment={"rotation": math.inf}), "data.augment.rotation"),
    (lambda d: d.update(name=["x"]), "name"),
    (lambda d: d["graph"]["nodes"][0].update(pos=[math.nan, 0]), "graph.nodes[0].pos"),
    (lambda d: d["training"].update(epochs=HUGE), "training.epochs"),
    (lambda d: d["graph"]["nodes"][0].update(params=DEEP), "graph.nodes[0].params"),
])
def test_each_known_bad_file_names_its_field(tmp_path, edit, field):
    tree = json.loads(json.dumps(BASES["shapes_cnn"]))
    edit(tree)
    text = json.dumps(tree).replace(json.dumps(HUGE), "9" * 5000)
    path = tmp_path / "bad.json"
    path.write_text(text.replace(json.dumps(DEEP), "[" * 1000 + "]" * 1000))
    with pytest.raises(ProjectError) as info:
        load(path)
    assert info.value.field.startswith(field)
    assert any(fix in str(info.value) for fix in ("must", "write", "damaged"))
