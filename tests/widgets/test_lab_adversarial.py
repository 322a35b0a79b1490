"""The Adversarial examples lab view on a real run: without weights it says to train first;
after a short run Attack draws the pictures, top-3 bars and curves; moving the ε slider with
the keyboard changes the adversarial prediction; adversarial training adds the second curve."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle
from widgets.lab.adversarial import EPS_TICKS, AdversarialView

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _true_confidence(view: AdversarialView, label: int) -> float:
    classes, probs = view.single.top_adversarial
    return float(probs[list(classes).index(label)]) if label in classes else 0.0


def test_slider_flips_the_prediction_and_adversarial_training_adds_a_curve(qtbot, window):
    panel = tiny_panel(window, epochs=4, lr=3e-3)
    view = panel.view(AdversarialView)
    open_lab_view(window, "Adversarial examples")
    assert window.bottom_tabs.currentWidget() is view
    click(qtbot, view.attack_button)
    assert "train the network first" in view.problem.text()

    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    click(qtbot, view.attack_button)
    qtbot.waitUntil(lambda: view.curve is not None and view.single is not None,
                    timeout=60_000)
    assert view.problem.text() == ""
    curve = view.curve
    assert len(curve.layers) == 3 and curve.change.shape == (3, len(curve.epsilons))
    assert view.plain_line.getData()[1].tolist() == curve.accuracy.tolist()
    assert curve.accuracy[0] > curve.accuracy[-1]
    for label in view.pictures.values():
        assert label.pixmap() is not None and not label.pixmap().isNull()

    view.eps_slider.setFocus()
    QTest.keyClick(view.eps_slider, Qt.Key.Key_Home)  # ε = 0: nothing changes
    qtbot.waitUntil(lambda: view.single.epsilon == 0 and not view.quick.running,
                    timeout=10_000)
    assert view.top_adversarial.texts() == view.top_original.texts()
    assert "still" in view.verdict.text()
    label = int(view.y_val[view.image_spin.value()])
    clean = _true_confidence(view, label)

    QTest.keyClick(view.eps_slider, Qt.Key.Key_End)  # ε = 30 % of the range
    qtbot.waitUntil(lambda: view.single.epsilon > 0.29 and not view.quick.running,
                    timeout=10_000)
    assert view.top_adversarial.texts() != view.top_original.texts()
    assert view.single.loss_adversarial > view.single.loss_original
    assert _true_confidence(view, label) < clean
    assert abs(view.single.perturbation).max() <= view.single.epsilon + 1e-6

    QTest.keyClick(view.eps_slider, Qt.Key.Key_Home)
    for _ in range(10):  # page steps up to ε = 0.1
        QTest.keyClick(view.eps_slider, Qt.Key.Key_PageUp)
    assert view.eps_slider.value() == round(0.1 * EPS_TICKS)
    click(qtbot, view.robust_button)
    qtbot.waitUntil(lambda: view.robust_curve is not None, timeout=60_000)
    xs, ys = view.robust_line.getData()
    assert list(xs) == list(view.curve.epsilons) and len(ys) == len(xs)
    assert "Adversarially trained copy" in view.status.text()
    at = list(xs).index(view.epsilon())
    # Measured (4 epochs on 256 shapes, 64 validation images): 27 % -> 70 % at ε = 0.1.
    assert ys[at] > view.curve.accuracy[at] + 0.2

    view.method_combo.setCurrentIndex(view.method_combo.findData("pgd"))
    assert view.steps_spin.isEnabled()
    view.steps_spin.setValue(view.steps_spin.maximum())
    click(qtbot, view.attack_button)
    click(qtbot, view.cancel_button)
    qtbot.waitUntil(lambda: view.problem.text() == "Cancelled.", timeout=10_000)
    assert not view.job_row.isVisible()

    click(qtbot, view.lang_button)
    assert "Merkmalskarten" in view.explanation.text()
