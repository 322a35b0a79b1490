"""Trained weights kept with the project: keeping them is one undo step, saving writes a
safetensors file beside the project, reopening restores them (or says why not) and the model
summary tells which run they come from."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from app.commands import KeepTrained, SetParam
from app.core import weights
from app.core.builder import build
from app.core.probes import snapshot_of
from app.core.weights import RunInfo, Trained
from tests.widgets.training_helpers import click, tiny_panel, wait_idle
from widgets.main_window import MainWindow


def _keep(window, run: int = 4, val_acc: float | None = 0.875) -> Trained:
    """Keep freshly initialised weights of the window's network as if run `run` made them."""
    doc = window.doc
    trained = Trained(weights.state_of(build(doc.graph, seed=run)),
                      RunInfo(run, val_acc, 3, 48, doc.project.data.name),
                      weights.graph_fingerprint(doc.graph))
    doc.undo_stack.push(KeepTrained(doc, trained))
    return trained


def _summary(window) -> str:
    window.inspector.setCurrentWidget(window.inspector.summary)
    return window.inspector.summary.trained.text()


def _save(window, monkeypatch, path) -> None:
    monkeypatch.setattr(window, "ask_save_path", lambda: str(path))
    assert window.save_as()


def _reopen(qtbot, path) -> MainWindow:
    again = MainWindow(path, recover=False)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    return again


def test_keep_is_one_undo_step_and_shows_in_the_summary(window):
    assert _summary(window).startswith("No trained weights yet")
    assert not window.doc.dirty
    _keep(window, run=4, val_acc=0.875)
    assert window.doc.dirty and window.doc.undo_stack.undoText() == "Keep weights of run 4"
    assert _summary(window) == (f"Trained weights: run 4, accuracy {87.5:.1f} % "
                                f"({window.doc.project.data.name}, 3 epochs)")
    window.doc.undo_stack.undo()
    assert window.doc.trained is None and not window.doc.dirty
    assert _summary(window).startswith("No trained weights yet")


def test_editing_the_network_marks_the_weights_as_not_matching(window):
    _keep(window, run=2)
    doc = window.doc
    conv = next(n.id for n in doc.graph.nodes.values() if n.type == "Conv2d")
    doc.undo_stack.push(SetParam(doc, conv, "out_channels", 3))
    assert not doc.trained_matches()
    assert _summary(window).startswith("Trained weights of run 2 do not match the edited network")
    doc.undo_stack.undo()
    assert doc.trained_matches() and _summary(window).startswith("Trained weights: run 2")


def test_save_and_reopen_restores_identical_weights(qtbot, window, monkeypatch, tmp_path):
    kept = _keep(window, run=5, val_acc=None)
    path = tmp_path / "net.json"
    _save(window, monkeypatch, path)
    file = tmp_path / "net.weights.safetensors"
    assert file.is_file() and not window.doc.dirty
    assert "trained weights of run 5" in window.statusBar().currentMessage()
    ref = json.loads(path.read_text())["weights"]
    assert ref["file"] == file.name and ref["run"] == 5 and ref["val_acc"] is None
    again = _reopen(qtbot, path)
    assert again.doc.load_warning == "" and again.doc.trained_matches()
    for key, tensor in kept.state.items():
        assert torch.equal(again.doc.trained.state[key], tensor)
    assert _summary(again).startswith("Trained weights: run 5, accuracy not measured")
    again.load_preset("")  # a new project drops them
    assert again.doc.trained is None


def test_without_weights_no_file_is_written_and_the_reference_goes(window, monkeypatch,
                                                                   tmp_path):
    _keep(window)
    path = tmp_path / "net.json"
    _save(window, monkeypatch, path)
    (tmp_path / "net.weights.safetensors").unlink()
    window.doc.undo_stack.undo()  # drop the weights again
    _save(window, monkeypatch, path)
    assert "weights" not in json.loads(path.read_text())
    assert not (tmp_path / "net.weights.safetensors").exists()


@pytest.mark.parametrize(("damage", "words"), [
    (lambda file, _path: file.unlink(), "is missing"),
    (lambda file, _path: file.write_bytes(b"\x80\x04not safetensors"),
     "not a readable safetensors file"),
    (lambda _file, path: path.write_text(path.read_text().replace(
        '"out_channels": 8', '"out_channels": 9', 1)), "the network changed since run 4"),
], ids=["missing", "not-safetensors", "network-changed"])
def test_bad_weights_open_the_project_without_them(qtbot, window, monkeypatch, tmp_path,
                                                   damage, words):
    _keep(window, run=4)
    path = tmp_path / "net.json"
    _save(window, monkeypatch, path)
    damage(tmp_path / "net.weights.safetensors", path)
    assert window.open_path(path)
    assert window.doc.path == path and window.doc.trained is None
    assert words in window.doc.load_warning
    message = window.statusBar().currentMessage()
    assert "Opened without the trained weights" in message and words in message
    assert _summary(window).startswith("No trained weights yet")


@pytest.mark.usefixtures("one_torch_thread")
def test_trained_run_survives_save_and_reopen(qtbot, window, monkeypatch, tmp_path):
    panel = tiny_panel(window, epochs=1)
    controller = panel.controller
    probes, snapshots = [], []
    controller.dataReady.connect(lambda payload: probes.append(payload["probe_x"]))
    controller.snapshot.connect(snapshots.append)
    with qtbot.waitSignal(controller.finished, timeout=30_000) as finished:
        click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    payload = finished.args[0]
    assert payload["status"] == "completed"
    # Wiring `finished` into the document is the training panel's job; here the test keeps them.
    window.doc.undo_stack.push(KeepTrained(window.doc, Trained.from_payload(payload)))
    path = tmp_path / "trained.json"
    _save(window, monkeypatch, path)

    again = _reopen(qtbot, path)
    acc = f"{payload['val_acc'] * 100:.1f} %"
    assert _summary(again).startswith(
        f"Trained weights: run {payload['run_id']}, accuracy {acc} ({payload['dataset']}, 1 epoch)")
    final = snapshots[-1]  # measured in the worker on the trained model itself
    assert final.step == payload["steps"]
    restored = weights.model_with_weights(again.doc.graph, again.doc.trained)
    shown = snapshot_of(restored, list(final.feature_maps), torch.from_numpy(probes[0]),
                        probe_index=final.probe_index)
    assert list(shown.feature_maps) == list(final.feature_maps)
    for layer, maps in final.feature_maps.items():
        assert np.allclose(shown.feature_maps[layer], maps, atol=1e-5)
        assert shown.scales[layer] == pytest.approx(final.scales[layer], rel=1e-5)
