"""The Augmentation lab, driven like a learner would: open it from the Lab menu, move sliders,
re-sample, tick "use in training" (one undo step, mirrored by the Training tab)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle
from widgets.lab.augmentation import N_VERSIONS, AugmentationView

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def wait_training_preview(qtbot, window, shows: str) -> None:
    """The Training tab previews every chosen built-in dataset in the background; let it land
    before the test ends (a late preview into a closed window is an error in a later test)."""
    note = window.training_panel.controls.preview.note
    qtbot.waitUntil(lambda: shows in note.text(), timeout=15_000)


def open_from_lab_menu(qtbot, window) -> AugmentationView:
    panel = tiny_panel(window)
    wait_training_preview(qtbot, window, "8 classes")
    open_lab_view(window, "Augmentation")
    view = panel.view(AugmentationView)
    assert window.bottom_tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.images is not None, timeout=15_000)
    return view


def pixmap_keys(row) -> list[int]:
    return [tile.pixmap().cacheKey() for tile in row.tiles[1:]]


def test_sliders_and_resample_redraw_the_pictures(qtbot, window):
    view = open_from_lab_menu(qtbot, window)
    assert "shapes" in view.source.text() and view.sample_combo.count() == 16
    rotation = view.rows["rotation"]
    original = view.sample()
    assert rotation.shown.shape == (N_VERSIONS, *original.shape)
    before, keys = rotation.shown.copy(), pixmap_keys(rotation)
    rotation.slider.setFocus()
    qtbot.keyClick(rotation.slider, Qt.Key.Key_PageUp)
    assert rotation.strength() > 15 and rotation.value.text() == f"±{rotation.strength():g}°"
    assert not np.allclose(rotation.shown, before)
    assert pixmap_keys(rotation) != keys

    noise = view.rows["noise"]
    before = noise.shown.copy()
    click(qtbot, view.resample_button)
    assert not np.allclose(noise.shown, before)  # new random versions, same strength

    before = rotation.shown.copy()
    view.sample_combo.setCurrentIndex(5)  # another sample: every row shows that one
    assert not np.array_equal(view.sample(), original)
    assert not np.allclose(rotation.shown, before)
    assert window.doc.undo_stack.count() == 0  # looking changes nothing in the project


def test_use_in_training_is_one_undo_step_and_the_training_tab_follows(qtbot, window):
    view = open_from_lab_menu(qtbot, window)
    doc, training_check = window.doc, window.training_panel.controls.augment_checks["elastic"]
    elastic = view.rows["elastic"]
    assert not elastic.check.isChecked() and not training_check.isChecked()
    elastic.slider.setValue(30)
    assert doc.undo_stack.count() == 0  # strength alone is a preview

    click(qtbot, elastic.check)
    assert doc.project.data.augment.elastic == 3.0
    assert training_check.isChecked()
    assert [doc.undo_stack.text(i) for i in range(doc.undo_stack.count())] == [
        "Set elastic to 3.0"]

    elastic.slider.setFocus()
    for _ in range(2):  # moving a used slider changes the training strength: one step
        qtbot.keyClick(elastic.slider, Qt.Key.Key_PageUp)
    assert doc.project.data.augment.elastic == pytest.approx(3.0 + 2 * 0.6)
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert doc.project.data.augment.elastic == 3.0 and elastic.slider.value() == 30
    doc.undo_stack.undo()
    assert doc.project.data.augment.elastic == 0.0
    assert not elastic.check.isChecked() and not training_check.isChecked()

    training_check = window.training_panel.controls.augment_checks["rotation"]
    training_check.setChecked(True)  # the Training tab's switch shows up in the lab
    assert view.rows["rotation"].check.isChecked()


def test_points_data_is_explained_and_a_run_supplies_the_samples(qtbot, window):
    view = open_from_lab_menu(qtbot, window)
    doc, panel = window.doc, window.training_panel
    doc.set_settings("data", {"name": "spiral"})
    assert "choose an image dataset" in view.problem.text()
    assert view.images is None and view.rows["noise"].shown is None
    wait_training_preview(qtbot, window, "2-D points")
    doc.set_settings("data", {"name": "shapes"})  # an image dataset again: its samples load
    qtbot.waitUntil(lambda: view.images is not None, timeout=15_000)
    assert view.problem.text() == "" and "no run yet" in view.source.text()
    wait_training_preview(qtbot, window, "8 classes")

    doc.set_settings("training", {"epochs": 1, "max_steps": 2})
    click(qtbot, panel.controls.train_button)
    qtbot.waitUntil(lambda: "validation samples of run" in view.source.text(), timeout=30_000)
    wait_idle(qtbot, panel)
    assert view.sample_combo.count() == len(view.images) > 0
    assert view.rows["elastic"].shown.shape[1:] == view.images.shape[1:]
