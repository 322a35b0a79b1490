"""The Channels lab view on a real run: opened from the Lab menu, Compute draws a synthesised
input and the top dataset images for each channel of the low, mid and high layer; Cancel stops
it; without trained weights it says to train first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from app.commands import SetParam
from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle
from widgets.lab.channels import TOP_K, ChannelsView

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _pictures(widget) -> list[QLabel]:
    return [label for label in widget.findChildren(QLabel)
            if label.pixmap() is not None and not label.pixmap().isNull()]


def test_compute_draws_each_layer_and_cancel_stops(qtbot, window):
    panel = tiny_panel(window)
    view = panel.view(ChannelsView)
    open_lab_view(window, "Channels")
    assert window.bottom_tabs.currentWidget() is view
    click(qtbot, view.compute_button)
    assert "train the network first" in view.problem.text()

    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert window.doc.trained is not None
    view.steps_spin.setValue(60)
    click(qtbot, view.compute_button)
    qtbot.waitUntil(lambda: view.results is not None, timeout=60_000)
    assert view.problem.text() == ""
    channels = view.channels_spin.value()
    for row, (layer, role) in enumerate(zip(view.results, ("low", "mid", "high"), strict=True)):
        name = view.grid.itemAtPosition(row, 0).widget()
        assert role in name.text() and layer.layer in name.text()
        for col in range(channels):
            cell = view.grid.itemAtPosition(row, col + 1).widget()
            assert len(_pictures(cell)) == 1 + TOP_K  # synthesised input + top images
    assert view.grid.itemAtPosition(0, channels + 1) is None

    view.steps_spin.setValue(view.steps_spin.maximum())
    click(qtbot, view.compute_button)
    click(qtbot, view.cancel_button)
    qtbot.waitUntil(lambda: view.problem.text() == "Cancelled.", timeout=10_000)
    assert not view.job_row.isVisible()

    window.doc.undo_stack.push(SetParam(window.doc, "conv1", "out_channels", 6))
    click(qtbot, view.compute_button)
    assert "network changed since the last run" in view.problem.text()
    assert not view.job.running
