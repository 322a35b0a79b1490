"""Renaming a layer in the inspector to a name Python or PyTorch already uses is refused with
the reason shown; nothing changes and nothing lands on the undo stack. A good name is one
undo step."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.graph import Graph, node_id_problem

RESERVED = ("forward", "class", "training", "input", "__init__")


def _type_name(line_edit, text: str) -> None:
    line_edit.setFocus()
    line_edit.selectAll()
    if text.isascii():
        QTest.keyClicks(line_edit, text)
    else:  # QTest can only type ASCII keys; this is what an input method does
        line_edit.insert(text)
    QTest.keyClick(line_edit, Qt.Key.Key_Return)


def test_reserved_and_taken_names_are_refused_with_the_reason(window, gestures):
    doc, panel = window.doc, window.inspector.layer
    gestures.click("conv1")
    assert panel.node_id == "conv1"
    graph_before, steps, dirty = doc.graph.to_dict(), doc.undo_stack.count(), doc.dirty
    for name, reason in [*((n, "already uses") for n in RESERVED), ("relu1", "already exists")]:
        _type_name(panel.name, name)
        assert doc.graph.to_dict() == graph_before, name
        assert doc.undo_stack.count() == steps, name
        assert doc.dirty == dirty, name
        assert panel.name_error.isVisibleTo(panel), name
        assert reason in panel.name_error.text() and f"'{name}'" in panel.name_error.text()
        assert panel.node_id == "conv1" and "conv1" in gestures.scene.nodes

    _type_name(panel.name, "edges")
    assert not panel.name_error.isVisibleTo(panel)
    assert "edges" in doc.graph.nodes and "conv1" not in doc.graph.nodes
    assert doc.undo_stack.count() == steps + 1
    assert ("inp", "edges") in gestures.scene.edges
    doc.undo_stack.undo()
    assert doc.graph.to_dict() == graph_before and doc.undo_stack.count() == steps + 1
    assert doc.undo_stack.index() == steps


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.sampled_from([*RESERVED, " forward ", "relu1", "conv1", "self"]),
                      st.text(alphabet="ab_1 äZ.", min_size=1, max_size=6)))
def test_any_typed_name_is_one_undo_step_or_refused_without_a_trace(window, gestures, text):
    doc, panel = window.doc, window.inspector.layer
    if panel.node_id is None:
        gestures.click("conv1")
    current = panel.node_id
    graph_before, steps = doc.graph.to_dict(), doc.undo_stack.count()
    _type_name(panel.name, text)
    assert panel.name.text() in (text, text.strip())
    new = text.strip()
    if new == current:
        assert doc.graph.to_dict() == graph_before and doc.undo_stack.count() == steps
    elif node_id_problem(new) is None and new not in _ids(graph_before):
        assert panel.node_id == new and doc.undo_stack.count() == steps + 1
        assert not panel.name_error.isVisibleTo(panel)
        expected = Graph.from_dict(graph_before)
        expected.rename(current, new)  # same layer, same wires, new name
        assert doc.graph.to_dict() == expected.to_dict()
    else:
        assert doc.graph.to_dict() == graph_before and doc.undo_stack.count() == steps
        assert panel.node_id == current and panel.name_error.isVisibleTo(panel)
        assert panel.name_error.text().strip()
    assert set(gestures.scene.nodes) == set(doc.graph.nodes)


def _ids(graph_dict: dict) -> set[str]:
    return {node["id"] for node in graph_dict["nodes"]}
