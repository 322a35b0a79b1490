"""Faults injected below the trainer and the file writer, driven through the real window: after
each the app is alive, says what happened and what to do, and has lost nothing (the document is
unchanged and still unsaved, and the learner can train or save again).

NaN loss, a layer that raises in forward and a huge learning rate are in test_training_run.py.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from app.commands import SetParam
from app.core import project_io
from app.core.graph import Graph
from app.core.project_io import Project
from tests.widgets.training_helpers import click, tiny_panel, wait_idle, wait_step
from widgets.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _state(window) -> tuple:
    """Everything a fault must leave alone: the network, the run settings, unsaved-ness, undo."""
    doc = window.doc
    return (doc.graph.to_dict(), doc.project.data, doc.project.training, doc.dirty,
            doc.undo_stack.count(), doc.path)


def _edited(window) -> None:
    """An unsaved edit (one undo step), as the inspector makes it."""
    window.doc.undo_stack.push(SetParam(window.doc, "conv1", "out_channels", 10))
    assert window.doc.dirty


def _fails_then_trains_again(qtbot, window, panel, patch_target,
                             replacement) -> tuple[str, str]:
    """Train with `patch_target` replaced, expect a failed run with the document untouched,
    then train again without the fault; returns the failure's status text and traceback."""
    before = _state(window)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(*patch_target, replacement)
        click(qtbot, panel.controls.train_button)
        wait_idle(qtbot, panel)
    assert panel.last_error is not None and panel.last_error["status"] == "failed"
    assert _state(window) == before  # nothing lost, nothing half-applied, still unsaved
    assert panel.controls.train_button.isEnabled() and window.isVisible()
    text, details = panel.controls.status_label.text(), panel.last_error["details"]
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_error is None and panel.last_summary["status"] == "completed"
    return text, details


def test_gpu_out_of_memory_is_explained_and_the_next_run_trains(qtbot, window):
    _edited(window)
    panel = tiny_panel(window, epochs=1, max_steps=4)

    def out_of_memory(self, x):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 8.00 GiB")

    text, _details = _fails_then_trains_again(
        qtbot, window, panel, (torch.nn.MaxPool2d, "forward"), out_of_memory)
    assert "Training failed" in text and "ran out of memory" in text
    assert "Lower the batch size (e.g. to 16)" in text  # what to do, with the number


class _BrokenGradient(torch.autograd.Function):
    """Passes values through; computing its gradient raises (a bug in a custom backward)."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("the gradient of this layer cannot be computed")


def test_an_exception_in_backward_is_reported_and_the_next_run_trains(qtbot, window):
    _edited(window)
    panel = tiny_panel(window, epochs=1, max_steps=4)
    pool = torch.nn.MaxPool2d.forward

    def broken_backward(self, x):
        return _BrokenGradient.apply(pool(self, x))

    text, details = _fails_then_trains_again(
        qtbot, window, panel, (torch.nn.MaxPool2d, "forward"), broken_backward)
    assert "Training failed" in text and "cannot be computed" in text
    assert "backward" in text  # where it happened: computing gradients, not the forward pass
    assert "press Train again" in text
    assert "def backward" not in text and "in backward" in details  # the traceback, in the tooltip


# -- image folders ------------------------------------------------------------------------------


def _picture_folder(root: Path, per_class: int = 12) -> Path:
    """Two classes of 8x8 RGB pictures: dark and bright."""
    rng = np.random.default_rng(0)
    for label, level in (("dark", 40), ("bright", 200)):
        (root / label).mkdir(parents=True)
        for i in range(per_class):
            pixels = np.clip(level + rng.normal(0, 20, (8, 8, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(root / label / f"{i}.png")
    return root


def _folder_network(window) -> None:
    """A small network for 3x32x32 folder images with two classes (the project's starting
    point, loaded like a file: not an undo step)."""
    graph = Graph.from_dict({
        "nodes": [{"id": "inp", "type": "Input", "params": {"shape": [3, 32, 32]}},
                  {"id": "flat", "type": "Flatten", "params": {}},
                  {"id": "fc", "type": "Linear", "params": {"out_features": 2}},
                  {"id": "out", "type": "Output", "params": {}}],
        "edges": [{"src": "inp", "dst": "flat"}, {"src": "flat", "dst": "fc"},
                  {"src": "fc", "dst": "out"}]})
    window.doc.load(Project(graph))


def _folder_panel(window, folder: Path, epochs: int):
    _folder_network(window)
    panel = tiny_panel(window, epochs=epochs)
    window.doc.set_settings("data", {"name": f"folder:{folder}", "n_train": None,
                                     "n_val": None})
    window.doc.set_settings("training", {"batch_size": 4})
    return panel


def test_a_folder_that_disappears_mid_run(qtbot, window, tmp_path):
    folder = _picture_folder(tmp_path / "pictures")
    panel = _folder_panel(window, folder, epochs=1000)
    click(qtbot, panel.controls.train_button)
    wait_step(qtbot, panel, 2)
    shutil.rmtree(folder)  # the USB stick is pulled: the run trains on from memory
    wait_step(qtbot, panel, panel.controller.worker.trainer.step + 5)
    click(qtbot, panel.controls.stop_button)
    wait_idle(qtbot, panel)
    assert panel.last_error is None and panel.last_summary["status"] == "cancelled"
    assert window.doc.trained is not None  # the weights it learned are kept
    before = _state(window)

    click(qtbot, panel.controls.train_button)  # the next run cannot find its pictures
    wait_idle(qtbot, panel)
    assert panel.last_error["status"] == "failed"
    text = panel.controls.status_label.text()
    assert "image folder not found" in text and str(folder) in text and "Fix:" in text
    assert _state(window) == before and window.doc.trained is not None

    _picture_folder(folder)  # put back: trains again
    window.doc.set_settings("training", {"epochs": 1})
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed", panel.last_error


def test_a_damaged_picture_is_named_with_the_fix(qtbot, window, tmp_path):
    folder = _picture_folder(tmp_path / "pictures", per_class=4)
    damaged = folder / "bright" / "2.png"
    damaged.write_bytes(damaged.read_bytes()[:40])  # a copy that broke off
    panel = _folder_panel(window, folder, epochs=1)
    before = _state(window)
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_error["status"] == "failed"
    text = panel.controls.status_label.text()
    assert f"cannot read image {damaged}" in text and "remove or replace" in text
    assert _state(window) == before

    damaged.unlink()  # the learner follows the advice
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed", panel.last_error


# -- saving ---------------------------------------------------------------------------------------


@pytest.fixture
def saved_then_edited(window, tmp_path, monkeypatch):
    """The window on a saved project with an unsaved edit; error dialogs are collected."""
    path = tmp_path / "mine.json"
    project_io.save(path, window.doc.to_project())
    assert window.open_path(path)
    _edited(window)
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(MainWindow, "show_error", lambda self, title, text:
                        errors.append((title, text)))
    return path, errors


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(("where", "error", "words"), [
    ("fsync", OSError(errno.ENOSPC, "No space left on device"), "No space left"),
    ("mkstemp", PermissionError(errno.EACCES, "Permission denied"), "Permission denied")])
def test_a_failed_save_keeps_the_file_and_the_work(window, saved_then_edited, tmp_path,
                                                   monkeypatch, where, error, words):
    path, errors = saved_then_edited
    on_disk = path.read_bytes()
    before = _state(window)

    def fail(*args, **kwargs):
        raise error

    target = (os, "fsync") if where == "fsync" else (project_io.tempfile, "mkstemp")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(*target, fail)
        assert not window.save()
    title, text = errors[-1]
    assert title == "Cannot save project" and words in text and str(path) in text
    assert "still open" in text and "Save As" in text  # what to do next
    assert path.read_bytes() == on_disk and _no_temp_files(tmp_path)
    assert _state(window) == before and window.doc.dirty and window.isVisible()

    elsewhere = tmp_path / "copy.json"  # the advice works: Save As somewhere else
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda self: str(elsewhere))
    assert window.save_as() and not window.doc.dirty
    assert project_io.load(elsewhere).graph.to_dict() == before[0]


# -- a crash with unsaved edits ---------------------------------------------------------------------

_CRASHING_SESSION = textwrap.dedent("""
    import os, signal
    from PySide6.QtWidgets import QApplication
    from app.commands import SetParam
    import widgets.main_window as main_window
    main_window.AUTOSAVE_MS = 100  # the real timer, only sooner
    app = QApplication([])
    window = main_window.MainWindow(recover=False)
    window.show()
    window.doc.undo_stack.push(SetParam(window.doc, "conv1", "out_channels", 13))
    home = main_window.app_home() / main_window.RECOVERY_FILE
    while not home.exists():
        app.processEvents()
    os.kill(os.getpid(), signal.SIGKILL)  # no closeEvent, no cleanup: a crash
""")


def test_a_crash_with_unsaved_edits_is_recovered_on_the_next_start(qtbot, home, monkeypatch):
    root = Path(__file__).resolve().parents[2]
    crashed = subprocess.run([sys.executable, "-c", _CRASHING_SESSION], cwd=root,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                             capture_output=True, text=True, timeout=120)
    assert crashed.returncode == -9, crashed.stderr
    assert (home / "recovery.json").exists()

    offers: list[str] = []
    monkeypatch.setattr(MainWindow, "ask_recover", lambda self, when: offers.append(when) or True)
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    window = MainWindow()  # the next start, as `netzwerkstatt gui` makes it
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(offers) and window.doc.dirty, timeout=5000)
    assert window.doc.graph.nodes["conv1"].params["out_channels"] == 13  # the edit is back
    window.doc.undo_stack.push(SetParam(window.doc, "conv1", "out_channels", 6))
    window.doc.undo_stack.undo()  # and it stays editable like any other work
    assert window.doc.graph.nodes["conv1"].params["out_channels"] == 13
