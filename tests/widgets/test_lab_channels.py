"""The Channels lab view on a real run: opened from the Lab menu, Compute draws a synthesised
input and the top dataset images (patches) for each channel of the low, mid and high layer, cut
to the centre unit's receptive field, which grows with depth; the objective control switches to
the whole channel's mean; Cancel stops it; without trained weights it says to train first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.commands import SetParam
from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle
from widgets.lab.channels import TOP_K, ChannelsView

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _pictures(widget) -> list[QLabel]:
    return [label for label in widget.findChildren(QLabel)
            if label.pixmap() is not None and not label.pixmap().isNull()]


def _captions(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.text()]


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
    assert view.objective == "centre"  # one position is the default
    fields = ("3×3", "8×8", "18×18")  # the shapes CNN's receptive fields grow with depth
    for row, (layer, role, field) in enumerate(zip(view.results, ("low", "mid", "high"),
                                                   fields, strict=True)):
        name = view.grid.itemAtPosition(row, 0).widget()
        assert role in name.text() and layer.layer in name.text()
        assert f"sees {field} px" in name.text()
        assert layer.images.shape[-1] == int(field.split("×")[0])
        for col in range(channels):
            cell = view.grid.itemAtPosition(row, col + 1).widget()
            assert len(_pictures(cell)) == 1 + TOP_K  # synthesised input + top patches
            text = " ".join(_captions(cell))
            assert f"ch {col} · " in text and ("× avg" in text or "data 0" in text)
            assert "centre unit" in cell.toolTip()
    assert view.grid.itemAtPosition(0, channels + 1) is None
    assert "centre unit" in view.status.text()

    qtbot.keyClick(view.objective_combo, Qt.Key.Key_Down)  # the whole channel's mean
    assert view.objective == "mean"
    assert "new objective" in view.status.text()
    click(qtbot, view.compute_button)
    qtbot.waitUntil(lambda: view.results is not None and view.results[0].objective == "mean",
                    timeout=60_000)
    assert all(p.images.shape[-2:] == (28, 28) for p in view.results)  # whole pictures
    name = view.grid.itemAtPosition(0, 0).widget()
    assert "sees" not in name.text()
    cell = view.grid.itemAtPosition(0, 1).widget()
    assert len(_pictures(cell)) == 1 + TOP_K
    assert "× mean" in " ".join(_captions(cell)) or "data 0" in " ".join(_captions(cell))
    assert "channel mean" in view.status.text()

    view.steps_spin.setValue(view.steps_spin.maximum())
    click(qtbot, view.compute_button)
    click(qtbot, view.cancel_button)
    qtbot.waitUntil(lambda: view.problem.text() == "Cancelled.", timeout=10_000)
    assert not view.job_row.isVisible()

    window.doc.undo_stack.push(SetParam(window.doc, "conv1", "out_channels", 6))
    click(qtbot, view.compute_button)
    assert "network changed since the last run" in view.problem.text()
    assert not view.job.running
