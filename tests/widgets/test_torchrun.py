"""Train with torchrun from the app: two CPU processes train the exported script, rank 0's
metrics reach the Curves view, the weights come back, and Stop leaves no process behind."""

from __future__ import annotations

import os
import signal
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.torchrun import TorchrunJob, alive, root_cause, shown_command, torchrun_command
from widgets.plots.loss_plot import CurvesView
from widgets.torchrun_dialog import TorchrunDialog

from .training_helpers import click, tiny_panel

TIMEOUT_MS = 120_000  # torchrun starts a rendezvous and two Pythons that import torch


def _open(window, tmp_path, epochs: int) -> TorchrunDialog:
    panel = tiny_panel(window)
    window.doc.set_settings("data", {"name": "shapes", "n_train": 128, "n_val": 32})
    window.doc.set_settings("training", {"batch_size": 16})
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Training")
    next(a for a in menu.actions() if a.text() == "Train with torchrun…").trigger()
    dialog = window.torchrun_dialog
    dialog.folder_edit.setText(str(tmp_path / "torchrun"))
    dialog.nproc_spin.setValue(2)
    dialog.epochs_spin.setValue(epochs)
    assert dialog.device_combo.currentData() == "cpu"
    return dialog, panel


def test_two_cpu_processes_feed_the_curves(window, qtbot, tmp_path):
    dialog, panel = _open(window, tmp_path, epochs=2)
    command = dialog.local_command.toPlainText()
    assert "torchrun --standalone --nproc_per_node=2" in command and "--epochs 2" in command
    qtbot.mouseClick(dialog.copy_buttons["local"], Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == command
    click(qtbot, dialog.start_button)
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=TIMEOUT_MS)
    result = dialog.last_result
    assert result["status"] == "completed", result["message"] + result["stderr_tail"]
    assert result["exit_code"] == 0, result["stderr_tail"]
    curves = panel.view(CurvesView).runs[dialog.run_id]
    logs = [e for e in dialog.events if e["event"] == "log"]
    assert logs and curves.steps.n == len(logs)  # one curve point per logged step
    assert [e["epoch"] for e in curves.epochs] == [1, 2]
    assert all(e["world_size"] == 2 for e in dialog.events if e["event"] == "epoch")
    assert window.bottom_tabs.currentWidget() is panel.tab(CurvesView)
    # The weights the script saved open in the app again.
    click(qtbot, dialog.weights_button)
    assert window.doc.trained is not None
    assert window.doc.trained.info.steps == result["done"]["steps"] >= logs[-1]["step"]
    dialog.close()


def test_stop_ends_every_rank(window, qtbot, tmp_path):
    dialog, _panel = _open(window, tmp_path, epochs=10_000)
    click(qtbot, dialog.start_button)
    qtbot.waitUntil(lambda: any(e["event"] == "log" for e in dialog.events),
                    timeout=TIMEOUT_MS)
    launcher = dialog.job.proc.pid
    dialog.job._record_tree(launcher)
    seen = dict(dialog.job.seen)
    ranks = [pid for pid, group in seen.items() if group == pid]  # torchrun's own sessions
    assert len(ranks) >= 2, seen
    assert all(alive(pid) for pid in ranks)
    click(qtbot, dialog.stop_button)
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=30_000)
    assert dialog.last_result["status"] == "stopped"
    assert not alive(launcher)
    assert [pid for pid in seen if alive(pid)] == []  # no orphans
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()
    dialog.close()
    QApplication.processEvents()


def test_a_crashed_launcher_leaves_no_ranks(qapp, tmp_path):
    """torchrun killed outright (as by the OOM killer) cannot end its ranks: the job does."""
    script = tmp_path / "sleeper.py"
    script.write_text("import time\nprint('ready', flush=True)\ntime.sleep(120)\n")
    job = TorchrunJob()
    job.start(torchrun_command(script.name, 2), cwd=tmp_path)
    deadline = time.monotonic() + 60
    while sum(pid == group for pid, group in dict(job.seen).items()) < 2:
        assert time.monotonic() < deadline, "the ranks did not start"
        time.sleep(0.1)
    ranks = [pid for pid, group in job.seen.items() if pid == group]
    os.kill(job.proc.pid, signal.SIGKILL)
    assert job.wait(30)
    assert [pid for pid in ranks if alive(pid)] == []


def test_cluster_command_and_root_cause():
    line = shown_command("net.py", 4, ["--epochs", "3"], nnodes=2, endpoint="n0:29500")
    assert line == ("torchrun --nnodes=2 --nproc_per_node=4 --rdzv-id=netzwerkstatt "
                    "--rdzv-backend=c10d --rdzv-endpoint=n0:29500 net.py --epochs 3")
    tail = ["Traceback (most recent call last):", '  File "net.py", line 9, in <module>',
            "[rank1]: RuntimeError: mat1 and mat2 shapes cannot be multiplied",
            "torch.distributed.elastic.multiprocessing.errors.ChildFailedError: ", "====="]
    assert root_cause(tail) == "RuntimeError: mat1 and mat2 shapes cannot be multiplied"


@pytest.fixture(autouse=True)
def _no_leftovers(window):
    yield
    dialog = getattr(window, "torchrun_dialog", None)
    if dialog is not None:
        dialog.shutdown()
