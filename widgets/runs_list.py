"""The Runs list: past runs from the run log folder, to compare and to reopen.

A learner who tried ten variants wants to see which one won and what its curves looked like,
also after closing the app. The list reads the folder the Training tab's "Run logs" setting
names (`app.core.run_log`): name, date, dataset, accuracy, loss and status per run. Ticking
runs overlays their logged curves in the Curves view (read from the TensorBoard files in the
background); Reopen also puts the run's weights back when they were saved and fit the network
on the canvas (one undo step, like keeping the weights of a run).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundJob
from app.commands import KeepTrained
from app.core import run_log
from app.core.builder import BuildError
from app.core.run_log import LoggedCurves, RunLogError, RunRecord
from app.core.weights import WeightsError, fits, graph_fingerprint
from app.core.weights import load as load_weights
from app.document import Document
from widgets.canvas import style
from widgets.plots.common import caption
from widgets.plots.loss_plot import CurvesView

COLUMNS = (QT_TRANSLATE_NOOP("RunsDialog", "Run"), QT_TRANSLATE_NOOP("RunsDialog", "Date"),
           QT_TRANSLATE_NOOP("RunsDialog", "Dataset"), QT_TRANSLATE_NOOP("RunsDialog", "Accuracy"),
           QT_TRANSLATE_NOOP("RunsDialog", "Loss"), QT_TRANSLATE_NOOP("RunsDialog", "Status"),
           QT_TRANSLATE_NOOP("RunsDialog", "Weights"))  # shown translated
STATUSES = {"completed": QT_TRANSLATE_NOOP("RunsDialog", "completed"),  # a run's end, shown
            "cancelled": QT_TRANSLATE_NOOP("RunsDialog", "cancelled"),
            "diverged": QT_TRANSLATE_NOOP("RunsDialog", "diverged"),
            "failed": QT_TRANSLATE_NOOP("RunsDialog", "failed")}
_external_ids = itertools.count(-1, -1)


def next_external_run_id() -> int:
    """A Curves-view run id for curves that do not come from the app's own training (logged
    runs, torchrun): -1, -2, ..., never one of the controller's run ids 1, 2, ..."""
    return next(_external_ids)


def _shown(text: str) -> str:
    """A COLUMNS or STATUSES text in the UI language (kept out of methods that use self.tr:
    lupdate would give their later self.tr calls a wrong context)."""
    return QCoreApplication.translate("RunsDialog", text)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.4g}"


class RunsDialog(QDialog):
    """See the module docstring. `show_curves` brings the Curves tab to the front."""

    def __init__(self, doc: Document, curves: CurvesView, show_curves=lambda: None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Runs"))
        self.setToolTip(self.tr("Past runs logged in the run log folder"))
        self.doc = doc
        self.curves = curves
        self.show_curves = show_curves
        self.records: list[RunRecord] = []
        self.shown_ids: dict[Path, int] = {}  # runs whose curves are in the Curves view
        self._reopen_after: Path | None = None  # load these weights once the curves are in
        self._job = BackgroundJob(self, expected=(RunLogError,))
        self._job.done.connect(self._curves_read)
        self._job.failed.connect(self._read_failed)
        self._pending: list[Path] = []

        self.folder_label = caption("", muted=True)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the run log folder again (runs that ended "
                                               "since)"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.refresh_button)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels([_shown(c) for c in COLUMNS])
        self.tree.setRootIsDecorated(False)
        self.tree.setSortingEnabled(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setToolTip(self.tr("Tick runs to overlay their curves in the Curves view; "
                                     "select one and press Reopen to get its curves and "
                                     "weights back"))
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.itemSelectionChanged.connect(self._selection_changed)

        self.status_label = caption("")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reopen_button = QPushButton(self.tr("Reopen"))
        self.reopen_button.setToolTip(self.tr("Show the selected run's curves and, if its "
                                              "weights were saved and fit the network on the "
                                              "canvas, load them"))
        self.reopen_button.clicked.connect(self.reopen_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        buttons.addButton(self.reopen_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.resize(820, 420)
        doc.settingsChanged.connect(lambda section: section == "training" and self.refresh())
        self.refresh()

    # -- the list -----------------------------------------------------------------------------------

    @property
    def root(self) -> Path | None:
        log_dir = self.doc.project.training.log_dir
        return run_log.resolve_root(log_dir, self.doc.project.data.base_dir) if log_dir else None

    def refresh(self) -> None:
        """Read the folder's run summaries (small JSON files: quick enough for the GUI)."""
        root = self.root
        # curves the Curves view dropped (cleared, or pushed out by newer runs) are unticked
        self.shown_ids = {p: i for p, i in self.shown_ids.items() if i in self.curves.runs}
        if root is None:
            self.folder_label.setText(self.tr("No run log folder is set: choose one under Run "
                                              "logs in the Training tab, then train."))
            self.records, problems = [], []
        else:
            self.records, problems = run_log.list_runs(root)
            self.folder_label.setText(self.tr("{count} run(s) in {folder}").format(
                count=len(self.records), folder=root))
        self.tree.blockSignals(True)
        self.tree.clear()
        for record in self.records:
            item = QTreeWidgetItem([record.name, record.started.replace("T", " "),
                                    record.dataset, _percent(record.val_acc),
                                    _number(record.loss),
                                    _shown(STATUSES.get(record.status, record.status)),
                                    self.tr("saved") if record.weights else "–"])
            item.setData(0, Qt.ItemDataRole.UserRole, str(record.path))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if record.path in self.shown_ids
                               else Qt.CheckState.Unchecked)
            item.setToolTip(0, str(record.path))
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        self._selection_changed()
        if problems:
            self._show(self.tr("Some runs could not be read: {problems}").format(
                problems="; ".join(problems)), style.WARNING)
        elif root is not None and not self.records:
            self._show(self.tr("No runs logged there yet: train once with this folder set."))

    def item_for(self, path: Path) -> QTreeWidgetItem:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if Path(item.data(0, Qt.ItemDataRole.UserRole)) == path:
                return item
        raise KeyError(path)

    def record_for(self, path: Path) -> RunRecord:
        return next(r for r in self.records if r.path == path)

    def _selection_changed(self) -> None:
        self.reopen_button.setEnabled(bool(self.tree.selectedItems()))

    def _show(self, text: str, color=None) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {color.darker(130).name()}" if color else "")

    # -- curves ------------------------------------------------------------------------------------

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        path = Path(item.data(0, Qt.ItemDataRole.UserRole))
        if item.checkState(0) == Qt.CheckState.Checked:
            self._overlay(path)
        else:
            self._hide(path)

    def _overlay(self, path: Path) -> None:
        if path in self.shown_ids or path in self._pending:
            return
        self._pending.append(path)
        if not self._job.running:
            self._read_next()

    def _read_next(self) -> None:
        if self._pending:
            path = self._pending[0]
            self._show(self.tr("Reading the curves of {run}…").format(run=path.name))
            self._job.start(lambda _progress: (path, run_log.read_curves(path)))

    def _hide(self, path: Path) -> None:
        if path in self._pending:
            self._pending.remove(path)
        run_id = self.shown_ids.pop(path, None)
        if run_id is not None and run_id in self.curves.runs:
            self.curves._remove(run_id)

    def _curves_read(self, result: tuple[Path, LoggedCurves]) -> None:
        path, curves = result
        if path in self._pending:
            self._pending.remove(path)
            self._add_curves(path, curves)
        self._read_next()
        if not self._pending:
            self._show(self.tr("{count} logged run(s) shown in the Curves view.").format(
                count=len(self.shown_ids)))
        if self._reopen_after == path:
            self._reopen_after = None
            self._load_weights(self.record_for(path))

    def _read_failed(self, message: str) -> None:
        path = self._pending.pop(0) if self._pending else None
        if path is not None:
            self._uncheck(path)
        self._show(message, style.ERROR)
        self._read_next()

    def _uncheck(self, path: Path) -> None:
        try:
            item = self.item_for(path)
        except KeyError:
            return
        self.tree.blockSignals(True)
        item.setCheckState(0, Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)

    def _add_curves(self, path: Path, logged: LoggedCurves) -> None:
        record = self.record_for(path)
        run_id = next_external_run_id()
        time = record.started.partition("T")[2][:5]
        self.curves.start_run(run_id, self.tr("log run {run} {time}").format(
            run=record.run_id, time=time).strip())
        for dropped in [p for p, i in self.shown_ids.items() if i not in self.curves.runs]:
            self.shown_ids.pop(dropped)  # the Curves view keeps only its newest few runs
            self._uncheck(dropped)
        self.shown_ids[path] = run_id
        self.curves.add_scalars([{"run_id": run_id, "steps": logged.steps, "loss": logged.loss,
                                  "acc": logged.acc}])
        for epoch in logged.epochs:
            self.curves.add_epoch({"run_id": run_id, **epoch})
        self.show_curves()

    # -- reopening ---------------------------------------------------------------------------------

    def reopen_selected(self) -> None:
        items = self.tree.selectedItems()
        if not items:
            return
        path = Path(items[0].data(0, Qt.ItemDataRole.UserRole))
        if path in self.shown_ids:
            self._load_weights(self.record_for(path))
            return
        self._reopen_after = path
        item = self.item_for(path)
        item.setCheckState(0, Qt.CheckState.Checked)  # reads the curves (see _item_changed)

    def _load_weights(self, record: RunRecord) -> None:
        """Keep the run's weights with the project if they were saved and fit the canvas."""
        if record.weights is None:
            self._show(self.tr("Curves of {run} shown. Its weights were not saved, so the "
                               "network keeps its current weights.").format(run=record.name))
            return
        try:
            trained = load_weights(record.weights)
            fits(self.doc.graph, trained)
        except (WeightsError, BuildError) as exc:
            self._show(self.tr("Curves of {run} shown, but its weights do not fit the network "
                               "on the canvas: {problem}").format(run=record.name, problem=exc),
                       style.WARNING)
            return
        self.doc.undo_stack.push(KeepTrained(self.doc, trained))
        same = trained.fingerprint == graph_fingerprint(self.doc.graph)
        note = "" if same else self.tr(" (the network was edited since that run, but its "
                                       "weights still fit)")
        acc = trained.info.val_acc
        accuracy = (self.tr(", validation accuracy {acc}").format(acc=f"{acc:.1%}")
                    if acc is not None and math.isfinite(acc) else "")
        self._show(self.tr("Reopened {run}: curves shown and its weights loaded ({steps} "
                           "steps{accuracy}){note}.").format(
                               run=record.name, steps=trained.info.steps, accuracy=accuracy,
                               note=note), style.OK)


def open_runs_dialog(window, panel) -> RunsDialog:
    """The window's Runs dialog (one per window), shown and raised."""
    dialog = getattr(window, "runs_dialog", None)
    if dialog is None:
        def show_curves() -> None:
            window.bottom_dock.show()
            window.bottom_tabs.setCurrentWidget(panel.tab(CurvesView))

        dialog = window.runs_dialog = RunsDialog(window.doc, panel.view(CurvesView), show_curves,
                                                 window)
    else:
        dialog.refresh()
    dialog.show()
    dialog.raise_()
    return dialog

