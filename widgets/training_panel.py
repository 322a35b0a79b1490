"""The training dashboard: settings and run controls, plus the live views in their own tabs.

The panel holds no model state: a run gets a frozen copy of the document's graph and settings
(`TrainingController.start`), and what comes back are numpy payloads. Payloads are queued as
they arrive and applied by a 10 Hz timer, which draws only the newest snapshot and all new
curve points in one go, so a fast run cannot flood the GUI thread.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.commands import apply_fix_command
from app.core import datasets
from app.core.datasets import AugmentConfig, DatasetError
from app.core.experiment import head_fixes
from app.core.graph import Graph
from app.core.probes import Snapshot, SnapshotHistory, choose_probe_layers
from app.core.project_io import DataConfig, Project
from app.core.shapes import ShapeReport
from app.core.trainer import OPTIMIZERS, TrainConfig, device_label, resolve_device
from app.document import Document
from app.training import TrainingController
from widgets.canvas import style
from widgets.plots.common import caption
from widgets.plots.confusion import ResultsView
from widgets.plots.data_preview import DataPreview
from widgets.plots.feature_maps import FeatureMapsView
from widgets.plots.filters import FiltersView
from widgets.plots.histograms import HistogramsView
from widgets.plots.loss_plot import CurvesView
from widgets.plots.replay import LIVE, ReplayBar

APPLY_INTERVAL_MS = 100  # GUI refresh while training: ~10 Hz
FOLDER_ITEM = "folder:"
# Amounts used when a switch is turned on and the project has no amount of its own.
AUGMENT_DEFAULTS = {"hflip": True, "rotation": 15.0, "crop": 2, "color_jitter": 0.2,
                    "noise": 0.05}
AUGMENT_LABELS = {"hflip": ("Flip", "mirror images left-right at random"),
                  "rotation": ("Rotate", "rotate by up to ±{:g}°"),
                  "crop": ("Shift", "shift by up to ±{:g} pixels (random crop)"),
                  "color_jitter": ("Colour", "change brightness and contrast by up to ±{:.0%}"),
                  "noise": ("Noise", "add Gaussian noise with std {:g}")}


def _structure(graph: Graph) -> tuple:
    """What makes two graphs train differently (positions do not)."""
    return ({nid: (n.type, n.params) for nid, n in graph.nodes.items()}, list(graph.edges))


def probe_choices(graph: Graph, report: ShapeReport) -> list[str]:
    """Layers whose activations can be shown, in network order."""
    try:
        order = graph.topo_order()
    except ValueError:
        return []
    return [nid for nid in order if graph.nodes[nid].type not in ("Input", "Output")
            and report.out_shape(nid) is not None]


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "–"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class TrainingPanel(QWidget):
    """The "Training" tab; `views()` lists the other tabs it feeds (curves, maps, ...)."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.controller = TrainingController(self)
        self.history = SnapshotHistory()
        self.replay_index = LIVE
        self.run_graph: Graph | None = None
        self.last_summary: dict | None = None
        self.last_error: dict | None = None
        self._preview_cache: dict[str, object] = {}
        self._pending_scalars: list[dict] = []
        self._pending_epochs: list[dict] = []
        self._pending_snapshot: Snapshot | None = None
        self._progress: dict | None = None

        self.curves = CurvesView()
        self.feature_maps = FeatureMapsView()
        self.filters = FiltersView()
        self.histograms = HistogramsView()
        self.results = ResultsView()
        self.replay_bars = [ReplayBar(), ReplayBar()]
        self._build_actions()
        self._build_controls()
        self.maps_tab = self._with_replay(self.feature_maps, self.replay_bars[0])
        weights = QWidget()
        row = QHBoxLayout(weights)
        row.setContentsMargins(0, 0, 0, 0)
        self.filters.setFixedWidth(190)
        row.addWidget(self.filters)
        row.addWidget(self.histograms, 1)
        self.weights_tab = self._with_replay(weights, self.replay_bars[1])

        self.timer = QTimer(self)
        self.timer.setInterval(APPLY_INTERVAL_MS)
        self.timer.timeout.connect(self.apply_pending)
        self._connect()
        self.load_settings(doc.project)
        self._graph_changed(doc.report)
        self._set_state("idle")

    # -- construction -----------------------------------------------------------------------------

    def views(self) -> list[tuple[QWidget, str]]:
        """The tabs besides this one, in the order they belong in the bottom dock."""
        return [(self.curves, "Curves"), (self.maps_tab, "Feature maps"),
                (self.weights_tab, "Weights"), (self.results, "Results")]

    def _with_replay(self, view: QWidget, bar: ReplayBar) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(view, 1)
        layout.addWidget(bar)
        return tab

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap

        def action(text: str, key: str, tip: str, icon: QStyle.StandardPixmap, slot) -> QAction:
            act = QAction(self.style().standardIcon(icon), text, self)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.setToolTip(f"{tip} ({key})")
            act.triggered.connect(slot)
            return act

        self.act_train = action("Train", "F5", "Start training a frozen copy of the network",
                                sp.SP_MediaPlay, self.train)
        self.act_pause = action("Pause", "F6", "Hold training after the current batch",
                                sp.SP_MediaPause, self.controller.pause)
        self.act_resume = action("Resume", "F7", "Continue training", sp.SP_MediaPlay,
                                 self.controller.resume)
        self.act_stop = action("Stop", "Shift+F5", "End the run after the current batch",
                               sp.SP_MediaStop, lambda: self.controller.stop())
        self.act_step = action("Step", "F10", "Pause and train exactly one more batch",
                               sp.SP_MediaSkipForward, self.controller.step)
        self.run_actions = [self.act_train, self.act_pause, self.act_resume, self.act_stop,
                            self.act_step]
        for act in self.run_actions:
            self.addAction(act)

    def _tool_button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _build_controls(self) -> None:
        # Data
        self.dataset_combo = QComboBox()
        self._fill_datasets()
        self.data_dir_edit = QLineEdit()
        self.data_dir_edit.setPlaceholderText(str(datasets.default_data_dir()))
        self.data_dir_button = QPushButton("…")
        self.data_dir_button.setFixedWidth(28)
        self.data_dir_button.setToolTip("Choose the folder (torchvision sets: the root that "
                                        "contains MNIST/, cifar-10-batches-py/, …; image "
                                        "folder: one subfolder per class)")
        self.download_check = QCheckBox("Download")
        self.download_check.setToolTip("Download the torchvision set into the folder if it is "
                                       "missing (needs internet)")
        self.preview_button = QPushButton("Preview")
        self.n_train_spin = QSpinBox()
        self.n_train_spin.setRange(0, 1_000_000)
        self.n_train_spin.setSingleStep(500)
        self.n_train_spin.setSpecialValueText("all")
        self.n_train_spin.setToolTip("Train on a random subset of this many samples "
                                     "(fewer = faster, but overfits sooner)")
        self.augment_checks: dict[str, QCheckBox] = {}
        augment_row = QHBoxLayout()
        augment_row.setSpacing(6)
        for key, (label, _tip) in AUGMENT_LABELS.items():
            check = QCheckBox(label)
            self.augment_checks[key] = check
            augment_row.addWidget(check)
        augment_row.addStretch(1)
        self.preview = DataPreview()

        data_box = QGroupBox("Data")
        data = QGridLayout(data_box)
        data.setVerticalSpacing(4)
        data.addWidget(QLabel("Dataset"), 0, 0)
        data.addWidget(self.dataset_combo, 0, 1, 1, 3)
        data.addWidget(QLabel("Folder"), 1, 0)
        data.addWidget(self.data_dir_edit, 1, 1)
        data.addWidget(self.data_dir_button, 1, 2)
        data.addWidget(self.download_check, 1, 3)
        data.addWidget(QLabel("Samples"), 2, 0)
        data.addWidget(self.n_train_spin, 2, 1)
        data.addWidget(self.preview_button, 2, 2, 1, 2)
        data.addWidget(QLabel("Augment"), 3, 0)
        data.addLayout(augment_row, 3, 1, 1, 3)
        data.addWidget(self.preview, 4, 0, 1, 4)
        data.setColumnStretch(1, 1)

        # Hyperparameters
        self.optimizer_combo = QComboBox()
        self.optimizer_combo.addItems(OPTIMIZERS)
        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(6)
        self.lr_spin.setRange(1e-6, 100.0)
        self.lr_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_spin.setToolTip("Learning rate: how big each weight update is. Can be changed "
                                "while training.")
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 65_536)
        self.batch_spin.setToolTip("Samples per weight update")
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 10_000)
        self.epochs_spin.setToolTip("Passes over the whole training set")
        self.device_combo = QComboBox()
        self._fill_devices()
        hyper_box = QGroupBox("Hyperparameters")
        form = QFormLayout(hyper_box)
        form.setVerticalSpacing(4)
        form.addRow("Optimizer", self.optimizer_combo)
        form.addRow("Learning rate", self.lr_spin)
        form.addRow("Batch size", self.batch_spin)
        form.addRow("Epochs", self.epochs_spin)
        form.addRow("Device", self.device_combo)

        # Run
        self.train_button = self._tool_button(self.act_train)
        self.pause_button = self._tool_button(self.act_pause)
        self.resume_button = self._tool_button(self.act_resume)
        self.stop_button = self._tool_button(self.act_stop)
        self.step_button = self._tool_button(self.act_step)
        buttons = QGridLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.train_button, 0, 0)
        buttons.addWidget(self.stop_button, 0, 1)
        buttons.addWidget(self.step_button, 0, 2)
        buttons.addWidget(self.pause_button, 1, 0)
        buttons.addWidget(self.resume_button, 1, 1)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedHeight(10)
        self.progress_label = caption("Not started")
        self.metrics_label = caption("")
        self.status_label = caption("")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changed_label = caption("⚠ The network was edited since this run started. The run "
                                     "keeps training the network as it was; press Train again "
                                     "to train the new one.")
        self.changed_label.setStyleSheet(f"color: {style.WARNING.darker(130).name()}")
        self.changed_label.hide()
        run_box = QGroupBox("Run")
        run = QVBoxLayout(run_box)
        run.setSpacing(4)
        run.addLayout(buttons)
        run.addWidget(self.progress_bar)
        run.addWidget(self.progress_label)
        run.addWidget(self.metrics_label)
        run.addWidget(self.status_label)
        run.addWidget(self.changed_label)
        run.addStretch(1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(data_box, 10)
        layout.addWidget(hyper_box, 6)
        layout.addWidget(run_box, 8)

    def _fill_datasets(self) -> None:
        combo = self.dataset_combo
        model: QStandardItemModel = combo.model()

        def header(text: str) -> None:
            combo.addItem(text)
            model.item(combo.count() - 1).setEnabled(False)

        header("— built in (offline) —")
        for info in datasets.DATASETS.values():
            if info.builtin:
                combo.addItem(f"{info.name}", info.name)
                combo.setItemData(combo.count() - 1, info.description, Qt.ItemDataRole.ToolTipRole)
        header("— torchvision (folder or download) —")
        for info in datasets.DATASETS.values():
            if not info.builtin:
                combo.addItem(f"{info.name}", info.name)
                combo.setItemData(combo.count() - 1, info.description, Qt.ItemDataRole.ToolTipRole)
        combo.addItem("image folder…", FOLDER_ITEM)
        combo.setItemData(combo.count() - 1, "Your own pictures: one subfolder per class",
                          Qt.ItemDataRole.ToolTipRole)

    def _fill_devices(self) -> None:
        combo = self.device_combo
        model: QStandardItemModel = combo.model()
        auto = resolve_device("auto")
        combo.addItem(f"auto ({device_label(auto)})", "auto")
        cuda = torch.cuda.is_available()
        combo.addItem(f"CUDA ({torch.cuda.get_device_name()})" if cuda else "CUDA (no GPU found)",
                      "cuda")
        mps = auto.type == "mps"
        combo.addItem("MPS (Apple GPU)" if mps else "MPS (not available)", "mps")
        combo.addItem("CPU", "cpu")
        model.item(1).setEnabled(cuda)
        model.item(2).setEnabled(mps)
        combo.setToolTip("Where the network trains; unavailable devices are greyed out")

    def _connect(self) -> None:
        c = self.controller
        c.status.connect(lambda p: self._show_status(p["text"]))
        c.dataReady.connect(self._on_data_ready)
        c.scalars.connect(self._pending_scalars.append)
        c.snapshot.connect(self._on_snapshot)
        c.epochEnded.connect(self._pending_epochs.append)
        c.finished.connect(self._on_finished)
        c.failed.connect(self._on_failed)
        c.stateChanged.connect(self._set_state)
        self.doc.shapesChanged.connect(self._graph_changed)
        self.doc.graphReset.connect(lambda: self.load_settings(self.doc.project))
        self.lr_spin.valueChanged.connect(self._lr_changed)
        self.dataset_combo.currentIndexChanged.connect(self._dataset_changed)
        self.data_dir_button.clicked.connect(self._choose_folder)
        self.preview_button.clicked.connect(self.update_preview)
        self.feature_maps.layersChanged.connect(self.controller.set_probe_layers)
        self.feature_maps.probeIndexChanged.connect(self.controller.set_probe_index)
        self.histograms.layerChosen.connect(lambda _layer: self._show_replay_position())
        for bar in self.replay_bars:
            bar.indexChanged.connect(self.set_replay_index)

    # -- settings <-> project ---------------------------------------------------------------------

    def load_settings(self, project: Project) -> None:
        """Show a project's data and training settings (on load and on New)."""
        data, cfg = project.data, project.training
        name = data.name
        key = FOLDER_ITEM if name.startswith(FOLDER_ITEM) else name
        index = self.dataset_combo.findData(key)
        self.dataset_combo.blockSignals(True)
        self.dataset_combo.setCurrentIndex(index if index >= 0 else self.dataset_combo.findData(
            "shapes"))
        self.dataset_combo.blockSignals(False)
        folder = name[len(FOLDER_ITEM):] if key == FOLDER_ITEM else (data.data_dir or "")
        self.data_dir_edit.setText(folder)
        self.download_check.setChecked(data.download)
        self.n_train_spin.setValue(data.n_train or 0)
        for switch, check in self.augment_checks.items():
            value = getattr(data.augment, switch)
            check.setChecked(bool(value))
            check.setToolTip(AUGMENT_LABELS[switch][1].format(value or AUGMENT_DEFAULTS[switch]))
        self.optimizer_combo.setCurrentText(cfg.optimizer)
        self.lr_spin.setValue(cfg.lr)
        self.batch_spin.setValue(cfg.batch_size)
        self.epochs_spin.setValue(cfg.epochs)
        device = self.device_combo.findData(cfg.device.split(":")[0])
        self.device_combo.setCurrentIndex(max(0, device))
        self._dataset_changed()

    def data_config(self) -> DataConfig:
        base = self.doc.project.data
        key = self.dataset_combo.currentData()
        folder = self.data_dir_edit.text().strip()
        name = f"{FOLDER_ITEM}{folder}" if key == FOLDER_ITEM else key
        torchvision = key in datasets.DATASETS and not datasets.DATASETS[key].builtin
        augment = {k: (getattr(base.augment, k) or AUGMENT_DEFAULTS[k]) if check.isChecked()
                   else type(AUGMENT_DEFAULTS[k])(0)
                   for k, check in self.augment_checks.items()}
        return replace(base, name=name,
                       data_dir=(folder or None) if torchvision else None,
                       n_train=self.n_train_spin.value() or None,
                       download=self.download_check.isChecked(),
                       augment=AugmentConfig(**augment))

    def train_config(self) -> TrainConfig:
        return replace(self.doc.project.training, optimizer=self.optimizer_combo.currentText(),
                       lr=self.lr_spin.value(), batch_size=self.batch_spin.value(),
                       epochs=self.epochs_spin.value(), device=self.device_combo.currentData())

    def _builtin_dataset(self) -> bool:
        key = self.dataset_combo.currentData()
        return key in datasets.DATASETS and datasets.DATASETS[key].builtin

    def _enable_data_widgets(self) -> None:
        """Folder, download and preview only mean something for non-built-in data, and
        augmentation only for images."""
        builtin = self._builtin_dataset()
        key = self.dataset_combo.currentData()
        for widget in (self.data_dir_edit, self.data_dir_button, self.preview_button):
            widget.setEnabled(not builtin)
        self.download_check.setEnabled(not builtin and key != FOLDER_ITEM)
        images = key == FOLDER_ITEM or datasets.DATASETS[key].kind == "image"
        for check in self.augment_checks.values():
            check.setEnabled(images)

    def _dataset_changed(self) -> None:
        builtin = self._builtin_dataset()
        self._enable_data_widgets()
        self.data_dir_edit.setPlaceholderText(
            "folder with one subfolder per class" if self.dataset_combo.currentData()
            == FOLDER_ITEM else "" if builtin else str(datasets.default_data_dir()))
        if builtin:
            QTimer.singleShot(0, self.update_preview)  # after the window has been drawn
        else:
            self.preview.show_problem("Choose the folder, then press Preview to see a few "
                                      "samples.")

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the data folder",
                                                  self.data_dir_edit.text() or str(Path.home()))
        if folder:
            self.data_dir_edit.setText(folder)
            self.update_preview()

    def update_preview(self) -> None:
        """Load a few samples of the chosen dataset (cached per name and folder)."""
        cfg = self.data_config()
        key = f"{cfg.name}|{cfg.data_dir}"
        bundle = self._preview_cache.get(key)
        if bundle is None:
            try:
                info = datasets.DATASETS.get(cfg.name)
                points = info is not None and info.kind == "points"  # a cloud needs more
                bundle = datasets.load(cfg.name, data_dir=cfg.data_dir,
                                       n_train=400 if points else 64, n_val=1)
            except DatasetError as exc:
                self.preview.show_problem(str(exc))
                return
            self._preview_cache[key] = bundle
        self.preview.show_bundle(bundle)

    def _graph_changed(self, report: ShapeReport) -> None:
        graph = self.doc.graph
        choices = probe_choices(graph, report)
        current = [layer for layer in self.feature_maps.layers() if layer in choices]
        if not current:
            current = choose_probe_layers(graph, report)
        self.feature_maps.set_choices(choices, current)
        if self.controller.is_running and self.run_graph is not None:
            self.changed_label.setVisible(_structure(graph) != _structure(self.run_graph))

    # -- run control ------------------------------------------------------------------------------

    def train(self) -> None:
        """Start a run on a frozen copy of the document (the Train button)."""
        if self.controller.is_running or not self.fit_head_to_dataset():
            return
        data, training = self.data_config(), self.train_config()
        # The settings belong to the project, so saving it keeps what was trained.
        self.doc.project.data, self.doc.project.training = data, training
        self.run_graph = self.doc.graph.copy()
        layers = self.feature_maps.layers() or tuple(
            choose_probe_layers(self.run_graph, self.doc.report))
        self.history.clear()
        self._pending_scalars.clear()
        self._pending_epochs.clear()
        self._pending_snapshot = None
        self._progress = None
        self.replay_index = LIVE
        self.last_summary = self.last_error = None
        run_id = self.controller.start(self.run_graph, data, training, tuple(layers),
                                       max(0, self.feature_maps.probe_combo.currentIndex()))
        self.curves.start_run(run_id, f"run {run_id}")
        self.changed_label.hide()
        self.progress_bar.setValue(0)
        self.progress_label.setText("Starting…")
        self.metrics_label.setText("")
        self._show_status(f"Run {run_id}: starting on a frozen copy of the network.")
        self.timer.start()

    def fit_head_to_dataset(self, confirm: bool = True) -> bool:
        """When the classifier head's size does not match the chosen dataset's classes, resize
        it (one undoable step, asked first when `confirm`) instead of failing; False if the
        learner declines."""
        info = datasets.DATASETS.get(self.dataset_combo.currentData())
        if info is None:  # an image folder: its classes are only known once it is read
            return True
        fixes = head_fixes(self.doc.graph, info.input_shape, info.num_classes)
        if not fixes:
            return True
        question = (f"'{info.name}' has {info.num_classes} classes, but the network's last layer "
                    "has a different number of outputs.\n\n"
                    + "\n".join(f.label for f in fixes) + "?")
        if confirm and not self.ask_fit_head(question):
            return False
        for fix in fixes:
            command, _added = apply_fix_command(self.doc, fix)
            self.doc.undo_stack.push(command)
        return True

    def ask_fit_head(self, question: str) -> bool:
        """Ask before changing the network (tests replace this method)."""
        answer = QMessageBox.question(self, "Fit the network to the dataset", question,
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _lr_changed(self, value: float) -> None:
        if self.controller.is_running:
            self.controller.set_lr(value)

    def _set_state(self, state: str) -> None:
        running = state in ("running", "paused")
        self.act_train.setEnabled(state == "idle")
        self.act_pause.setEnabled(state == "running")
        self.act_resume.setEnabled(state == "paused")
        self.act_stop.setEnabled(running)
        self.act_step.setEnabled(running)
        for widget in (self.dataset_combo, self.data_dir_edit, self.data_dir_button,
                       self.download_check, self.n_train_spin, self.preview_button,
                       self.optimizer_combo, self.batch_spin, self.epochs_spin,
                       self.device_combo, *self.augment_checks.values()):
            widget.setEnabled(state == "idle")
        if state == "idle":
            self._enable_data_widgets()
            self.timer.stop()
            self.apply_pending()
        elif state == "paused":
            self._show_status("Paused. Step trains one batch; Resume continues.")

    def shutdown(self) -> None:
        """Stop a running training and join its thread (window closing)."""
        self.controller.shutdown()
        self.timer.stop()

    # -- payloads ---------------------------------------------------------------------------------

    def _on_data_ready(self, payload: dict) -> None:
        self.feature_maps.set_probe_images(probe_labels(payload["probe_y"], payload["classes"]))

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self.history.append(snapshot)
        self._pending_snapshot = snapshot

    def apply_pending(self) -> None:
        """Draw everything that arrived since the last call (the 10 Hz timer)."""
        run_id = self.controller.run_id
        if self._pending_scalars:
            for payload in self._pending_scalars:
                self.curves.add_scalars(payload)
            self._progress = self._pending_scalars[-1]
            self._pending_scalars.clear()
            self._show_progress(self._progress)
        if self._pending_epochs:
            for payload in self._pending_epochs:
                self.curves.add_epoch(payload)
            self.results.show_epoch(self._pending_epochs[-1])
            self._pending_epochs.clear()
        self.curves.redraw(run_id)
        if self._pending_snapshot is not None:
            self._pending_snapshot = None
            self._show_replay_position()

    def _show_progress(self, p: dict) -> None:
        self.progress_bar.setValue(int(1000 * p["progress"]))
        epochs = p["epochs"]
        self.progress_label.setText(
            f"Epoch {p['epoch']}/{epochs} · batch {p['batch']}/{p['batches_per_epoch']} · "
            f"step {p['step']}/{p['total_steps']}\n{p['samples_per_s']:,.0f} samples/s · "
            f"ETA {_duration(p['eta_s'])}")
        acc = p["acc"][-1] if len(p["acc"]) else math.nan
        acc_text = f" · accuracy {acc:.1%}" if math.isfinite(acc) else ""
        self.metrics_label.setText(f"loss {p['loss'][-1]:.4g}{acc_text} · lr {p['lr'][-1]:g}")

    def _on_finished(self, payload: dict) -> None:
        self.apply_pending()
        self.last_summary = payload
        cancelled = payload["status"] == "cancelled"
        color = style.MUTED if cancelled else style.OK
        self._show_status(payload["message"], color.name())
        if not cancelled:
            self.progress_bar.setValue(1000)

    def _on_failed(self, payload: dict) -> None:
        self.apply_pending()
        self.last_error = payload
        head = "Training diverged" if payload["status"] == "diverged" else "Training failed"
        self._show_status(f"{head}: {payload['message']}", style.ERROR.name())
        self.status_label.setToolTip(payload.get("details") or "")

    def _show_status(self, text: str, color: str | None = None) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {color}" if color else "")
        self.status_label.setToolTip("")

    # -- feature maps, weights, replay ------------------------------------------------------------

    def show_feature_maps(self, node_id: str) -> bool:
        """Show `node_id`'s activations (the canvas context menu's "show feature maps")."""
        return self.feature_maps.request_layer(node_id)

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
        if self.maps_tab.isVisible():
            self.feature_maps.show_snapshot(snapshot)
        if self.weights_tab.isVisible():
            self.filters.show_snapshot(snapshot)
            self.histograms.show_history(self.history.items[:index + 1])


def probe_labels(y: np.ndarray, classes: tuple[str, ...]) -> list[str]:
    """Names for the probe-image chooser: "3: cross"."""
    return [f"{i + 1}: {classes[int(c)]}" if int(c) < len(classes) else f"Image {i + 1}"
            for i, c in enumerate(y)]
