"""The Saliency lab view on a real run: it asks for training first, then explains a validation
image (three overlays, class probabilities), redraws for another class and image, and
classifies what the learner draws on the pad with the mouse."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle
from widgets.lab.saliency import SaliencyView

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _drag(pad, button, points: list[tuple[int, int]]) -> None:
    """Press at the first point, move through the others, release at the last."""
    QTest.mousePress(pad, button, Qt.KeyboardModifier.NoModifier, QPoint(*points[0]))
    for point in points[1:]:
        QTest.mouseMove(pad, QPoint(*point))
    QTest.mouseRelease(pad, button, Qt.KeyboardModifier.NoModifier, QPoint(*points[-1]))


def test_maps_follow_image_and_class_and_the_pad_classifies_a_drawing(qtbot, window):
    panel = tiny_panel(window)
    view = panel.view(SaliencyView)
    open_lab_view(window, "Saliency")
    assert window.bottom_tabs.currentWidget() is view
    qtbot.waitUntil(lambda: "train the network first" in view.problem.text(), timeout=5_000)
    click(qtbot, view.lang_button)
    assert "Zeichnen Sie auf der Fläche" in view.explanation.text()
    click(qtbot, view.lang_button)

    # Training ends -> the view loads the weights and explains image 1 by itself.
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    qtbot.waitUntil(lambda: view.result is not None and view.pad_result is not None,
                    timeout=60_000)
    setup, first = view.setup, view.result
    assert view.problem.text() == ""
    assert view.layer_combo.currentText() == "relu3"  # the last conv stage of shapes_cnn
    assert first.target == int(first.probs.argmax())  # "predicted class" by default
    for picture in view.pictures[1:]:
        assert picture.overlay.image.shape == (28, 28, 4)
    assert first.cam.shape == (28, 28) and first.cam.min() >= 0
    assert np.allclose(view.image_bars.probs, first.probs)

    # Another class: every overlay is recomputed for it.
    other = (first.target + 1) % len(setup.classes)
    before = view.pictures[3].overlay.image.copy()
    view.class_combo.setCurrentIndex(other + 1)
    qtbot.waitUntil(lambda: view.result.target == other, timeout=10_000)
    assert setup.classes[other] in view.image_note.text()
    assert not np.array_equal(view.pictures[3].overlay.image, before)
    assert not np.array_equal(view.result.gradient, first.gradient)
    # Another image: new probabilities, and the maps are for that image.
    view.image_spin.setValue(2)
    qtbot.waitUntil(lambda: view.result is not first and not np.array_equal(
        view.result.probs, first.probs), timeout=10_000)

    # Draw a diagonal stroke with the mouse: the pad's ink lies on it and the prediction updates.
    pad = view.pad
    assert pad.is_empty()
    empty_probs = view.pad_result.probs.copy()
    assert "(empty pad)" in view.pad_prediction.text()
    _drag(pad, Qt.MouseButton.LeftButton, [(30, 30), (50, 50), (70, 70), (90, 90), (110, 110),
                                           (135, 135)])
    cover = pad.coverage()
    diagonal = [cover[i, i] for i in range(6, 22)]
    assert min(diagonal) > 0.5
    assert cover[2:6, 20:26].max() == 0 and cover[20:26, 2:6].max() == 0  # off the stroke
    qtbot.waitUntil(lambda: "(empty pad)" not in view.pad_prediction.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not view._pad_dirty and not view.pad_job.running, timeout=10_000)
    assert not np.allclose(view.pad_result.probs, empty_probs)
    assert np.allclose(view.pad_bars.probs, view.pad_result.probs)
    assert abs(view.pad_result.probs.sum() - 1) < 1e-5
    for column, layer in zip(view.columns, setup.probe_layers, strict=True):
        assert column.image.image is not None and layer in column.title.text()

    # The right button erases; Clear wipes the pad and the empty pad is classified again.
    _drag(pad, Qt.MouseButton.RightButton, [(82, 82), (86, 86)])
    assert pad.coverage()[13, 13] == 0 and pad.coverage()[8, 8] > 0.5
    click(qtbot, view.clear_button)
    assert pad.is_empty()
    qtbot.waitUntil(lambda: "(empty pad)" in view.pad_prediction.text(), timeout=10_000)
    assert np.allclose(view.pad_result.probs, empty_probs, atol=1e-6)
