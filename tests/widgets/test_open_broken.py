"""Opening a broken project file is all-or-nothing: an error, and the open project untouched."""

import json

import pytest
from PySide6.QtCore import QPointF

from app.core import project_io
from widgets.main_window import MainWindow


def _broken_files(folder):
    """{file: the field its error must name}: deep nesting, a list as a wire end, NaN, a null."""
    good = json.loads(project_io.dumps(project_io.Project()))
    texts = {"graph.edges[0]": json.dumps(good).replace(
        '"edges": [', '"edges": [' + "[" * 1000 + "]" * 1000 + ",")}
    for field, section, key, value in (("training.epochs", "training", "epochs", None),
                                       ("training.lr", "training", "lr", float("nan"))):
        tree = json.loads(json.dumps(good))
        tree[section][key] = value
        texts[field] = json.dumps(tree)
    tree = json.loads(json.dumps(good))
    tree["graph"]["nodes"] = [{"id": "a", "type": "ReLU"}]
    tree["graph"]["edges"] = [{"src": ["a"], "dst": "a"}]
    texts["graph.edges[0].src"] = json.dumps(tree)
    files = {}
    for i, (field, text) in enumerate(texts.items()):
        files[folder / f"broken{i}.json"] = field
        (folder / f"broken{i}.json").write_text(text)
    return files


@pytest.fixture
def edited_window(window, gestures, tmp_path):
    """The window on a saved project that then got an unsaved edit on the canvas."""
    path = tmp_path / "mine.json"
    project_io.save(path, window.doc.to_project())
    assert window.open_path(path)
    gestures.drop_layer("ReLU", QPointF(200, 400))
    assert window.doc.dirty
    return window


def test_a_broken_file_leaves_the_open_project_intact(edited_window, tmp_path, monkeypatch):
    window = edited_window
    errors = []
    monkeypatch.setattr(MainWindow, "show_error", lambda self, title, text:
                        errors.append((title, text)))
    graph, path, title = window.doc.graph.to_dict(), window.doc.path, window.windowTitle()
    items = set(window.scene.nodes)
    broken = _broken_files(tmp_path)
    for file, field in broken.items():
        assert not window.open_path(file)
        assert errors[-1][0] == "Cannot open project" and errors[-1][1].startswith(field)
        assert window.doc.graph.to_dict() == graph and window.doc.path == path
        assert window.windowTitle() == title and window.doc.dirty
        assert set(window.scene.nodes) == items
    assert len(errors) == len(broken)
