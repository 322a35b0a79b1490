"""The Playground tab on a real run: boundary and neuron tiles follow the snapshots, and its
data controls are undoable run settings."""

import numpy as np

from app.core import presets
from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle
from widgets.lab.playground import PlaygroundView
from widgets.plots.replay import LIVE
from widgets.training_dock import attach_training


def test_boundary_and_neurons_follow_a_run_and_the_controls_edit_the_document(qtbot, window):
    window.doc.load(presets.load_preset("mlp_playground"))
    panel = tiny_panel(window, epochs=3, dataset="xor")
    view = panel.view(PlaygroundView)
    open_lab_view(window, "Playground")
    assert window.bottom_tabs.currentWidget() is panel.tab(PlaygroundView)
    assert view.train_points.data.size == 256 and view.val_points.data.size == 64

    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed"
    assert len(panel.history) >= 3
    last = view.heatmap.image.copy()
    assert last.shape == (60, 60) and last.min() >= 0.0 and last.max() <= 1.0
    assert len(view.tiles) == 16  # two hidden layers of 8 neurons
    last_tile = view.tiles[0].image.copy()
    panel.set_replay_index(0)  # the untrained network
    assert not np.allclose(view.heatmap.image, last)
    assert not np.allclose(view.tiles[0].image, last_tile)
    panel.set_replay_index(LIVE)
    np.testing.assert_array_equal(view.heatmap.image, last)

    click(qtbot, view.discrete_check)
    assert set(np.unique(view.heatmap.image)) <= {0.0, 1.0}
    np.testing.assert_array_equal(view.heatmap.image, (last > 0.5).astype(np.float32))

    doc = window.doc
    steps = doc.undo_stack.count()
    before = view.train_points.data["x"].copy()
    view.noise_spin.setValue(0.3)
    assert doc.project.data.noise == 0.3
    assert doc.undo_stack.count() == steps + 1
    assert not np.allclose(view.train_points.data["x"], before)  # the noisier points
    doc.undo_stack.undo()
    assert doc.project.data.noise is None and view.noise_spin.value() == 0.05

    click(qtbot, view.resample_button)
    assert doc.project.data.sample == 1 and doc.undo_stack.count() == steps + 1
    view.val_spin.setValue(50)
    assert doc.project.data.val_fraction == 0.5
    assert view.val_points.data.size == view.train_points.data.size == 160


def test_a_network_that_is_not_2d_gets_a_note_instead_of_a_boundary(qtbot, window):
    panel = attach_training(window)  # the default preset: a CNN on shapes
    view = panel.view(PlaygroundView)
    open_lab_view(window, "Playground")
    assert "2-D dataset" in view.problem.text()
    assert view.run_options() == {}
    assert not view.resample_button.isEnabled()
    window.doc.load(presets.load_preset("mlp_playground"))
    window.doc.set_settings("data", {"name": "xor"})
    assert view.problem.text() == "" and view.resample_button.isEnabled()
