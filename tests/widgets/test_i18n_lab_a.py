"""Lab views in German (part A): with the German translator installed, as `--lang de` does,
the overfitting, transfer, channels, landscape, augmentation and playground views show German
buttons, captions, tables and messages, while the keys their code reads back stay English."""

from __future__ import annotations

import pytest

from app.core import landscape
from app.core.twin_run import TWINS
from tests.widgets.training_helpers import click, tiny_panel
from widgets.lab.augmentation import AugmentationView
from widgets.lab.channels import ChannelsView
from widgets.lab.landscape import DIRECTION_TEXTS, LandscapeView
from widgets.lab.overfitting import ROWS, OverfittingView
from widgets.lab.playground import PlaygroundView
from widgets.lab.transfer import TransferView

pytestmark = pytest.mark.usefixtures("one_torch_thread")



def test_overfitting_twins_run_and_report_in_german(german, qtbot, window):
    panel = tiny_panel(window)
    window.doc.set_settings("data", {"n_val": 64})
    view = panel.view(OverfittingView)
    assert "Zwei Kopien Ihres Netzes" in view.explanation.text()
    assert view.run_button.text() == "Zwillinge trainieren"
    assert (view.augment_check.text(), view.early_check.text()) == ("Augmentierung",
                                                                    "frühes Stoppen")
    rows = [view.table.verticalHeaderItem(r).text() for r in range(len(ROWS))]
    assert rows[:3] == ["Trainingsverlust", "Val.-Verlust", "Lücke (Val. − Train.)"]
    assert [view.table.horizontalHeaderItem(c).text() for c in range(len(TWINS))] == \
        ["einfach", "regularisiert"]
    view.subset_slider.setValue(16)
    assert view.subset_label.text() == "  16 Beispiele"
    view.epochs_spin.setValue(1)

    click(qtbot, view.run_button)
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)

    assert view.summary.text().startswith("Einfacher Zwilling auf 16 Beispielen: "
                                          "Validierungsverlust am niedrigsten")
    epochs = {key: r for r, (_label, key) in enumerate(ROWS)}["epochs"]
    assert view.table.item(epochs, 0).text() == "1"
    x, _y = view.curves["plain", "val_loss"].getData()  # the streamed curve, German or not
    assert list(x) == [1]


def test_transfer_channels_landscape_augmentation_playground_speak_german(german, qtbot,
                                                                          window):
    panel = tiny_panel(window)  # shapes and nothing trained yet

    transfer = panel.view(TransferView)
    assert transfer.run_button.text() == "Starten"
    assert transfer.source_combo.itemText(0) == "behaltene Gewichte (noch keine: erst trainieren)"
    assert transfer.source_combo.itemData(1) == "file"
    assert [transfer.table.horizontalHeaderItem(c).text() for c in range(2)] == \
        ["Feintuning", "von null"]
    click(qtbot, transfer.run_button)
    assert transfer.problem.text().startswith("Es gibt noch keine behaltenen Gewichte")

    channels = panel.view(ChannelsView)
    assert channels.compute_button.text() == "Berechnen"
    assert channels.channels_spin.prefix() == "Kanäle je Schicht: "
    channels.objective_combo.setCurrentIndex(1)
    assert channels.objective_combo.currentText() == "ganzer Kanal (Mittelwert)"
    assert channels.objective == "mean"  # the key the computation gets stays English
    click(qtbot, channels.compute_button)
    assert channels.problem.text().startswith("Es gibt noch keine trainierten Gewichte")

    view = panel.view(LandscapeView)
    assert (view.compute_button.text(), view.race_button.text()) == ("Fläche berechnen",
                                                                     "Optimierer-Rennen")
    assert set(DIRECTION_TEXTS) == set(landscape.DIRECTIONS)  # every cut's label is marked
    texts = [view.directions_combo.itemText(i) for i in range(view.directions_combo.count())]
    assert texts == ["PCA des Trainingswegs", "zufällig, filternormiert"]
    view.directions_combo.setCurrentIndex(1)
    assert view.method == "random"
    click(qtbot, view.compute_button)
    assert view.problem.text().startswith("Trainieren Sie das Netz zuerst")
    assert "SGD + Momentum" in view.legend.text() and "Ihr Lauf" in view.legend.text()

    augmentation = panel.view(AugmentationView)
    assert augmentation.load_button.text() == "Beispiele laden"
    assert augmentation.resample_button.text() == "Neu ziehen"
    assert augmentation.rows["rotation"].check.text() == "Im Training nutzen"
    assert augmentation.rows["hflip"].value.text() == "in jedem zweiten Fall"
    augmentation.rows["rotation"].check.click()  # still switches the English setting key
    assert window.doc.project.data.augment.rotation == pytest.approx(
        augmentation.rows["rotation"].strength())

    playground = panel.view(PlaygroundView)
    assert playground.resample_button.text() == "Neu ziehen"
    assert playground.discrete_check.text() == "Ausgabe diskretisieren"
    assert playground.problem.text().startswith("Diese Ansicht braucht einen 2-D-Datensatz")
