"""The training dashboard's coordinator: starts runs and feeds every view of a run.

It owns the controller, the run's snapshot history and the list of views; the Training tab's
widgets (`TrainingControls`) and each view (`widgets.run_views.VIEWS`) are separate classes.
Views named in `widgets.run_views.DASHBOARD` share one tab (`widgets.dashboard.Dashboard`),
so curves, feature maps and histograms are seen together while a run goes on.
Payloads are queued as they arrive and applied by a 10 Hz timer, which hands the views all
new curve points in one go and draws only the newest snapshot, so a fast run cannot flood the
GUI thread. The coordinator holds no model state: a run gets a frozen copy of the document's
graph and settings, and what comes back are numpy payloads.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from time import perf_counter

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle, QVBoxLayout, QWidget

from app.background import BackgroundJob
from app.commands import KeepTrained, apply_fix_command
from app.core import datasets
from app.core.builder import BuildError
from app.core.experiment import SetupError, head_fixes
from app.core.graph import Graph
from app.core.probes import Snapshot, SnapshotHistory
from app.core.shapes import ShapeReport
from app.core.weights import Trained, WeightsError
from app.document import Document
from app.shown import shown as shown_text  # `shown` names the visible views here
from app.training import TrainingController, restored_view
from widgets.canvas import style
from widgets.dashboard import Dashboard
from widgets.plots.replay import LIVE, ReplayBar
from widgets.plots.run_view import RunView, ViewContext, ViewSpec
from widgets.run_views import DASHBOARD, VIEWS
from widgets.training_controls import TrainingControls, duration

APPLY_INTERVAL_MS = 100  # GUI refresh while training: ~10 Hz
LIVE_REDRAW_S = 0.25  # at most ~4 snapshot redraws a second while following a run


def _structure(graph: Graph) -> tuple:
    """What makes two graphs train differently (positions do not)."""
    return ({nid: (n.type, n.params) for nid, n in graph.nodes.items()}, list(graph.edges))


@dataclass
class ShownView:
    """A view in the dashboard: its spec, the view itself and the tab it sits in (the
    Dashboard tab for the views placed there)."""

    spec: ViewSpec
    view: RunView
    tab: QWidget
    replay_bar: ReplayBar | None


class TrainingPanel(QObject):
    """See the module docstring. `controls` is the Training tab; `dashboard` the tab with
    the views seen together; `shown` every view."""

    runStarted = Signal(int)  # run id: a run was started (the dock shows the dashboard)

    def __init__(self, doc: Document, parent: QObject | None = None,
                 views: list[ViewSpec] | None = None,
                 dashboard: list[list[str]] | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.controller = TrainingController(self)
        self.history = SnapshotHistory()
        self.replay_index = LIVE
        self.run_graph: Graph | None = None
        self.last_summary: dict | None = None
        self.last_error: dict | None = None
        self._pending_scalars: list[dict] = []
        self._pending_epochs: list[dict] = []
        self._pending_snapshot = False
        self._progress_text = ""  # the latest progress, compacted for the dashboard
        self._last_live_draw = -math.inf
        # Weights this panel kept from its own runs: undo/redo between them must not replace
        # the views of a run by a recomputed picture (only weights from a file need one).
        self._kept: list[weakref.ref[Trained]] = []
        # Computes what weights restored with a project see (a newer request replaces it).
        self._restore_job = BackgroundJob(self, expected=(SetupError, WeightsError, BuildError))
        self._restore_job.done.connect(self._show_restored)
        self._restore_job.failed.connect(self._restore_failed)
        self._context = ViewContext(doc, self.controller, self._show_replay_position)
        self._build_actions()
        self.controls = TrainingControls(doc, self.run_actions)
        self.dashboard = Dashboard((DASHBOARD if views is None else []) if dashboard is None
                                   else dashboard, self.run_actions)
        self.dashboard.replay_bar.indexChanged.connect(self.set_replay_index)
        self.shown: list[ShownView] = []
        for spec in VIEWS if views is None else views:
            self.add_view(spec)
        self.timer = QTimer(self)
        self.timer.setInterval(APPLY_INTERVAL_MS)
        self.timer.timeout.connect(self.apply_pending)
        self._connect()
        self._set_state("idle")
        self._trained_changed()  # a project opened before the dashboard was attached

    # -- views --------------------------------------------------------------------------------------

    def add_view(self, spec: ViewSpec) -> ShownView:
        """Make the view of `spec`, attach it and place it on the dashboard, or wrap it in a tab
        of its own (with a replay slider if it shows snapshots) that the caller puts where it
        belongs (the bottom dock)."""
        view = spec.make()
        view.attach(self._context)
        bar = None
        tab = view
        if self.dashboard.holds(spec.title):
            self.dashboard.place(spec.title, view, spec.replay)
            tab = self.dashboard
            bar = self.dashboard.replay_bar if spec.replay else None
        elif spec.replay:
            bar = ReplayBar()
            bar.indexChanged.connect(self.set_replay_index)
            tab = QWidget()
            layout = QVBoxLayout(tab)
            layout.setContentsMargins(4, 4, 4, 4)
            layout.addWidget(view, 1)
            layout.addWidget(bar)
        shown = ShownView(spec, view, tab, bar)
        self.shown.append(shown)
        return shown

    def view(self, kind: type | str) -> RunView:
        """The view of a class (or with a title), e.g. `panel.view(FeatureMapsView)`."""
        for shown in self.shown:
            if shown.spec.title == kind or (isinstance(kind, type)
                                            and isinstance(shown.view, kind)):
                return shown.view
        raise KeyError(kind)

    def tab(self, kind: type | str) -> QWidget:
        view = self.view(kind)
        return next(s.tab for s in self.shown if s.view is view)

    @property
    def replay_bars(self) -> list[ReplayBar]:
        bars = [s.replay_bar for s in self.shown if s.replay_bar is not None]
        return list(dict.fromkeys(bars))  # the dashboard's bar serves several views

    # -- construction ---------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        icons = QApplication.style()

        def action(text: str, key: str, tip: str, icon: QStyle.StandardPixmap, slot) -> QAction:
            act = QAction(icons.standardIcon(icon), text, self)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.setToolTip(f"{tip} ({key})")
            act.triggered.connect(slot)
            return act

        self.act_train = action(self.tr("Train"), "F5",
                                self.tr("Start training a frozen copy of the network"),
                                sp.SP_MediaPlay, self.train)
        self.act_pause = action(self.tr("Pause"), "F6",
                                self.tr("Hold training after the current batch"),
                                sp.SP_MediaPause, self.controller.pause)
        self.act_resume = action(self.tr("Resume"), "F7", self.tr("Continue training"),
                                 sp.SP_MediaPlay, self.controller.resume)
        self.act_stop = action(self.tr("Stop"), "Shift+F5",
                               self.tr("End the run after the current batch"),
                               sp.SP_MediaStop, lambda: self.controller.stop())
        self.act_step = action(self.tr("Step"), "F10",
                               self.tr("Pause and train exactly one more batch"),
                               sp.SP_MediaSkipForward, self.controller.step)
        self.run_actions = [self.act_train, self.act_pause, self.act_resume, self.act_stop,
                            self.act_step]

    def _connect(self) -> None:
        c = self.controller
        c.status.connect(lambda p: self._show_status(p["text"]))
        self.controls.progress_bar.valueChanged.connect(lambda _v: self._mirror_progress())
        c.dataReady.connect(self._on_data_ready)
        c.scalars.connect(self._pending_scalars.append)
        c.snapshot.connect(self._on_snapshot)
        c.epochEnded.connect(self._pending_epochs.append)
        c.finished.connect(self._on_finished)
        c.failed.connect(self._on_failed)
        c.stateChanged.connect(self._set_state)
        self.doc.shapesChanged.connect(self._graph_changed)
        self.doc.settingsChanged.connect(self._settings_changed)
        self.doc.graphReset.connect(self.clear)
        self.doc.trainedChanged.connect(self._trained_changed)

    # -- run control ------------------------------------------------------------------------------

    def train(self) -> None:
        """Start a run on a frozen copy of the document (the Train button)."""
        if self.controller.is_running or not self.fit_head_to_dataset():
            return
        project = self.doc.project
        self.run_graph = self.doc.graph.copy()
        options = self._run_options()
        self.history.clear()
        self._pending_scalars.clear()
        self._pending_epochs.clear()
        self._pending_snapshot = False
        self.replay_index = LIVE
        self.last_summary = self.last_error = None
        run_id = self.controller.start(self.run_graph, project.data, project.training,
                                       **options)
        self._progress_text = ""
        self.controls.reset_progress(self.tr("Starting…"))
        self.dashboard.changed_label.hide()
        self._show_status(self.tr("Run {run}: starting on a frozen copy of the network.")
                          .format(run=run_id))
        self.timer.start()
        self.runStarted.emit(run_id)

    def _run_options(self) -> dict:
        """What the views ask of the run; their lab measurements ("extras") are merged."""
        options: dict = {}
        extras: dict = {}
        for shown in self.shown:
            wanted = dict(shown.view.run_options())
            extras.update(wanted.pop("extras", {}))
            options.update(wanted)
        if extras:
            options["extras"] = extras
        return options

    def fit_head_to_dataset(self, confirm: bool = True) -> bool:
        """When the classifier head's size does not match the chosen dataset's classes, resize
        it (one undoable step, asked first when `confirm`) instead of failing; False if the
        learner declines."""
        info = datasets.DATASETS.get(self.doc.project.data.name)
        if info is None:  # an image folder: its classes are only known once it is read
            return True
        fixes = head_fixes(self.doc.graph, info.input_shape, info.num_classes,
                           target_shape=info.target_shape)
        if not fixes:
            return True
        question = (self.tr("'{dataset}' has {classes} classes, but the network's last layer "
                            "has a different number of outputs.").format(
                                dataset=info.name, classes=info.num_classes)
                    + "\n\n" + "\n".join(shown_text(f.label) for f in fixes) + "?")
        if confirm and not self.ask_fit_head(question):
            return False
        for fix in fixes:
            command, _added = apply_fix_command(self.doc, fix)
            self.doc.undo_stack.push(command)
        return True

    def ask_fit_head(self, question: str) -> bool:
        """Ask before changing the network (tests replace this method)."""
        answer = QMessageBox.question(self.controls, self.tr("Fit the network to the dataset"),
                                      question,
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _settings_changed(self, section: str) -> None:
        """A learning-rate edit (or its undo) during a run reaches the running optimizer."""
        if section == "training" and self.controller.is_running:
            self.controller.set_lr(self.doc.project.training.lr)

    def _set_state(self, state: str) -> None:
        self.act_train.setEnabled(state == "idle")
        self.act_pause.setEnabled(state == "running")
        self.act_resume.setEnabled(state == "paused")
        self.act_stop.setEnabled(state in ("running", "paused", "stopping"))
        self.act_step.setEnabled(state in ("running", "paused"))
        self.controls.set_state(state)
        if state == "idle":
            self.timer.stop()
            self.apply_pending()
        elif state == "paused":
            self._show_status(self.tr("Paused. Step trains one batch; Resume continues."))

    def shutdown(self) -> None:
        """Stop a running training and join its thread (window closing)."""
        self.controller.shutdown()
        self.timer.stop()

    def clear(self) -> None:
        """Another project was opened: forget the last run in every view."""
        if self.controller.is_running:
            return  # the run goes on with its frozen copy; its views stay meaningful
        self.history.clear()
        self.replay_index = LIVE
        for shown in self.shown:
            shown.view.clear()
            if shown.replay_bar is not None:
                shown.replay_bar.show_position(LIVE, 0, None)
        self.controls.reset_progress(self.tr("Not started"))
        self._show_status("")

    # -- payloads ---------------------------------------------------------------------------------

    def _on_data_ready(self, payload: dict) -> None:
        for shown in self.shown:
            shown.view.run_started(payload["run_id"], payload)

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self.history.append(snapshot)
        self._pending_snapshot = True

    def apply_pending(self, final: bool = False) -> None:
        """Hand the views everything that arrived since the last call (the 10 Hz timer);
        `final` (the run has ended) draws the newest snapshot whatever the redraw rate, so
        views see the whole run before its weights are kept."""
        if self._pending_scalars:
            scalars = list(self._pending_scalars)
            self._pending_scalars.clear()
            for shown in self.shown:
                shown.view.add_scalars(scalars)
            p = scalars[-1]
            self.controls.show_progress(p)
            self._progress_text = self.tr(
                "Step {step}/{steps} · epoch {epoch}/{epochs} · ETA {eta} · {metrics}").format(
                step=p["step"], steps=p["total_steps"], epoch=p["epoch"], epochs=p["epochs"],
                eta=duration(p["eta_s"]), metrics=self.controls.metrics_label.text())
            self._mirror_progress()
        if self._pending_epochs:
            epochs = list(self._pending_epochs)
            self._pending_epochs.clear()
            for payload in epochs:
                for shown in self.shown:
                    shown.view.add_epoch(payload)
        # Snapshots come ~2 times a second, but also at every epoch end, which on a small
        # 2-D set is 15 times a second: following a run, views redraw at most ~4 times a second
        # (the newest snapshot is always drawn once the run has ended).
        now = perf_counter()
        due = (final or now - self._last_live_draw >= LIVE_REDRAW_S
               or not self.controller.is_running)
        if self._pending_snapshot and due:
            self._pending_snapshot = False
            self._last_live_draw = now
            self._show_replay_position()

    def _on_finished(self, payload: dict) -> None:
        self.apply_pending(final=True)
        self.last_summary = payload
        cancelled = payload["status"] == "cancelled"
        logged = ("\n" + self.tr("Run log: {path}").format(path=payload["log_path"])
                  if payload.get("log_path") else "")
        self._show_status(self.summary_text(payload) + logged,
                          (style.MUTED if cancelled else style.OK).name())
        if not cancelled:
            self.controls.progress_bar.setValue(1000)
        if payload.get("state") and payload.get("steps"):
            # The run's weights become part of the project (one undo step, saved with it).
            trained = Trained.from_payload(payload)
            self._kept = [ref for ref in self._kept if ref() is not None]
            self._kept.append(weakref.ref(trained))
            self.doc.undo_stack.push(KeepTrained(self.doc, trained))

    def _on_failed(self, payload: dict) -> None:
        self.apply_pending(final=True)
        self.last_error = payload
        head = (self.tr("Training diverged") if payload["status"] == "diverged"
                else self.tr("Training failed"))
        self._show_status(f"{head}: {payload['message']}", style.ERROR.name(),
                          payload.get("details") or "")

    def summary_text(self, payload: dict) -> str:
        """How a run ended, in the UI language. The trainer's summary is English (app/core has
        no translations), so a completed or stopped run is worded here from its measured
        numbers; any other message (a stop while loading) is shown as the trainer wrote it."""
        status, steps = payload["status"], payload.get("steps") or 0
        if status == "cancelled" and steps:
            return self.tr("Training was stopped after {steps} steps.").format(steps=steps)
        if status != "completed":
            return payload["message"]
        acc, exact = payload.get("val_acc"), payload.get("val_exact")
        if acc is not None and exact is not None:  # token sequences
            result = self.tr("validation token accuracy {acc}, exact match {exact}").format(
                acc=f"{acc:.1%}", exact=f"{exact:.1%}")
        elif acc is not None:
            result = self.tr("validation accuracy {acc}").format(acc=f"{acc:.1%}")
        elif payload.get("val_loss") is not None:
            result = self.tr("validation loss {loss}").format(loss=f"{payload['val_loss']:.4g}")
        else:
            return payload["message"]
        return self.tr("Finished {steps} steps ({epochs} epochs): {result}.").format(
            steps=steps, epochs=payload.get("epochs", 0), result=result)

    def _show_status(self, text: str, color: str | None = None, details: str = "") -> None:
        """Status on the Training tab, and its first line on the dashboard."""
        self.controls.show_status(text, color, details)
        self._mirror_progress()

    def _mirror_progress(self) -> None:
        """The dashboard's strip shows what the Training tab's run box shows, in two lines."""
        c = self.controls
        text = self._progress_text if self.controller.is_running or self.history else ""
        text = text or c.progress_label.text().split("\n")[0]
        status = c.status_label.text().split("\n")[0]
        self.dashboard.show_progress(c.progress_bar.value(),
                                     f"{text}\n{status}" if status else text)
        self.dashboard.progress_label.setStyleSheet(c.status_label.styleSheet())
        # Whole in the tooltip where the strip cuts a line (German lines are long).
        details = c.status_label.toolTip() or c.status_label.text()
        self.dashboard.progress_label.setToolTip(f"{text}\n{details}" if details else text)

    def _graph_changed(self, _report: ShapeReport) -> None:
        if self.controller.is_running and self.run_graph is not None:
            changed = _structure(self.doc.graph) != _structure(self.run_graph)
            self.controls.changed_label.setVisible(changed)
            self.dashboard.changed_label.setVisible(changed)

    # -- weights restored with a project ------------------------------------------------------------

    def _trained_changed(self) -> None:
        """Weights that came with an opened project (not from this panel's run): compute in the
        background what they see, so the views show the trained network right away."""
        trained = self.doc.trained
        if (trained is None or self.controller.is_running
                or any(ref() is trained for ref in self._kept)):
            return
        options = self._run_options()
        graph, data = self.doc.graph.copy(), self.doc.project.data
        seed = self.doc.project.training.seed
        self._show_status(self.tr("Loading the data to show the weights of run {run}…")
                          .format(run=trained.info.run))
        self._restore_job.start(lambda _progress: (trained, *restored_view(
            graph, data, trained, tuple(options.get("probe_layers", ())),
            options.get("probe_index", 0), options.get("extras"), seed)))

    def _restore_failed(self, message: str) -> None:
        self._show_status(self.tr("The trained weights were restored, but their feature maps "
                                  "cannot be shown: {problem}").format(problem=message),
                          style.WARNING.darker(130).name())

    def _show_restored(self, result: tuple[Trained, dict, Snapshot]) -> None:
        trained, data, snapshot = result
        if self.doc.trained is not trained or self.controller.is_running:
            return  # another project or a new run came first
        self.history.clear()
        self.history.append(snapshot)
        self.replay_index = LIVE
        for shown in self.shown:
            shown.view.run_started(0, data)
        self._show_replay_position()
        acc = trained.info.val_acc
        accuracy = (self.tr(", validation accuracy {acc}").format(acc=f"{acc:.1%}")
                    if acc is not None and acc == acc else "")
        self._show_status(self.tr("Showing the trained weights of run {run} ({steps} "
                                  "steps{accuracy}), restored with the project.").format(
                                      run=trained.info.run, steps=trained.info.steps,
                                      accuracy=accuracy), style.OK.name())

    # -- replay -----------------------------------------------------------------------------------

    def set_replay_index(self, index: int) -> None:
        """Show snapshot `index` of the run (LIVE: follow the newest)."""
        self.replay_index = index
        self._show_replay_position()

    def refresh_views(self) -> None:
        """Bring a view that just became visible up to date (tab switch, dock shown)."""
        self._show_replay_position()

    def _show_replay_position(self) -> None:
        """Show the current snapshot in the visible views; hidden ones catch up when shown
        (`refresh_views`), so no time goes into drawing what nobody sees."""
        count = len(self.history)
        if not count:
            return
        index = count - 1 if self.replay_index == LIVE else min(self.replay_index, count - 1)
        snapshot = self.history[index]
        for bar in self.replay_bars:
            bar.show_position(self.replay_index, count, snapshot)
        for shown in self.shown:
            if shown.tab.isVisible():
                shown.view.show_position(self.history, index)
