"""Data folders in a project file (`data.data_dir`, `folder:` names) point from the project
file's own folder, are saved exactly as written, and a missing one is reported by
`netzwerkstatt train` without creating anything anywhere."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.core import presets, project_io
from app.core.datasets import FOLDER_PREFIX

FUZZ = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
PROJECT_DEPTH = 4  # the project file lives in ROOT/a/b/c/proj: paths may climb that far
LENET = json.loads(presets.preset_path("lenet").read_text())

segments = st.one_of(st.sampled_from([".", "..", "data", "MNIST"]),
                     st.text(alphabet="abÄß数 -_.x", min_size=1, max_size=6))


def _stays_inside(parts: list[str]) -> bool:
    depth = 0
    for part in parts:
        depth += -1 if part == ".." else 0 if part in (".", "") else 1
        if depth < -PROJECT_DEPTH:
            return False
    return True


@st.composite
def relative_paths(draw) -> str:
    """Relative path text as a user would write it: dots, `..`, nested, unicode, spaces,
    doubled or trailing slashes."""
    parts = draw(st.lists(segments, min_size=1, max_size=5).filter(_stays_inside))
    text = draw(st.sampled_from(["/", "//"])).join(parts)
    return draw(st.sampled_from(["", "./"])) + text + draw(st.sampled_from(["", "/"]))


def _write_project(root: Path, data: dict) -> Path:
    folder = root.joinpath("a", "b", "c", "proj")
    folder.mkdir(parents=True)
    tree = json.loads(json.dumps(LENET))
    tree["data"].update(data)
    path = folder / "project.json"
    path.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    return path


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@FUZZ
@given(path=relative_paths())
@example(path="../../..//x/./y/")
@example(path="./ä b/../数据")
def test_relative_paths_point_from_the_project_folder_and_save_as_written(path):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve()
        file = _write_project(root, {"name": FOLDER_PREFIX + path, "data_dir": path})
        project = project_io.load(file)
        expected = os.path.normpath(file.parent / path)
        resolved = project.data.resolved()
        assert resolved.data_dir == expected
        assert resolved.name == FOLDER_PREFIX + expected
        # Saved elsewhere in the same folder: the text stays exactly as the user wrote it.
        again = file.parent / "again.json"
        project_io.save(again, project)
        saved = json.loads(again.read_text(encoding="utf-8"))["data"]
        assert saved["data_dir"] == path and saved["name"] == FOLDER_PREFIX + path
        assert project_io.load(again).data.resolved() == resolved
        # Moved to another folder (Save As): the paths still lead to the same place.
        elsewhere = root / "other" / "deeper"
        moved = project.data.rebased(elsewhere)
        assert not Path(moved.data_dir).is_absolute()
        assert moved.resolved().data_dir == expected
        assert moved.resolved().name == FOLDER_PREFIX + expected


@FUZZ
@given(path=relative_paths())
def test_absolute_paths_are_kept(path):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve()
        absolute = str(root / "elsewhere") + "/" + path
        file = _write_project(root, {"name": FOLDER_PREFIX + absolute, "data_dir": absolute})
        data = project_io.load(file).data
        for resolved in (data.resolved(), data.rebased(root / "other").resolved()):
            assert os.path.normpath(resolved.data_dir) == os.path.normpath(absolute)
            assert os.path.normpath(resolved.name[len(FOLDER_PREFIX):]) == \
                os.path.normpath(absolute)
        again = root / "again.json"
        project_io.save(again, project_io.load(file))
        assert json.loads(again.read_text(encoding="utf-8"))["data"]["data_dir"] == absolute


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=relative_paths(), folder_dataset=st.booleans(), download=st.booleans())
@example(path="..", folder_dataset=True, download=False)  # an existing folder without images
@example(path="sets/mnist", folder_dataset=False, download=True)
def test_train_names_a_missing_folder_and_creates_nothing(capsys, path, folder_dataset,
                                                          download):
    from app.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve()
        data = ({"name": FOLDER_PREFIX + path} if folder_dataset
                else {"name": "mnist", "data_dir": path})
        file = _write_project(root, {**data, "download": download})
        (root / "cwd").mkdir()
        before = _listing(root)
        with contextlib.chdir(root / "cwd"):
            code = main(["train", str(file), "--max-steps", "1", "--device", "cpu"])
        out, err = capsys.readouterr()
        assert code == 1, out + err
        assert os.path.normpath(file.parent / path) in err, err
        assert "Fix:" in err and "Traceback" not in err
        assert _listing(root) == before
