"""The training side in German: with the German translator installed (as `--lang de` does), the
Training tab, its run, the lesson panel and the cheat sheet speak German, while the settings the
German combo entries stand for stay the same values in the document."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.core import lessons
from app.i18n import language
from tests.widgets.training_helpers import click, tab_texts, tiny_panel, wait_idle
from widgets.runs_list import open_runs_dialog
from widgets.torchrun_dialog import EXPLAIN_DE, open_torchrun_dialog


def _menu(window, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def test_training_tab_and_a_run_in_german(german, qtbot, window):
    assert language() == "de"
    panel = tiny_panel(window, max_steps=16)
    controls = panel.controls
    assert [panel.act_train.text(), panel.act_pause.text(), panel.act_resume.text(),
            panel.act_stop.text(), panel.act_step.text()] == [
        "Trainieren", "Pause", "Fortsetzen", "Stopp", "Schritt"]
    assert panel.act_train.toolTip() == "Das Training einer eingefrorenen Kopie des Netzes " \
                                        "starten (F5)"
    assert (controls.data_box.title(), controls.hyper_box.title(), controls.run_box.title()) == (
        "Daten", "Hyperparameter", "Lauf")
    assert controls.progress_label.text() == "Nicht gestartet"
    assert controls.n_train_spin.specialValueText() == "alle"
    assert controls.augment_checks["rotation"].text() == "Drehen"
    assert [controls.speed_combo.itemText(i) for i in range(controls.speed_combo.count())] == [
        "volles Tempo", "Zeitlupe", "sehr langsam"]
    assert controls.device_combo.itemText(0).startswith("auto (")
    # tabs and menus: German labels, the English titles still find them
    texts = tab_texts(window)
    assert {"Training", "Dashboard", "Ergebnisse"} <= set(texts) and "Results" not in texts
    assert "&Labor" in [a.text() for a in window.menuBar().actions()]
    runs = [a.text() for a in _menu(window, "&Training").actions()]
    assert "Läufe…" in runs and "Mit torchrun trainieren…" in runs

    # a German run: progress, metrics and the end of the run are worded in German
    click(qtbot, controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary is not None and panel.last_summary["status"] == "completed"
    assert "Schritt 16/16" in controls.progress_label.text()
    assert "Beispiele/s" in controls.progress_label.text()
    assert controls.metrics_label.text().startswith("Verlust ")
    acc = panel.last_summary["val_acc"]
    assert controls.status_label.text().startswith(
        f"16 Schritte fertig (2 Epochen): Validierungsgenauigkeit {acc:.1%}")
    assert "Schritt 16/16" in panel.dashboard.progress_label.text()


def test_german_combo_entries_set_the_same_values(german, qtbot, window):
    panel = tiny_panel(window)
    controls, doc = panel.controls, window.doc
    speed = controls.speed_combo
    speed.setCurrentIndex(speed.findText("Zeitlupe"))  # what picking the entry emits
    assert doc.project.training.min_step_s == 0.12
    speed.setCurrentIndex(speed.findText("sehr langsam"))
    assert doc.project.training.min_step_s == 0.4
    doc.undo_stack.undo()
    assert doc.project.training.min_step_s == 0.12 and speed.currentText() == "Zeitlupe"
    # the dataset combo's German section headers carry no value; its entries keep their names
    datasets = controls.dataset_combo
    assert datasets.itemText(0) == "— eingebaut (offline) —" and datasets.itemData(0) is None
    datasets.setCurrentIndex(datasets.findData("xor"))
    assert doc.project.data.name == "xor"
    folder = datasets.findText("Bildordner…")
    assert folder >= 0
    controls.optimizer_combo.setCurrentIndex(controls.optimizer_combo.findData("sgd"))
    assert doc.project.training.optimizer == "sgd"
    # an augmentation switch: German label and tooltip, the document gets its amount
    datasets.setCurrentIndex(datasets.findData("shapes"))
    rotate = controls.augment_checks["rotation"]
    click(qtbot, rotate)
    assert doc.project.data.augment.rotation == 15.0
    assert rotate.toolTip() == "um bis zu ±15° drehen"


def test_lesson_panel_and_cheat_sheet_in_german(german, qtbot, window):
    lesson = lessons.load(lessons.shipped()[0])
    menu = _menu(window, "Lektio&nen")
    action = next(a for a in menu.actions() if a.text() == lesson.title_de)
    assert action.toolTip() == f"{lesson.title_en} · {len(lesson.steps)} Schritte"
    assert "Lektionsdatei öffnen…" in [a.text() for a in menu.actions()]
    action.trigger()
    panel = window.lesson_panel
    assert panel.german.isChecked()  # the lesson starts in the UI language
    assert window.lesson_dock.windowTitle() == "Lektion"
    assert panel.title.text() == lesson.title_de
    assert panel.text.text() == lesson.steps[0].text_de
    assert panel.progress.text() == f"Schritt 1 von {len(lesson.steps)}"
    assert panel.open_button.text() == "Lektionsdatei öffnen…"
    assert (panel.back_button.text(), panel.next_button.text()) == ("◀ Zurück", "Weiter ▶")
    assert "Noch zu tun" in panel.status.text()
    click(qtbot, panel.german)  # a learner may still read the lesson in English
    assert panel.text.text() == lesson.steps[0].text_en

    sheet = window.presentation.show_shortcuts()
    qtbot.addWidget(sheet)
    headers = [sheet.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["Tasten", "Aktion", "Menü"]
    assert sheet.windowTitle() == "Tastenkürzel"
    assert ("F5", "Trainieren", "Training") in sheet.rows()
    assert window.presentation.act_presenter.text() == "&Präsentationsmodus"

    # the dialogs of the Training menu
    runs = open_runs_dialog(window, window.training_panel)
    qtbot.addWidget(runs)
    assert runs.windowTitle() == "Läufe" and runs.reopen_button.text() == "Wieder öffnen"
    assert [runs.tree.headerItem().text(c) for c in range(3)] == ["Lauf", "Datum", "Datensatz"]
    assert runs.folder_label.text().startswith("Kein Protokollordner eingestellt")
    torchrun = open_torchrun_dialog(window, window.training_panel)
    qtbot.addWidget(torchrun)
    assert torchrun.windowTitle() == "Mit torchrun trainieren"
    assert torchrun.start_button.text() == "Starten"
    assert torchrun.device_combo.itemText(0) == "CPU-Prozesse (gloo)"
    assert torchrun.device_combo.currentData() == "cpu"  # the value behind the German entry
    assert any(label.text() == EXPLAIN_DE for label in torchrun.findChildren(QLabel))
