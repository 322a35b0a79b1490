"""The lesson panel, driven like a class would: every step of every shipped lesson is entered
from the Lessons menu and Next, done in the real window (Train, Lab menu, palette, padlock,
the Training tab's controls) until its check mark shows."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from app.core import lessons
from app.core.lessons import LAB_VIEW_KEYS
from widgets.canvas.node_item import PADLOCK
from widgets.lab.registry import LAB_VIEWS
from widgets.lesson_panel import LessonPanel, lesson_panel

from .training_helpers import click, open_lab_view, wait_idle

pytestmark = pytest.mark.usefixtures("one_torch_thread")

SHIPPED = lessons.shipped()
LAB_TITLES = {spec.key: spec.title for spec in LAB_VIEWS}


def menu_action(window, text: str):
    return next(a for a in window.lessons_menu.actions() if a.text() == text)


def train(qtbot, window, step) -> None:
    """Press Train after shrinking the run through the document (only sizes and epochs: the
    test's time budget); a step that asks for an accuracy gets enough epochs to reach it."""
    panel = window.training_panel
    doc = window.doc
    wants_acc = "val_acc_at_least" in step.check
    doc.set_settings("data", {"n_train": 256, "n_val": 128})
    doc.set_settings("training", {"epochs": 40 if wants_acc else 1, "batch_size": 32,
                                  "max_steps": None if wants_acc else 6, "log_every": 2})
    panel.ask_fit_head = lambda _question: True
    window.bottom_tabs.setCurrentWidget(panel.controls)
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel, timeout=60_000)
    assert panel.last_error is None, panel.last_error


def insert_layer(qtbot, window, type_name: str) -> None:
    """Select the last hidden layer before the head, double-click the layer in the palette."""
    graph = window.doc.graph
    head = [n for n in graph.topo_order() if graph.nodes[n].type == "Linear"][-1]
    before = graph.inputs_of(head)[0]
    window.scene.select_nodes([before])
    item = window.palette.item_for(type_name)
    tree = window.palette.tree
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    # A real double-click: QTest's mouseDClick alone is only the second half of one.
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, rect.center())
    assert type_name in {n.type for n in window.doc.graph.nodes.values()}


def click_padlock(window, node_id: str) -> None:
    padlock = window.scene.nodes[node_id].padlock
    window.view.centerOn(padlock)
    centre = window.view.mapFromScene(padlock.mapToScene(QPointF(PADLOCK / 2, PADLOCK / 2)))
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, centre)


def do_step(qtbot, window, panel: LessonPanel, step) -> None:
    """What the step's "what to try" asks, done through the real widgets."""
    check = step.check
    controls = window.training_panel.controls
    if "has_layer" in check and check["has_layer"] not in {
            n.type for n in window.doc.graph.nodes.values()}:
        insert_layer(qtbot, window, check["has_layer"])
    if "lr_at_least" in check:
        controls.lr_spin.setFocus()
        controls.lr_spin.selectAll()
        QTest.keyClicks(controls.lr_spin, str(check["lr_at_least"]))
        QTest.keyClick(controls.lr_spin, Qt.Key.Key_Return)
    if check.get("augmented"):
        click(qtbot, controls.augment_checks["rotation"])
    graph = window.doc.graph
    if check.get("layer_frozen") and not any(n.frozen for n in graph.nodes.values()):
        click_padlock(window, next(n for n in graph.topo_order()
                                   if graph.nodes[n].type == "Conv2d"))
    if {"trained", "val_acc_at_least", "val_acc_below"} & check.keys():
        train(qtbot, window, step)
    if "lab_view_open" in check:
        open_lab_view(window, LAB_TITLES[check["lab_view_open"]])


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_walk_every_step_of_a_shipped_lesson(qtbot, window, path):
    lesson = lessons.load(path)
    menu_action(window, lesson.title_en).trigger()
    panel = window.lesson_panel
    assert window.lesson_dock.isVisible()
    assert panel.title.text() == lesson.title_en
    for index, step in enumerate(lesson.steps):
        assert panel.index == index
        assert panel.progress.text() == f"Step {index + 1} of {len(lesson.steps)}"
        assert panel.text.text() == step.text_en
        if step.preset:
            assert window.doc.project.name  # the preset is loaded (untitled, named)
        for section, values in step.settings.items():
            for key, value in values.items():
                assert getattr(window.doc.settings(section), key) == value
        assert window.palette.isEnabled() == (not {"palette", "canvas"} & set(step.lock))
        if "dataset" in step.lock:
            assert not window.training_panel.controls.dataset_combo.isEnabled()
        assert not panel.passed(), f"step {index + 1} passes before the learner did anything"
        assert "✔" not in panel.status.text()
        do_step(qtbot, window, panel, step)
        qtbot.waitUntil(panel.passed, timeout=5000)
        assert "✔" in panel.status.text(), panel.status.text()
        if "dataset" in step.lock:  # still locked after the run re-enabled the controls
            assert not window.training_panel.controls.dataset_combo.isEnabled()
        if index + 1 < len(lesson.steps):
            click(qtbot, panel.next_button)
    assert not panel.next_button.isEnabled()


def test_german_toggle_back_and_a_stale_run(qtbot, window):
    """Deutsch shows the German text; Back re-enters a step; a run does not count for a
    network changed after it."""
    path = next(p for p in SHIPPED if "perceptron" in p.stem)
    lesson = lessons.load(path)
    panel = lesson_panel(window)
    panel.open_lesson(lesson)
    click(qtbot, panel.german)
    assert panel.text.text() == lesson.steps[0].text_de
    assert panel.progress.text() == f"Schritt 1 von {len(lesson.steps)}"
    assert panel.next_button.text() == "Weiter ▶"
    assert "Noch zu tun" in panel.status.text()
    click(qtbot, panel.german)
    click(qtbot, panel.next_button)
    click(qtbot, panel.next_button)
    assert window.doc.project.name == "MLP playground" or "Tanh" in {
        n.type for n in window.doc.graph.nodes.values()}
    assert window.palette.isEnabled()  # step 3 keeps only the dataset fixed
    train(qtbot, window, lesson.steps[2])
    qtbot.waitUntil(panel.passed, timeout=5000)
    # Any edit of the network makes the run stale: the check mark goes away.
    hidden = next(n for n, node in window.doc.graph.nodes.items() if node.type == "Linear")
    window.scene.select_nodes([hidden])
    window.scene.delete_selection()
    assert not panel.passed()
    window.doc.undo_stack.undo()
    assert panel.passed()
    click(qtbot, panel.back_button)
    assert panel.index == 1 and not window.palette.isEnabled()
    assert not window.training_panel.controls.dataset_combo.isEnabled()
    window.lesson_dock.close()  # closing the panel ends the lesson and unlocks everything
    assert panel.lesson is None and window.palette.isEnabled()
    assert window.training_panel.controls.dataset_combo.isEnabled()


def test_a_broken_teacher_file_names_the_field(qtbot, window, tmp_path):
    raw = json.loads(SHIPPED[0].read_text(encoding="utf-8"))
    raw["steps"][1]["check"] = {"val_acc_at_least": "high"}
    bad = tmp_path / "my_lesson.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    panel = lesson_panel(window)
    errors: list[str] = []
    panel.show_error = errors.append
    panel.ask_lesson_path = lambda: str(bad)
    click(qtbot, panel.open_button)
    assert len(errors) == 1
    assert "my_lesson.json" in errors[0] and "steps[1].check.val_acc_at_least" in errors[0]
    assert panel.lesson is None
    raw["steps"][1]["check"] = {"lab_view_open": "playground"}
    raw["title_en"] = "My own lesson"
    raw["steps"][0]["lock"] = ["canvas"]  # keep the network fixed
    bad.write_text(json.dumps(raw), encoding="utf-8")
    menu_action(window, "Open Lesson File…").trigger()
    assert panel.lesson is not None and panel.title.text() == "My own lesson"
    assert not window.view.isInteractive() and not window.palette.isEnabled()
    assert window.training_panel.controls.dataset_combo.isEnabled()
    click(qtbot, panel.next_button)
    assert window.view.isInteractive()


def test_lessons_menu_lists_every_shipped_lesson(window):
    titles = [a.text() for a in window.lessons_menu.actions()]
    for path in SHIPPED:
        assert lessons.load(path).title_en in titles
    assert set(LAB_VIEW_KEYS) == set(LAB_TITLES)  # the checks know every lab view

