"""The Dashboard tab: Train switches to it, and at 1280x800 curves, feature maps and weight
histograms are all on screen together with nothing cut off; the learner's arrangement of its
splitters is kept for the next window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QSplitter, QWidget

from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle
from widgets.main_window import MainWindow
from widgets.plots.feature_maps import FeatureMapsView
from widgets.plots.loss_plot import CurvesView
from widgets.plots.weights import WeightsView
from widgets.training_dock import attach_training

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _on_screen(widget: QWidget, window: QWidget, min_w: int = 120, min_h: int = 80) -> None:
    """Visible, of a useful size, and wholly inside the window."""
    assert widget.isVisible(), type(widget).__name__
    assert widget.width() >= min_w and widget.height() >= min_h, (type(widget).__name__,
                                                                  widget.size())
    top_left = widget.mapTo(window, QPoint(0, 0))
    assert window.rect().contains(QRect(top_left, widget.size())), (type(widget).__name__,
                                                                    top_left, widget.size())


def _cut_off(root: QWidget) -> list[str]:
    """Every visible label, button, combo box or plot under `root` whose text does not fit."""
    problems = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        rect = label.contentsRect()
        if label.wordWrap():
            if label.heightForWidth(rect.width()) > rect.height() + 1:
                problems.append(f"label '{label.text()}' needs more height")
        else:
            widest = max(label.fontMetrics().horizontalAdvance(line)
                         for line in label.text().split("\n"))
            if widest > rect.width() + 1:
                problems.append(f"label '{label.text()}' is cut off")
    for widget in [*root.findChildren(QAbstractButton), *root.findChildren(QComboBox)]:
        if widget.isVisible() and widget.width() < widget.minimumSizeHint().width():
            problems.append(f"{type(widget).__name__} '{getattr(widget, 'text', str)()}' is "
                            "narrower than its text")
    for view in root.findChildren(QWidget):
        if not (view.isVisible() and hasattr(view, "ci")):  # pyqtgraph layout widgets
            continue
        bounds = view.ci.sceneBoundingRect()
        if bounds.right() > view.width() + 1 or bounds.bottom() > view.height() + 1:
            problems.append(f"plots of {type(view.parentWidget()).__name__} overflow "
                            f"{view.width()}x{view.height()}: {bounds}")
        for plot in view.ci.items:
            title = getattr(plot, "titleLabel", None)
            if title is not None and title.isVisible() and (
                    title.item.boundingRect().width() > title.boundingRect().width() + 1):
                problems.append(f"plot title '{title.text}' is cut off")
    return problems


def test_train_shows_curves_maps_and_histograms_together(qtbot, shown_window):
    window = shown_window
    panel = tiny_panel(window, epochs=2)
    window.bottom_tabs.setCurrentWidget(panel.controls)
    click(qtbot, panel.controls.train_button)
    assert window.bottom_tabs.currentWidget() is panel.dashboard
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed", panel.last_error
    qtbot.wait(100)
    assert window.size().width() == 1280 and window.size().height() == 800
    curves = panel.view(CurvesView)
    run = curves.runs[max(curves.runs)]
    assert run.steps.n == 16
    # Curves redraw at most every REDRAW_MS, so the last points arrive a moment later.
    qtbot.waitUntil(lambda: len(run.loss_smooth.getData()[0]) == run.steps.n, timeout=2000)
    maps = panel.view(FeatureMapsView)
    for column in maps.columns:
        assert column.image.image is not None and column.image.image.size > 0
    weights = panel.view(WeightsView)
    xs, counts = weights.histograms.weight_curve.getData()
    assert counts.sum() == 8 * 1 * 3 * 3  # conv1's 72 weights in the live histogram
    for widget in (curves.plots, *(c.view for c in maps.columns), weights.histograms.plots,
                   weights.filters.view):
        _on_screen(widget, window, min_w=60, min_h=60)
    _on_screen(curves, window, 300, 150)
    _on_screen(maps, window, 300, 150)
    _on_screen(weights.histograms, window, 300, 120)
    _on_screen(panel.dashboard.buttons[0], window, 40, 20)  # Train
    assert panel.dashboard.progress_bar.value() == 1000
    assert "Step 16/16" in panel.dashboard.progress_label.text()
    # A line the strip has to cut is whole in its tooltip.
    tip = panel.dashboard.progress_label.toolTip()
    assert "Step 16/16" in tip and "…" not in tip
    assert _cut_off(panel.dashboard) == []


def test_run_controls_on_the_dashboard_stop_a_run(qtbot, shown_window):
    panel = tiny_panel(shown_window, epochs=1000)
    train, _pause, _resume, stop, _step = panel.dashboard.buttons
    click(qtbot, train)
    qtbot.waitUntil(lambda: stop.isEnabled(), timeout=10_000)
    click(qtbot, stop)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "cancelled"
    assert train.isEnabled()


def test_train_keeps_a_lab_view_that_follows_runs(qtbot, shown_window):
    panel = tiny_panel(shown_window, epochs=1)
    open_lab_view(shown_window, "Playground")
    lab_tab = shown_window.bottom_tabs.currentWidget()
    assert lab_tab is not panel.dashboard
    click(qtbot, panel.controls.train_button)
    assert shown_window.bottom_tabs.currentWidget() is lab_tab
    wait_idle(qtbot, panel)


def test_arrangement_is_kept_for_the_next_window(qtbot, shown_window):
    panel = attach_training(shown_window)
    shown_window.bottom_tabs.setCurrentWidget(panel.dashboard)
    qtbot.wait(50)
    rows: QSplitter = panel.dashboard.splitter  # drag the line between the two rows down
    before = rows.sizes()
    handle = rows.handle(1)
    centre = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(handle, centre + QPoint(0, 40))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=centre + QPoint(0, 40))
    moved = rows.sizes()
    assert moved[0] > before[0] + 20
    again = MainWindow(recover=False)
    qtbot.addWidget(again)
    again.resize(1280, 800)
    again.show()
    restored = attach_training(again)
    again.bottom_tabs.setCurrentWidget(restored.dashboard)
    qtbot.wait(50)
    assert abs(restored.dashboard.splitter.sizes()[0] - moved[0]) <= 2


def _names_cut_in_palette(window) -> list[str]:
    tree = window.palette.tree
    cut = []
    for group in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(group)
        for item in [parent, *(parent.child(i) for i in range(parent.childCount()))]:
            index = tree.indexFromItem(item)
            if tree.sizeHintForIndex(index).width() > tree.visualRect(index).width():
                cut.append(item.text(0))
    return cut


def test_palette_asks_for_room_for_every_layer_name(shown_window):
    palette = shown_window.palette
    assert palette.sizeHint().width() == palette.full_width()
    assert shown_window.palette_dock.width() >= palette.full_width() - 4
    assert _names_cut_in_palette(shown_window) == []
    # Squeezed narrower (wide neighbours), names end in "…" instead of a sideways scroll bar,
    # and every item's tooltip still names its layer.
    shown_window.resizeDocks([shown_window.palette_dock], [90], Qt.Orientation.Horizontal)
    assert not palette.tree.horizontalScrollBar().isVisible()
    item = palette.item_for("AdaptiveAvgPool2d")
    assert "AdaptiveAvgPool2d" in item.toolTip(0)
