"""The lab in German: with the German translator installed (as `--lang de` does), the lab's
bottom tabs and Lab menu, the views' explanations and their own texts are German."""

from __future__ import annotations

from app.i18n import language
from tests.widgets.training_helpers import click, tab_texts, tiny_panel
from widgets.lab.adversarial import AdversarialView
from widgets.lab.bias import BiasView
from widgets.lab.lstm import LSTMView
from widgets.lab.registry import LAB_VIEWS
from widgets.lab.translation import TranslationView

GERMAN_TABS = {"Translation": "Übersetzung", "Inside the LSTM": "LSTM von innen",
               "Adversarial examples": "Adversariale Beispiele", "Saliency": "Salienz",
               "Bias and shortcuts": "Verzerrung und Abkürzungen"}




def test_lab_tabs_menu_and_explanation_are_german(german, qtbot, window):
    assert language() == "de"
    panel = tiny_panel(window)
    texts = tab_texts(window)
    for english, german_title in GERMAN_TABS.items():
        assert german_title in texts and english not in texts
    tabs = window.bottom_tabs
    index = tabs.indexOf(panel.tab(TranslationView))
    assert tabs.tabText(index) == "Übersetzung"
    assert tabs.tabToolTip(index).startswith("Das Deutsch eines Sequence-to-Sequence-LSTM")
    # the Lab menu lists every lab view under its German title and opens its tab
    lab = next(a.menu() for a in window.menuBar().actions()
               if a.menu() is not None and "Übersetzung" in [b.text() for b in a.menu().actions()])
    assert len(lab.actions()) == len(LAB_VIEWS)
    next(a for a in lab.actions() if a.text() == "Adversariale Beispiele").trigger()
    assert tabs.currentWidget() is panel.tab(AdversarialView)

    view = panel.view(TranslationView)
    assert view.lang == "de"
    assert view.explanation.text().startswith("<b>Übersetzung</b> — Ein Encoder-LSTM liest")
    assert view.lang_button.text() == "English"
    click(qtbot, view.lang_button)  # a learner may still read the English explanation
    assert view.explanation.text().startswith("<b>Übersetzung</b> — An encoder LSTM reads")
    assert view.lang_button.text() == "Deutsch"
    assert view.cancel_button.text() == "Abbrechen"  # the base class's texts, too


def test_translation_and_lstm_views_speak_german(german, qtbot, window):
    panel = tiny_panel(window)  # shapes: neither sequence view can show it, and says why
    view = panel.view(TranslationView)
    assert view.translate_button.text() == "Übersetzen"
    assert view.mistakes_check.text() == "nur Fehler"
    assert [view.table.horizontalHeaderItem(c).text() for c in range(3)] == \
        ["Englisch (ungesehen)", "Modell", "Referenz"]
    assert view.token_label.text() == "Token-Genauigkeit: –"
    assert view.problem.text().startswith("Diese Ansicht braucht den Datensatz translation")
    assert not view.translate_button.isEnabled()

    lstm = panel.view(LSTMView)
    assert lstm.problem.text().startswith("Diese Ansicht braucht ein Netz mit einem "
                                          "LSTM-Knoten")
    titles = [lstm.panels[q].titleLabel.text for q in ("h", "f")]
    assert titles == ["h · verborgener Zustand", "f · Vergessenstor: behalten"]


def test_adversarial_and_bias_views_speak_german(german, qtbot, window):
    panel = tiny_panel(window)
    view = panel.view(AdversarialView)
    assert view.attack_button.text() == "Angreifen"
    assert view.robust_button.text() == "Adversariales Training"
    click(qtbot, view.attack_button)  # nothing trained yet: the view says so, in German
    assert view.problem.text().startswith("Es gibt noch keine trainierten Gewichte")
    view.set_epsilon_fraction(0.1)
    assert view.eps_label.text() == "ε = 0.1 (10.0% des Bereichs)"
    click(qtbot, view.robust_button)
    assert view.problem.text().startswith("Drücken Sie zuerst Angreifen")

    bias = panel.view(BiasView)
    assert bias.train_button.text() == "Trainieren"
    assert [bias.plots.tabText(i) for i in range(3)] == ["Epochen", "Durchlauf", "Je Klasse"]
    assert bias.stats.verticalHeaderItem(0).text() == "Genauigkeit"
    assert bias.stats.horizontalHeaderItem(1).text() == "fairer Test"
