"""The overfitting twins, driven like a learner: open the tab from the Lab menu, pick a small
subset and a few epochs, run, and read both twins' curves and final numbers."""

from __future__ import annotations

import pytest

from app.core.twin_run import TWINS
from tests.widgets.training_helpers import click, open_lab_view
from widgets.lab.overfitting import ROWS, OverfittingView
from widgets.training_dock import attach_training

pytestmark = pytest.mark.usefixtures("one_torch_thread")
EPOCHS = 4


def open_from_lab_menu(window) -> OverfittingView:
    panel = attach_training(window)
    open_lab_view(window, OverfittingView.TITLE)
    view = panel.view(OverfittingView)
    assert window.bottom_tabs.currentWidget() is panel.tab(OverfittingView)
    return view


def test_twins_run_from_the_lab_menu(qtbot, window):
    window.doc.set_settings("data", {"name": "shapes", "n_val": 200})
    view = open_from_lab_menu(window)
    view.subset_slider.setValue(32)
    view.epochs_spin.setValue(EPOCHS)
    streamed = []
    view.job.partial.connect(streamed.append)

    click(qtbot, view.run_button)
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)

    assert view.result.n_train == 32
    assert len(streamed) == 2 * EPOCHS  # every epoch of both twins arrived live
    for twin in TWINS:
        for metric in ("train_loss", "val_loss"):
            x, y = view.curves[twin, metric].getData()
            assert list(x) == list(range(1, EPOCHS + 1))
            assert list(y) == pytest.approx(view.result.histories[twin].metrics[metric])
    gaps = [item for item in view.plot.getPlotItem().items
            if type(item).__name__ == "FillBetweenItem"]
    assert len(gaps) == len(TWINS)
    for column, twin in enumerate(TWINS):
        final = view.result.histories[twin].final()
        row = {key: r for r, (_label, key) in enumerate(ROWS)}
        assert view.table.item(row["val_loss"], column).text() == f"{final['val_loss']:.3f}"
        assert view.table.item(row["epochs"], column).text() == str(EPOCHS)
    assert "Plain twin on 32 samples" in view.summary.text()
    assert not view.job_row.isVisible()


def test_a_network_that_does_not_fit_the_data_is_explained(qtbot, window):
    window.doc.set_settings("data", {"name": "xor"})
    view = open_from_lab_menu(window)
    view.epochs_spin.setValue(1)
    click(qtbot, view.run_button)
    qtbot.waitUntil(lambda: not view.job.running, timeout=30_000)
    assert "does not fit the dataset 'xor'" in view.problem.text()
    assert view.result is None


def test_cancel_stops_the_twins(qtbot, window):
    window.doc.set_settings("data", {"name": "shapes", "n_val": 200})
    view = open_from_lab_menu(window)
    view.epochs_spin.setValue(200)
    streamed = []
    view.job.partial.connect(streamed.append)
    click(qtbot, view.run_button)
    qtbot.waitUntil(lambda: len(streamed) >= 1, timeout=30_000)
    click(qtbot, view.cancel_button)
    qtbot.waitUntil(lambda: not view.job.running, timeout=30_000)
    assert view.problem.text() == "Cancelled."
    assert view.result is None
    assert len(streamed) < 2 * 200
