"""The transfer-learning view, driven like a learner: train the canvas network on shapes, freeze
its first layer with the padlock, open the tab from the Lab menu and run fine-tune vs scratch
on a few glyph images; or start from a weights file picked in the dialog."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

from app.core import weights
from app.core.transfer import RUNS
from tests.widgets.test_freeze import click_padlock
from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle
from widgets.lab.transfer import ROWS, TransferView

pytestmark = pytest.mark.usefixtures("one_torch_thread")
EPOCHS = 3


def trained_window(qtbot, window) -> TransferView:
    panel = tiny_panel(window, epochs=2)
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert window.doc.trained is not None
    open_lab_view(window, TransferView.TITLE)
    view = panel.view(TransferView)
    assert window.bottom_tabs.currentWidget() is panel.tab(TransferView)
    return view


def run(qtbot, view: TransferView, subset: int = 30) -> list:
    view.subset_slider.setValue(subset)
    view.epochs_spin.setValue(EPOCHS)
    streamed = []
    view.job.partial.connect(streamed.append)
    click(qtbot, view.run_button)
    qtbot.waitUntil(lambda: not view.job.running, timeout=60_000)
    assert view.result is not None, view.problem.text()
    return streamed


def test_fine_tune_vs_scratch_from_the_kept_run(qtbot, window):
    view = trained_window(qtbot, window)
    assert view.source_combo.currentText().startswith("run 1 (shapes")
    assert view.target_combo.currentText() == "glyphs"  # not the source's own dataset
    click_padlock(window, "conv1")

    streamed = run(qtbot, view)
    result = view.result
    assert [r for r, _m in streamed] == ["fine-tune"] * EPOCHS + ["scratch"] * EPOCHS
    assert result.n_train == 30 and result.frozen == ("conv1",)
    assert result.report.skipped_layers == ["fc2"]  # 8 shapes -> 10 glyph classes
    for run_name in RUNS:
        x, y = view.curves[run_name, "val_acc"].getData()
        assert list(x) == list(range(1, EPOCHS + 1))
        assert list(y) == pytest.approx(result.histories[run_name].metrics["val_acc"])
    for column, run_name in enumerate(RUNS):
        final = result.final(run_name)
        row = {key: r for r, (_label, key) in enumerate(ROWS)}
        assert view.table.item(row["val_acc"], column).text() == f"{final['val_acc']:.1%}"
        assert view.table.item(row["epochs"], column).text() == str(EPOCHS)

    tuned = view.bars["fine-tune"].opts
    index = result.layers.index("conv1")
    assert tuned["width"][index] == 0.0  # frozen: not moved at all
    assert np.all(np.asarray(view.bars["scratch"].opts["width"]) > 0)
    assert len(view.padlocks) == 1 and "conv1" in view.padlocks[0].toolTip()
    assert "Fresh random weights: fc2" in view.loaded.text()
    assert "Frozen: conv1" in view.loaded.text()
    assert f"On 30 images, fine-tuning reached {result.final('fine-tune')['val_acc']:.1%}" \
        in view.summary.text()
    click(qtbot, view.lang_button)
    assert "einfrieren, behalten" in view.explanation.text()


def test_weights_from_a_file(qtbot, window, tmp_path):
    view = trained_window(qtbot, window)
    path = tmp_path / f"shapes{weights.SUFFIX}"
    weights.save(path, window.doc.trained)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
        view.source_combo.setCurrentIndex(1)
        view.source_combo.activated.emit(1)
    assert view.source_combo.currentText() == path.name
    run(qtbot, view, subset=20)
    assert view.result.report.skipped_layers == ["fc2"]
    assert "fine-tune" in view.result.histories


def test_without_kept_weights_the_view_says_what_to_do(qtbot, window):
    tiny_panel(window)
    open_lab_view(window, TransferView.TITLE)
    view = window.training_panel.view(TransferView)
    assert "none yet" in view.source_combo.currentText()
    click(qtbot, view.run_button)
    assert "train the network on the source dataset first" in view.problem.text()
    assert view.result is None and not view.job.running


def test_a_damaged_file_is_explained_and_cancel_stops_the_runs(qtbot, window, tmp_path):
    view = trained_window(qtbot, window)
    bad = tmp_path / f"bad{weights.SUFFIX}"
    bad.write_bytes(b"not a safetensors file")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(bad), ""))
        view.source_combo.setCurrentIndex(1)
        view.source_combo.activated.emit(1)
    assert "is not a readable safetensors file" in view.problem.text()
    click(qtbot, view.run_button)
    qtbot.waitUntil(lambda: not view.job.running, timeout=30_000)
    assert "is not a readable safetensors file" in view.problem.text()
    assert view.result is None

    view.source_combo.setCurrentIndex(0)  # back to the kept run
    view.source_combo.activated.emit(0)
    view.epochs_spin.setValue(200)
    streamed = []
    view.job.partial.connect(streamed.append)
    click(qtbot, view.run_button)
    qtbot.waitUntil(lambda: len(streamed) >= 1, timeout=30_000)
    click(qtbot, view.cancel_button)
    qtbot.waitUntil(lambda: not view.job.running, timeout=30_000)
    assert view.problem.text() == "Cancelled."
    assert view.result is None and len(streamed) < 200
