"""Document and undo commands without any widget: edge order, merges, fixes, layout."""

from __future__ import annotations

import pytest

from app import commands
from app.core import layout, presets
from app.core.graph import Edge
from app.document import Document


@pytest.fixture
def doc(qapp):
    d = Document()
    d.load(presets.load_preset("resnet_mini"))
    return d


def record(doc: Document) -> list[tuple]:
    events: list[tuple] = []
    for name in ("nodeAdded", "nodeRemoved", "nodeChanged", "nodeMoved", "edgeAdded",
                 "edgeRemoved"):
        getattr(doc, name).connect(lambda *args, n=name: events.append((n, *args)))
    return events


def test_delete_nodes_and_wires_restores_exact_edge_order(doc):
    before = list(doc.graph.edges)
    add_inputs = doc.graph.inputs_of("b1_add")
    victims = [add_inputs[0], "b1_conv1"]
    stray = Edge(add_inputs[1], "b1_add")
    doc.undo_stack.push(commands.Delete(doc, victims, [stray]))
    assert not set(victims) & set(doc.graph.nodes)
    doc.undo_stack.undo()
    assert doc.graph.edges == before
    assert doc.graph.inputs_of("b1_add") == add_inputs


def test_disconnect_undo_keeps_merge_input_order(doc):
    inputs = doc.graph.inputs_of("b1_add")
    doc.undo_stack.push(commands.Disconnect(doc, inputs[0], "b1_add"))
    assert doc.graph.inputs_of("b1_add") == inputs[1:]
    doc.undo_stack.undo()
    assert doc.graph.inputs_of("b1_add") == inputs


def test_each_command_reinfers_shapes_once(doc):
    reports = []
    doc.shapesChanged.connect(reports.append)
    doc.undo_stack.push(commands.Delete(doc, ["b1_conv1", "b1_bn1", "b1_relu1"]))
    assert len(reports) == 1
    doc.undo_stack.undo()
    assert len(reports) == 2 and reports[-1].ok


def test_moves_merge_into_one_step_and_positions_never_reinfer(doc):
    reports = []
    doc.shapesChanged.connect(reports.append)
    start = doc.graph.nodes["stem"].pos
    key = commands.new_merge_key()
    for dx in (5, 10, 40):
        doc.undo_stack.push(commands.MoveNodes(
            doc, {"stem": (start, (start[0] + dx, start[1]))}, merge_key=key))
    assert doc.undo_stack.count() == 1
    assert doc.graph.nodes["stem"].pos == (start[0] + 40, start[1])
    assert reports == []
    doc.undo_stack.undo()
    assert doc.graph.nodes["stem"].pos == start


def test_a_drag_back_to_the_start_leaves_no_step(doc):
    start = doc.graph.nodes["stem"].pos
    key = commands.new_merge_key()
    for x in (start[0] + 30, start[0]):
        doc.undo_stack.push(commands.MoveNodes(doc, {"stem": (start, (x, start[1]))},
                                               merge_key=key))
    assert doc.undo_stack.count() == 0


def test_set_param_merges_and_restores_the_default(doc):
    assert "stride" not in doc.graph.nodes["stem"].params
    key = commands.new_merge_key()
    for v in (2, 3):
        doc.undo_stack.push(commands.SetParam(doc, "stem", "stride", v, merge_key=key))
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert "stride" not in doc.graph.nodes["stem"].params  # back to "use the default"


def test_connect_problems(doc):
    assert doc.connect_problem("stem", "stem") == "a layer cannot feed itself"
    assert "loop" in doc.connect_problem("b1_relu", "stem")
    assert "loop" in doc.connect_problem("b1_relu", "b1_add")
    assert "already taken" in doc.connect_problem("inp", "b1_conv2")
    assert "takes no input" in doc.connect_problem("stem", "inp")
    assert doc.connect_problem("stem", "b1_add") is None  # merges take many wires


def test_apply_fix_is_one_step_and_emits_only_differences(doc):
    doc.undo_stack.push(commands.Delete(doc, ["flatten"]))
    doc.undo_stack.push(commands.Connect(doc, "gap", "fc"))
    (issue,) = [i for i in doc.report.issues if i.fix]
    events = record(doc)
    cmd, added = commands.apply_fix_command(doc, issue.fix)
    doc.undo_stack.push(cmd)
    assert doc.report.ok and doc.graph.nodes[added[0]].type == "Flatten"
    assert ("nodeAdded", added[0]) in events
    assert ("edgeRemoved", "gap", "fc") in events
    assert not [e for e in events if e[0] == "nodeRemoved"]
    doc.undo_stack.undo()
    assert added[0] not in doc.graph.nodes and Edge("gap", "fc") in doc.graph.edges


def test_paste_gives_fresh_ids_and_keeps_inner_wires(doc):
    frag = commands.fragment_of(doc.graph, ["b1_conv1", "b1_bn1", "fc"])
    assert frag.edges == [Edge("b1_conv1", "b1_bn1")]
    cmd = commands.Paste(doc, frag, (10, 10))
    doc.undo_stack.push(cmd)
    assert cmd.new_ids == ["b1_conv1_copy", "b1_bn1_copy", "fc_copy"]
    assert Edge("b1_conv1_copy", "b1_bn1_copy") in doc.graph.edges
    doc.undo_stack.push(commands.Paste(doc, frag, (20, 20)))
    assert "b1_conv1_copy2" in doc.graph.nodes
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert not any(n.endswith(("_copy", "_copy2")) for n in doc.graph.nodes)


def test_rename_and_title(doc, tmp_path):
    titles = []
    doc.titleChanged.connect(titles.append)
    doc.undo_stack.push(commands.Rename(doc, "stem", "first_conv"))
    assert Edge("inp", "first_conv") in doc.graph.edges
    assert titles[-1].startswith("ResNet") and "*" in titles[-1] or "*" in titles[-1]
    doc.save(tmp_path / "r.json")
    assert titles[-1] == "r.json — Netzwerkstatt"


def test_layout_wraps_long_chains_into_bands(doc):
    positions = layout.layout_positions(doc.graph, canvas=(800, 520), node_size=(140, 74))
    xs = {round(p[0]) for p in positions.values()}
    ys = {round(p[1]) for p in positions.values()}
    assert len(xs) < len(positions) and len(ys) > 1  # not one endless row
    assert positions["inp"] == (0.0, 0.0)
    assert len(set(positions.values())) == len(positions)


def test_layout_keeps_short_chains_in_one_row(qapp):
    d = Document()
    d.load(presets.load_preset("lstm_sequence"))
    positions = layout.layout_positions(d.graph, canvas=(800, 520), node_size=(140, 74))
    assert {p[1] for p in positions.values()} == {0.0}
