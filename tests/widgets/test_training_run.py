"""Training from the dashboard, driven through its real buttons: a run that finishes, pause,
single steps, resume, stop, learning-rate changes, faults, closing the window mid-run."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.commands import SetParam
from tests.widgets.training_helpers import click, tiny_panel, wait_idle, wait_step
from widgets.plots.confusion import ResultsView
from widgets.plots.feature_maps import FeatureMapsView
from widgets.plots.loss_plot import CurvesView

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_train_button_runs_and_fills_every_view(qtbot, window):
    panel = tiny_panel(window, epochs=2)
    click(qtbot, panel.controls.train_button)
    assert panel.controller.is_running and not panel.controls.train_button.isEnabled()
    wait_idle(qtbot, panel)
    assert panel.last_error is None, panel.last_error
    assert panel.last_summary["status"] == "completed" and panel.last_summary["steps"] == 16
    run = panel.view(CurvesView).runs[panel.controller.run_id]
    assert run.steps.values[-1] == 16 and len(run.epochs) == 2
    assert [e["epoch"] for e in run.epochs] == [1, 2]
    assert panel.history[0].step == 0 and panel.history[-1].step == 16
    assert [c.layer for c in panel.view(FeatureMapsView).columns] == ["relu1", "relu2", "relu3"]
    assert window.bottom_tabs.currentWidget() is panel.dashboard  # Train shows the dashboard,
    assert panel.view(FeatureMapsView).columns[0].tiles.shape == (8, 28, 28)  # drawn live
    assert panel.view(ResultsView).epochs_shown == 0  # hidden: not drawn...
    window.bottom_tabs.setCurrentWidget(panel.tab(ResultsView))
    assert panel.view(ResultsView).epochs_shown == 1  # ...the newest epoch once shown
    assert panel.view(ResultsView).confusion.matrix.sum() == 64
    assert "step 16/16" in panel.controls.progress_label.text()
    assert panel.controls.progress_bar.value() == 1000
    assert panel.controls.train_button.isEnabled() and not panel.controls.stop_button.isEnabled()


def test_pause_step_resume_stop(qtbot, window):
    panel = tiny_panel(window, epochs=1000)
    click(qtbot, panel.controls.train_button)
    wait_step(qtbot, panel, 3)
    trainer = panel.controller.worker.trainer

    click(qtbot, panel.controls.pause_button)
    at_pause = trainer.step
    assert panel.controller.state == "paused" and panel.controls.resume_button.isEnabled()
    qtbot.wait(300)
    held = trainer.step
    assert held <= at_pause + 1  # at most the batch in flight finishes
    qtbot.wait(300)
    assert trainer.step == held

    click(qtbot, panel.controls.step_button)
    qtbot.waitUntil(lambda: trainer.step == held + 1, timeout=5000)
    qtbot.waitUntil(lambda: panel.history[-1].step == held + 1, timeout=5000)  # shown at once
    qtbot.wait(200)
    assert trainer.step == held + 1 and panel.controller.state == "paused"

    click(qtbot, panel.controls.resume_button)
    qtbot.waitUntil(lambda: trainer.step >= held + 5, timeout=10_000)

    click(qtbot, panel.controls.stop_button)
    at_stop = trainer.step
    wait_idle(qtbot, panel, timeout=5000)
    assert trainer.step <= at_stop + 1  # stop takes effect within one batch
    assert panel.last_summary["status"] == "cancelled"
    assert panel.controls.train_button.isEnabled()


def test_stop_while_paused(qtbot, window):
    panel = tiny_panel(window, epochs=1000)
    click(qtbot, panel.controls.train_button)
    wait_step(qtbot, panel, 1)
    click(qtbot, panel.controls.pause_button)
    click(qtbot, panel.controls.stop_button)
    wait_idle(qtbot, panel, timeout=5000)
    assert panel.last_summary["status"] == "cancelled"


def test_learning_rate_changes_mid_run(qtbot, window):
    panel = tiny_panel(window, epochs=1000, lr=0.002)
    click(qtbot, panel.controls.train_button)
    wait_step(qtbot, panel, 2)
    assert panel.controls.lr_spin.isEnabled() and not panel.controls.batch_spin.isEnabled()
    panel.controls.lr_spin.setValue(0.0005)
    # A live change is a document edit like any other: saved with the project, undoable.
    assert window.doc.project.training.lr == pytest.approx(0.0005) and window.doc.dirty
    optimizer = panel.controller.worker.trainer.optimizer
    qtbot.waitUntil(lambda: optimizer.param_groups[0]["lr"] == pytest.approx(0.0005),
                    timeout=5000)
    window.doc.undo_stack.undo()
    assert panel.controls.lr_spin.value() == pytest.approx(0.002)
    qtbot.waitUntil(lambda: optimizer.param_groups[0]["lr"] == pytest.approx(0.002),
                    timeout=5000)
    panel.controller.stop(wait=True)


def test_shortcuts_start_and_stop(qtbot, window):
    panel = tiny_panel(window, epochs=1000)
    QTest.keyClick(window, Qt.Key.Key_F5)
    assert panel.controller.is_running
    wait_step(qtbot, panel, 1)
    QTest.keyClick(window, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    wait_idle(qtbot, panel, timeout=5000)
    assert panel.last_summary["status"] == "cancelled"


def test_a_layer_that_raises_is_reported_and_the_app_trains_again(qtbot, window):
    panel = tiny_panel(window, epochs=1, max_steps=4)

    def broken(self, x):
        raise RuntimeError("this pooling layer is broken")

    with pytest.MonkeyPatch.context() as patch:  # undone below, unlike the window's patches
        patch.setattr(torch.nn.MaxPool2d, "forward", broken)
        click(qtbot, panel.controls.train_button)
        wait_idle(qtbot, panel)
    assert panel.last_error["status"] == "failed"
    text = panel.controls.status_label.text()
    assert "Training failed" in text and "pool1" in text and "broken" in text
    assert "RuntimeError" in panel.controls.status_label.toolTip()  # the traceback, for the curious
    assert panel.controls.train_button.isEnabled()

    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_error is None and panel.last_summary["status"] == "completed"


def test_huge_learning_rate_diverges_with_advice_then_trains_again(qtbot, window):
    window.load_preset("perceptron")
    window.doc.undo_stack.push(SetParam(window.doc, "out", "loss", "mse"))
    panel = tiny_panel(window, epochs=5, dataset="gauss")
    panel.controls.optimizer_combo.setCurrentText("sgd")
    panel.controls.lr_spin.setValue(100.0)
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_error["status"] == "diverged", panel.last_error["message"]
    assert "Training diverged" in panel.controls.status_label.text()
    assert "learning rate" in panel.controls.status_label.text()

    panel.controls.lr_spin.setValue(0.05)
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed"


def test_a_network_that_cannot_be_built_is_reported(qtbot, window):
    panel = tiny_panel(window, epochs=1)
    window.doc.undo_stack.push(SetParam(window.doc, "pool2", "kernel_size", 16))  # > 14x14
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_error is not None and "larger than" in panel.controls.status_label.text()
    assert panel.controls.train_button.isEnabled()


def test_closing_the_window_during_training_joins_the_thread(qtbot, window):
    panel = tiny_panel(window, epochs=1000)
    click(qtbot, panel.controls.train_button)
    wait_step(qtbot, panel, 2)
    thread = panel.controller._thread
    assert window.close()
    assert not panel.controller.is_running
    assert thread.isFinished()


def test_train_offers_to_fit_the_head_to_the_dataset(qtbot, window, monkeypatch):
    window.load_preset("lenet")  # 10 outputs; the shapes set has 8 classes
    panel = tiny_panel(window, epochs=1, dataset="shapes")
    questions = []
    monkeypatch.setattr(panel, "ask_fit_head", lambda q: questions.append(q) or False)
    click(qtbot, panel.controls.train_button)
    assert "8 classes" in questions[0] and "fc3" in questions[0]
    assert not panel.controller.is_running  # declined: nothing changes, nothing runs
    assert window.doc.graph.nodes["fc3"].params["out_features"] == 10
    monkeypatch.setattr(panel, "ask_fit_head", lambda q: True)
    click(qtbot, panel.controls.train_button)
    assert window.doc.graph.nodes["fc3"].params["out_features"] == 8
    wait_idle(qtbot, panel)
    assert panel.last_error is None, panel.last_error
    assert panel.last_summary["status"] == "completed"
    assert window.doc.undo_stack.undoText() == "Keep weights of run 1"
    window.doc.undo_stack.undo()  # the run's weights, then the fix: one undo step each
    window.doc.undo_stack.undo()
    assert window.doc.graph.nodes["fc3"].params["out_features"] == 10
