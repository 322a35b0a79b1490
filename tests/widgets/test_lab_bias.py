"""Bias and shortcuts, driven like a learner: open the tab from the Lab menu, set the mark
strength with the slider, train, and read the numbers, the group table and the saliency."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.core.bias import SALIENCY_IMAGES
from app.core.datasets import SHAPE_CLASSES
from tests.widgets.training_helpers import click, open_lab_view
from widgets.lab.bias import STATS_ROWS, BiasView
from widgets.training_dock import attach_training

pytestmark = pytest.mark.usefixtures("one_torch_thread")
EPOCHS = 6


def open_from_lab_menu(window) -> BiasView:
    panel = attach_training(window)
    open_lab_view(window, BiasView.TITLE)
    view = panel.view(BiasView)
    assert window.bottom_tabs.currentWidget() is panel.tab(BiasView)
    return view


def test_training_with_a_strong_mark_shows_the_shortcut(qtbot, window):
    view = open_from_lab_menu(window)
    view.strength_slider.setFocus()
    view.strength_slider.setValue(50)
    for _ in range(5):  # 50 % -> 100 % in page steps of 10, as the keyboard moves it
        qtbot.keyClick(view.strength_slider, Qt.Key.Key_PageUp)
    assert view.strength_slider.value() == 100 and view.strength_label.text() == "100 %"
    view.epochs_spin.setValue(EPOCHS)
    streamed = []
    view.job.partial.connect(streamed.append)

    click(qtbot, view.train_button)
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)

    result = view.result
    assert result.strength == 1.0 and result.train.agreement == 1.0
    assert [e["epoch"] for e in streamed] == list(range(1, EPOCHS + 1))  # live, every epoch
    x, y = view.epoch_curves["fair_acc"].getData()
    assert list(x) == list(range(1, EPOCHS + 1))
    assert y[-1] == pytest.approx(100 * result.fair.acc)
    row = {key: r for r, (_label, key) in enumerate(STATS_ROWS)}
    assert view.stats.item(row["acc"], 0).text() == f"{result.train.acc:.1%}"
    assert view.stats.item(row["acc"], 1).text() == f"{result.fair.acc:.1%}"
    # every training image's mark names its class, so the network learned the mark:
    assert result.train.acc - result.fair.acc > 0.3
    assert "learned the mark" in view.headline.text()
    for r, name in enumerate(SHAPE_CLASSES):
        assert view.groups.verticalHeaderItem(r).text() == name
        n = int(result.counts[r, 1])
        assert view.groups.item(r, 1).text() == f"{result.correct[r, 1] / n:.0%} of {n}"
    pictures = [view.pictures.itemAt(i).widget() for i in range(view.pictures.count())]
    assert sum(1 for w in pictures if isinstance(w, QLabel) and w.pixmap() is not None
               and not w.pixmap().isNull()) == SALIENCY_IMAGES
    assert f"{result.cue_saliency:.1f}×" in view.saliency_note.text()
    assert not view.job_row.isVisible()


def test_the_sweep_plots_fair_accuracy_against_strength(qtbot, window):
    view = open_from_lab_menu(window)
    view.epochs_spin.setValue(2)
    click(qtbot, view.sweep_button)
    assert view.plots.currentWidget() is view.sweep_plot
    qtbot.waitUntil(lambda: view.points is not None, timeout=90_000)
    x, y = view.sweep_curves["fair_acc"].getData()
    assert list(x) == pytest.approx([100 * p.strength for p in view.points])
    assert list(y) == pytest.approx([100 * p.fair_acc for p in view.points])
    assert "Fair-test accuracy from" in view.sweep_note.text()


def test_cancel_stops_training(qtbot, window):
    view = open_from_lab_menu(window)
    view.epochs_spin.setValue(200)
    streamed = []
    view.job.partial.connect(streamed.append)
    click(qtbot, view.train_button)
    qtbot.waitUntil(lambda: len(streamed) >= 1, timeout=30_000)
    click(qtbot, view.cancel_button)
    qtbot.waitUntil(lambda: not view.job.running, timeout=30_000)
    assert view.problem.text() == "Cancelled."
    assert view.result is None and len(streamed) < 200


def test_a_network_for_other_data_is_explained(qtbot, window):
    window.load_preset("mlp_playground")
    view = open_from_lab_menu(window)
    view.epochs_spin.setValue(1)
    click(qtbot, view.train_button)
    qtbot.waitUntil(lambda: not view.job.running, timeout=30_000)
    assert "does not fit" in view.problem.text()
    assert view.result is None
