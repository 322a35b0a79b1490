"""The Training tab: run settings that mirror the document, run buttons and run progress.

Every setting here (dataset, folder, samples, augmentation, optimizer, learning rate, batch
size, epochs, device) is document state: an edit pushes one `SetSettings` undo command
(consecutive spin-box steps merge into one step), and the widgets show whatever the document
holds, exactly like the canvas mirrors the graph. The widget keeps no copy of its own, so
saving, undo and the run all see the same values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import torch
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QAction, QStandardItemModel
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
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import commands
from app.background import BackgroundJob
from app.core import datasets
from app.core.datasets import DataBundle, DatasetError
from app.core.experiment import SetupError, load_data
from app.core.trainer import OPTIMIZERS, device_label, resolve_device
from app.document import Document
from widgets.canvas import style
from widgets.plots.common import caption, scroll_inside
from widgets.plots.data_preview import DataPreview

FOLDER_ITEM = datasets.FOLDER_PREFIX
# Amounts used when a switch is turned on and the project has no amount of its own.
AUGMENT_DEFAULTS = {"hflip": True, "rotation": 15.0, "crop": 2, "color_jitter": 0.2,
                    "noise": 0.05, "elastic": 1.0}
# (label, tooltip) per switch, English; shown through `augment_text` (translated), so the
# keys and these sources stay the same in every language.
AUGMENT_LABELS = {
    "hflip": (QT_TRANSLATE_NOOP("TrainingControls", "Flip"),
              QT_TRANSLATE_NOOP("TrainingControls", "mirror images left-right at random")),
    "rotation": (QT_TRANSLATE_NOOP("TrainingControls", "Rotate"),
                 QT_TRANSLATE_NOOP("TrainingControls", "rotate by up to ±{:g}°")),
    "crop": (QT_TRANSLATE_NOOP("TrainingControls", "Shift"),
             QT_TRANSLATE_NOOP("TrainingControls", "shift by up to ±{:g} pixels (random crop)")),
    "color_jitter": (QT_TRANSLATE_NOOP("TrainingControls", "Colour"),
                     QT_TRANSLATE_NOOP("TrainingControls",
                                       "change brightness and contrast by up to ±{:.0%}")),
    "noise": (QT_TRANSLATE_NOOP("TrainingControls", "Noise"),
              QT_TRANSLATE_NOOP("TrainingControls", "add Gaussian noise with std {:g}")),
    "elastic": (QT_TRANSLATE_NOOP("TrainingControls", "Elastic"),
                QT_TRANSLATE_NOOP("TrainingControls",
                                  "warp with a smooth random field, about {:g} pixels")),
}
# Training speeds (TrainConfig.min_step_s, seconds per step at least): slow motion lets a class
# watch the curves and feature maps change; the default shapes run takes about 40 s instead of 8.
# The combo shows the translated name and reads the seconds back from the item data.
SPEEDS = {QT_TRANSLATE_NOOP("TrainingControls", "full speed"): 0.0,
          QT_TRANSLATE_NOOP("TrainingControls", "slow motion"): 0.12,
          QT_TRANSLATE_NOOP("TrainingControls", "very slow"): 0.4}


def speed_text(name: str) -> str:
    """A SPEEDS name in the UI language."""
    return QCoreApplication.translate("TrainingControls", name)


def augment_text(key: str) -> tuple[str, str]:
    """The switch's label and tooltip (a format string for its amount) in the UI language."""
    label, tip = AUGMENT_LABELS[key]
    return (QCoreApplication.translate("TrainingControls", label),
            QCoreApplication.translate("TrainingControls", tip))


def duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "–"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def _shrinkable(combo: QComboBox, chars: int) -> None:
    """Let a combo with long entries (a section header, a GPU's name, German text) be
    narrower than its longest entry, so the three boxes of the tab fit side by side at 1280
    px; the open list still shows every entry whole."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)


class SpinGesture:
    """Pushes a spin box's changes as SetSettings commands; steps until the editor loses
    focus or Enter is pressed share one merge key, so they are one undo step."""

    def __init__(self, doc: Document, spin: QSpinBox | QDoubleSpinBox, section: str,
                 field: str, to_value=lambda v: v) -> None:
        self.doc, self.section, self.field, self.to_value = doc, section, field, to_value
        self.key = commands.new_merge_key()
        spin.valueChanged.connect(self.push)
        spin.editingFinished.connect(self.new_gesture)

    def push(self, shown: Any) -> None:
        value = self.to_value(shown)
        if getattr(self.doc.settings(self.section), self.field) != value:
            self.doc.undo_stack.push(commands.SetSettings(
                self.doc, self.section, {self.field: value}, merge_key=self.key))

    def new_gesture(self) -> None:
        self.key = commands.new_merge_key()


class TrainingControls(QWidget):
    """Settings (left and middle) and the run box (right) of the Training tab."""

    def __init__(self, doc: Document, run_actions: Iterable[QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._preview_cache: dict[str, DataBundle] = {}
        self._preview_key = ""  # the dataset the preview should show
        self._loading_key = ""  # the dataset the background job is loading
        self._preview_seed: int | None = None  # the run seed a point set's preview was drawn with
        # One job: a newer preview request replaces an older one still loading.
        self._preview_job = BackgroundJob(self, expected=(DatasetError, SetupError))
        self._preview_job.done.connect(self._preview_loaded)
        self._preview_job.failed.connect(self._preview_failed)
        self._state = "idle"
        self._build_data_box()
        self._build_hyper_box()
        self._build_run_box(list(run_actions))
        layout = QHBoxLayout()
        scroll_inside(self).addLayout(layout)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.data_box, 10)
        layout.addWidget(self.hyper_box, 6)
        layout.addWidget(self.run_box, 8)
        self._connect_edits()
        doc.settingsChanged.connect(self.show_settings)
        self.show_settings()

    # -- construction -----------------------------------------------------------------------------

    def _build_data_box(self) -> None:
        self.dataset_combo = QComboBox()
        self._fill_datasets()
        _shrinkable(self.dataset_combo, 14)
        self.data_dir_edit = QLineEdit()
        self.data_dir_button = QPushButton("…")
        self.data_dir_button.setFixedWidth(28)
        self.data_dir_button.setToolTip(self.tr("Choose the folder (torchvision sets: the root "
                                                "that contains MNIST/, cifar-10-batches-py/, …; "
                                                "image folder: one subfolder per class)"))
        self.download_check = QCheckBox(self.tr("Download"))
        self.download_check.setToolTip(self.tr("Download the torchvision set into the folder if "
                                               "it is missing (needs internet)"))
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.setToolTip(self.tr("Load a few samples of the dataset"))
        self.n_train_spin = QSpinBox()
        self.n_train_spin.setRange(0, 1_000_000)
        self.n_train_spin.setSingleStep(500)
        self.n_train_spin.setSpecialValueText(self.tr("all"))
        self.n_train_spin.setToolTip(self.tr("Train on a random subset of this many samples "
                                             "(fewer = faster, but overfits sooner)"))
        self.augment_checks: dict[str, QCheckBox] = {}
        # Three rows of two: the box has height to spare, and the three boxes of the tab fit
        # side by side at 1280 px, also in presenter mode and with German labels.
        augment_row = QGridLayout()
        augment_row.setHorizontalSpacing(6)
        augment_row.setVerticalSpacing(2)
        for i, key in enumerate(AUGMENT_LABELS):
            check = QCheckBox(augment_text(key)[0])
            self.augment_checks[key] = check
            augment_row.addWidget(check, i // 2, i % 2)
        augment_row.setColumnStretch(2, 1)
        self.preview = DataPreview()

        self.data_box = QGroupBox(self.tr("Data"))
        grid = QGridLayout(self.data_box)
        grid.setVerticalSpacing(4)
        grid.addWidget(QLabel(self.tr("Dataset")), 0, 0)
        grid.addWidget(self.dataset_combo, 0, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("Folder")), 1, 0)
        grid.addWidget(self.data_dir_edit, 1, 1)
        grid.addWidget(self.data_dir_button, 1, 2)
        grid.addWidget(self.download_check, 1, 3)
        grid.addWidget(QLabel(self.tr("Samples")), 2, 0)
        grid.addWidget(self.n_train_spin, 2, 1)
        grid.addWidget(self.preview_button, 2, 2, 1, 2)
        grid.addWidget(QLabel(self.tr("Augment")), 3, 0)
        grid.addLayout(augment_row, 3, 1, 1, 3)
        grid.addWidget(self.preview, 4, 0, 1, 4)
        grid.setColumnStretch(1, 1)

    def _build_hyper_box(self) -> None:
        self.optimizer_combo = QComboBox()
        for name in OPTIMIZERS:  # names of algorithms: the same in every language
            self.optimizer_combo.addItem(name, name)
        self.optimizer_combo.setToolTip(self.tr("How the weights are updated from the "
                                                "gradients"))
        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(6)
        self.lr_spin.setRange(1e-6, 100.0)
        self.lr_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_spin.setToolTip(self.tr("Learning rate: how big each weight update is. Can be "
                                        "changed while training."))
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 65_536)
        self.batch_spin.setToolTip(self.tr("Samples per weight update"))
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 10_000)
        self.epochs_spin.setToolTip(self.tr("Passes over the whole training set"))
        self.device_combo = QComboBox()
        self._fill_devices()
        _shrinkable(self.device_combo, 10)
        self.speed_combo = QComboBox()
        for label, seconds in SPEEDS.items():
            self.speed_combo.addItem(speed_text(label), seconds)
        self.speed_combo.setToolTip(self.tr("Slow motion for a class watching on a projector: "
                                            "every training step takes at least 0.12 s (very "
                                            "slow: 0.4 s), so the curves and feature maps "
                                            "change slowly enough to follow"))
        self.log_dir_edit = QLineEdit()
        self.log_dir_edit.setPlaceholderText(self.tr("off"))
        self.log_dir_edit.setToolTip(self.tr("Folder for run logs: each run writes TensorBoard "
                                             "files (curves, histograms, feature maps) and a "
                                             "summary into a subfolder of it. Empty: no logs. "
                                             "Past runs: Training > Runs…"))
        self.log_dir_button = QPushButton("…")
        self.log_dir_button.setFixedWidth(28)
        self.log_dir_button.setToolTip(self.tr("Choose the run log folder"))
        log_row = QHBoxLayout()
        log_row.setSpacing(2)
        log_row.addWidget(self.log_dir_edit, 1)
        log_row.addWidget(self.log_dir_button)
        self.hyper_box = QGroupBox(self.tr("Hyperparameters"))
        form = QFormLayout(self.hyper_box)
        form.setVerticalSpacing(4)
        form.addRow(self.tr("Optimizer"), self.optimizer_combo)
        form.addRow(self.tr("Learning rate"), self.lr_spin)
        form.addRow(self.tr("Batch size"), self.batch_spin)
        form.addRow(self.tr("Epochs"), self.epochs_spin)
        form.addRow(self.tr("Device"), self.device_combo)
        form.addRow(self.tr("Speed"), self.speed_combo)
        form.addRow(self.tr("Run logs"), log_row)

    def _build_run_box(self, actions: list[QAction]) -> None:
        train, pause, resume, stop, step = (self._tool_button(a) for a in actions)
        self.train_button, self.pause_button, self.resume_button = train, pause, resume
        self.stop_button, self.step_button = stop, step
        buttons = QGridLayout()  # two columns: the three boxes fit side by side at 1280 px
        buttons.setSpacing(4)
        buttons.addWidget(train, 0, 0)
        buttons.addWidget(stop, 0, 1)
        buttons.addWidget(pause, 1, 0)
        buttons.addWidget(resume, 1, 1)
        buttons.addWidget(step, 2, 0)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedHeight(10)
        self.progress_label = caption(self.tr("Not started"))
        self.metrics_label = caption("")
        self.status_label = caption("")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changed_label = caption(self.tr("⚠ The network was edited since this run started. "
                                             "The run keeps training the network as it was; "
                                             "press Train again to train the new one."))
        self.changed_label.setStyleSheet(f"color: {style.WARNING.darker(130).name()}")
        self.changed_label.hide()
        self.run_box = QGroupBox(self.tr("Run"))
        run = QVBoxLayout(self.run_box)
        run.setSpacing(4)
        run.addLayout(buttons)
        for widget in (self.progress_bar, self.progress_label, self.metrics_label,
                       self.status_label, self.changed_label):
            run.addWidget(widget)
        run.addStretch(1)

    @staticmethod
    def _tool_button(action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _fill_datasets(self) -> None:
        combo = self.dataset_combo
        model: QStandardItemModel = combo.model()

        def header(text: str) -> None:
            combo.addItem(text)
            model.item(combo.count() - 1).setEnabled(False)

        def item(name: str, tip: str) -> None:
            combo.addItem(name, name)
            combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)

        header(self.tr("— built in (offline) —"))
        for info in datasets.DATASETS.values():
            if info.builtin:
                item(info.name, info.description)
        header(self.tr("— torchvision (folder or download) —"))
        for info in datasets.DATASETS.values():
            if not info.builtin:
                item(info.name, info.description)
        combo.addItem(self.tr("image folder…"), FOLDER_ITEM)
        combo.setItemData(combo.count() - 1, self.tr("Your own pictures: one subfolder per class"),
                          Qt.ItemDataRole.ToolTipRole)

    def _fill_devices(self) -> None:
        combo = self.device_combo
        model: QStandardItemModel = combo.model()
        auto = resolve_device("auto")
        combo.addItem(self.tr("auto ({device})").format(device=device_label(auto)), "auto")
        cuda = torch.cuda.is_available()
        combo.addItem(f"CUDA ({torch.cuda.get_device_name()})" if cuda
                      else self.tr("CUDA (no GPU found)"), "cuda")
        mps = auto.type == "mps"
        combo.addItem(self.tr("MPS (Apple GPU)") if mps else self.tr("MPS (not available)"), "mps")
        combo.addItem("CPU", "cpu")
        model.item(1).setEnabled(cuda)
        model.item(2).setEnabled(mps)
        combo.setToolTip(self.tr("Where the network trains; unavailable devices are greyed out"))

    # -- widgets -> document (one undo command per edit) --------------------------------------------

    def _connect_edits(self) -> None:
        self.dataset_combo.currentIndexChanged.connect(self._dataset_chosen)
        self.data_dir_edit.editingFinished.connect(self._folder_edited)
        self.data_dir_button.clicked.connect(self._choose_folder)
        self.download_check.toggled.connect(lambda on: self._set("data", download=on))
        self.preview_button.clicked.connect(self.update_preview)
        self.log_dir_edit.editingFinished.connect(
            lambda: self._set("training", log_dir=self.log_dir_edit.text().strip() or None))
        self.log_dir_button.clicked.connect(self._choose_log_dir)
        for key, check in self.augment_checks.items():
            check.toggled.connect(lambda on, key=key: self._augment_toggled(key, on))
        self.optimizer_combo.currentIndexChanged.connect(
            lambda _i: self._set("training", optimizer=self.optimizer_combo.currentData()))
        self.device_combo.currentIndexChanged.connect(
            lambda _i: self._set("training", device=self.device_combo.currentData()))
        self.speed_combo.currentIndexChanged.connect(
            lambda _i: self._set("training", min_step_s=self.speed_combo.currentData()))
        self._gestures = [
            SpinGesture(self.doc, self.n_train_spin, "data", "n_train", lambda v: v or None),
            SpinGesture(self.doc, self.lr_spin, "training", "lr"),
            SpinGesture(self.doc, self.batch_spin, "training", "batch_size"),
            SpinGesture(self.doc, self.epochs_spin, "training", "epochs"),
        ]

    def _set(self, section: str, **values: Any) -> None:
        current = self.doc.settings(section)
        changed = {k: v for k, v in values.items() if getattr(current, k) != v}
        if changed:
            self.doc.undo_stack.push(commands.SetSettings(self.doc, section, changed))

    def _dataset_chosen(self, _index: int) -> None:
        key = self.dataset_combo.currentData()
        if key is None:
            return
        name = f"{FOLDER_ITEM}{self.data_dir_edit.text().strip()}" if key == FOLDER_ITEM else key
        self._set("data", name=name)

    def _folder_edited(self) -> None:
        folder = self.data_dir_edit.text().strip()
        if self.dataset_combo.currentData() == FOLDER_ITEM:
            self._set("data", name=f"{FOLDER_ITEM}{folder}")
        else:
            self._set("data", data_dir=folder or None)

    def _augment_toggled(self, key: str, on: bool) -> None:
        kept = getattr(self.doc.project.data.augment, key)
        self._set("augment", **{key: (kept or AUGMENT_DEFAULTS[key]) if on
                                else type(AUGMENT_DEFAULTS[key])(0)})

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the data folder"),
                                                  self.data_dir_edit.text() or str(Path.home()))
        if folder:
            self.data_dir_edit.setText(folder)
            self._folder_edited()
            self.update_preview()

    def _choose_log_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the run log folder"),
                                                  self.log_dir_edit.text() or str(Path.home()))
        if folder:
            self.log_dir_edit.setText(folder)
            self._set("training", log_dir=folder)

    # -- document -> widgets ------------------------------------------------------------------------

    def show_settings(self, _section: str = "") -> None:
        """Show the document's run settings without echoing them back as edits."""
        data, cfg = self.doc.project.data, self.doc.project.training
        key = FOLDER_ITEM if data.name.startswith(FOLDER_ITEM) else data.name
        index = self.dataset_combo.findData(key)
        folder = data.name[len(FOLDER_ITEM):] if key == FOLDER_ITEM else (data.data_dir or "")
        device = self.device_combo.findData(cfg.device.split(":")[0])
        with (QSignalBlocker(self.dataset_combo), QSignalBlocker(self.download_check),
              QSignalBlocker(self.optimizer_combo), QSignalBlocker(self.device_combo),
              QSignalBlocker(self.speed_combo)):
            self.dataset_combo.setCurrentIndex(index if index >= 0
                                               else self.dataset_combo.findData("shapes"))
            self.download_check.setChecked(data.download)
            optimizer = self.optimizer_combo.findData(cfg.optimizer)
            if optimizer >= 0:
                self.optimizer_combo.setCurrentIndex(optimizer)
            self.device_combo.setCurrentIndex(max(0, device))
            self._show_speed(cfg.min_step_s)
        if not self.data_dir_edit.hasFocus():
            self.data_dir_edit.setText(folder)
        if not self.log_dir_edit.hasFocus():
            self.log_dir_edit.setText(cfg.log_dir or "")
        for spin, value in ((self.n_train_spin, data.n_train or 0), (self.lr_spin, cfg.lr),
                            (self.batch_spin, cfg.batch_size), (self.epochs_spin, cfg.epochs)):
            if spin.value() != value:
                with QSignalBlocker(spin):
                    spin.setValue(value)
        for switch, check in self.augment_checks.items():
            value = getattr(data.augment, switch)
            with QSignalBlocker(check):
                check.setChecked(bool(value))
            check.setToolTip(augment_text(switch)[1].format(value or AUGMENT_DEFAULTS[switch]))
        if _section in ("", "data") or (_section == "training" and self._points_dataset()
                                         and cfg.seed != self._preview_seed):
            self._dataset_shown()  # a point set's sample also depends on the run's seed

    def _show_speed(self, seconds: float) -> None:
        """Select the speed; a value typed into the project file gets its own entry."""
        index = self.speed_combo.findData(seconds)
        if index < 0:
            self.speed_combo.addItem(self.tr("{seconds} s per step").format(seconds=f"{seconds:g}"),
                                     seconds)
            index = self.speed_combo.count() - 1
        self.speed_combo.setCurrentIndex(index)

    def _dataset_shown(self) -> None:
        self._enable_data_widgets()
        key = self.dataset_combo.currentData()
        builtin = self._builtin_dataset()
        self.data_dir_edit.setPlaceholderText(
            self.tr("folder with one subfolder per class") if key == FOLDER_ITEM
            else "" if builtin else str(datasets.default_data_dir()))
        if builtin:
            QTimer.singleShot(0, self.update_preview)  # after the window has been drawn
        else:
            self.preview.show_problem(self.tr("Choose the folder, then press Preview to see a "
                                              "few samples."))

    def _points_dataset(self) -> bool:
        info = datasets.DATASETS.get(self.doc.project.data.name)
        return info is not None and info.kind == "points"

    def _builtin_dataset(self) -> bool:
        info = datasets.DATASETS.get(self.dataset_combo.currentData())
        return info is not None and info.builtin

    def _enable_data_widgets(self) -> None:
        """Folder, download and preview only mean something for non-built-in data, and
        augmentation only for images; nothing but the learning rate changes during a run."""
        idle = self._state == "idle"
        for widget in (self.dataset_combo, self.n_train_spin, self.optimizer_combo,
                       self.batch_spin, self.epochs_spin, self.device_combo,
                       self.speed_combo, self.log_dir_edit, self.log_dir_button):
            widget.setEnabled(idle)
        builtin = self._builtin_dataset()
        key = self.dataset_combo.currentData()
        for widget in (self.data_dir_edit, self.data_dir_button, self.preview_button):
            widget.setEnabled(idle and not builtin)
        self.download_check.setEnabled(idle and not builtin and key != FOLDER_ITEM)
        info = datasets.DATASETS.get(key)
        images = key == FOLDER_ITEM or (info is not None and info.kind == "image")
        for check in self.augment_checks.values():
            check.setEnabled(idle and images)

    # -- preview (loaded off the GUI thread) ---------------------------------------------------------

    def update_preview(self) -> None:
        """Show a few samples of the chosen dataset; loading (and importing torchvision for
        its sets) happens in a background thread, the result is cached per name and folder.
        A 2-D point set is small, so it is shown whole, exactly as the run will get it: the
        trainer's own `load_data` with the document's noise, validation share, sample and
        seed (the Playground's controls change them)."""
        cfg = self.doc.project.data.resolved()  # relative folders point from the project
        info = datasets.DATASETS.get(cfg.name)
        points = info is not None and info.kind == "points"
        seed = self._preview_seed = self.doc.project.training.seed
        key = f"{cfg!r}|{seed}" if points else f"{cfg.name}|{cfg.data_dir}"
        self._preview_key = key
        bundle = self._preview_cache.get(key)
        if bundle is not None:
            self.preview.show_bundle(bundle)
            return
        self.preview.show_problem(self.tr("Loading a few samples…"))

        def load(_progress) -> tuple[str, DataBundle]:
            if points:
                return key, load_data(cfg, seed)
            return key, datasets.load(cfg.name, data_dir=cfg.data_dir, n_train=64, n_val=1)

        self._loading_key = key
        self._preview_job.start(load)

    def _preview_loaded(self, result: tuple[str, DataBundle]) -> None:
        key, bundle = result
        self._preview_cache[key] = bundle
        if key == self._preview_key:
            self.preview.show_bundle(bundle)

    def _preview_failed(self, message: str) -> None:
        if self._loading_key == self._preview_key:
            self.preview.show_problem(message)

    # -- run state and progress --------------------------------------------------------------------

    def set_state(self, state: str) -> None:
        self._state = state
        self._enable_data_widgets()

    def show_progress(self, p: dict) -> None:
        self.progress_bar.setValue(int(1000 * p["progress"]))
        self.progress_label.setText(self.tr(
            "Epoch {epoch}/{epochs} · batch {batch}/{batches} · step {step}/{steps}\n"
            "{rate} samples/s · ETA {eta}").format(
            epoch=p["epoch"], epochs=p["epochs"], batch=p["batch"],
            batches=p["batches_per_epoch"], step=p["step"], steps=p["total_steps"],
            rate=f"{p['samples_per_s']:,.0f}", eta=duration(p["eta_s"])))
        acc = p["acc"][-1] if len(p["acc"]) else math.nan
        acc_text = (self.tr(" · accuracy {acc}").format(acc=f"{acc:.1%}")
                    if math.isfinite(acc) else "")
        self.metrics_label.setText(self.tr("loss {loss}{accuracy} · lr {lr}").format(
            loss=f"{p['loss'][-1]:.4g}", accuracy=acc_text, lr=f"{p['lr'][-1]:g}"))

    def show_status(self, text: str, color: str | None = None, details: str = "") -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {color}" if color else "")
        self.status_label.setToolTip(details)

    def reset_progress(self, text: str) -> None:
        self.changed_label.hide()
        self.progress_bar.setValue(0)
        self.progress_label.setText(text)
        self.metrics_label.setText("")
