"""Shape problems and fixes from app/core (no Qt there) read German in a German UI: on the
canvas, in the Problems tab, the inspector, the status bar and the undo history."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QLabel

from app.core.messages import QT_TRANSLATE_NOOP
from app.shown import shown
from tests.core.test_messages import marked_templates, sample_params


def problem_texts(window) -> list[str]:
    return [window.problems.item(i).text() for i in range(window.problems.count())]


def test_every_shape_template_has_german_with_the_same_placeholders(german):
    for context, text, _ in marked_templates():
        params = sample_params(text)
        english = QT_TRANSLATE_NOOP(context, text).format(**params)
        german_text = shown(english)
        assert german_text != english, f"no German for {text!r}"
        for name, value in params.items():
            assert (f"{value:,}" if isinstance(value, int) else value) in german_text, (
                text, name)


def test_missing_flatten_reads_german_and_the_german_fix_works(empty_window, gestures, qtbot,
                                                              german):
    win, doc = empty_window, empty_window.doc
    inp = gestures.drop_layer("Input", QPointF(0, 0))
    assert ("Das Netz hat keine Output-Schicht: Fügen Sie eine nach der letzten Schicht hinzu, "
            "damit es trainiert werden kann") in problem_texts(win)
    conv = gestures.drop_layer("Conv2d", QPointF(250, 0))
    fc = gestures.drop_layer("Linear", QPointF(500, 0))
    out = gestures.drop_layer("Output", QPointF(750, 0))
    for s, d in ((inp, conv), (conv, fc), (fc, out)):
        gestures.wire(s, d)

    (issue,) = doc.report.issues
    assert issue.message == (f"Linear '{fc}' expects a flat vector but gets a 8x28x28 feature "
                             f"map: insert Flatten before '{fc}'")  # the document stays English
    german_problem = (f"Linear '{fc}' erwartet einen flachen Vektor, erhält aber eine "
                      f"8x28x28-Merkmalskarte: Fügen Sie vor '{fc}' Flatten ein")
    german_fix = f"Flatten vor '{fc}' einfügen"
    assert escape(german_problem) in gestures.scene.nodes[fc].toolTip()
    assert problem_texts(win) == [f"{fc}: {german_problem}"]
    menu = gestures.scene.nodes[fc].context_menu()
    assert f"Beheben: {german_fix}" in [a.text() for a in menu.actions()]

    gestures.click(fc)
    assert german_problem in [label.text() for label in win.inspector.layer.findChildren(QLabel)]
    buttons = win.inspector.layer.fix_buttons()
    assert [b.text() for b in buttons] == [f"Beheben: {german_fix}"]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    QApplication.processEvents()

    assert doc.report.ok
    (flat,) = [n.id for n in doc.graph.nodes.values() if n.type == "Flatten"]
    assert doc.graph.inputs_of(fc) == [flat] and doc.graph.inputs_of(flat) == [conv]
    assert win.statusBar().currentMessage() == f"Angewendet: {german_fix}"
    assert doc.undo_stack.undoText() == german_fix
    gestures.undo()
    assert flat not in doc.graph.nodes and doc.graph.inputs_of(fc) == [conv]


def test_english_ui_shows_the_english_text_unchanged(empty_window, gestures):
    inp = gestures.drop_layer("Input", QPointF(0, 0))
    fc = gestures.drop_layer("Conv2d", QPointF(250, 0))
    gestures.wire(inp, fc)
    texts = problem_texts(empty_window)
    assert ("the network has no Output layer: add one after the last layer so it can be "
            "trained") in texts
    assert all(shown(i.message) == i.message for i in empty_window.doc.report.issues)


def test_a_refused_layer_name_is_explained_in_german(window, gestures, qtbot, german):
    panel = window.inspector.layer
    gestures.click("conv1")
    panel.name.selectAll()
    qtbot.keyClicks(panel.name, "2conv")
    qtbot.keyClick(panel.name, Qt.Key.Key_Return)
    assert "conv1" in window.doc.graph.nodes and panel.name_error.isVisibleTo(panel)
    assert panel.name_error.text() == ("'2conv' ist kein gültiger Schichtname: Verwenden Sie nur "
                                       "Buchstaben, Ziffern und _, nicht mit einer Ziffer am "
                                       "Anfang.")
