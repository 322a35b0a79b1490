"""A run's weights are kept with the project: trained, saved, reopened, and seen again."""

from __future__ import annotations

import numpy as np
import pytest

from tests.widgets.training_helpers import click, tiny_panel, wait_idle
from widgets.main_window import MainWindow
from widgets.plots.feature_maps import FeatureMapsView
from widgets.training_dock import attach_training

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_trained_weights_survive_save_and_reopen(qtbot, window, tmp_path, monkeypatch):
    panel = tiny_panel(window, epochs=2)
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    doc = window.doc
    assert doc.trained is not None and doc.trained.info.run == panel.controller.run_id
    assert doc.undo_stack.text(doc.undo_stack.index() - 1) == "Keep weights of run 1"
    assert "*" in window.windowTitle()
    final = panel.history[-1]
    assert final.step == panel.last_summary["steps"]  # the trained network, not an earlier one

    path = tmp_path / "trained.json"
    monkeypatch.setattr(window, "ask_save_path", lambda: str(path))
    assert window.save()
    assert (tmp_path / "trained.weights.safetensors").is_file()

    again = MainWindow(path)
    qtbot.addWidget(again)
    again.show()
    reopened = attach_training(again)
    assert again.doc.trained is not None and not again.doc.load_warning
    # The views show what the restored network sees, computed off the GUI thread.
    qtbot.waitUntil(lambda: len(reopened.history) == 1, timeout=20_000)
    restored = reopened.history[0]
    assert restored.feature_maps.keys() == final.feature_maps.keys()
    for layer, maps in final.feature_maps.items():
        assert np.allclose(restored.feature_maps[layer], maps, atol=1e-6), layer
    again.bottom_tabs.setCurrentWidget(reopened.tab(FeatureMapsView))
    column = reopened.view(FeatureMapsView).columns[0]
    assert np.allclose(column.tiles, final.feature_maps[column.layer], atol=1e-6)
    assert "run 1" in reopened.controls.status_label.text()
    summary = again.inspector.summary
    summary.refresh()
    assert "run 1" in summary.trained.text()
    again.doc.undo_stack.clear()


def test_undoing_a_kept_run_keeps_the_replay_of_the_runs(qtbot, window):
    panel = tiny_panel(window, epochs=1)
    for _ in range(2):
        click(qtbot, panel.controls.train_button)
        wait_idle(qtbot, panel)
    doc = window.doc
    first_kept = doc.undo_stack.command(doc.undo_stack.index() - 2)
    assert doc.trained.info.run == 2
    snapshots = len(panel.history)
    doc.undo_stack.undo()  # back to the weights of run 1: kept here, nothing to recompute
    assert doc.trained.info.run == 1 and first_kept.text() == "Keep weights of run 1"
    qtbot.wait(1500)  # time enough for a background recomputation, were one started
    assert len(panel.history) == snapshots > 1
