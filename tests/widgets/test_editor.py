"""The editor driven by real gestures: palette drops, wire drags, moves, keys, fixes."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app import commands
from app.core.graph import Edge
from widgets.canvas import style


def test_drop_from_palette_adds_layer_where_dropped(empty_window, gestures):
    doc = empty_window.doc
    nid = gestures.drop_layer("Conv2d", QPointF(200, 100))
    node = doc.graph.nodes[nid]
    assert node.type == "Conv2d"
    assert gestures.scene.nodes[nid].sceneBoundingRect().contains(QPointF(200, 100))
    assert gestures.scene.selected_node_ids() == [nid]  # ready for the inspector
    gestures.undo()
    assert nid not in doc.graph.nodes and nid not in gestures.scene.nodes
    gestures.redo()
    assert doc.graph.nodes[nid].type == "Conv2d" and nid in gestures.scene.nodes


def test_wire_drag_connects_output_to_input(empty_window, gestures):
    doc = empty_window.doc
    a = gestures.drop_layer("Input", QPointF(100, 100))
    b = gestures.drop_layer("Conv2d", QPointF(400, 100))
    gestures.wire(a, b)
    assert doc.graph.edges == [Edge(a, b)]
    assert gestures.scene.edges[(a, b)].label == "1x28x28"
    gestures.undo()
    assert doc.graph.edges == [] and not gestures.scene.edges
    gestures.redo()
    assert doc.graph.edges == [Edge(a, b)]


def test_wire_drag_from_input_port_backwards(empty_window, gestures):
    a = gestures.drop_layer("Input", QPointF(100, 100))
    b = gestures.drop_layer("Flatten", QPointF(400, 100))
    gestures.drag(gestures.in_port(b), gestures.out_port(a))
    assert empty_window.doc.graph.edges == [Edge(a, b)]


def test_invalid_wires_are_highlighted_and_refused(empty_window, gestures):
    doc, scene = empty_window.doc, gestures.scene
    inp = gestures.drop_layer("Input", QPointF(0, 0))
    conv = gestures.drop_layer("Conv2d", QPointF(250, 0))
    relu = gestures.drop_layer("ReLU", QPointF(500, 0))
    gestures.wire(inp, conv)
    gestures.wire(conv, relu)
    steps = doc.undo_stack.count()

    seen = []

    def target_is_red(port):
        return lambda: seen.append(port.highlight == style.ERROR)

    # A cycle: relu -> conv would loop back.
    gestures.wire(relu, conv, check_midway=target_is_red(scene.nodes[conv].input_port))
    # Conv2d's single input is already taken by the Input layer.
    gestures.wire(relu, conv)
    # A layer cannot feed itself.
    gestures.wire(relu, relu, check_midway=target_is_red(scene.nodes[relu].input_port))
    # Input to input.
    gestures.drag(gestures.in_port(relu), gestures.in_port(conv),
                  check_midway=target_is_red(scene.nodes[conv].input_port))
    # An Input layer has no input port: dropping on its body connects nothing.
    gestures.drag(gestures.out_port(relu), gestures.centre(inp))

    assert seen == [True, True, True]
    assert doc.graph.edges == [Edge(inp, conv), Edge(conv, relu)]
    assert doc.undo_stack.count() == steps
    assert all(p.highlight is None for n in scene.nodes.values()
               for p in (n.input_port, n.output_port) if p)
    assert "Cannot connect" in empty_window.statusBar().currentMessage()


def test_move_by_drag_is_one_undo_step(empty_window, gestures):
    doc = empty_window.doc
    nid = gestures.drop_layer("Linear", QPointF(100, 100))
    start = doc.graph.nodes[nid].pos
    steps = doc.undo_stack.count()
    gestures.drag(gestures.centre(nid), gestures.centre(nid) + QPointF(120, 60), steps=8)
    x, y = doc.graph.nodes[nid].pos
    assert (round(x - start[0]), round(y - start[1])) == (120, 60)
    assert gestures.scene.nodes[nid].pos() == QPointF(x, y)
    assert doc.undo_stack.count() == steps + 1
    gestures.undo()
    assert doc.graph.nodes[nid].pos == start
    assert gestures.scene.nodes[nid].pos() == QPointF(*start)


def test_moving_several_selected_layers_together(empty_window, gestures):
    doc = empty_window.doc
    a = gestures.drop_layer("ReLU", QPointF(100, 100))
    b = gestures.drop_layer("Tanh", QPointF(100, 250))
    gestures.click(a)
    gestures.click(b, Qt.KeyboardModifier.ControlModifier)
    assert set(gestures.scene.selected_node_ids()) == {a, b}
    before = {n: doc.graph.nodes[n].pos for n in (a, b)}
    gestures.drag(gestures.centre(a), gestures.centre(a) + QPointF(50, 0))
    for n in (a, b):
        assert round(doc.graph.nodes[n].pos[0] - before[n][0]) == 50
    gestures.undo()
    assert {n: doc.graph.nodes[n].pos for n in (a, b)} == before


def test_rubber_band_selects_layers(empty_window, gestures):
    a = gestures.drop_layer("ReLU", QPointF(100, 100))
    b = gestures.drop_layer("Tanh", QPointF(350, 100))
    gestures.scene.clearSelection()
    gestures.drag(QPointF(-40, 20), QPointF(480, 200))
    assert set(gestures.scene.selected_node_ids()) == {a, b}


def test_delete_key_removes_selection_and_undo_restores_input_order(empty_window, gestures):
    doc = empty_window.doc
    inp = gestures.drop_layer("Input", QPointF(0, 150))
    convs = [gestures.drop_layer("Conv2d", QPointF(250, y)) for y in (0, 150, 300)]
    add = gestures.drop_layer("Add", QPointF(500, 150))
    for c in convs:
        gestures.wire(inp, c)
        gestures.wire(c, add)
    order = doc.graph.inputs_of(add)
    assert order == convs
    edges_before = list(doc.graph.edges)
    gestures.click(convs[1])
    gestures.key(Qt.Key.Key_Delete)
    assert convs[1] not in doc.graph.nodes and convs[1] not in gestures.scene.nodes
    assert doc.graph.inputs_of(add) == [convs[0], convs[2]]
    gestures.undo()
    assert doc.graph.edges == edges_before
    assert set(gestures.scene.edges) == {(e.src, e.dst) for e in edges_before}
    gestures.redo()
    assert convs[1] not in doc.graph.nodes


def test_delete_a_selected_wire(empty_window, gestures):
    doc = empty_window.doc
    a = gestures.drop_layer("Input", QPointF(0, 0))
    b = gestures.drop_layer("Flatten", QPointF(300, 0))
    gestures.wire(a, b)
    edge = gestures.scene.edges[(a, b)]
    QTest.mouseClick(gestures.viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     gestures.to_view(edge.shape().boundingRect().center()))
    assert gestures.scene.selected_edges() == [Edge(a, b)]
    gestures.key(Qt.Key.Key_Delete)
    assert doc.graph.edges == [] and set(doc.graph.nodes) == {a, b}
    gestures.undo()
    assert doc.graph.edges == [Edge(a, b)]


def test_one_click_fix_inserts_flatten_as_one_step(empty_window, gestures, qtbot):
    doc = empty_window.doc
    inp = gestures.drop_layer("Input", QPointF(0, 0))
    conv = gestures.drop_layer("Conv2d", QPointF(250, 0))
    fc = gestures.drop_layer("Linear", QPointF(500, 0))
    out = gestures.drop_layer("Output", QPointF(750, 0))
    for s, d in ((inp, conv), (conv, fc), (fc, out)):
        gestures.wire(s, d)
    assert not doc.report.ok
    assert gestures.scene.nodes[fc].has_error  # red border
    assert "Flatten" in gestures.scene.nodes[fc].toolTip()
    graph_before = doc.graph.to_dict()

    gestures.click(fc)
    buttons = empty_window.inspector.layer.fix_buttons()
    assert [b.text() for b in buttons] == [f"Fix: Insert Flatten before '{fc}'"]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)

    assert doc.report.ok
    (flat,) = [n.id for n in doc.graph.nodes.values() if n.type == "Flatten"]
    assert doc.graph.inputs_of(fc) == [flat] and doc.graph.inputs_of(flat) == [conv]
    assert not gestures.scene.nodes[fc].has_error
    assert gestures.scene.edges[(flat, fc)].label == "6272"  # 8 x 28 x 28
    gestures.undo()
    assert doc.graph.to_dict() == graph_before
    assert flat not in gestures.scene.nodes and (conv, fc) in gestures.scene.edges


def test_inspector_spin_box_updates_shapes_and_wire_label(window, gestures):
    doc, scene = window.doc, gestures.scene
    gestures.click("conv1")
    spin = window.inspector.layer.editors["out_channels"].widget
    assert spin.value() == 8
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, "12")
    QTest.keyClick(spin, Qt.Key.Key_Return)
    assert doc.graph.nodes["conv1"].params["out_channels"] == 12
    assert doc.report.out_shape("conv1") == (12, 28, 28)
    assert scene.edges[("conv1", "relu1")].label == "12x28x28"
    assert scene.nodes["conv1"].out_shape == "12x28x28"
    steps = doc.undo_stack.count()
    QTest.keyClick(spin, Qt.Key.Key_Up)
    QTest.keyClick(spin, Qt.Key.Key_Up)
    assert doc.graph.nodes["conv1"].params["out_channels"] == 14
    assert doc.undo_stack.count() == steps + 1  # arrow steps of one gesture merge
    window.view.setFocus()
    gestures.undo()
    assert doc.graph.nodes["conv1"].params["out_channels"] == 12
    assert spin.value() == 12
    gestures.undo()
    assert doc.graph.nodes["conv1"].params["out_channels"] == 8
    assert scene.edges[("conv1", "relu1")].label == "8x28x28"


def test_inspector_choice_bool_and_shape_editors(window, gestures):
    doc = window.doc
    gestures.click("inp")
    shape_edit = window.inspector.layer.editors["shape"].widget
    shape_edit.setFocus()
    shape_edit.setText("1, 32, 32")
    QTest.keyClick(shape_edit, Qt.Key.Key_Return)
    assert doc.graph.nodes["inp"].params["shape"] == (1, 32, 32)
    assert doc.report.out_shape("conv1") == (8, 32, 32)
    shape_edit.setText("one, two")
    QTest.keyClick(shape_edit, Qt.Key.Key_Return)
    assert doc.graph.nodes["inp"].params["shape"] == (1, 32, 32)
    assert "whole numbers" in shape_edit.toolTip()
    gestures.click("conv1")
    window.inspector.layer.editors["bias"].widget.setChecked(False)
    assert doc.graph.nodes["conv1"].params["bias"] is False
    gestures.click("out")
    window.inspector.layer.editors["loss"].widget.setCurrentText("mse")
    assert doc.graph.nodes["out"].params["loss"] == "mse"


def test_rename_in_inspector_keeps_wires(window, gestures):
    doc = window.doc
    gestures.click("conv1")
    name = window.inspector.layer.name
    name.setFocus()
    name.setText("edges")
    QTest.keyClick(name, Qt.Key.Key_Return)
    assert "edges" in doc.graph.nodes and "conv1" not in doc.graph.nodes
    assert ("inp", "edges") in gestures.scene.edges
    assert gestures.scene.nodes["edges"].node_id == "edges"
    name.setText("1bad")
    QTest.keyClick(name, Qt.Key.Key_Return)
    assert "edges" in doc.graph.nodes
    assert window.inspector.layer.name_error.isVisibleTo(window.inspector.layer)
    window.view.setFocus()
    gestures.undo()
    assert "conv1" in doc.graph.nodes and ("inp", "conv1") in gestures.scene.edges


def test_copy_paste_and_duplicate(window, gestures):
    doc = window.doc
    gestures.click("conv1")
    gestures.click("relu1", Qt.KeyboardModifier.ControlModifier)
    n = len(doc.graph.nodes)
    gestures.key(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    gestures.key(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.graph.nodes) == n + 2
    assert Edge("conv1_copy", "relu1_copy") in doc.graph.edges  # the inner wire comes along
    assert gestures.scene.selected_node_ids() == ["conv1_copy", "relu1_copy"]
    gestures.key(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert {"conv1_copy_copy", "relu1_copy_copy"} <= set(doc.graph.nodes)
    gestures.undo()
    gestures.undo()
    assert len(doc.graph.nodes) == n
    gestures.click("conv1")
    gestures.key(Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert "conv1" not in doc.graph.nodes
    gestures.key(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert doc.graph.nodes["conv1_copy"].params == {"out_channels": 8, "kernel_size": 3,
                                                   "padding": 1}


def test_palette_search_and_double_click_inserts_after_selection(window, gestures):
    doc, palette = window.doc, window.palette
    palette.search.setText("drop")
    visible = [palette.item_for(t) for t in ("Dropout", "Conv2d")]
    assert not visible[0].isHidden() and visible[1].isHidden()
    palette.search.clear()
    assert not palette.item_for("Conv2d").isHidden()
    assert "filters" in palette.item_for("Conv2d").toolTip(0)

    gestures.click("fc1")
    item = palette.item_for("Dropout")
    palette.tree.scrollToItem(item)
    rect = palette.tree.visualItemRect(item)
    # A real double-click: QTest's mouseDClick alone is only the second half of one.
    QTest.mouseClick(palette.tree.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(palette.tree.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, rect.center())
    (drop,) = [n.id for n in doc.graph.nodes.values() if n.type == "Dropout"]
    assert doc.graph.outputs_of("fc1") == [drop]
    assert doc.graph.outputs_of(drop) == ["relu4"]
    assert doc.report.ok
    gestures.undo()
    assert doc.graph.outputs_of("fc1") == ["relu4"] and drop not in doc.graph.nodes


def test_auto_layout_orders_by_depth_in_one_step(window, gestures):
    doc = window.doc
    for i, nid in enumerate(doc.graph.nodes):
        doc.set_pos(nid, (i * 37 % 200, i * 91 % 300))  # a mess (not a user edit)
    before = {n: node.pos for n, node in doc.graph.nodes.items()}
    steps = doc.undo_stack.count()
    window.act_layout.trigger()
    assert doc.undo_stack.count() == steps + 1
    assert doc.graph.nodes["conv1"].pos[0] > doc.graph.nodes["inp"].pos[0]
    positions = {node.pos for node in doc.graph.nodes.values()}
    assert len(positions) == len(doc.graph.nodes)  # nothing stacked on top of each other
    gestures.undo()
    assert {n: node.pos for n, node in doc.graph.nodes.items()} == before


def test_zoom_and_fit(window, gestures):
    view = window.view
    window.act_fit.trigger()
    for item in gestures.scene.nodes.values():
        assert view.viewport().rect().contains(view.mapFromScene(item.sceneBoundingRect().center()))
    z = view.zoom()
    gestures.key(Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() > z
    gestures.key(Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    gestures.key(Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() < z
    gestures.key(Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert abs(view.zoom() - z) < 1e-6


def test_model_summary_table(window):
    window.inspector.setCurrentIndex(1)
    summary = window.inspector.summary
    QApplication.processEvents()
    rows = {summary.table.item(r, 0).text(): summary.table.item(r, 2).text()
            for r in range(summary.table.rowCount())}
    assert rows["conv1"] == "8x28x28" and rows["fc2"] == "8"
    assert f"{window.doc.report.total_params:,}" in summary.totals.text()
    assert "Estimated memory" in summary.totals.text()


def test_feature_maps_request_is_a_signal(window, qtbot):
    with qtbot.waitSignal(window.featureMapsRequested) as blocker:
        window.scene.featureMapsRequested.emit("conv2")
    assert blocker.args == ["conv2"]


def test_build_lenet_from_an_empty_canvas_with_gestures(empty_window, gestures):
    """LeNet-5 on 1x28x28: conv 6@5x5 p2, pool, conv 16@5x5, pool, 120, 84, 10."""
    doc = empty_window.doc
    window = empty_window
    plan = [("Input", {}), ("Conv2d", {"out_channels": 6, "kernel_size": 5, "padding": 2}),
            ("ReLU", {}), ("MaxPool2d", {}), ("Conv2d", {"out_channels": 16, "kernel_size": 5,
                                                          "padding": 0}),
            ("ReLU", {}), ("MaxPool2d", {}), ("Flatten", {}), ("Linear", {"out_features": 120}),
            ("ReLU", {}), ("Linear", {"out_features": 84}), ("ReLU", {}),
            ("Linear", {"out_features": 10}), ("Output", {})]
    ids = []
    for i, (type_name, params) in enumerate(plan):
        window.view.resetTransform()
        window.view.centerOn(QPointF(0, 0))
        pos = QPointF(-300 + (i % 4) * 200, -150 + (i // 4) * 110)
        nid = gestures.drop_layer(type_name, pos)
        for name, value in params.items():
            spin = window.inspector.layer.editors[name].widget
            spin.setFocus()
            spin.selectAll()
            QTest.keyClicks(spin, str(value))
            QTest.keyClick(spin, Qt.Key.Key_Tab)
        if ids:
            gestures.wire(ids[-1], nid)
        ids.append(nid)
    report = doc.report
    assert report.ok, [i.message for i in report.issues]
    assert report.out_shape(ids[4]) == (16, 10, 10)
    assert report.out_shape(ids[7]) == (400,)
    assert report.out_shape(ids[-1]) == (10,)
    assert report.total_params == 61_706  # the classic LeNet-5 count


def test_context_menu_offers_fix_and_feature_maps(window, gestures, qtbot):
    doc = window.doc
    doc.undo_stack.push(commands.Delete(doc, ["flatten"]))
    gestures.wire("relu3", "fc1")
    menu = gestures.scene.nodes["fc1"].context_menu()
    labels = [a.text() for a in menu.actions() if a.text()]
    assert labels == ["Delete", "Duplicate", "Fix: Insert Flatten before 'fc1'",
                      "Show feature maps"]
    with qtbot.waitSignal(window.featureMapsRequested) as blocker:
        menu.actions()[-1].trigger()
    assert blocker.args == ["fc1"]
    next(a for a in menu.actions() if a.text().startswith("Fix")).trigger()
    assert doc.report.ok


def test_middle_button_and_space_drag_pan(window, gestures):
    view, viewport = window.view, gestures.viewport
    centre = view.visible_centre()
    start = viewport.rect().center()
    QTest.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, start + QPoint(100, 40))
    QTest.mouseRelease(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier,
                       start + QPoint(100, 40))
    moved = view.visible_centre() - centre
    assert moved.x() < -50 and moved.y() < -20  # the canvas follows the hand
    centre = view.visible_centre()
    QTest.keyPress(view, Qt.Key.Key_Space)
    gestures.drag(view.mapToScene(start), view.mapToScene(start + QPoint(-80, 0)))
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert view.visible_centre().x() > centre.x() + 40
    assert gestures.scene.selected_node_ids() == []  # panning selects nothing


def test_wheel_zooms(window):
    view = window.view
    z = view.zoom()
    QApplication.sendEvent(view.viewport(), _wheel(view, 120))
    assert view.zoom() > z


def _wheel(view, delta: int) -> QWheelEvent:
    pos = QPointF(view.viewport().rect().center())
    return QWheelEvent(pos, QPointF(view.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                       QPoint(0, delta),
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                       Qt.ScrollPhase.NoScrollPhase, False)


def test_delete_key_in_an_inspector_field_keeps_the_layer(window, gestures, qtbot):
    gestures.click("conv1")
    checkbox = window.inspector.layer.editors["bias"].widget
    qtbot.waitUntil(checkbox.isVisible)  # new form rows are shown by a queued call
    checkbox.setFocus()
    assert QApplication.focusWidget() is checkbox
    QTest.keyClick(checkbox, Qt.Key.Key_Delete)
    assert "conv1" in window.doc.graph.nodes
    window.act_delete.trigger()  # the menu item still works on the canvas selection
    assert "conv1" not in window.doc.graph.nodes


def test_escape_cancels_a_wire_drag(empty_window, gestures):
    a = gestures.drop_layer("Input", QPointF(0, 0))
    b = gestures.drop_layer("Flatten", QPointF(300, 0))

    def press_escape():
        QTest.keyClick(empty_window.view, Qt.Key.Key_Escape)

    gestures.wire(a, b, check_midway=press_escape)
    assert empty_window.doc.graph.edges == []
    assert gestures.scene.nodes[b].input_port.highlight is None
