"""The file life cycle of the editor window: save/open, the unsaved-changes prompt, recent
files, crash-recovery autosave, dropping a project file, presets and the screenshot."""

from __future__ import annotations

import os

from PySide6.QtCore import QMimeData, QPointF, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.core import project_io
from widgets.main_window import MainWindow
from widgets.screenshot import render_screenshot


def edit(window: MainWindow) -> None:
    """One real user edit through the undo stack (so the document becomes dirty)."""
    window.scene.add_layer("ReLU", QPointF(0, 400))


def test_title_shows_name_and_dirty_marker(window, tmp_path, monkeypatch):
    assert window.windowTitle() == "Shapes CNN — Netzwerkstatt"
    edit(window)
    assert window.windowTitle() == "Shapes CNN* — Netzwerkstatt"
    path = tmp_path / "net.json"
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda self: str(tmp_path / "net"))
    assert window.act_save.isEnabled()
    window.act_save.trigger()  # untitled: asks for a name, adds .json
    assert path.exists()
    assert window.windowTitle() == "net.json — Netzwerkstatt"
    window.doc.undo_stack.undo()
    assert window.windowTitle() == "net.json* — Netzwerkstatt"


def test_save_open_round_trip_gives_an_identical_graph(window, tmp_path):
    edit(window)
    path = tmp_path / "round.json"
    assert window._save_to(path)
    saved = window.doc.graph.to_dict()
    window.load_preset("lenet")
    assert window.open_path(path)
    assert window.doc.graph.to_dict() == saved
    assert window.doc.path == path and not window.doc.dirty
    assert set(window.scene.nodes) == set(saved_id["id"] for saved_id in saved["nodes"])
    assert str(path.resolve()) == window.recent_files()[0]


def test_unsaved_changes_prompt(window, tmp_path, monkeypatch):
    asked = []

    def answer(reply):
        def ask(self):
            asked.append(reply)
            return reply
        monkeypatch.setattr(MainWindow, "ask_save_changes", ask)

    other = tmp_path / "other.json"
    project_io.save(other, window.doc.to_project())

    edit(window)
    answer("cancel")
    assert not window.open_path(other)
    assert window.doc.dirty and window.doc.path is None  # nothing was lost

    answer("save")
    target = tmp_path / "mine.json"
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda self: str(target))
    assert window.open_path(other)
    assert target.exists() and window.doc.path == other

    edit(window)
    answer("discard")
    assert window.open_path(target)
    assert asked == ["cancel", "save", "discard"]

    edit(window)
    answer("cancel")
    assert not window.close()  # closing is refused too
    answer("discard")


def test_clean_document_is_replaced_without_asking(window, monkeypatch, tmp_path):
    monkeypatch.setattr(MainWindow, "ask_save_changes",
                        lambda self: (_ for _ in ()).throw(AssertionError("asked")))
    path = tmp_path / "p.json"
    project_io.save(path, window.doc.to_project())
    assert window.open_path(path)


def test_open_broken_file_shows_the_reason(window, tmp_path, monkeypatch):
    errors = []
    monkeypatch.setattr(MainWindow, "show_error", lambda self, title, text: errors.append(text))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "netzwerkstatt", "version": 1, "graph": {"nodes": [{"id": "x",'
                   ' "type": "Conv3d"}]}}')
    before = window.doc.graph.to_dict()
    assert not window.open_path(bad)
    assert "Conv3d" in errors[0] and "graph.nodes[0].type" in errors[0]
    assert window.doc.graph.to_dict() == before


def test_dropping_a_project_file_on_the_window_opens_it(window, gestures, tmp_path):
    path = tmp_path / "dropped.json"
    project = window.doc.to_project()
    project.graph.remove_node("relu4")
    project_io.save(path, project)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    gestures.drop(mime, window.view.visible_centre())
    assert window.doc.path == path and "relu4" not in window.doc.graph.nodes


def test_autosave_and_recovery(window, home, monkeypatch, qtbot):
    edit(window)
    window.autosave()
    recovery = home / "recovery.json"
    assert recovery.exists()
    expected = window.doc.graph.to_dict()
    window.doc.undo_stack.setClean()

    monkeypatch.setattr(MainWindow, "ask_recover", lambda self, when: True)
    second = MainWindow(recover=False)
    qtbot.addWidget(second)
    assert second.offer_recovery()
    assert second.doc.graph.to_dict() == expected
    assert second.doc.dirty  # recovered work is unsaved work

    second.doc.undo_stack.setClean()
    second.close()  # a clean close removes the recovery file
    assert not recovery.exists()


def test_recovery_older_than_the_project_is_not_offered(window, home, tmp_path, monkeypatch,
                                                        qtbot):
    project_path = tmp_path / "p.json"
    window._save_to(project_path)
    edit(window)
    window.autosave()
    recovery = home / "recovery.json"
    old = recovery.stat().st_mtime - 100
    os.utime(recovery, (old, old))
    monkeypatch.setattr(MainWindow, "ask_recover",
                        lambda self, when: (_ for _ in ()).throw(AssertionError("asked")))
    second = MainWindow(recover=False)
    qtbot.addWidget(second)
    assert not second.offer_recovery()
    assert not recovery.exists()


def test_new_from_preset_gallery(window, monkeypatch):
    monkeypatch.setattr(MainWindow, "ask_preset", lambda self: "resnet_mini")
    window.act_new.trigger()
    graph = window.doc.graph
    assert graph.nodes_of_type("Add") and window.doc.report.ok
    assert len(window.doc.graph.inputs_of("b1_add")) == 2  # the skip connection
    assert set(window.scene.edges) == {(e.src, e.dst) for e in graph.edges}
    monkeypatch.setattr(MainWindow, "ask_preset", lambda self: "")
    window.act_new.trigger()
    assert not window.doc.graph.nodes and not window.scene.nodes


def test_every_preset_opens_and_fits(window):
    from app.core.presets import list_presets

    for name in list_presets():
        window.load_preset(name)
        QApplication.processEvents()
        window.view.fit_all()
        assert set(window.scene.nodes) == set(window.doc.graph.nodes), name
        assert window.view.zoom() > 0.45, name  # readable without zooming in


def test_training_panel_hook(window):
    from PySide6.QtWidgets import QLabel

    index = window.add_training_panel(QLabel("curves"), "Training")
    assert window.bottom_tabs.tabText(index) == "Training"
    assert window.bottom_tabs.currentIndex() == index


def test_screenshot_renders_the_editor(tmp_path, qapp):
    out = render_screenshot(None, "editor", tmp_path / "shot.png", size=(1280, 800))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)

