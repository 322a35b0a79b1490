"""Run logs from the app: the learner sets a log folder, trains, and the Runs list shows the
run, overlays its logged curves and reopens it (curves back in the Curves view, weights back)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from widgets.plots.loss_plot import CurvesView
from widgets.runs_list import RunsDialog

from .training_helpers import click, tiny_panel, wait_idle

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402


def _set_log_folder(qtbot, panel, folder) -> None:
    edit = panel.controls.log_dir_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, str(folder))
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _open_runs(window) -> RunsDialog:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Training")
    next(a for a in menu.actions() if a.text() == "Runs…").trigger()
    return window.runs_dialog


def _train(qtbot, panel) -> None:
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary is not None and panel.last_summary["status"] == "completed"


def test_log_folder_is_an_undoable_setting(window, qtbot, tmp_path):
    panel = tiny_panel(window)
    _set_log_folder(qtbot, panel, tmp_path / "logs")
    doc = window.doc
    assert doc.project.training.log_dir == str(tmp_path / "logs")
    window.view.setFocus()  # an edit being typed in is not overwritten; one left is
    doc.undo_stack.undo()
    assert doc.project.training.log_dir is None
    assert panel.controls.log_dir_edit.text() == ""


def test_runs_list_shows_overlays_and_reopens(window, qtbot, tmp_path):
    panel = tiny_panel(window, epochs=2)
    root = tmp_path / "logs"
    _set_log_folder(qtbot, panel, root)
    _train(qtbot, panel)
    assert str(root) in panel.controls.status_label.text()  # says where the log went
    _train(qtbot, panel)
    kept_from_last_run = window.doc.trained

    dialog = _open_runs(window)
    qtbot.waitExposed(dialog)
    assert dialog.tree.topLevelItemCount() == 2
    first = dialog.tree.topLevelItem(1)  # newest first: the first run is the second row
    assert first.text(2) == "shapes" and first.text(3).endswith("%") and first.text(6) == "saved"
    record = dialog.records[1]
    events = EventAccumulator(str(record.path), size_guidance={"scalars": 0})
    events.Reload()
    logged_points = len(events.Scalars("train/loss"))

    curves = panel.view(CurvesView)
    curves.clear()  # a fresh session: no live curves any more
    # Tick both runs: both logged curves are overlaid.
    for row in range(2):
        dialog.tree.topLevelItem(row).setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: len(dialog.shown_ids) == 2, timeout=15_000)
    assert len(curves.runs) == 2
    shown = curves.runs[dialog.shown_ids[record.path]]
    assert shown.steps.n == logged_points
    assert [e["epoch"] for e in shown.epochs] == [1, 2]
    assert window.bottom_tabs.currentWidget() is panel.tab(CurvesView)
    # Untick one: its curves leave the plot.
    dialog.tree.topLevelItem(0).setCheckState(0, Qt.CheckState.Unchecked)
    assert len(curves.runs) == 1

    # Reopen the first run: its curves stay, its weights come back (one undo step).
    dialog.tree.setCurrentItem(first)
    click(qtbot, dialog.reopen_button)
    qtbot.waitUntil(lambda: window.doc.trained is not kept_from_last_run, timeout=15_000)
    trained = window.doc.trained
    assert trained.info.run == record.run_id == 1
    assert "Reopened" in dialog.status_label.text()
    window.doc.undo_stack.undo()
    assert window.doc.trained is kept_from_last_run
    dialog.close()
    QApplication.processEvents()


def test_runs_list_without_folder_says_what_to_do(window, qtbot):
    tiny_panel(window)
    dialog = _open_runs(window)
    assert dialog.tree.topLevelItemCount() == 0
    assert "No run log folder" in dialog.folder_label.text()
    dialog.close()
