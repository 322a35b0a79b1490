"""The "Train with torchrun" dialog: the exported script under PyTorch's own launcher.

The learner picks how many processes (local GPUs, or CPU processes to try it out) and epochs,
sees the exact command (also the multi-node form for a cluster, to copy), and Start writes the
script (`app.core.export.write_script`) and runs it with this Python's torchrun
(`app.torchrun.TorchrunJob`). Rank 0's metrics land in the same Curves view as the app's own
runs; Stop ends every rank; an error shows its root cause and the end of stderr. The weights
the script saved can be loaded back into the canvas network.
"""

from __future__ import annotations

import math
import os
import shlex
import tempfile
from pathlib import Path
from typing import Any

import torch
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundJob
from app.commands import KeepTrained
from app.core import datasets
from app.core.builder import BuildError
from app.core.export import ExportError, write_script
from app.core.weights import WeightsError, fits
from app.core.weights import load as load_weights
from app.document import Document
from app.i18n import language
from app.torchrun import TorchrunJob, shown_command, torchrun_command
from widgets.canvas import style
from widgets.plots.common import caption
from widgets.plots.loss_plot import CurvesView
from widgets.runs_list import next_external_run_id

EXPLAIN_EN = ("torchrun is PyTorch's launcher for training on several GPUs or machines: it "
              "starts one process per GPU, and DistributedDataParallel keeps their copies of "
              "the network in step. Try it here with CPU processes; the command below runs the "
              "same script on a cluster.")
EXPLAIN_DE = ("torchrun ist der Starter von PyTorch für das Training auf mehreren GPUs oder "
              "Rechnern: Er startet einen Prozess pro GPU, und DistributedDataParallel hält "
              "ihre Kopien des Netzes im Gleichschritt. Probieren Sie es hier mit CPU-Prozessen "
              "aus; der Befehl unten startet dasselbe Skript auf einem Cluster.")
LOG_EVERY = 5  # steps between rank 0's metric lines in runs started here


class TorchrunDialog(QDialog):
    """See the module docstring. `show_curves` brings the Curves tab to the front."""

    def __init__(self, doc: Document, curves: CurvesView, show_curves=lambda: None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Train with torchrun"))
        self.doc = doc
        self.curves = curves
        self.show_curves = show_curves
        self.job = TorchrunJob(self)
        self.job.event.connect(self._on_event)
        self.job.finished.connect(self._on_finished)
        self.writer = BackgroundJob(self, expected=(ExportError, OSError))
        self.writer.done.connect(self._launch)
        self.writer.failed.connect(lambda message: self._fail(
            self.tr("Could not write the script: {problem}").format(problem=message)))
        self.run_id: int | None = None
        self.last_result: dict[str, Any] | None = None
        self.events: list[dict[str, Any]] = []
        self._batches_per_epoch = 0
        self._last_step = 0
        self._temp_folder: str | None = None
        self.copy_buttons: dict[str, QPushButton] = {}  # "local" and "cluster"
        self._build()
        self._update_commands()
        self._set_running(False)

    # -- construction -----------------------------------------------------------------------------

    def _build(self) -> None:
        german = language() == "de"  # the explanation in the UI language, the other as tooltip
        explain = caption(EXPLAIN_DE if german else EXPLAIN_EN, muted=True)
        explain.setToolTip(EXPLAIN_EN if german else EXPLAIN_DE)
        gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
        self.device_combo = QComboBox()
        self.device_combo.addItem(self.tr("CPU processes (gloo)"), "cpu")
        self.device_combo.addItem(self.tr("GPUs (nccl), {count} here").format(count=gpus) if gpus
                                  else self.tr("GPUs (none here)"), "cuda")
        self.device_combo.model().item(1).setEnabled(gpus > 0)
        self.device_combo.setToolTip(self.tr("CPU processes let you try distributed training on "
                                             "any machine; GPUs: one process per GPU"))
        self.nproc_spin = QSpinBox()
        self.nproc_spin.setRange(1, max(2, os.cpu_count() or 1))
        self.nproc_spin.setValue(2)
        self.nproc_spin.setToolTip(self.tr("Processes per machine (--nproc_per_node): one per "
                                           "GPU, or a few CPU processes"))
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 10_000)
        self.epochs_spin.setValue(self.doc.project.training.epochs)
        self.epochs_spin.setToolTip(self.tr("Passes over the training set (--epochs); the other "
                                            "settings are the project's"))
        self.folder_edit = QLineEdit(self._default_folder())
        self.folder_edit.setPlaceholderText(self.tr("a new temporary folder"))
        self.folder_edit.setToolTip(self.tr("Where the script, its data file and the trained "
                                            "weights are written"))
        settings = QFormLayout()
        settings.addRow(self.tr("Run on"), self.device_combo)
        settings.addRow(self.tr("Processes"), self.nproc_spin)
        settings.addRow(self.tr("Epochs"), self.epochs_spin)
        settings.addRow(self.tr("Folder"), self.folder_edit)

        self.local_command = self._command_field(self.tr("The command for this machine"))
        self.nodes_spin = QSpinBox()
        self.nodes_spin.setRange(2, 1024)
        self.nodes_spin.setToolTip(self.tr("Machines taking part (--nnodes)"))
        self.endpoint_edit = QLineEdit()
        self.endpoint_edit.setPlaceholderText(f"node0.example.org:{29500}")
        self.endpoint_edit.setToolTip(self.tr("host:port of one node that all others can reach "
                                              "(--rdzv-endpoint)"))
        self.cluster_command = self._command_field(self.tr("Run this same line on every node"))
        cluster = QGroupBox(self.tr("On a cluster (several machines)"))
        form = QFormLayout(cluster)
        form.addRow(self.tr("Nodes"), self.nodes_spin)
        form.addRow(self.tr("Rendezvous"), self.endpoint_edit)
        form.addRow(self._with_copy(self.cluster_command, "cluster"))

        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setToolTip(self.tr("Write the script and run it here with torchrun"))
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("End torchrun and every process it started"))
        self.stop_button.clicked.connect(self.stop)
        self.weights_button = QPushButton(self.tr("Load weights"))
        self.weights_button.setToolTip(self.tr("Keep the weights the script saved with the "
                                               "project (they must fit the network on the "
                                               "canvas)"))
        self.weights_button.clicked.connect(self.load_trained)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedHeight(10)
        self.metrics_label = caption("")
        self.status_label = caption("")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(140)
        self.details.setToolTip(self.tr("The end of torchrun's error output"))
        self.details.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        for button in (self.start_button, self.stop_button, self.weights_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(settings)
        layout.addWidget(caption(self.tr("Command (this machine)"), bold=True))
        layout.addLayout(self._with_copy(self.local_command, "local"))
        layout.addWidget(cluster)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.metrics_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(760, 560)
        for spin in (self.nproc_spin, self.epochs_spin, self.nodes_spin):
            spin.valueChanged.connect(self._update_commands)
        self.device_combo.currentIndexChanged.connect(self._device_chosen)
        self.endpoint_edit.textChanged.connect(self._update_commands)
        self.folder_edit.textChanged.connect(self._update_commands)

    @staticmethod
    def _command_field(tip: str) -> QPlainTextEdit:
        """A read-only, wrapped command line, tall enough to show a multi-node command whole."""
        field = QPlainTextEdit()
        field.setReadOnly(True)
        field.setToolTip(tip)
        field.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        field.setFixedHeight(field.fontMetrics().lineSpacing() * 2 + 14)
        return field

    def _with_copy(self, field: QPlainTextEdit, key: str) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(field, 1)
        copy = QPushButton(self.tr("Copy"))
        copy.setToolTip(self.tr("Copy the command to the clipboard"))
        copy.clicked.connect(lambda: QApplication.clipboard().setText(field.toPlainText()))
        self.copy_buttons[key] = copy
        row.addWidget(copy)
        return row

    def _default_folder(self) -> str:
        path = self.doc.path
        return str(path.parent / f"{path.stem}-torchrun") if path is not None else ""

    def _device_chosen(self) -> None:
        """One process per GPU at most on GPUs; CPU processes are limited by the cores."""
        gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
        cuda = self.device_combo.currentData() == "cuda"
        self.nproc_spin.setMaximum(max(1, gpus) if cuda else max(1, os.cpu_count() or 1))
        self._update_commands()

    # -- the command ------------------------------------------------------------------------------

    def script_name(self) -> str:
        path = self.doc.path
        return f"{path.stem if path is not None else 'network'}.py"

    def script_args(self) -> list[str]:
        return ["--epochs", str(self.epochs_spin.value()), "--device",
                self.device_combo.currentData(), "--log-every", str(LOG_EVERY)]

    def _update_commands(self) -> None:
        folder = self.folder_edit.text().strip()
        script = str(Path(folder) / self.script_name()) if folder else self.script_name()
        nproc = self.nproc_spin.value()
        self.local_command.setPlainText(shown_command(script, nproc, self.script_args()))
        cluster_args = self.script_args()
        info = datasets.DATASETS.get(self.doc.project.data.name)
        if info is None or not info.builtin:  # a generated set travels beside the script
            cluster_args += ["--data-dir", "DATA_DIR_ON_THE_NODES"]
        self.cluster_command.setPlainText(shown_command(
            self.script_name(), nproc, cluster_args, nnodes=self.nodes_spin.value(),
            endpoint=self.endpoint_edit.text().strip()))

    # -- running ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Write the script (in the background: a generated dataset is written with it),
        then launch torchrun."""
        if self.job.running or self.writer.running:
            return
        folder_text = self.folder_edit.text().strip()
        if not folder_text:
            self._temp_folder = self._temp_folder or tempfile.mkdtemp(prefix="netzwerkstatt-")
            folder_text = self._temp_folder
            self.folder_edit.setText(folder_text)
        folder = Path(folder_text).expanduser()
        project = self.doc.to_project()
        project.data = project.data.resolved()
        out = folder / self.script_name()
        self.details.hide()
        self._show(self.tr("Writing the script…"))
        self._set_running(True)
        self.writer.start(lambda _progress: write_script(project, out))

    def _launch(self, script: Path) -> None:
        nproc = self.nproc_spin.value()
        command = torchrun_command(script.name, nproc, self.script_args())
        self.events.clear()
        self.last_result = None
        self._batches_per_epoch = self._last_step = 0
        try:
            self.job.start(command, cwd=script.parent)
        except ValueError as exc:
            self._fail(str(exc))
            return
        self.run_id = next_external_run_id()
        self.curves.start_run(self.run_id, f"torchrun ×{nproc}")
        self.progress_bar.setValue(0)
        self._show(self.tr("Running: {command}").format(command=shlex.join(command)))
        self.show_curves()

    def stop(self) -> None:
        if self.job.running:
            self._show(self.tr("Stopping torchrun and all its processes…"))
            self.job.stop()

    def shutdown(self, timeout_s: float = 15.0) -> None:
        """Stop and wait until no process is left (window closing, app quitting)."""
        if self.job.running:
            self.job.stop()
            self.job.wait(timeout_s)

    def _on_event(self, payload: dict[str, Any]) -> None:
        self.events.append(payload)
        kind = payload.get("event")
        run_id = self.run_id
        if kind == "log":
            self._batches_per_epoch = payload.get("batches_per_epoch") or 0
            self._last_step = step = int(payload["step"])
            acc = payload.get("acc")
            self.curves.add_scalars([{"run_id": run_id, "steps": [step],
                                      "loss": [_float(payload.get("loss"))],
                                      "acc": [_float(acc)]}])
            self.progress_bar.setValue(int(1000 * (payload.get("progress") or 0)))
            acc_text = (self.tr(" · accuracy {acc}").format(acc=f"{acc:.1%}")
                        if isinstance(acc, (int, float)) else "")
            self.metrics_label.setText(self.tr(
                "Epoch {epoch} · step {step} · loss {loss}{accuracy} · {rate} samples/s").format(
                epoch=payload.get("epoch"), step=step, loss=f"{_float(payload.get('loss')):.4g}",
                accuracy=acc_text, rate=f"{payload.get('samples_per_s') or 0:,.0f}"))
        elif kind == "epoch":
            epoch = int(payload["epoch"])
            step = (epoch * self._batches_per_epoch if self._batches_per_epoch
                    else self._last_step)
            self.curves.add_epoch({"run_id": run_id, "step": step, **{
                k: payload.get(k) for k in ("epoch", "train_loss", "train_acc", "val_loss",
                                            "val_acc")}})

    def _on_finished(self, result: dict[str, Any]) -> None:
        self.last_result = result
        self._set_running(False)
        status = result["status"]
        if status == "completed":
            self.progress_bar.setValue(1000)
            warn = result.get("exit_code") not in (0, None)
            self._show(result["message"], style.WARNING if warn else style.OK)
        elif status == "stopped":
            self._show(result["message"], style.MUTED)
        else:
            self._fail(result["message"], result.get("stderr_tail", ""))
        self.weights_button.setEnabled(self._weights_path() is not None)

    def _weights_path(self) -> Path | None:
        done = (self.last_result or {}).get("done") or {}
        path = done.get("weights")
        return Path(path) if path and Path(path).is_file() else None

    def load_trained(self) -> None:
        """Keep the script's trained weights with the project (one undo step)."""
        path = self._weights_path()
        if path is None:
            return
        try:
            trained = load_weights(path)
            fits(self.doc.graph, trained)
        except (WeightsError, BuildError) as exc:
            self._fail(self.tr("The weights do not fit the network on the canvas: {problem}")
                       .format(problem=exc))
            return
        self.doc.undo_stack.push(KeepTrained(self.doc, trained))
        self._show(self.tr("Loaded the weights from {file} into the network.").format(
            file=path.name), style.OK)

    # -- state ------------------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.weights_button.setEnabled(not running and self._weights_path() is not None)
        for widget in (self.device_combo, self.nproc_spin, self.epochs_spin, self.folder_edit):
            widget.setEnabled(not running)

    def _show(self, text: str, color=None) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {color.darker(120).name()}" if color else "")

    def _fail(self, message: str, details: str = "") -> None:
        self._set_running(self.job.running)
        self._show(message, style.ERROR)
        self.details.setPlainText(details)
        self.details.setVisible(bool(details))


def _float(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else math.nan


class _StopOnHide(QObject):
    """Ends a torchrun launch when its window goes away, so no process outlives the app."""

    def __init__(self, window: QWidget, dialog: TorchrunDialog) -> None:
        super().__init__(window)
        self.dialog = dialog

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and not event.spontaneous():
            self.dialog.shutdown()
        return False


def open_torchrun_dialog(window, panel) -> TorchrunDialog:
    """The window's torchrun dialog (one per window), shown and raised."""
    dialog = getattr(window, "torchrun_dialog", None)
    if dialog is None:
        def show_curves() -> None:
            window.bottom_dock.show()
            window.bottom_tabs.setCurrentWidget(panel.tab(CurvesView))

        dialog = window.torchrun_dialog = TorchrunDialog(window.doc, panel.view(CurvesView),
                                                         show_curves, window)
        window.installEventFilter(_StopOnHide(window, dialog))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(dialog.shutdown)
    dialog.show()
    dialog.raise_()
    return dialog

