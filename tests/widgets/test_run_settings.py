"""Run settings are document state, a stop during data loading is quick, and any view that
implements the run-view interface is fed a run like the built-in ones."""

from __future__ import annotations

import json
import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app import training
from app.core import presets
from tests.widgets.training_helpers import click, tiny_panel, wait_idle
from widgets.main_window import MainWindow
from widgets.plots.replay import THROTTLE_MS, ReplayBar
from widgets.plots.run_view import RunView, ViewSpec
from widgets.training_dock import add_run_view, attach_training

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_settings_edits_are_undoable_saved_and_reopened(qtbot, window, tmp_path, monkeypatch):
    doc, controls = window.doc, attach_training(window).controls
    old_lr, old_epochs = doc.project.training.lr, doc.project.training.epochs
    assert "*" not in window.windowTitle()

    controls.lr_spin.setFocus()
    controls.lr_spin.selectAll()
    qtbot.keyClicks(controls.lr_spin, "0.05")  # each keystroke changes the value...
    qtbot.keyClick(controls.lr_spin, Qt.Key.Key_Return)  # ...one typed entry is one step
    for _ in range(3):
        qtbot.keyClick(controls.epochs_spin, Qt.Key.Key_Up)  # spin steps merge into one
    assert doc.project.training.lr == pytest.approx(0.05)
    assert doc.project.training.epochs == old_epochs + 3
    assert doc.undo_stack.count() == 2
    assert "*" in window.windowTitle()

    doc.undo_stack.undo()
    assert doc.project.training.epochs == old_epochs == controls.epochs_spin.value()
    doc.undo_stack.undo()
    assert controls.lr_spin.value() == pytest.approx(old_lr)
    assert "*" not in window.windowTitle()
    doc.undo_stack.redo()
    doc.undo_stack.redo()

    path = tmp_path / "settings.json"
    monkeypatch.setattr(window, "ask_save_path", lambda: str(path))
    assert window.save()
    saved = json.loads(path.read_text())["training"]
    assert (saved["lr"], saved["epochs"]) == (pytest.approx(0.05), old_epochs + 3)
    again = MainWindow(path)
    qtbot.addWidget(again)
    reopened = attach_training(again).controls
    assert reopened.lr_spin.value() == pytest.approx(0.05)
    assert reopened.epochs_spin.value() == old_epochs + 3
    again.doc.undo_stack.clear()


def test_dataset_and_augmentation_choices_are_one_undo_step_each(window):
    doc, controls = window.doc, attach_training(window).controls
    before = doc.project.data
    controls.dataset_combo.setCurrentIndex(controls.dataset_combo.findData("spiral"))
    controls.augment_checks["noise"].setChecked(True)
    assert (doc.project.data.name, doc.project.data.augment.noise) == ("spiral", 0.05)
    assert [doc.undo_stack.text(i) for i in range(doc.undo_stack.count())] == [
        "Set dataset to spiral", "Set noise to 0.05"]
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.project.data == before
    assert controls.dataset_combo.currentData() == before.name


def test_stop_during_a_slow_dataset_load_ends_the_thread_quickly(qtbot, window, monkeypatch):
    release = threading.Event()
    loading = threading.Event()

    def slow_load(*_args, **_kwargs):
        loading.set()
        release.wait(60)  # a download that takes a minute
        raise RuntimeError("released")

    monkeypatch.setattr(training, "load_data", slow_load)
    panel = tiny_panel(window)
    click(qtbot, panel.controls.train_button)
    qtbot.waitUntil(loading.is_set, timeout=5000)
    started = time.perf_counter()
    click(qtbot, panel.controls.stop_button)
    wait_idle(qtbot, panel, timeout=2000)
    assert time.perf_counter() - started < 2.0
    assert panel.last_summary["status"] == "cancelled"
    assert "loading the dataset" in panel.controls.status_label.text()
    assert panel.controls.train_button.isEnabled()
    release.set()


class Recorder(QWidget, RunView):
    """A throwaway view that only records what the dashboard tells it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple] = []

    def attach(self, ctx) -> None:
        self.calls.append(("attach", ctx.doc is not None))

    def run_started(self, run_id: int, data: dict) -> None:
        self.calls.append(("run_started", run_id, data["name"]))

    def add_scalars(self, payloads: list[dict]) -> None:
        self.calls.append(("scalars", [int(s) for p in payloads for s in p["steps"]]))

    def add_epoch(self, payload: dict) -> None:
        self.calls.append(("epoch", payload["epoch"]))

    def show_position(self, history, index: int) -> None:
        self.calls.append(("position", history[index].step))

    def clear(self) -> None:
        self.calls.append(("clear",))

    def of(self, kind: str) -> list[tuple]:
        return [c for c in self.calls if c[0] == kind]


def test_a_new_view_needs_only_the_view_interface(qtbot, window):
    panel = tiny_panel(window, epochs=2)
    recorder_spec = ViewSpec("Recorder", Recorder, replay=True)
    add_run_view(window, recorder_spec)
    recorder = panel.view("Recorder")
    window.bottom_tabs.setCurrentWidget(panel.tab("Recorder"))
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed"
    assert recorder.of("attach") == [("attach", True)]
    assert recorder.of("run_started") == [("run_started", panel.controller.run_id, "shapes")]
    steps = [s for call in recorder.of("scalars") for s in call[1]]
    assert steps == sorted(steps) and steps[-1] == panel.last_summary["steps"]
    assert [c[1] for c in recorder.of("epoch")] == [1, 2]
    assert recorder.of("position")[-1] == ("position", panel.history[-1].step)

    panel.replay_bars[-1].slider.setValue(0)  # its replay slider scrubs it back
    assert recorder.calls[-1] == ("position", panel.history[0].step)

    window.doc.load(presets.load_preset("mlp_playground"))
    assert recorder.calls[-1] == ("clear",)


def test_replay_slider_is_throttled_while_dragging(qtbot):
    bar = ReplayBar()
    qtbot.addWidget(bar)
    bar.set_count(100)
    shown: list[int] = []
    bar.indexChanged.connect(shown.append)
    for value in range(10, 60):  # a fast drag: 50 positions in no time
        bar.slider.setValue(value)
    assert shown == [10]  # the first position is shown at once...
    qtbot.wait(3 * THROTTLE_MS)
    assert shown == [10, 59]  # ...then only the last one


def test_save_as_elsewhere_keeps_relative_data_folders_pointing_at_the_same_place(
        window, tmp_path):
    first = tmp_path / "a" / "project.json"
    window.doc.save(first)
    window.doc.set_settings("data", {"name": "mnist", "data_dir": "data"})  # beside the file
    window.doc.save(first)
    window.doc.open(first)
    where = window.doc.project.data.resolved().data_dir
    assert where == str(tmp_path / "a" / "data")
    second = tmp_path / "b" / "deeper" / "copy.json"
    window.doc.save(second)
    saved = json.loads(second.read_text())["data"]["data_dir"]
    assert saved == "../../a/data"  # still relative, so the pair of folders can move together
    window.doc.open(second)
    assert window.doc.project.data.resolved().data_dir == where
