"""The dashboard's views: feature maps on request, channel zoom, replay, curves of several
runs and their export, data choice and preview, stale payloads, edits during a run, the UI
latency measurement and the training screenshot."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from app.commands import SetParam
from app.core import presets
from app.core.probes import Snapshot
from tests.widgets.training_helpers import click, tiny_panel, wait_idle, wait_step
from widgets.main_window import freeze_startup_heap
from widgets.plots.confusion import ResultsView
from widgets.plots.feature_maps import FeatureMapsView
from widgets.plots.loss_plot import CurvesView
from widgets.plots.replay import LIVE
from widgets.plots.weights import WeightsView
from widgets.training_dock import attach_training, render_training_screenshot
from widgets.ui_latency import measure_ui_latency

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def trained(qtbot, window):
    """A panel after one finished 16-step run."""
    panel = tiny_panel(window, epochs=2)
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed", panel.last_error
    return panel


def test_attach_adds_the_tabs_once(window):
    panel = attach_training(window)
    assert attach_training(window) is panel
    titles = [window.bottom_tabs.tabText(i) for i in range(window.bottom_tabs.count())]
    assert titles[:3] == ["Training", "Dashboard", "Results"]  # curves, maps, weights: one tab
    assert window.bottom_tabs.currentWidget() is panel.controls
    menu = [a.text() for a in window.menuBar().actions()]
    assert "&Training" in menu


def test_canvas_request_shows_a_layer_live(qtbot, window):
    panel = tiny_panel(window, epochs=1000)
    window.featureMapsRequested.emit("pool1")  # what the canvas context menu sends
    assert window.bottom_tabs.currentWidget() is panel.tab(FeatureMapsView)
    assert "pool1" in panel.view(FeatureMapsView).layers()
    click(qtbot, panel.controls.train_button)
    window.featureMapsRequested.emit("conv3")
    qtbot.waitUntil(lambda: any("conv3" in s.feature_maps for s in panel.history.items),
                    timeout=10_000)
    panel.controller.stop(wait=True)
    assert not panel.view(FeatureMapsView).request_layer("no_such_layer")


def test_click_a_channel_to_enlarge_it(qtbot, trained):
    trained.controls.window().bottom_tabs.setCurrentWidget(trained.tab(FeatureMapsView))
    column = trained.view(FeatureMapsView).columns[1]
    qtbot.wait(50)
    _n, h, w = column.tiles.shape
    inside_tile_2 = column.image.mapToScene(QPointF(2 * (w + 1) + w / 2, h / 2))
    qtbot.mouseClick(column.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=column.view.mapFromScene(inside_tile_2))
    assert trained.view(FeatureMapsView).zoom_title.text() == f"Enlarged: {column.layer} #2"
    assert trained.view(FeatureMapsView).zoom_image.image.shape == (h, w)


def test_replay_scrubs_back_and_returns_to_live(trained):
    trained.controls.window().bottom_tabs.setCurrentWidget(trained.tab(FeatureMapsView))
    bar = trained.replay_bars[0]
    assert bar.slider.maximum() == len(trained.history) - 1
    bar.slider.setValue(0)
    assert trained.replay_index == 0 and not bar.live_button.isChecked()
    assert "step 0" in bar.label.text() and "step 0" in trained.replay_bars[1].label.text()
    first = trained.history[0].feature_maps["relu1"][0]
    shown = trained.view(FeatureMapsView).columns[0].image.image[:28, :28]
    assert np.allclose(shown, first)
    bar.live_button.click()
    assert trained.replay_index == LIVE
    assert f"step {trained.history[-1].step}" in bar.label.text()


def test_weights_tab_shows_histograms_over_time_and_filters(trained):
    trained.controls.window().bottom_tabs.setCurrentWidget(trained.tab(WeightsView))
    hist = trained.view(WeightsView).histograms
    assert hist.layer == "conv1"
    snapshots = len(trained.history)
    assert hist.weight_image.image.shape == (41, snapshots)
    hist.combo.setCurrentText("fc1")
    assert hist.weight_curve.yData.sum() == 1568 * 64
    assert trained.view(WeightsView).filters.title.text() == "Filters of conv1"
    assert trained.view(WeightsView).filters.image.image.shape == (11, 11)  # 8 tiles of 3x3 in a 3x3 grid


def test_results_show_confusion_and_misclassified(trained):
    results = trained.view(ResultsView)
    trained.controls.window().bottom_tabs.setCurrentWidget(trained.tab(ResultsView))
    matrix = results.confusion.matrix
    wrong = 64 - int(np.trace(matrix))
    assert results.gallery.list.count() == min(24, wrong)
    assert f"{wrong} of 64" in results.gallery.title.text()


def test_runs_overlay_and_export(qtbot, trained, tmp_path):
    click(qtbot, trained.controls.train_button)
    wait_idle(qtbot, trained)
    curves = trained.view(CurvesView)
    assert sorted(curves.runs) == [1, 2]
    legend = [label.text for _item, label in curves.loss_plot.legend.items]
    assert {"run 1 train", "run 2 train", "run 2 val"} <= set(legend)
    path = curves.export_csv(tmp_path / "curves.csv")
    rows = list(csv.DictReader(path.open()))
    assert {r["run"] for r in rows} == {"run 1", "run 2"}
    assert sum(r["kind"] == "epoch" for r in rows) == 4
    assert all(math.isfinite(float(r["loss"])) for r in rows if r["kind"] == "train")
    png = curves.export_png(tmp_path / "curves.png")
    assert not QImage(str(png)).isNull()
    curves.log_scale.setChecked(True)
    assert curves.loss_plot.ctrl.logYCheck.isChecked()
    curves.clear_old_runs()
    assert list(curves.runs) == [2]
    legend = [label.text for _item, label in curves.loss_plot.legend.items]
    assert "run 1 train" not in legend


def test_stale_payloads_are_dropped(qtbot, trained):
    panel, controller = trained, trained.controller
    before = (len(panel.history), panel.view(CurvesView).runs[1].steps.n)
    stale = {"run_id": controller.run_id - 1, "steps": np.array([99]), "loss": np.array([1.0]),
             "acc": np.array([0.5]), "lr": np.array([0.1])}
    controller._on_scalars(stale)
    controller._on_snapshot(Snapshot(controller.run_id + 5, 99, 1, {}, {}, {}, {}, None, "",
                                     0, np.zeros(2)))
    controller._on_failed({"run_id": 0, "status": "failed", "message": "old", "details": ""})
    panel.apply_pending()
    assert controller.dropped == 3
    assert (len(panel.history), panel.view(CurvesView).runs[1].steps.n) == before
    assert panel.last_error is None


def test_editing_during_a_run_shows_a_hint_and_keeps_the_frozen_copy(qtbot, window):
    panel = tiny_panel(window, epochs=1000)
    click(qtbot, panel.controls.train_button)
    wait_step(qtbot, panel, 1)
    window.doc.undo_stack.push(SetParam(window.doc, "fc1", "out_features", 32))
    assert panel.dashboard.changed_label.isVisible()  # Train showed the dashboard
    assert panel.controls.changed_label.isVisibleTo(panel.controls)
    wait_step(qtbot, panel, 10)
    worker = panel.controller.worker
    assert worker.request.graph.nodes["fc1"].params["out_features"] == 64
    assert worker.trainer.model.get_submodule("fc1").out_features == 64
    panel.controller.stop(wait=True)
    assert panel.last_error is None
    window.doc.undo_stack.undo()
    click(qtbot, panel.controls.train_button)
    assert not panel.controls.changed_label.isVisibleTo(panel.controls)
    assert not panel.dashboard.changed_label.isVisible()
    panel.controller.stop(wait=True)


def test_dataset_choice_and_preview(qtbot, window, tmp_path):
    panel = tiny_panel(window)
    controls = panel.controls
    controls.dataset_combo.setCurrentIndex(controls.dataset_combo.findData("xor"))
    assert window.doc.project.data.name == "xor"
    # The preview loads in a background thread and arrives as a queued signal.
    qtbot.waitUntil(lambda: "same sign" in controls.preview.note.text(), timeout=10_000)
    assert controls.preview.scatter.isVisible()
    controls.dataset_combo.setCurrentIndex(controls.dataset_combo.findData("mnist"))
    assert controls.data_dir_edit.isEnabled() and controls.download_check.isEnabled()
    controls.data_dir_edit.clear()
    qtbot.keyClicks(controls.data_dir_edit, str(tmp_path))
    qtbot.keyClick(controls.data_dir_edit, Qt.Key.Key_Return)
    assert window.doc.project.data.data_dir == str(tmp_path)
    click(qtbot, controls.preview_button)
    assert "Loading" in controls.preview.note.text()  # the GUI thread did not wait for it
    qtbot.waitUntil(lambda: "not found" in controls.preview.note.text(), timeout=10_000)
    controls.dataset_combo.setCurrentIndex(controls.dataset_combo.findData("folder:"))
    assert window.doc.project.data.name == f"folder:{tmp_path}"
    assert not controls.download_check.isEnabled()
    controls.augment_checks["rotation"].setChecked(True)
    assert window.doc.project.data.augment.rotation == 15.0
    cuda = controls.device_combo.model().item(controls.device_combo.findData("cuda"))
    assert cuda.isEnabled() == torch.cuda.is_available()


def test_ui_latency_is_measured_on_a_real_run(qtbot, window):
    project = presets.load_preset("shapes_cnn")
    project.data.n_train, project.data.n_val = 256, 64
    # Train shows the dashboard; its first run lays out and draws every plot for the first
    # time, a one-time cost that is not the latency of following a run: warm up first.
    measure_ui_latency(window, project, 0.3)
    # As the app and the bench do once the window is built: late in a long test session a full
    # garbage collection of the grown heap could stall the GUI for most of the second.
    freeze_startup_heap()
    result = measure_ui_latency(window, project, 1.0)
    assert result["train_steps"] > 0 and result["snapshots"] > 0 and result["ticks"] > 50
    assert 0 <= result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]
    assert not attach_training(window).controller.is_running


def test_training_screenshot(qtbot, window, tmp_path):
    window.resize(1280, 800)
    out = render_training_screenshot(window, "shapes", 12, tmp_path / "training.png",
                                     tab="Curves")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    assert window.training_panel.last_summary["steps"] == 12
