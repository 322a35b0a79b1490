"""Puts the training dashboard into the main window's bottom dock and wires it up.

`attach_training` is the one place that knows both the window and the panel: it adds the tabs
(Training, the Dashboard with the views seen together, then one per other view in
`widgets.run_views.VIEWS`), a Training menu whose shortcuts work from any tab, the canvas'
"show feature maps" request, the rule that Train shows the dashboard (unless a view of runs is
already showing), and the rule that a closing window first stops and joins a running training
thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QEventLoop,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from app.commands import SetSettings
from widgets.dashboard import TITLE as DASHBOARD_TITLE
from widgets.lab.registry import LAB_VIEWS, shown_title, shown_tooltip
from widgets.plots.feature_maps import FeatureMapsView
from widgets.plots.loss_plot import REDRAW_MS
from widgets.plots.run_view import ViewSpec
from widgets.runs_list import open_runs_dialog
from widgets.torchrun_dialog import open_torchrun_dialog
from widgets.training_controls import FOLDER_ITEM
from widgets.training_panel import TrainingPanel

DOCK_HEIGHT = 360  # tall enough for three feature-map grids; the canvas keeps the rest
DASHBOARD_KEY = "dashboard/splitters"  # the learner's arrangement of the dashboard



def view_title(spec: ViewSpec) -> str:
    """A view's tab title in the UI language. Titles stay English as keys (the dashboard's
    rows, `panel.view(title)`, `--view`); lab views translate theirs (`shown_title`), the
    dashboard's views are marked in the "RunViews" context (widgets/run_views.py)."""
    if spec in LAB_VIEWS:
        return shown_title(spec)
    return QCoreApplication.translate("RunViews", spec.title)


def view_tooltip(spec: ViewSpec) -> str:
    if spec in LAB_VIEWS:
        return shown_tooltip(spec)
    return QCoreApplication.translate("RunViews", spec.tooltip) if spec.tooltip else ""


class _StopOnClose(QObject):
    """Joins the training thread once the window is really going away (a Close the window
    refused, e.g. "Cancel" on unsaved changes, leaves the run alone)."""

    def __init__(self, window: QMainWindow, panel: TrainingPanel) -> None:
        super().__init__(window)
        self.panel = panel

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and not event.spontaneous():
            self.panel.shutdown()
        return False


def attach_training(window: QMainWindow) -> TrainingPanel:
    """Add the training tabs to `window` (once; later calls return the same panel)."""
    existing = getattr(window, "training_panel", None)
    if isinstance(existing, TrainingPanel):
        return existing
    panel = TrainingPanel(window.doc, window)
    window.training_panel = panel
    translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")
    window.add_training_panel(panel.controls, translate("TrainingDock", "Training"))
    if panel.dashboard.views:
        index = window.add_training_panel(panel.dashboard, translate("TrainingDock", "Dashboard"))
        window.bottom_tabs.setTabToolTip(index, translate(
            "TrainingDock", "Curves, feature maps and weight histograms of the run together, "
            "with the run buttons"))
        panel.dashboard.restore_state(window.settings.value(DASHBOARD_KEY))
    for shown in panel.shown:
        if shown.tab is not panel.dashboard:
            _add_tab(window, shown.tab, shown.spec)
    window.bottom_tabs.setCurrentWidget(panel.controls)
    menu = window.menuBar().addMenu(translate("TrainingDock", "&Training"))
    menu.addActions(panel.run_actions)
    menu.addSeparator()
    runs = menu.addAction(translate("TrainingDock", "Runs…"),
                          lambda: open_runs_dialog(window, panel))
    runs.setToolTip(translate("TrainingDock", "Compare and reopen past runs from the run log "
                              "folder"))
    torchrun = menu.addAction(translate("TrainingDock", "Train with torchrun…"),
                              lambda: open_torchrun_dialog(window, panel))
    torchrun.setToolTip(translate("TrainingDock", "Run the exported script on several processes "
                                  "or GPUs with PyTorch's torchrun, and see the command for a "
                                  "cluster"))
    lab_menu = window.menuBar().addMenu(translate("TrainingDock", "&Lab"))
    for spec in LAB_VIEWS:
        tab = add_run_view(window, spec)
        action = lab_menu.addAction(shown_title(spec))
        action.setToolTip(shown_tooltip(spec))
        action.triggered.connect(lambda _checked=False, tab=tab: _show_tab(window, tab))
    window.bottom_tabs.setCurrentWidget(panel.controls)
    for action in panel.run_actions:
        window.addAction(action)  # shortcuts work whichever tab is showing

    def show_maps(node_id: str) -> None:
        if panel.view(FeatureMapsView).request_layer(node_id):
            _show_tab(window, panel.tab(FeatureMapsView))

    window.featureMapsRequested.connect(show_maps)

    def run_started(_run_id: int) -> None:
        """Train leaves the settings for the dashboard; a learner watching another view of
        runs (a lab view, the results) stays with it."""
        current = window.bottom_tabs.currentWidget()
        watching = any(s.tab is current for s in panel.shown)
        if panel.dashboard.views and (not watching or not window.bottom_dock.isVisible()):
            _show_tab(window, panel.dashboard)

    def keep_arrangement() -> None:
        window.settings.setValue(DASHBOARD_KEY, panel.dashboard.save_state())

    panel.runStarted.connect(run_started)
    for splitter in (panel.dashboard.splitter, *panel.dashboard.row_splitters):
        splitter.splitterMoved.connect(lambda _pos, _index: keep_arrangement())
    window.bottom_tabs.currentChanged.connect(lambda _index: panel.refresh_views())
    window.bottom_dock.visibilityChanged.connect(lambda _visible: panel.refresh_views())
    window.installEventFilter(_StopOnClose(window, panel))
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(panel.shutdown)
    window.resizeDocks([window.bottom_dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)
    return panel


def add_run_view(window: QMainWindow, spec: ViewSpec) -> QWidget:
    """Add one more view of runs to a window's dashboard, as a tab (lab views, tests)."""
    shown = window.training_panel.add_view(spec)
    _add_tab(window, shown.tab, spec)
    return shown.tab


def _show_tab(window: QMainWindow, tab: QWidget) -> None:
    window.bottom_dock.show()
    window.bottom_tabs.setCurrentWidget(tab)


def _add_tab(window: QMainWindow, tab, spec: ViewSpec) -> None:
    index = window.add_training_panel(tab, view_title(spec))
    if spec.tooltip:
        window.bottom_tabs.setTabToolTip(index, view_tooltip(spec))


def wait_ms(ms: int) -> None:
    """Keep the GUI responsive (timers, queued signals) for `ms` milliseconds."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def prepare_training_view(window: QMainWindow, dataset: str | None = None,
                          train_steps: int | None = None, tab: str = DASHBOARD_TITLE,
                          timeout_s: float = 120.0, **_options) -> TrainingPanel:
    """Train the window's network for `train_steps` steps (default 150) on `dataset` (default:
    the project's), wait for the run to end and show `tab` (a tab's title such as "Training",
    "Dashboard" or "Results", or a view's title such as "Curves": the tab that holds it).
    The screenshot command's "training" and "dashboard" views."""
    panel = attach_training(window)
    doc = window.doc
    if dataset:
        key = FOLDER_ITEM if dataset.startswith(FOLDER_ITEM) else dataset
        if panel.controls.dataset_combo.findData(key) < 0:
            raise ValueError(f"unknown dataset '{dataset}'")
        doc.undo_stack.push(SetSettings(doc, "data", {"name": dataset}))
    panel.fit_head_to_dataset(confirm=False)  # no one to answer a question here
    steps = 150 if train_steps is None else train_steps
    doc.set_settings("training", {"max_steps": steps})  # for this picture, not an edit
    panel.train()
    clock = QElapsedTimer()
    clock.start()
    while panel.controller.is_running:
        if clock.elapsed() > timeout_s * 1000:
            panel.shutdown()
            raise TimeoutError(f"training {steps} steps took longer than {timeout_s:.0f} s")
        wait_ms(20)
    wait_ms(50 + REDRAW_MS)  # the last queued payloads, and the curves' throttled redraw
    if panel.last_error is not None:
        raise RuntimeError(panel.last_error["message"])
    titles = {window.bottom_tabs.tabText(i): i for i in range(window.bottom_tabs.count())}
    titles.update({s.spec.title: window.bottom_tabs.indexOf(s.tab) for s in panel.shown
                   if s.tab is not panel.dashboard})  # English titles name translated tabs
    for title, widget in (("Training", panel.controls), (DASHBOARD_TITLE, panel.dashboard)):
        if window.bottom_tabs.indexOf(widget) >= 0:
            titles[title] = window.bottom_tabs.indexOf(widget)
    if tab in titles:
        window.bottom_tabs.setCurrentIndex(titles[tab])
    elif panel.dashboard.holds(tab):
        window.bottom_tabs.setCurrentWidget(panel.dashboard)
    else:
        raise ValueError(f"unknown tab '{tab}' (available: "
                         f"{', '.join([*titles, *panel.dashboard.views])})")
    wait_ms(50)
    return panel


def render_training_screenshot(window: QMainWindow, dataset: str | None, steps: int | None,
                               out_png: str | Path, tab: str = DASHBOARD_TITLE) -> Path:
    """`prepare_training_view`, then save a PNG of the whole window."""
    prepare_training_view(window, dataset, steps, tab)
    out = Path(out_png)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out), "PNG"):
        raise OSError(f"could not write {out}")
    return out
