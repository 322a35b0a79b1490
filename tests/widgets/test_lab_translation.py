"""The Translation tab on a real run: the held-out table and accuracies follow the run and the
replay slider, a typed phrase is translated with the trained weights, unknown words are named,
the mistakes filter lists only wrong phrases, and other datasets get a note."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core import presets, translation
from app.core.translator import translate
from app.core.weights import model_with_weights
from tests.widgets.training_helpers import N_VAL, click, open_lab_view, tiny_panel, wait_idle
from widgets.lab.translation import EXTRA, TranslationView
from widgets.plots.replay import LIVE

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _type(qtbot, view: TranslationView, phrase: str) -> None:
    view.phrase_edit.clear()
    qtbot.keyClicks(view.phrase_edit, phrase)
    qtbot.keyClick(view.phrase_edit, Qt.Key.Key_Return)


def _table(view: TranslationView) -> list[tuple[str, ...]]:
    return [tuple(view.table.item(r, c).text() for c in range(4))
            for r in range(view.table.rowCount())]


def test_translations_follow_the_run_and_a_typed_phrase_is_translated(qtbot, window):
    window.doc.load(presets.load_preset("translation"))
    panel = tiny_panel(window, epochs=8, dataset="translation")
    view = panel.view(TranslationView)
    open_lab_view(window, "Translation")
    assert window.bottom_tabs.currentWidget() is panel.tab(TranslationView)
    assert view.problem.text() == "" and view.phrase_edit.isEnabled()
    _type(qtbot, view, "forty two")
    assert "no trained weights yet" in view.answer.text()

    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    summary = panel.last_summary
    assert summary["status"] == "completed"
    measured = [s for s in panel.history.items if s.extras.get(EXTRA) is not None]
    assert len(measured) >= 3  # the untrained network, epoch ends, the end
    final = view.shown
    assert final is measured[-1].extras[EXTRA]
    # The view measures what the trainer reports on the same held-out phrases.
    assert final.token_acc == pytest.approx(summary["val_acc"], abs=1e-6)
    assert final.exact == pytest.approx(summary["val_exact"], abs=1e-6)
    assert f"{final.token_acc:.1%}" in view.token_label.text()
    assert f"{final.exact:.1%}" in view.exact_label.text()
    rows = _table(view)
    assert len(rows) == N_VAL
    pairs = dict(translation.PAIRS)
    for english, said, reference, mark in rows:
        assert pairs[english] == reference
        assert mark == ("✓" if said == reference else "✗")
    assert [e for e, _t, _x in view.epochs] == list(range(1, 9))
    assert view.epochs[-1][1] == pytest.approx(summary["val_acc"])
    # Replay: the untrained network gets almost nothing right.
    panel.set_replay_index(0)
    assert view.shown is measured[0].extras[EXTRA]
    assert view.shown.exact < final.exact and view.shown.token_acc < final.token_acc
    panel.set_replay_index(LIVE)
    assert view.shown is final

    # A typed phrase, translated with the trained weights.
    _type(qtbot, view, "Twenty-One")
    qtbot.waitUntil(lambda: "model:" in view.answer.text() and not view.job.running,
                    timeout=20_000)
    model = model_with_weights(window.doc.graph, window.doc.trained)
    said = translate(model, "twenty one")
    assert f"“twenty one” → model: “{said}” · reference: “ein und zwanzig”" in view.answer.text()
    assert ("✓" if said == "ein und zwanzig" else "✗") in view.answer.text()

    # Unknown words are named, with words the task knows.
    _type(qtbot, view, "twenty too")
    assert "unknown word 'too'" in view.answer.text() and "such as one" in view.answer.text()
    assert not view.job.running

    # Only the mistakes.
    wrong = sum(not right for *_rest, right in final.rows)
    click(qtbot, view.mistakes_check)
    assert view.table.rowCount() == wrong and all(r[3] == "✗" for r in _table(view))
    click(qtbot, view.mistakes_check)
    assert view.table.rowCount() == N_VAL


def test_other_datasets_get_a_note_and_no_measurement(qtbot, window):
    panel = tiny_panel(window, dataset="shapes")
    view = panel.view(TranslationView)
    open_lab_view(window, "Translation")
    assert "needs the translation dataset" in view.problem.text()
    assert not view.phrase_edit.isEnabled() and view.run_options() == {}


def test_choosing_translation_previews_phrase_pairs_and_enables_the_view(qtbot, window):
    window.doc.load(presets.load_preset("translation"))
    panel = tiny_panel(window, dataset="shapes")
    view = panel.view(TranslationView)
    controls = panel.controls
    controls.dataset_combo.setCurrentIndex(controls.dataset_combo.findData("translation"))
    assert window.doc.project.data.name == "translation"
    qtbot.waitUntil(lambda: "Phrase pairs, e.g." in controls.preview.note.text(),
                    timeout=10_000)
    english, german = controls.preview.note.text().split("e.g. ")[1].split(" · ")[0].split(" → ")
    assert dict(translation.PAIRS)[english] == german
    assert not controls.preview.plots.isVisible()
    assert view.problem.text() == "" and view.phrase_edit.isEnabled()
