"""The Playground tab on a real run: boundary and neuron tiles follow the snapshots, and its
data controls are undoable run settings."""

import numpy as np
from PySide6.QtCore import Qt

from app.commands import SetParam
from app.core import presets
from app.core.catalog import PlaneFeatures
from app.core.experiment import load_data
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
    # Each column is titled with its own layer, each tile with its neuron's index.
    assert view.tile_titles == ["act1 · Tanh: 8 neurons", "act2 · Tanh: 8 neurons"]
    assert view.tile_names == [f"#{i}" for i in range(8)] * 2
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


def preview_points(preview) -> tuple[np.ndarray, np.ndarray]:
    def xy(item):
        return np.column_stack([item.data["x"], item.data["y"]])
    return xy(preview.scatter), xy(preview.val_scatter)


def test_training_tab_preview_shows_the_points_the_playground_settings_give(qtbot, window):
    """The Training tab's preview of a 2-D set is the run's own data (the trainer's
    `load_data` with the document's noise, validation share and seed): changing the noise or
    the validation share in the Playground changes it."""
    window.doc.load(presets.load_preset("mlp_playground"))
    panel = tiny_panel(window, epochs=1, dataset="xor")
    controls, doc = panel.controls, window.doc
    view = panel.view(PlaygroundView)
    open_lab_view(window, "Playground")

    def run_data():
        data = load_data(doc.project.data, doc.project.training.seed)
        return data.x_train.numpy(), data.x_val.numpy()

    def preview_is(expected) -> bool:
        train, val = preview_points(controls.preview)
        return train.shape == expected[0].shape and val.shape == expected[1].shape \
            and np.array_equal(train, expected[0]) and np.array_equal(val, expected[1])

    qtbot.waitUntil(lambda: preview_is(run_data()), timeout=10_000)
    before = preview_points(controls.preview)[0]
    assert len(before) == 256 and "256 training (●), 64 validation (■)" in \
        controls.preview.note.text()

    qtbot.keyClick(view.noise_spin, Qt.Key.Key_Up)  # noise 0.05 -> 0.10
    assert doc.project.data.noise == 0.1
    qtbot.waitUntil(lambda: preview_is(run_data()), timeout=10_000)
    noisier = preview_points(controls.preview)[0]
    assert not np.allclose(noisier, before)
    assert np.abs(noisier).max() > np.abs(before).max()  # the same draw, spread wider

    view.val_spin.setValue(50)
    qtbot.waitUntil(lambda: len(preview_points(controls.preview)[1]) == 160, timeout=10_000)
    assert preview_is(run_data())
    assert "160 training (●), 160 validation (■)" in controls.preview.note.text()


def test_engineered_input_features_get_their_own_titled_column(qtbot, window):
    window.doc.load(presets.load_preset("mlp_playground"))
    window.doc.undo_stack.push(SetParam(window.doc, "inp", "features", True))
    panel = tiny_panel(window, epochs=1, dataset="circle")
    view = panel.view(PlaygroundView)
    open_lab_view(window, "Playground")
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert view.tile_titles == ["inp: input features", "act1 · Tanh: 8 neurons",
                                "act2 · Tanh: 8 neurons"]
    assert view.tile_names[:7] == list(PlaneFeatures.NAMES)
    assert view.tile_names[7:] == [f"#{i}" for i in range(8)] * 2
