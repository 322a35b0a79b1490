"""Any file content gives a Project or a ProjectError naming the field, never another exception;
whatever loads can be set up for training (or says why not with a SetupError); `check` exits 1
on a file it cannot open and never changes the file. `make fuzz` draws thousands of files
(tests/core/fuzz_budget.py)."""

from __future__ import annotations

import contextlib
import io
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app import cli
from app.core import presets
from app.core.experiment import SetupError, prepare
from app.core.project_io import ProjectError, load
from app.core.trainer import Trainer
from tests.core.fuzz_budget import budget

# Small built-in presets: a point cloud MLP, a perceptron and the image CNN; and the CNN with
# frozen layers in a group (the fields transfer learning and imported networks add).
BASES = {name: json.loads(presets.preset_path(name).read_text())
         for name in ("perceptron", "mlp_playground", "shapes_cnn")}
BASES["frozen_cnn"] = json.loads(json.dumps(BASES["shapes_cnn"]))
for _node in BASES["frozen_cnn"]["graph"]["nodes"][1:3]:
    _node.update(frozen=True, group="block1")
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
    st.sampled_from(["RepeatSteps", "Hardswish", "Multiply", "Conv2d", "block1", "../../x"]),
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
    if draw(st.integers(0, 9)) == 0:  # a file from a newer (or broken) version of the app
        tree["version"] = draw(st.sampled_from([2, 99, 10**12, 0, -1, "2", 1.5, None]))
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


@budget(ci=60, fuzz=500)
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


def _flip(data: bytes, at: int, byte: int) -> bytes:
    at %= max(len(data), 1)
    return data[:at] + bytes([byte]) + data[at + 1:]


corrupt_bytes = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda name, cut: json.dumps(BASES[name]).encode()[:cut],
              st.sampled_from(sorted(BASES)), st.integers(0, 4000)),
    st.builds(lambda name, at, byte: _flip(json.dumps(BASES[name]).encode(), at, byte),
              st.sampled_from(sorted(BASES)), st.integers(0, 4000), st.integers(0, 255)),
    st.builds(lambda name, codec: json.dumps(BASES[name]).encode(codec),
              st.sampled_from(sorted(BASES)), st.sampled_from(["utf-16", "utf-32", "utf-8-sig"])),
)


@budget(ci=60, fuzz=400)
@given(content=corrupt_bytes)
def test_random_bytes_and_truncated_files_load_or_say_why(tmp_path, content):
    path = tmp_path / "p.json"
    path.write_bytes(content)
    try:
        _load_unchanged(path, content)
    except ProjectError as exc:
        assert str(exc).strip()


@budget(ci=25, fuzz=150)
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
    (lambda d: d["graph"]["nodes"][1].update(frozen="yes"), "graph.nodes[1].frozen"),
    (lambda d: d["graph"]["nodes"][1].update(group=["a"]), "graph.nodes[1].group"),
    (lambda d: d["graph"]["nodes"][1].update(group="g" * 5000), "graph.nodes[1].group"),
    (lambda d: d["graph"]["nodes"][1].update(id="forward"), "graph.nodes[1].id"),
    (lambda d: d["graph"]["nodes"][1].update(id="__class__"), "graph.nodes[1].id"),
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
    assert any(fix in str(info.value)
               for fix in ("must", "write", "damaged", "choose", "shorten"))


@budget(ci=20, fuzz=150)
@given(content=st.one_of(corrupt_bytes, mutated_files().map(str.encode)))
@example(content=json.dumps({**BASES["shapes_cnn"], "version": 2}).encode())
@example(content=b"[" * 100_000)
def test_check_exits_1_on_a_file_it_cannot_open_and_leaves_it_alone(tmp_path, content):
    path = tmp_path / "p.json"
    path.write_bytes(content)
    try:
        load(path)
        opens = True
    except ProjectError:
        opens = False
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["check", str(path)])
    assert path.read_bytes() == content
    assert code in (0, 1)
    if not opens:
        assert code == 1 and "cannot open project" in err.getvalue()


def test_a_50_mb_file_is_refused_quickly_and_left_alone(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as fh:  # valid JSON, so only the size check can refuse it
        fh.write(b'{"pad": "' + b"x" * (50 * 2**20) + b'"}')
    size, mtime = path.stat().st_size, path.stat().st_mtime_ns
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert cli.main(["check", str(path)]) == 1
    assert "50 MB" in err.getvalue()
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (size, mtime)


@pytest.mark.parametrize("version", [2, 10**12])
def test_a_newer_version_asks_to_update(tmp_path, version):
    path = tmp_path / "new.json"
    path.write_text(json.dumps({**BASES["frozen_cnn"], "version": version}))
    with pytest.raises(ProjectError, match="update Netzwerkstatt") as info:
        load(path)
    assert info.value.field == "version"


def test_frozen_and_group_survive_a_round_trip(tmp_path):
    path = tmp_path / "frozen.json"
    path.write_text(json.dumps(BASES["frozen_cnn"]))
    nodes = list(load(path).graph.nodes.values())
    assert [(n.frozen, n.group) for n in nodes[1:3]] == [(True, "block1")] * 2
    assert not nodes[0].frozen and nodes[0].group == ""
