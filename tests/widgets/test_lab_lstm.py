"""The "Inside the LSTM" tab on real runs: heatmaps of the chosen input follow the run and the
replay slider, another validation phrase or a typed one is measured on the trained weights,
switching the LSTM node or layer redraws, and networks without an LSTM get a note."""

import numpy as np
from PySide6.QtCore import QPointF, Qt

from app.core import presets, translation
from tests.widgets.training_helpers import (
    click,
    open_lab_view,
    tiny_panel,
    wait_idle,
    wait_step,
)
from widgets.lab.lstm import EXTRA, LSTMView
from widgets.plots.replay import LIVE
from widgets.training_dock import attach_training

GATES = ("i", "f", "o")


def _assert_heatmaps(view: LSTMView, units: int, steps: int) -> None:
    arrays = view.shown_arrays()
    assert set(arrays) == {"h", "c", "i", "f", "o"}
    for quantity, array in arrays.items():
        assert array.shape == (units, steps) and np.isfinite(array).all()
        np.testing.assert_array_equal(view.items[quantity].image, array)
        if quantity in GATES:
            assert array.min() >= 0 and array.max() <= 1
    assert np.abs(arrays["h"]).max() <= 1


def _wait_for(qtbot, view: LSTMView, label: str) -> None:
    qtbot.waitUntil(lambda: view.trace is not None and view.trace.label == label
                    and not view.job.running, timeout=20_000)


def test_translation_heatmaps_follow_the_run_inputs_and_the_chosen_node(qtbot, window):
    window.doc.load(presets.load_preset("translation"))
    panel = tiny_panel(window, epochs=4, dataset="translation")
    window.doc.set_settings("data", {"n_train": 2048})  # epochs long enough to measure each
    view = panel.view(LSTMView)
    open_lab_view(window, "Inside the LSTM")
    assert window.bottom_tabs.currentWidget() is panel.tab(LSTMView)
    assert [view.node_combo.itemText(k) for k in range(view.node_combo.count())] == \
        ["encoder", "decoder"]
    assert view.input_combo.count() == 60 and view.phrase_edit.isVisible()
    first = view.input_combo.currentText()

    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed"
    measured = [s for s in panel.history.items if s.extras.get(EXTRA) is not None]
    assert len(measured) >= 3  # the untrained network and (within the time budget) epochs
    _wait_for(qtbot, view, first)
    _assert_heatmaps(view, 64, translation.SOURCE_LEN)
    # The encoder's steps are named by the phrase's words (padding as a dot).
    words = [label for _x, label in view.panels["h"].getAxis("bottom")._tickLevels[0]]
    assert " ".join(w for w in words if w != "·") == first
    said = translation.decode_target(view.trace.output.argmax(1).tolist())
    assert f"model: “{said}”" in view.answer.text() and "held out" in view.answer.text()
    final = view.shown_arrays()["c"].copy()
    panel.set_replay_index(0)  # the untrained network reads the same phrase differently
    assert view.trace is measured[0].extras[EXTRA]
    assert not np.allclose(view.shown_arrays()["c"], final)
    panel.set_replay_index(LIVE)

    # Another validation phrase, chosen with the keyboard, is measured on the trained weights.
    view.input_combo.setFocus()
    qtbot.keyClick(view.input_combo, Qt.Key.Key_Down)
    second = view.input_combo.currentText()
    assert second != first
    _wait_for(qtbot, view, second)
    assert view.source == "the trained weights"
    _assert_heatmaps(view, 64, translation.SOURCE_LEN)

    # A typed phrase, with its reference translation.
    qtbot.keyClicks(view.phrase_edit, "twenty one")
    qtbot.keyClick(view.phrase_edit, Qt.Key.Key_Return)
    _wait_for(qtbot, view, "twenty one")
    assert "reference: “ein und zwanzig”" in view.answer.text()
    encoder_h = view.shown_arrays()["h"].copy()

    # The decoder: six steps, named by the words the model writes.
    view.node_combo.setFocus()
    qtbot.keyClick(view.node_combo, Qt.Key.Key_Down)
    assert view.node_combo.currentText() == "decoder"
    _assert_heatmaps(view, 64, translation.TARGET_LEN)
    assert view.items["h"].image.shape != encoder_h.shape
    written = view.step_names(translation.TARGET_LEN)
    said = translation.decode_target(view.trace.output.argmax(1).tolist())
    assert " ".join(written).startswith(said)

    # Hovering a heatmap cell names its unit, step and value. Give the heatmaps a few pixels
    # per unit first: at the dock's default height 64 units may share fewer than 64 pixel rows
    # (it depends on the saved layout), and the cell under a pixel is then ambiguous.
    window.resize(1280, 1100)
    window.resizeDocks([window.bottom_dock], [900], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: view.panels["f"].vb.height() >= 3 * 64)
    f = view.shown_arrays()["f"]
    scene = view.panels["f"].vb.mapViewToScene(QPointF(1.5, 2.5))  # step 2, unit 2
    qtbot.mouseMove(view.plots.viewport(), view.plots.mapFromScene(scene))
    qtbot.waitUntil(lambda: view.plots.toolTip() != "")
    assert view.plots.toolTip() == f"f of unit 2 at step 2 ({written[1]}): {f[2, 1]:.3f}"

    # Unknown words get a message naming them; the shown phrase stays.
    view.phrase_edit.clear()
    qtbot.keyClicks(view.phrase_edit, "twenty bananas")
    qtbot.keyClick(view.phrase_edit, Qt.Key.Key_Return)
    assert "bananas" in view.problem.text() and view.trace.label == "twenty one"

    click(qtbot, view.lang_button)
    assert "Vergessenstor" in view.explanation.text()


def test_an_input_chosen_while_training_is_measured_on_the_training_model(qtbot, window):
    window.doc.load(presets.load_preset("translation"))
    panel = tiny_panel(window, epochs=200, dataset="translation")
    view = panel.view(LSTMView)
    open_lab_view(window, "Inside the LSTM")
    click(qtbot, panel.controls.train_button)
    wait_step(qtbot, panel, 20)
    view.input_combo.setFocus()
    qtbot.keyClick(view.input_combo, Qt.Key.Key_Down)
    chosen = view.input_combo.currentText()
    assert not view.job.running  # nothing computed on the side: the run measures it
    qtbot.waitUntil(lambda: view.trace is not None and view.trace.label == chosen,
                    timeout=10_000)
    assert panel.controller.is_running and view.source.startswith("the weights at training")
    _assert_heatmaps(view, 64, translation.SOURCE_LEN)
    click(qtbot, panel.controls.stop_button)
    wait_idle(qtbot, panel)


def test_a_stacked_lstm_on_waves_shows_each_layer(qtbot, window):
    window.doc.load(presets.load_preset("lstm_sequence"))
    window.doc.set_param("lstm", "num_layers", 2)
    panel = tiny_panel(window, epochs=2, dataset="sequence")
    view = panel.view(LSTMView)
    open_lab_view(window, "Inside the LSTM")
    assert not view.phrase_edit.isVisible()
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    _wait_for(qtbot, view, view.input_combo.currentText())
    assert view.layer_combo.isEnabled() and view.layer_combo.count() == 2
    top = view.shown_arrays()["h"].copy()
    _assert_heatmaps(view, 32, 20)
    view.layer_combo.setFocus()
    qtbot.keyClick(view.layer_combo, Qt.Key.Key_Up)  # the first layer of the stack
    assert view.layer_combo.currentIndex() == 0
    _assert_heatmaps(view, 32, 20)
    assert not np.allclose(view.shown_arrays()["h"], top)
    assert "model:" in view.answer.text() and "validation sample 1" in view.answer.text()
    # The wave it reads is drawn as a curve; hovering names its value at that step.
    wave = view.shown_input()
    assert wave.shape == (1, 20)
    np.testing.assert_array_equal(view.input_curves[0].yData, wave[0])
    scene = view.input_panel.vb.mapViewToScene(QPointF(4.5, 0.0))  # step 5
    qtbot.mouseMove(view.plots.viewport(), view.plots.mapFromScene(scene))
    qtbot.waitUntil(lambda: view.plots.toolTip() != "")
    assert view.plots.toolTip() == f"x at step 5 (5): {wave[0, 4]:.3f}"


def test_a_network_without_lstm_gets_a_note(qtbot, window):
    panel = attach_training(window)  # the default preset: a CNN on shapes
    view = panel.view(LSTMView)
    open_lab_view(window, "Inside the LSTM")
    assert "LSTM node" in view.problem.text()
    assert view.run_options() == {} and not view.input_combo.isEnabled()
    window.doc.load(presets.load_preset("lstm_sequence"))
    assert view.problem.text() == "" and view.input_combo.count() > 0
