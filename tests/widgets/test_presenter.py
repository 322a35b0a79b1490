"""Presenter mode, themes, the shortcut cheat sheet, the saved window layout and slow motion,
driven with real keys on the real window."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from widgets.canvas import style
from widgets.main_window import MainWindow
from widgets.presenter import ShortcutSheet

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def light_after():
    """The theme and line scale are process-wide: every test leaves them as it found them."""
    yield
    style.set_theme("light")
    style.set_line_scale(1.0)


def wire_pixels(window: MainWindow) -> int:
    """Pixels of the wire's colour when one wire is drawn alone at 1:1 (its thickness)."""
    edge = next(iter(window.scene.edges.values()))
    rect = edge.sceneBoundingRect()
    image = QImage(int(rect.width()) + 1, int(rect.height()) + 1, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.translate(-rect.topLeft())
    painter.translate(edge.pos())
    edge.paint(painter, None, None)
    painter.end()
    wire = style.WIRE

    def is_wire(c: QColor) -> bool:  # the wire's own colour, not its shape label
        return c.alpha() > 200 and max(abs(c.red() - wire.red()), abs(c.green() - wire.green()),
                                       abs(c.blue() - wire.blue())) < 12
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if is_wire(image.pixelColor(x, y)))


def curve_widths(window: MainWindow) -> list[float]:
    return [pg.mkPen(item.opts["pen"]).widthF() for view in window.findChildren(pg.GraphicsView)
            for item in view.scene().items()
            if isinstance(item, pg.PlotDataItem) and item.opts.get("pen") is not None]


def test_presenter_key_enlarges_text_zoom_and_lines_and_the_same_key_restores(
        window, qtbot, light_after):
    from tests.widgets.training_helpers import click, tiny_panel, wait_idle
    from widgets.training_dock import attach_training

    attach_training(window)
    app = QApplication.instance()
    font, zoom = app.font().pointSizeF(), window.view.zoom()
    wire, curves = wire_pixels(window), curve_widths(window)
    assert curves, "the dashboard has curves to thicken"

    QTest.keyClick(window, Qt.Key.Key_F11)
    assert window.presentation.act_presenter.isChecked()
    assert app.font().pointSizeF() == pytest.approx(font * style.PRESENTER_FONT_SCALE)
    QApplication.processEvents()
    assert window.problems.font().pointSizeF() == pytest.approx(
        font * style.PRESENTER_FONT_SCALE)  # the widgets follow the application font
    assert window.view.zoom() == pytest.approx(zoom * style.PRESENTER_ZOOM)
    assert wire_pixels(window) > 1.6 * wire  # the wire is drawn about twice as thick
    assert curve_widths(window) == pytest.approx([w * style.PRESENTER_LINE_SCALE
                                                  for w in curves])

    # A run started in presenter mode draws its new curves thick as well.
    panel = tiny_panel(window, epochs=1)
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    qtbot.waitUntil(lambda: len(curve_widths(window)) > len(curves))
    thick = curve_widths(window)  # leaving presenter mode halves every one: all were doubled

    QTest.keyClick(window, Qt.Key.Key_P, CTRL_SHIFT)  # the second key leaves it too
    assert not window.presentation.act_presenter.isChecked()
    assert app.font().pointSizeF() == pytest.approx(font)
    assert window.view.zoom() == pytest.approx(zoom)
    assert wire_pixels(window) == wire
    assert curve_widths(window) == pytest.approx([w / style.PRESENTER_LINE_SCALE
                                                  for w in thick])


def canvas_colour(window: MainWindow) -> QColor:
    image = window.view.viewport().grab().toImage()
    return image.pixelColor(3, 3)  # a corner of the canvas: background (or a grid line)


def test_dark_theme_switches_palette_canvas_and_plots_and_is_remembered(
        window, qtbot, light_after, monkeypatch):
    from widgets.training_dock import attach_training

    attach_training(window)
    app = QApplication.instance()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert canvas_colour(window).lightness() > 200

    QTest.keyClick(window, Qt.Key.Key_D, CTRL_SHIFT)
    assert window.presentation.act_dark.isChecked()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 60
    assert app.palette().color(QPalette.ColorRole.Text).lightness() > 200
    assert canvas_colour(window).lightness() < 60
    plot = window.findChildren(pg.PlotWidget)[0]
    assert plot.backgroundBrush().color().lightness() < 60

    # A new window (the next start) comes up dark, from QSettings.
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    second = MainWindow(recover=False)
    qtbot.addWidget(second)
    assert second.presentation.act_dark.isChecked()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 60

    second.presentation.act_dark.trigger()  # and back: light, remembered as light
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert canvas_colour(window).lightness() > 200
    third = MainWindow(recover=False)
    qtbot.addWidget(third)
    assert not third.presentation.act_dark.isChecked()


def test_window_size_and_docks_come_back_after_a_restart(window, qtbot, monkeypatch):
    window.resize(780, 580)  # within the offscreen screen (restoring clamps to it)
    window.inspector_dock.hide()
    qtbot.waitUntil(lambda: window.width() == 780)
    window.close()  # saves the layout (the fixture discards unsaved changes)

    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    again = MainWindow(recover=False)
    qtbot.addWidget(again)
    assert again.presentation.restore_layout()
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (780, 580)
    assert again.inspector_dock.isHidden()
    assert not again.palette_dock.isHidden()


def test_cheat_sheet_lists_every_main_action_with_its_keys(window, qtbot):
    from widgets.training_dock import attach_training

    panel = attach_training(window)
    QTest.keyClick(window, Qt.Key.Key_F1)
    sheet = window.presentation.sheet
    assert isinstance(sheet, ShortcutSheet) and sheet.isVisible()
    rows = {(keys, action) for keys, action, _menu in sheet.rows()}
    expected = [window.act_new, window.act_open, window.act_save, window.act_undo,
                window.act_redo, window.act_copy, window.act_paste, window.act_fit,
                window.act_layout, panel.act_train, panel.act_stop, panel.act_pause,
                panel.act_step, window.presentation.act_presenter,
                window.presentation.act_dark, window.presentation.act_shortcuts]
    for action in expected:
        keys = ", ".join(k.toString() for k in action.shortcuts())
        name = action.text().replace("&", "")
        assert (keys, name) in rows, f"{name} ({keys}) missing from the cheat sheet"
    assert any("Del" in keys for keys, _action in rows)  # the canvas-only Delete key
    train = next(r for r in sheet.rows() if r[1] == "Train")
    assert train[0] == "F5" and train[2] == "Training"
    sheet.close()


def test_slow_motion_speed_is_a_saved_run_setting_that_stretches_the_run(window, qtbot):
    from app.core.project_io import project_from_dict
    from tests.widgets.training_helpers import click, tiny_panel, wait_idle

    panel = tiny_panel(window, epochs=1)  # 8 steps
    controls = panel.controls
    click(qtbot, controls.train_button)
    wait_idle(qtbot, panel)
    fast = panel.last_summary
    assert fast["status"] == "completed" and fast["steps"] == 8

    # "very slow": 0.4 s a step, well above this tiny run's own step time (with probes every step)
    controls.speed_combo.setCurrentIndex(controls.speed_combo.findText("very slow"))
    training = window.doc.project.training
    assert training.min_step_s == pytest.approx(0.4)
    assert "training speed" in window.doc.undo_stack.undoText()
    saved = window.doc.to_project().to_dict()
    assert project_from_dict(saved).training.min_step_s == pytest.approx(0.4)

    click(qtbot, controls.train_button)
    assert not controls.speed_combo.isEnabled()  # run settings are fixed while it runs
    wait_idle(qtbot, panel)
    slow = panel.last_summary
    assert slow["status"] == "completed" and slow["steps"] == 8
    assert slow["seconds"] >= 8 * 0.4 * 0.95
    assert slow["seconds"] > fast["seconds"] + 2.0

    stack = window.doc.undo_stack
    while "training speed" not in stack.undoText():  # the runs' own steps come first
        stack.undo()
    stack.undo()  # back to full speed, and the combo shows it
    assert window.doc.project.training.min_step_s == 0.0
    assert controls.speed_combo.currentText() == "full speed"


def test_stop_ends_a_slow_motion_run_at_once(window, qtbot):
    import time

    from tests.widgets.training_helpers import click, tiny_panel, wait_idle, wait_step

    panel = tiny_panel(window, epochs=50)  # 400 steps: 160 s at "very slow"
    controls = panel.controls
    controls.speed_combo.setCurrentIndex(controls.speed_combo.findText("very slow"))
    click(qtbot, controls.train_button)
    wait_step(qtbot, panel, 2)
    started = time.perf_counter()
    click(qtbot, controls.stop_button)
    wait_idle(qtbot, panel)
    assert time.perf_counter() - started < 2.0  # not the rest of a 0.4 s wait per step, ever
    assert panel.last_summary is None or panel.last_summary["status"] == "cancelled"
    assert "stopped" in controls.status_label.text().lower()
