"""Augmentation lab: one sample under each augmentation the trainer knows, with strength
sliders, re-sampling and the switches that decide what the next run trains with.

The pictures come from `app.core.augment_preview`, which runs the trainer's own
`augment_batch` with one kind on; a few 28x28 images take milliseconds, so a slider move
redraws its row at once. Loading a dataset (before any run) goes through `start_job`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QWidget,
)

from app import commands
from app.core import datasets
from app.core.augment_preview import KINDS, augment_versions, single_kind
from app.document import Document
from widgets.lab.base import LabView
from widgets.plots.common import caption, to_pixmap
from widgets.plots.feature_maps import probe_labels
from widgets.plots.run_view import ViewContext
from widgets.training_controls import AUGMENT_DEFAULTS, augment_text

N_VERSIONS = 6  # augmented versions shown per row
TILE = 36  # pixels per picture: six rows fit the dock without scrolling
GAP_COLUMN = 5  # an empty column between the original and its versions
N_SAMPLES = 16  # samples to choose from when the project's dataset is loaded here
NOT_IMAGES = QT_TRANSLATE_NOOP("AugmentationView", "augmentation works on images only: choose "
                               "an image dataset (shapes, mnist, fashion_mnist, kmnist, cifar10 "
                               "or an image folder) in the Training tab")


def _tr(text: str) -> str:
    return QCoreApplication.translate("AugmentationView", text)


@dataclass(frozen=True)
class SliderScale:
    """How a kind's strength maps onto an integer slider, and how it is written."""

    steps: int  # slider maximum
    unit: float  # strength per slider step
    text: str  # format of the strength

    def strength(self, position: int) -> float:
        return round(position * self.unit, 6)  # 15 * 0.1 is 1.5, not 1.5000000000000002

    def position(self, strength: float) -> int:
        return max(0, min(self.steps, round(float(strength) / self.unit)))


SCALES = {"rotation": SliderScale(90, 1.0, "±{:g}°"), "crop": SliderScale(8, 1.0, "±{:g} px"),
          "hflip": SliderScale(1, 1.0, QT_TRANSLATE_NOOP("AugmentationView", "half the time")),
          "color_jitter": SliderScale(100, 0.01, "±{:.0%}"),
          "noise": SliderScale(50, 0.01, "σ {:.2f}"), "elastic": SliderScale(60, 0.1, "{:.1f} px")}


class AugmentRow:
    """One kind: its slider, strength, "use in training" switch and pictures (a helper, not a
    widget: its texts are in the "AugmentationView" context)."""

    def __init__(self, kind: str, grid: QGridLayout, row: int) -> None:
        self.kind, self.scale = kind, SCALES[kind]
        name, tip = augment_text(kind)
        self.name = QLabel(f"<b>{name}</b>")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, self.scale.steps)
        self.slider.setFixedWidth(120)
        self.slider.setPageStep(max(1, self.scale.steps // 10))
        self.slider.setValue(self.scale.position(float(AUGMENT_DEFAULTS[kind])))
        self.value = QLabel()
        self.value.setMinimumWidth(80)
        self.check = QCheckBox(QCoreApplication.translate("AugmentationView", "use in training"))
        self.check.setToolTip(QCoreApplication.translate(
            "AugmentationView", "Train the next run with “{name}” at the strength shown "
            "(Training tab: {default} by default)").format(
            name=name, default=tip.format(AUGMENT_DEFAULTS[kind])))
        if kind == "hflip":
            self.slider.setEnabled(False)
            self.slider.setToolTip(QCoreApplication.translate(
                "AugmentationView", "A flip has no strength: each picture is mirrored or not"))
        else:
            self.slider.setToolTip(QCoreApplication.translate(
                "AugmentationView", "Strength of this augmentation in the pictures (and in "
                "training when it is used there)"))
        self.tiles = [QLabel() for _ in range(N_VERSIONS + 1)]
        for tile in self.tiles:
            tile.setFixedSize(TILE, TILE)
            tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tiles[0].setToolTip(QCoreApplication.translate("AugmentationView",
                                                            "The original sample"))
        self.tiles[0].setStyleSheet("border: 1px solid palette(mid);")
        for column, widget in enumerate((self.name, self.slider, self.value, self.check,
                                         self.tiles[0])):
            grid.addWidget(widget, row, column)
        for column, tile in enumerate(self.tiles[1:], start=GAP_COLUMN + 1):
            grid.addWidget(tile, row, column)
        self.shown: np.ndarray | None = None  # the augmented versions drawn last
        self.show_value()

    def strength(self) -> float:
        return self.scale.strength(self.slider.value())

    def setting(self, on: bool) -> Any:
        """The AugmentConfig value for this row: the slider's strength when on, else off."""
        return getattr(single_kind(self.kind, self.strength() if on else 0.0), self.kind)

    def show_value(self) -> None:
        self.value.setText(_tr(self.scale.text).format(self.strength()))

    def draw(self, image: np.ndarray | None, seeds: list[int]) -> None:
        if image is None:
            self.shown = None
            for tile in self.tiles:
                tile.clear()
            return
        self.shown = augment_versions(image, self.kind, self.strength(), seeds)
        self.tiles[0].setPixmap(to_pixmap(image, TILE - 2))
        for tile, version in zip(self.tiles[1:], self.shown, strict=True):
            tile.setPixmap(to_pixmap(version, TILE))


class AugmentationView(LabView):
    """Rows of augmented versions of one chosen sample; switches feed the run's settings."""

    TITLE = QT_TRANSLATE_NOOP("LabView", "Augmentation")
    EXPLAIN_EN = ("Augmentation shows the network a slightly changed picture in every batch: "
                  "rotated, shifted, mirrored, brighter, noisier or gently warped. The class "
                  "stays the same, so the network learns what matters and overfits less. Each "
                  "row uses exactly the function the trainer uses; tick “use in training” to "
                  "train the next run with it.")
    EXPLAIN_DE = ("Datenaugmentierung zeigt dem Netz in jedem Batch ein leicht verändertes Bild: "
                  "gedreht, verschoben, gespiegelt, heller, verrauscht oder sanft verzerrt. Die "
                  "Klasse bleibt gleich, so lernt das Netz das Wesentliche, und die "
                  "Überanpassung nimmt ab. Jede Zeile nutzt genau die Funktion des Trainings; "
                  "mit „Im Training nutzen“ trainiert der nächste Lauf damit.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.images: np.ndarray | None = None  # (N, C, H, W) samples to choose from
        self.from_run = False  # samples came from a run (else from loading the dataset)
        self.seed = 0  # first seed of the versions; Re-sample moves on
        self._merge_keys: dict[str, int] = {}

        self.sample_combo = QComboBox()
        self.sample_combo.setToolTip(self.tr("The sample every row augments"))
        self.sample_combo.setMinimumWidth(130)
        self.load_button = QPushButton(self.tr("Load samples"))
        self.load_button.setToolTip(self.tr("Load a few samples of the project's dataset"))
        self.resample_button = QPushButton(self.tr("Re-sample"))
        self.resample_button.setToolTip(self.tr("Draw new random versions at the same "
                                                "strengths"))
        self.source = caption("")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Sample")))
        top.addWidget(self.sample_combo)
        top.addWidget(self.load_button)
        top.addWidget(self.resample_button)
        top.addWidget(self.source, 1)
        self.body.addLayout(top)

        rows = QWidget()
        grid = QGridLayout(rows)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        self.rows = {kind: AugmentRow(kind, grid, i) for i, kind in enumerate(KINDS)}
        grid.setColumnMinimumWidth(GAP_COLUMN, 8)
        grid.setColumnStretch(GAP_COLUMN + N_VERSIONS + 1, 1)
        scroll = QScrollArea()
        scroll.setWidget(rows)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body.addWidget(scroll, 1)

        self.sample_combo.currentIndexChanged.connect(lambda _i: self.redraw())
        self.load_button.clicked.connect(self.load_samples)
        self.resample_button.clicked.connect(self.resample)
        for kind, row in self.rows.items():
            row.slider.valueChanged.connect(lambda _v, kind=kind: self._strength_moved(kind))
            row.slider.sliderReleased.connect(lambda kind=kind: self._new_gesture(kind))
            row.check.toggled.connect(lambda on, kind=kind: self._use_toggled(kind, on))
            self._new_gesture(kind)

    # -- run view interface --

    def attach(self, ctx: ViewContext) -> None:
        self.doc = ctx.doc
        ctx.doc.settingsChanged.connect(self._settings_changed)
        self._mirror_settings()

    def run_started(self, run_id: int, data: dict[str, Any]) -> None:
        if data.get("kind") != "image":
            self.set_samples(None, [], "")
            self.show_problem(self.tr("This run trains on “{name}”: {why}.").format(
                name=data.get("name"), why=_tr(NOT_IMAGES)))
            return
        self.from_run = True
        pixels = datasets.pixels_of(data["probe_x"], data.get("mean", ()), data.get("std", ()))
        self.set_samples(pixels, probe_labels(data["probe_y"], data["classes"]),
                         self.tr("validation samples of run {run} ({name})").format(
                             run=run_id, name=data.get("name")))

    def clear(self) -> None:
        self.from_run = False
        self._forget_loaded()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.images is None and not self.job_row.isVisible() and not self.problem.text():
            self.load_samples()

    # -- samples --

    def load_samples(self) -> None:
        """Load a few samples of the project's dataset in the background (before any run)."""
        if self.doc is None:
            return
        cfg = self.doc.project.data.resolved()
        info = datasets.DATASETS.get(cfg.name)
        if info is not None and info.kind != "image":
            self.set_samples(None, [], "")
            self.show_problem(self.tr("The project's dataset is “{name}”: {why}.").format(
                name=cfg.name, why=_tr(NOT_IMAGES)))
            return
        # Texts are translated here, on the GUI thread, not in the job.
        holds = self.tr("“{name}” holds {kind}: {why}")
        source = self.tr("samples of {name} (no run yet)").format(name=cfg.name)
        why = _tr(NOT_IMAGES)

        def load(progress) -> tuple[np.ndarray, list[str], str]:
            bundle = datasets.load(cfg.name, data_dir=cfg.data_dir, n_train=64, n_val=1,
                                   progress=progress)
            if bundle.kind != "image":
                raise ValueError(holds.format(name=cfg.name, kind=bundle.kind, why=why))
            x, y = datasets.sample_images(bundle, N_SAMPLES)
            return x, probe_labels(y, bundle.classes), source

        self.start_job(self.tr("Loading {name}…").format(name=cfg.name), load,
                       lambda result, name=cfg.name: self._loaded(name, result))

    def _loaded(self, name: str, result: tuple[np.ndarray, list[str], str]) -> None:
        """Show loaded samples unless a run's own data or another dataset came first."""
        if not self.from_run and self.doc is not None and self.doc.project.data.name == name:
            self.set_samples(*result)

    def _forget_loaded(self) -> None:
        """Drop samples of a dataset that is no longer chosen; the new one loads when shown."""
        self.set_samples(None, [], "")
        if self.isVisible():
            self.load_samples()

    def set_samples(self, images: np.ndarray | None, labels: list[str], source: str) -> None:
        self.images = images
        self.source.setText(self.tr("{source} · left: the sample, right: {n} random versions")
                            .format(source=source, n=N_VERSIONS) if source else "")
        self.problem.setText("")
        with QSignalBlocker(self.sample_combo):
            self.sample_combo.clear()
            self.sample_combo.addItems(labels)
        self.redraw()

    def sample(self) -> np.ndarray | None:
        index = self.sample_combo.currentIndex()
        return None if self.images is None or index < 0 else self.images[index]

    # -- pictures --

    def seeds(self) -> list[int]:
        return list(range(self.seed, self.seed + N_VERSIONS))

    def redraw(self, kinds: tuple[str, ...] = KINDS) -> None:
        image = self.sample()
        for kind in kinds:
            self.rows[kind].draw(image, self.seeds())

    def resample(self) -> None:
        self.seed += N_VERSIONS
        self.redraw()

    def _strength_moved(self, kind: str) -> None:
        row = self.rows[kind]
        row.show_value()
        self.redraw((kind,))
        if row.check.isChecked():  # a used augmentation trains at the strength shown
            self._push(kind, row.setting(True), self._merge_keys[kind])

    def _new_gesture(self, kind: str) -> None:
        """A slider drag is one undo step; the next drag starts another."""
        self._merge_keys[kind] = commands.new_merge_key()

    # -- switches <-> document --

    def _use_toggled(self, kind: str, on: bool) -> None:
        self._push(kind, self.rows[kind].setting(on))
        self._new_gesture(kind)

    def _push(self, kind: str, value: Any, merge_key: int | None = None) -> None:
        if self.doc is not None and getattr(self.doc.project.data.augment, kind) != value:
            self.doc.undo_stack.push(commands.SetSettings(self.doc, "augment", {kind: value},
                                                          merge_key))

    def _settings_changed(self, section: str) -> None:
        if section == "augment":
            self._mirror_settings()
        elif section == "data" and not self.from_run:
            self._forget_loaded()

    def _mirror_settings(self) -> None:
        """Switches show the document; a used kind's slider shows its training strength."""
        assert self.doc is not None
        augment = self.doc.project.data.augment
        for kind, row in self.rows.items():
            value = getattr(augment, kind)
            with QSignalBlocker(row.check):
                row.check.setChecked(bool(value))
            if value and kind != "hflip" and row.slider.value() != row.scale.position(value):
                with QSignalBlocker(row.slider):
                    row.slider.setValue(row.scale.position(value))
                row.show_value()
                self.redraw((kind,))
