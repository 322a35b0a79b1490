"""The dashboard fits a 1280x800 window beside a palette that shows whole layer names and a
canvas of a usable height; while a run goes on, its views redraw in turns (one per turn of the
event loop) and each of them still several times a second."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QElapsedTimer, QObject

from tests.widgets.training_helpers import click, tiny_panel
from widgets.plots.common import LIVE_GAP_MS, LiveDraws, live_draws
from widgets.plots.feature_maps import FeatureMapsView
from widgets.plots.loss_plot import CurvesView
from widgets.plots.weights import WeightsView
from widgets.training_dock import attach_training

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _names_too_narrow(window) -> list[str]:
    """Layer names (and group names) of the palette that its width cannot show whole."""
    tree = window.palette.tree
    metrics = tree.fontMetrics()
    cut = []
    for group in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(group)
        for item in [parent, *(parent.child(i) for i in range(parent.childCount()))]:
            icon = tree.iconSize().width() if not item.icon(0).isNull() else 0
            needed = metrics.horizontalAdvance(item.text(0)) + icon
            if needed > tree.visualRect(tree.indexFromItem(item)).width():
                cut.append(item.text(0))
    return cut


def test_dashboard_fits_beside_a_readable_palette_at_1280x800(qtbot, shown_window):
    window = shown_window
    panel = attach_training(window)
    for tab in (panel.controls, panel.dashboard):  # the editor's view, then the dashboard's
        window.bottom_tabs.setCurrentWidget(tab)
        qtbot.wait(50)
        assert window.size().width() == 1280 and window.size().height() == 800
        assert _names_too_narrow(window) == [], window.bottom_tabs.tabText(
            window.bottom_tabs.currentIndex())
        assert window.view.height() >= 200 and window.view.width() >= 600, window.view.size()
    dashboard = panel.dashboard
    needs = dashboard.minimumSizeHint()
    assert needs.width() <= dashboard.width() and needs.height() <= dashboard.height(), (
        needs, dashboard.size())
    # A wide view in another tab (the bias lab needs more than the dashboard) does not take
    # the palette's room while the dashboard is shown.
    assert window.bottom_tabs.minimumSizeHint().width() < 1280 - window.palette.full_width()


def test_live_draws_take_turns_and_keep_the_newest(qtbot):
    queue = LiveDraws()
    owners = [QObject() for _ in range(3)]
    drawn: list[tuple[int, str, int]] = []
    clock = QElapsedTimer()
    clock.start()

    def draw(i: int, version: str):
        return lambda: drawn.append((i, version, clock.elapsed()))

    for i, owner in enumerate(owners):
        queue.request(owner, draw(i, "old"))
    queue.request(owners[0], draw(0, "new"))  # asked again before its turn: only the newest
    qtbot.waitUntil(lambda: queue.pending() == 0, timeout=2000)
    assert [(i, v) for i, v, _t in drawn] == [(0, "new"), (1, "old"), (2, "old")]
    times = [t for _i, _v, t in drawn]
    assert all(b - a >= LIVE_GAP_MS - 2 for a, b in zip(times, times[1:], strict=False)), times
    queue.request(owners[1], draw(1, "gone"))
    owners[1].deleteLater()  # a view that goes away takes its request with it
    queue.request(owners[2], draw(2, "cleared"))
    queue.cancel(owners[2])  # a view that was cleared does not draw the old picture again
    qtbot.wait(LIVE_GAP_MS * 3)
    assert [(i, v) for i, v, _t in drawn][3:] == []


def test_a_live_run_redraws_every_view_in_turns(qtbot, shown_window):
    panel = tiny_panel(shown_window, epochs=1000)
    views = {panel.view(CurvesView): "curves", panel.view(FeatureMapsView): "maps",
             panel.view(WeightsView): "weights"}
    drawn: list[tuple[str, int]] = []
    clock = QElapsedTimer()

    def record(owner: QObject) -> None:
        if owner in views and clock.isValid():
            drawn.append((views[owner], clock.elapsed()))

    live_draws().drew.connect(record)
    try:
        click(qtbot, panel.dashboard.buttons[0])  # Train, on the dashboard
        qtbot.waitUntil(lambda: len(panel.history) >= 2, timeout=20_000)
        clock.start()
        qtbot.wait(2500)
    finally:
        live_draws().drew.disconnect(record)
        panel.controller.stop(wait=True)  # the ended run's last pictures are drawn at once
    counts = {name: sum(1 for n, _t in drawn if n == name) for name in views.values()}
    # Snapshots come about twice a second and the curves redraw up to four times: a learner
    # watching sees every view change several times in these 2.5 seconds.
    assert all(count >= 3 for count in counts.values()), counts
    times = [t for _n, t in drawn]
    assert all(b - a >= LIVE_GAP_MS - 2 for a, b in zip(times, times[1:], strict=False)), drawn
    # Each round of snapshots reaches every view within three turns of the queue.
    names = [n for n, _t in drawn]
    for i, name in enumerate(names[:-3]):
        if name == "maps":
            assert "weights" in names[i + 1:i + 4], names
