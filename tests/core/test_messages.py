"""Core messages that the UI can translate: the English text stays exactly what str.format
gives, and every marked template in shapes.py is filled with exactly its own parameters."""

from __future__ import annotations

import ast
import copy
import pickle
import string
from pathlib import Path

import pytest

from app.core import graph, shapes
from app.core.graph import Graph, Node
from app.core.messages import QT_TRANSLATE_NOOP, Message, Template
from app.core.shapes import Fix, Issue, infer

MARKED = (Path(shapes.__file__), Path(graph.__file__))  # core modules with marked messages


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def marked_templates(paths: tuple[Path, ...] = MARKED) -> list[tuple[str, str, set[str] | None]]:
    """(context, template, keyword names of the `.format` call on it, or None when the template
    is held in a variable and formatted later) for every QT_TRANSLATE_NOOP call in `paths`."""
    tree = ast.Module([stmt for path in paths
                       for stmt in ast.parse(path.read_text(encoding="utf-8")).body], [])
    formatted: dict[int, set[str]] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format" and isinstance(node.func.value, ast.Call)):
            formatted[id(node.func.value)] = {k.arg for k in node.keywords}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "QT_TRANSLATE_NOOP":
            context, text = (ast.literal_eval(a) for a in node.args)
            found.append((context, text, formatted.get(id(node))))
    return found


def sample_params(template: str) -> dict[str, object]:
    """A value per placeholder that its format spec accepts (numbers for "{n:,}")."""
    params: dict[str, object] = {}
    for _, name, spec, _ in string.Formatter().parse(template):
        if name:
            params[name] = 1234567 if spec else f"<{name}>"
    return params


def test_message_keeps_the_english_text_and_how_it_was_made():
    template = QT_TRANSLATE_NOOP("ShapeCheck", "{label} has {n:,} weights, see '{node}'")
    assert isinstance(template, Template) and template.context == "ShapeCheck"
    message = template.format(label="Linear 'fc'", n=1234567, node="fc")
    expected = "{label} has {n:,} weights, see '{node}'".format(label="Linear 'fc'", n=1234567,
                                                                node="fc")
    assert message == expected == "Linear 'fc' has 1,234,567 weights, see 'fc'"
    assert str(message) == expected and type(str(message)) is str
    assert f"{message}" == expected and hash(message) == hash(expected)
    assert isinstance(message, Message) and not isinstance(message, Template)
    assert message.context == "ShapeCheck" and message.template == str(template)
    assert message.params == {"label": "Linear 'fc'", "n": 1234567, "node": "fc"}
    with pytest.raises(TypeError, match="named parameters"):
        template.format("positional")
    with pytest.raises(KeyError):
        template.format(label="x")  # a missing parameter fails as str.format does


def test_message_survives_pickle_copy_and_equality_with_plain_text():
    message = QT_TRANSLATE_NOOP("ShapeCheck", "Set {param} of '{node}' to {value}").format(
        param="padding", node="conv1", value=0)
    for twin in (pickle.loads(pickle.dumps(message)), copy.deepcopy(message), copy.copy(message)):
        assert twin == "Set padding of 'conv1' to 0"
        assert isinstance(twin, Message) and twin.params == message.params
        assert (twin.context, twin.template) == (message.context, message.template)
    # Issues and fixes compare with plain English text, as code and tests written before did.
    issue = Issue("conv1", message, Fix(message, "set_param", "conv1", param="padding", value=0))
    assert issue == Issue("conv1", "Set padding of 'conv1' to 0",
                          Fix("Set padding of 'conv1' to 0", "set_param", "conv1",
                              param="padding", value=0))


def test_every_marked_template_is_formatted_with_exactly_its_parameters():
    found = marked_templates()
    assert len(found) >= 45  # all problem messages and fix labels of shapes.py, layer names
    assert {context for context, _, _ in found} == {"ShapeCheck"}
    held = []
    for _, text, keywords in found:
        if keywords is None:
            held.append(text)
        else:
            assert fields(text) == keywords, text
        assert isinstance(QT_TRANSLATE_NOOP("ShapeCheck", text).format(**sample_params(text)),
                           Message)
    # Templates chosen in a variable (A if x else B) are formatted later with a superset of
    # their placeholders; the ones without placeholders are parameters of other messages.
    assert held and all(fields(text) <= {"label", "node", "n", "want", "given", "dtype"}
                        for text in held)


def test_shape_problems_carry_templates_and_read_as_before():
    g = Graph()
    g.add_node(Node("x", "Input", {"shape": [1, 28, 28]}, (0, 0)))
    g.add_node(Node("conv1", "Conv2d", {}, (200, 0)))
    g.add_node(Node("fc1", "Linear", {}, (400, 0)))
    g.add_node(Node("out", "Output", {}, (600, 0)))
    for a, b in (("x", "conv1"), ("conv1", "fc1"), ("fc1", "out")):
        g.connect(a, b)
    (issue,) = infer(g).issues
    assert issue.message == ("Linear 'fc1' expects a flat vector but gets a 8x28x28 feature map: "
                             "insert Flatten before 'fc1'")
    assert issue.message.template == ("{label} expects a flat vector but gets a {shape} feature "
                                      "map: insert Flatten before '{node}'")
    assert issue.message.params == {"label": "Linear 'fc1'", "shape": "8x28x28", "node": "fc1"}
    assert issue.fix.label == "Insert Flatten before 'fc1'"
    assert issue.fix.label.params == {"layer": "Flatten", "node": "fc1"}
    # A template without placeholders (a graph-level problem) is a message too.
    empty = infer(Graph())
    assert [str(i.message) for i in empty.issues] == [
        "the network has no Input layer: drag one from the palette and wire it to the first "
        "layer",
        "the network has no Output layer: add one after the last layer so it can be trained"]
    assert all(isinstance(i.message, Message) and i.message.context == "ShapeCheck"
               for i in empty.issues)
