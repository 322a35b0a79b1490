"""Security (issue 12): nothing the app opens runs code, and no path from a file writes elsewhere.

Each test is an attack a shared project, weights, lesson or run-log file could try: a pickle
that runs code when unpickled, a weights file or run log folder named `../../x` or `/abs`, a
symbolic link out of the project's folder, a lesson naming `/etc/passwd`, a project name that
tries to become code in the exported script. Each must fail with a message that names the
problem, and leave every folder outside the project's own as it was.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from app.core import export, lessons, presets, project_io, run_log, weights
from app.core.experiment import SetupError, load_data
from app.core.project_io import Project, ProjectError, dumps
from tests.core.graphs import residual
from tests.core.test_export import import_script

REPO = Path(__file__).resolve().parents[2]


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def world(tmp_path) -> tuple[Path, Path]:
    """(the project's folder, a folder beside it that nothing may touch)."""
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    return project, outside


def write_project(folder: Path, **sections) -> Path:
    tree = json.loads(dumps(Project(graph=residual())))
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(tree.get(key), dict):
            tree[key].update(value)
        else:
            tree[key] = value
    path = folder / "p.json"
    path.write_text(json.dumps(tree), encoding="utf-8")
    return path


class Bomb:
    """Unpickling this creates the file `marker`: what a malicious pickle would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


# -- nothing that is opened runs code --------------------------------------------------------


@pytest.mark.parametrize("how", ["pickle", "torch.save"])
@pytest.mark.parametrize("suffix", [weights.SUFFIX, ".pt", ".safetensors"])
def test_a_pickle_bomb_as_weights_is_refused_without_running(world, how, suffix):
    folder, outside = world
    marker = outside / "pwned"
    bomb = folder / f"net{suffix}"
    if how == "pickle":
        bomb.write_bytes(pickle.dumps({"conv.weight": Bomb(marker)}))
    else:
        torch.save({"conv.weight": Bomb(marker)}, bomb)
    with pytest.raises(weights.WeightsError, match="not a readable safetensors file"):
        weights.load(bomb)
    # The same file as the weights a project points to: the project opens without them.
    path = write_project(folder, weights={"file": bomb.name, "run": 1})
    project = project_io.load(path)
    with pytest.raises(weights.WeightsError, match="safetensors"):
        weights.restore(path, project.weights, project.graph)
    assert not marker.exists() and listing(outside) == ["keep.txt"]


UNSAFE_MODULES = ("pickle", "cPickle", "dill", "marshal", "shelve", "yaml", "joblib")


def unsafe_use(node: ast.AST) -> str | None:
    """The name of a code-running loader, eval or shell this AST node uses, if any."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
        return next((n for n in names if n.split(".")[0] in UNSAFE_MODULES), None)
    if not isinstance(node, ast.Call):
        return None
    func, keywords = node.func, {k.arg: k.value for k in node.keywords}
    if isinstance(func, ast.Name):
        return func.id if func.id in ("eval", "exec", "__import__") else None
    owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(
        func.value, ast.Name) else ""
    name = f"{owner}.{func.attr}" if isinstance(func, ast.Attribute) else ""
    flags = [k for k in ("shell", "allow_pickle") if isinstance(keywords.get(k), ast.Constant)
             and keywords[k].value is True]
    if flags:
        return f"{name}({flags[0]}=True)"
    if owner in ("torch", "np", "numpy", "pickle") and func.attr in ("load", "loads"):
        return name
    return name if owner == "os" and func.attr in ("system", "popen") else None


def test_the_app_never_unpickles_or_evaluates_code():
    """No module of the app calls a loader that can run code (torch.load, pickle, numpy with
    pickles, yaml.load, eval/exec, a shell); the export's self-check is the one exec, and it
    runs the script the app generated (see the name-injection test below)."""
    allowed = {("app/core/export_script.py", "exec")}
    found = []
    for path in sorted([*REPO.glob("app/**/*.py"), *REPO.glob("widgets/**/*.py")]):
        rel = str(path.relative_to(REPO))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            use = unsafe_use(node)
            if use is not None and (rel, use) not in allowed:
                found.append((rel, use))
    assert found == []
    sample = ast.parse("torch.load(f)\nimport pickle\nnp.load(f, allow_pickle=True)\n"
                       "subprocess.run(c, shell=True)\neval(s)")
    assert [unsafe_use(getattr(n, "value", n)) for n in sample.body] == [
        "torch.load", "pickle", "np.load(allow_pickle=True)", "subprocess.run(shell=True)",
        "eval"]


def test_a_project_name_never_becomes_code_in_the_exported_script(world):
    folder, outside = world
    marker = outside / "pwned"
    attack = (f'x"""\n    open({str(marker)!r}, "w")\n    """ @LAYER_CODE@ \\\n'
              f"\x00\x07 ''' end")
    project = replace(presets.load_preset("shapes_cnn"), name=attack,
                      description=f'd"""; open({str(marker)!r}, "w"); """ @DATA_CODE@ \\')
    script = export.write_script(project, folder / "net.py")
    module = import_script(script)  # runs the script's definitions, as the export's check does
    assert not marker.exists() and listing(outside) == ["keep.txt"]
    # The name is text in both docstrings, every character of it (Python 3.13 strips the
    # indentation of docstring lines, hence the comparison line by line without it).
    for doc in (module.__doc__, module.Net.__doc__):
        lines = [line.strip() for line in doc.splitlines()]
        assert lines[:3] == [line.strip() for line in attack.splitlines()[:3]]
        assert lines[3].startswith("\x00\x07 \'\'\' end")
    assert script.read_text(encoding="utf-8").count("class Net(nn.Module):") == 1


def test_a_pickle_bomb_as_cifar10_data_is_refused_without_running(world):
    """CIFAR-10's batches are pickles: torchvision checks their MD5 sums before unpickling,
    so a planted batch is a damaged dataset, never code that runs."""
    from app.core.datasets import DatasetError, load

    folder, outside = world
    marker = outside / "pwned"
    batches = folder / "cifar-10-batches-py"
    batches.mkdir()
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]:
        (batches / name).write_bytes(pickle.dumps({"data": Bomb(marker), "labels": [0]}))
    with pytest.raises(DatasetError, match="could not read dataset 'cifar10'"):
        load("cifar10", data_dir=folder)
    assert not marker.exists() and listing(outside) == ["keep.txt"]


# -- no path from a file leads out of its folder -----------------------------------------------


@pytest.mark.parametrize("file", ["../../x.weights.safetensors", "/tmp/x.weights.safetensors",
                                  "sub/x.weights.safetensors", "..", "C:\\x.safetensors",
                                  "..\\..\\x.safetensors"])
def test_a_weights_file_outside_the_project_is_refused(world, file):
    folder, outside = world
    path = write_project(folder, weights={"file": file, "run": 1})
    with pytest.raises(ProjectError) as info:
        project_io.load(path)
    assert info.value.field == "weights.file" and "project's folder" in str(info.value)
    assert listing(outside) == ["keep.txt"]


@pytest.mark.parametrize("log_dir", ["../outside", "../../x", "/tmp/x", "~/runs", "C:\\runs",
                                     "runs/../../outside", "link"])
def test_a_run_log_folder_outside_the_project_is_left_off_with_a_note(world, log_dir):
    folder, outside = world
    (folder / "link").symlink_to(outside, target_is_directory=True)
    project = project_io.load(write_project(folder, training={"log_dir": log_dir}))
    assert project.training.log_dir is None
    [note] = project.notes
    assert note.startswith(f"training.log_dir: '{log_dir}'")
    assert "inside its own folder" in note and "Training tab" in note
    assert listing(outside) == ["keep.txt"]


@pytest.mark.parametrize("log_dir", ["runs", "logs/today", ".", "runs/../logs"])
def test_a_run_log_folder_inside_the_project_is_kept(world, log_dir):
    folder, _ = world
    project = project_io.load(write_project(folder, training={"log_dir": log_dir}))
    assert project.training.log_dir == log_dir and project.notes == []
    root = run_log.resolve_root(log_dir, project.data.base_dir)
    assert root.resolve().is_relative_to(folder.resolve())


def test_saving_makes_a_run_log_folder_inside_the_project_relative(world):
    folder, outside = world
    inside = replace(Project().training, log_dir=str(folder / "runs"))
    assert project_io.log_dir_for(inside, folder).log_dir == "runs"
    elsewhere = replace(Project().training, log_dir=str(outside))
    assert project_io.log_dir_for(elsewhere, folder).log_dir == str(outside)


@pytest.mark.parametrize("data_dir", ["../outside", str(Path("/tmp") / "nw-sec-x"), "link"])
def test_a_download_into_a_folder_outside_the_project_is_not_taken_over(world, data_dir):
    folder, outside = world
    (folder / "link").symlink_to(outside, target_is_directory=True)
    path = write_project(folder, data={"name": "mnist", "data_dir": data_dir, "download": True})
    project = project_io.load(path)
    assert project.data.download is False and project.data.data_dir == data_dir
    [note] = project.notes
    assert note.startswith("data.download:") and "nothing is downloaded" in note
    with pytest.raises(SetupError, match="not found"):  # read only: missing, and said so
        load_data(project.data)
    assert listing(outside) == ["keep.txt"] and not Path("/tmp/nw-sec-x").exists()


def test_a_download_into_the_projects_own_folder_is_kept(world):
    folder, _ = world
    path = write_project(folder, data={"name": "mnist", "data_dir": "data", "download": True})
    project = project_io.load(path)
    assert project.data.download is True and project.notes == []


def test_a_run_log_never_points_to_weights_elsewhere(world):
    folder, outside = world
    (outside / "w.weights.safetensors").write_bytes(b"")
    run = folder / "run1"
    run.mkdir()
    for weights_name in ("../../outside/w.weights.safetensors", str(outside / "x"), ".."):
        (run / run_log.SUMMARY_FILE).write_text(json.dumps(
            {"format": run_log.FORMAT, "weights": weights_name, "final": {}}))
        assert run_log.read_record(run).weights is None
    (run / run_log.SUMMARY_FILE).write_text(json.dumps(
        {"format": run_log.FORMAT, "final": {"epochs": "1; rm -rf /"}}))
    records, problems = run_log.list_runs(folder)
    assert records == [] and "damaged" in problems[0] and str(run) in problems[0]


# -- lessons and presets name only what ships with the app --------------------------------------


def lesson_with(step: dict) -> dict:
    return {"format": lessons.FORMAT, "version": 1, "title_en": "t", "title_de": "t",
            "steps": [{"text_en": "a", "text_de": "a", **step}]}


@pytest.mark.parametrize(("step", "field", "words"), [
    ({"preset": "/etc/passwd"}, "steps[0].preset", "unknown preset"),
    ({"preset": "../../../etc/passwd"}, "steps[0].preset", "unknown preset"),
    ({"settings": {"data": {"name": "folder:/etc"}}}, "steps[0].settings.data.name",
     "unknown dataset"),
    ({"settings": {"data": {"data_dir": "/etc"}}}, "steps[0].settings.data.data_dir",
     "unknown setting"),
    ({"settings": {"data": {"download": True}}}, "steps[0].settings.data.download",
     "unknown setting"),
    ({"settings": {"training": {"log_dir": "/tmp/x"}}}, "steps[0].settings.training.log_dir",
     "unknown setting"),
])
def test_a_lesson_cannot_name_files_or_folders(tmp_path, step, field, words):
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(lesson_with(step)), encoding="utf-8")
    with pytest.raises(lessons.LessonError) as info:
        lessons.load(path)
    assert info.value.field == field and words in info.value.message


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../etc/passwd", "../presets/lenet",
                                  "lenet/../lenet"])
def test_a_preset_name_never_reaches_another_file(name):
    with pytest.raises(KeyError, match="no preset named"):
        presets.preset_path(name)
    assert presets.preset_path("lenet").parent == presets.PRESET_DIR


def test_escapes_folder_explains_each_way_out(world):
    folder, outside = world
    (folder / "link").symlink_to(outside, target_is_directory=True)
    assert "absolute" in project_io.escapes_folder("/x", folder)
    assert "'..'" in project_io.escapes_folder("a/../../x", folder)
    assert "symbolic link" in project_io.escapes_folder("link/x", folder)
    assert project_io.escapes_folder("a/b/../c", folder) is None
    assert project_io.escapes_folder(os.curdir, folder) is None
