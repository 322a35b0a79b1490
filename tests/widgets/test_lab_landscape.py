"""The Loss landscape tab on a real run: the surface around the trained weights, the run's
recorded path on it, and the optimizer race with its learning-rate slider."""

from __future__ import annotations

import numpy as np
import pytest

from app.core import presets
from app.core.landscape import GRID
from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle
from widgets.lab.landscape import LandscapeView, tick_of_lr
from widgets.plots.replay import LIVE

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def path_of(item) -> np.ndarray:
    x, y = item.getData()
    return np.column_stack([x, y]) if x is not None else np.zeros((0, 2))


def test_surface_path_and_race_of_a_real_run(qtbot, window):
    window.doc.load(presets.load_preset("mlp_playground"))
    panel = tiny_panel(window, epochs=3, dataset="xor")
    view = panel.view(LandscapeView)
    open_lab_view(window, "Loss landscape")
    assert window.bottom_tabs.currentWidget() is panel.tab(LandscapeView)
    click(qtbot, view.compute_button)
    assert "Train the network first" in view.problem.text()
    assert not view.race_button.isEnabled()

    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed"
    # The run ended with the tab showing: the surface is computed on its own.
    qtbot.waitUntil(lambda: view.surface is not None and not view.job.running, timeout=20_000)
    surface = view.surface
    assert view.method == surface.method == "pca", view.info.text()  # default after a run
    assert "PC1" in view.plot.getAxis("bottom").labelText
    image = view.image.image
    assert image.shape == (GRID, GRID) and np.isfinite(image).all()
    centre = GRID // 2
    assert image[centre, centre] == pytest.approx(np.log10(surface.loss_here), abs=1e-5)
    assert image.max() > image[centre, centre]  # the trained weights are not the highest point

    path = path_of(view.run_path)
    assert len(path) == len(panel.history) >= 3  # one point per snapshot
    np.testing.assert_allclose(path[-1], [0, 0], atol=1e-6)  # the run ends at the centre...
    np.testing.assert_allclose(path[0], surface.start, atol=1e-5)  # ...and began at its start
    assert np.abs(path[0]).max() > 0.01
    panel.set_replay_index(1)  # replaying: the path so far, on the same surface
    np.testing.assert_allclose(path_of(view.run_path), path[:2], atol=1e-9)
    panel.set_replay_index(LIVE)
    assert len(path_of(view.run_path)) == len(path)
    assert view.race_button.isEnabled()

    view.lr_slider.setValue(tick_of_lr(0.01))
    click(qtbot, view.race_button)
    qtbot.waitUntil(lambda: len(view.lanes) == 3 and not view.job.running, timeout=20_000)
    paths = {name: path_of(item) for name, item in view.race_paths.items()}
    assert set(paths) == {"SGD", "SGD + momentum", "Adam"}
    for name, race_path in paths.items():
        assert len(race_path) > 10, name
        np.testing.assert_allclose(race_path[0], surface.start, atol=1e-5)  # the same start
    assert not np.allclose(paths["SGD"][-1], paths["Adam"][-1])
    calm = view.lanes["SGD"].losses
    assert calm[-1] <= calm[0]
    assert "Race at learning rate 0.01" in view.race_info.text()

    # A learning rate far too large: moving the slider re-runs the race, and SGD blows up.
    old = view.lanes
    view.lr_slider.setValue(view.lr_slider.maximum())
    assert view.race_lr == pytest.approx(10.0)
    qtbot.waitUntil(lambda: view.lanes is not old and not view.job.running, timeout=20_000)
    wild = view.lanes["SGD"]
    assert wild.diverged or wild.losses[-1] > 5 * wild.losses[0]
    assert "Race at learning rate 10" in view.race_info.text()
    assert len(path_of(view.race_curves["SGD"])) == len(wild.losses)


def test_a_changed_network_asks_for_a_new_run(qtbot, window):
    window.doc.load(presets.load_preset("mlp_playground"))
    panel = tiny_panel(window, epochs=1, dataset="xor")
    view = panel.view(LandscapeView)
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    graph = window.doc.graph.copy()
    hidden = next(n for n in graph.nodes.values() if n.type == "Linear")
    graph.nodes[hidden.id].params["out_features"] = 5
    window.doc.replace_graph(graph)
    open_lab_view(window, "Loss landscape")
    click(qtbot, view.compute_button)
    assert "train again" in view.problem.text()
    assert view.surface is None and not view.job.running


def test_choosing_directions_redraws_the_surface(qtbot, window):
    """PCA and random cuts through the same trained weights: each choice recomputes the
    surface, whose centre is the current loss, and the path ends at the trained weights."""
    window.doc.load(presets.load_preset("mlp_playground"))
    panel = tiny_panel(window, epochs=3, dataset="xor")
    view = panel.view(LandscapeView)
    open_lab_view(window, "Loss landscape")
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    qtbot.waitUntil(lambda: view.surface is not None and not view.job.running, timeout=20_000)
    pca = view.surface
    assert pca.method == "pca" and pca.pca.explained.sum() > 0.5
    assert "of its spread lies in this plane" in view.info.text()

    for key, word in (("random", "random direction 1"), ("pca", "PC1")):
        before = view.surface
        view.directions_combo.setCurrentIndex(view.directions_combo.findData(key))
        qtbot.waitUntil(lambda before=before: view.surface is not None
                        and view.surface is not before and not view.job.running,
                        timeout=20_000)
        surface = view.surface
        assert surface.method == key
        assert word in view.plot.getAxis("bottom").labelText
        image = view.image.image
        assert image.shape == (GRID, GRID) and np.isfinite(image).all()
        assert image[GRID // 2, GRID // 2] == pytest.approx(np.log10(surface.loss_here),
                                                            abs=1e-5)
        path = path_of(view.run_path)
        assert len(path) == len(panel.history)
        np.testing.assert_allclose(path[-1], [0, 0], atol=1e-6)
        np.testing.assert_allclose(path[0], surface.start, atol=1e-4)
    # Random directions are scaled to the weights; PCA axes are unit vectors along the path.
    assert not np.allclose(view.surface.alphas, before.alphas)
