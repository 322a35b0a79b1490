"""Freezing a layer, driven like a learner: click the padlock on the canvas or tick the
inspector's box; it is one undo step, survives copy/paste and save/reopen, and a real training
run leaves the frozen layer's weights exactly where they started."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from app.core.datasets import load
from app.core.experiment import prepare_model
from app.core.weights import state_of
from tests.widgets.training_helpers import click, tiny_panel, wait_idle
from widgets.canvas.node_item import PADLOCK

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def click_padlock(window, node_id: str) -> None:
    padlock = window.scene.nodes[node_id].padlock
    window.view.centerOn(padlock)
    centre = padlock.mapToScene(QPointF(PADLOCK / 2, PADLOCK / 2))
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, window.view.mapFromScene(centre))


def test_the_padlock_freezes_a_layer_in_one_undo_step(window, gestures):
    doc, scene = window.doc, window.scene
    item = scene.nodes["conv1"]
    assert item.padlock.isVisible() and not item.frozen
    assert not scene.nodes["relu1"].padlock.isVisible()  # no weights, nothing to freeze
    assert "Click to freeze" in item.padlock.toolTip()
    pos = doc.graph.nodes["conv1"].pos

    click_padlock(window, "conv1")
    assert doc.graph.nodes["conv1"].frozen and item.frozen
    assert doc.undo_stack.text(doc.undo_stack.index() - 1) == "Freeze conv1"
    assert doc.dirty and doc.graph.nodes["conv1"].pos == pos  # a click, not a move
    assert "Click to unfreeze" in item.padlock.toolTip()
    assert "frozen" in item.toolTip()

    gestures.undo()
    assert not doc.graph.nodes["conv1"].frozen and not item.frozen
    gestures.redo()
    assert doc.graph.nodes["conv1"].frozen and item.frozen
    click_padlock(window, "conv1")
    assert not doc.graph.nodes["conv1"].frozen
    assert doc.undo_stack.text(doc.undo_stack.index() - 1) == "Unfreeze conv1"


def test_the_inspector_box_mirrors_and_sets_the_frozen_flag(qtbot, window, gestures):
    doc = window.doc
    panel = window.inspector.layer
    gestures.click("relu1")
    assert not panel.frozen.isEnabled()  # a ReLU has no weights to keep
    gestures.click("fc1")
    assert panel.frozen.isEnabled() and not panel.frozen.isChecked()
    qtbot.mouseClick(panel.frozen, Qt.MouseButton.LeftButton)
    assert doc.graph.nodes["fc1"].frozen and window.scene.nodes["fc1"].frozen
    gestures.undo()
    assert not panel.frozen.isChecked() and not window.scene.nodes["fc1"].frozen
    click_padlock(window, "fc1")  # the canvas and the inspector show the same document
    assert panel.frozen.isChecked()


def test_frozen_layers_survive_duplicate_save_and_reopen(window, gestures, tmp_path):
    doc = window.doc
    click_padlock(window, "conv2")
    window.scene.select_nodes(["conv2"])
    window.scene.duplicate_selection()
    assert doc.graph.nodes["conv2_copy"].frozen
    assert window.scene.nodes["conv2_copy"].frozen
    gestures.undo()
    assert "conv2_copy" not in doc.graph.nodes and doc.graph.nodes["conv2"].frozen

    path = tmp_path / "frozen.json"
    doc.save(path)
    window.load_preset("")
    doc.open(path)
    assert [n.id for n in doc.graph.nodes.values() if n.frozen] == ["conv2"]
    assert window.scene.nodes["conv2"].frozen
    assert not window.scene.nodes["conv1"].frozen


def test_a_training_run_leaves_a_frozen_layer_exactly_as_it_started(qtbot, window):
    panel = tiny_panel(window, epochs=2)
    click_padlock(window, "conv1")
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    trained = window.doc.trained.state
    shapes = load("shapes", n_train=8, n_val=8)  # only its shape and classes matter here
    start = state_of(prepare_model(window.doc.graph, shapes, window.doc.project.training.seed))
    assert torch.equal(trained["conv1.weight"], start["conv1.weight"])
    assert torch.equal(trained["conv1.bias"], start["conv1.bias"])
    assert not torch.equal(trained["conv2.weight"], start["conv2.weight"])

