"""Project files round-trip exactly; bad and newer files are refused naming the field."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from app.core import presets
from app.core.project_io import Project, ProjectError, dumps, load, project_from_dict, save
from app.core.shapes import infer
from tests.core.graphs import residual


def _valid() -> dict:
    return json.loads(dumps(Project(graph=residual())))


def test_round_trip_is_identical(tmp_path):
    project = Project(graph=residual(), name="demo")
    project.graph.nodes["c1"].pos = (12.5, -3.0)
    path = tmp_path / "demo.json"
    save(path, project)
    again = load(path)
    assert again.graph.to_dict() == project.graph.to_dict()
    assert again.training == project.training and again.data == project.data
    assert dumps(again) == dumps(project)


@pytest.mark.parametrize("name", presets.list_presets())
def test_every_preset_loads_and_is_valid(name):
    project = presets.load_preset(name)
    assert infer(project.graph).ok
    assert project.description


def test_default_preset_is_first():
    assert presets.list_presets()[0] == "shapes_cnn"


@pytest.mark.parametrize(("mutate", "field", "words"), [
    (lambda d: d.update(format="other"), "format", "not a Netzwerkstatt project"),
    (lambda d: d.update(version=99), "version", "newer Netzwerkstatt"),
    (lambda d: d["graph"]["nodes"][1].update(type="Conv3d"), "graph.nodes[1].type", "unknown layer"),
    (lambda d: d["graph"]["nodes"][1]["params"].update(kernel_size=0), "graph.nodes[1].params.kernel_size",
     "at least 1"),
    (lambda d: d["graph"]["nodes"][1]["params"].update(colour=3), "graph.nodes[1].params.colour",
     "no parameter"),
    (lambda d: d["graph"]["nodes"][2].update(id="stem"), "graph.nodes[2].id", "duplicate"),
    (lambda d: d["graph"]["edges"][0].update(dst="ghost"), "graph.edges[0].dst", "does not exist"),
    (lambda d: d["training"].update(lr=-1), "training.lr", "sensible range"),
    (lambda d: d["training"].update(batch_size="big"), "training.batch_size", "a whole number"),
    (lambda d: d["training"].update(optimizer="magic"), "training.optimizer", "one of"),
    (lambda d: d["data"].update(colour=1), "data.colour", "unknown setting"),
])
def test_bad_fields_are_named(mutate, field, words):
    data = _valid()
    mutate(data)
    with pytest.raises(ProjectError) as info:
        project_from_dict(data)
    assert info.value.field == field
    assert words in str(info.value)


def test_corrupt_and_missing_files(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "netzwerkstatt", "version": 1, "graph": {', encoding="utf-8")
    with pytest.raises(ProjectError, match="not valid JSON.*line 1"):
        load(broken)
    with pytest.raises(ProjectError, match="no such file"):
        load(tmp_path / "nope.json")


def test_save_is_atomic_and_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    save(path, Project(graph=residual()))
    before = path.read_text()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        save(path, Project())
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]  # no temp file left behind


def _project_with_data(folder, **data) -> Path:
    tree = json.loads(dumps(Project(graph=residual())))
    tree["data"].update(data)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "p.json"
    path.write_text(json.dumps(tree))
    return path


def test_relative_data_paths_point_from_the_project_and_stay_relative(tmp_path, monkeypatch):
    path = _project_with_data(tmp_path / "proj", name="mnist", data_dir="data/sets")
    monkeypatch.chdir(tmp_path)  # somewhere else: the cwd must not matter
    project = load(path)
    assert project.data.resolved().data_dir == str(tmp_path / "proj" / "data" / "sets")
    save(tmp_path / "copy.json", project)
    assert json.loads((tmp_path / "copy.json").read_text())["data"]["data_dir"] == "data/sets"
    folder = load(_project_with_data(tmp_path / "p2", name="folder:imgs")).data.resolved()
    assert folder.name == f"folder:{tmp_path / 'p2' / 'imgs'}"


def test_a_missing_data_folder_is_reported_and_never_created(tmp_path, monkeypatch):
    from app.core.experiment import SetupError, load_data

    path = _project_with_data(tmp_path / "proj", name="mnist", data_dir="data", download=True)
    monkeypatch.chdir(tmp_path)
    project = load(path)
    with pytest.raises(SetupError, match=str(tmp_path / "proj" / "data")):
        load_data(replace(project.data, download=False))
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["p.json", "proj"]
