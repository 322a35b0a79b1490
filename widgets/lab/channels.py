"""Lab view "What does this channel look for?": for a few channels of a low, a mid and a high
layer, the input that excites each most (synthesised from noise) next to the dataset images
that excite it most. By default one unit per channel is maximised and every picture is cut to
that unit's receptive field, so the growing field (edges -> parts -> objects) is what one sees.
The computation is `app.core.activation_max.portraits`; this view only starts it on the last
run's weights and draws its numpy results."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.activation_max import STEPS, LayerPortrait, portraits
from app.core.experiment import load_data
from app.core.probes import choose_probe_layers
from app.document import Document
from widgets.canvas import style
from widgets.lab.base import LabView
from widgets.plots.common import caption, to_pixmap
from widgets.plots.run_view import ViewContext

SYNTH_PX, TOP_PX, TOP_K = 64, 25, 5
OBJECTIVE_LABELS = {"centre": QT_TRANSLATE_NOOP("ChannelsView", "one position (receptive field)"),
                    "mean": QT_TRANSLATE_NOOP("ChannelsView", "whole channel (mean)")}
MAX_IMAGES = 4000  # training images searched for the top ones: a second of forward passes
LOW, MID, HIGH = (QT_TRANSLATE_NOOP("ChannelsView", "low: edges"),
                  QT_TRANSLATE_NOOP("ChannelsView", "mid: parts"),
                  QT_TRANSLATE_NOOP("ChannelsView", "high: objects"))
LAYER = QT_TRANSLATE_NOOP("ChannelsView", "layer")
ROLES = {3: (LOW, MID, HIGH), 2: (LOW, HIGH), 1: (LAYER,)}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChannelsView", text)


def _picture(image: np.ndarray, value_range: tuple[float, float], size: int) -> QLabel:
    lo, hi = value_range
    label = QLabel()
    label.setPixmap(to_pixmap((image - lo) / max(hi - lo, 1e-12), size))
    label.setStyleSheet(f"border: 1px solid {style.MUTED.name()}")  # white pictures need edges
    label.setFixedSize(size + 2, size + 2)
    return label


class ChannelsView(LabView):
    """Activation maximisation and top dataset images per channel (see the module docstring)."""

    TITLE = QT_TRANSLATE_NOOP("LabView", "What does this channel look for?")
    EXPLAIN_EN = (
        "Each large square is an input the network made up itself: starting from noise, it "
        "changed the picture step by step so that one unit of a channel fires as strongly as "
        "possible, cut to that unit's receptive field, the pixels it can see. Next to it are the "
        "five training-image patches that excite the channel most. The field grows with depth: "
        "low layers see a few pixels and look for edges, middle layers for parts, high layers "
        "for whole objects.")
    EXPLAIN_DE = (
        "Jedes große Quadrat ist eine Eingabe, die das Netz selbst erzeugt hat: Ausgehend von "
        "Rauschen wurde das Bild Schritt für Schritt so verändert, dass eine Einheit eines "
        "Kanals möglichst stark feuert, zugeschnitten auf ihr rezeptives Feld, die Pixel, die "
        "sie sieht. Daneben stehen die fünf Ausschnitte aus Trainingsbildern, die den Kanal am "
        "stärksten anregen. Das Feld wächst mit der Tiefe: Frühe Schichten sehen wenige Pixel "
        "und suchen Kanten, mittlere Teile, späte ganze Objekte.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc: Document | None = None
        self.results: list[LayerPortrait] | None = None
        self.compute_button = QPushButton(self.tr("Compute"))
        self.compute_button.setToolTip(self.tr("Synthesise the inputs and find the top images, "
                                               "using the weights of the last run"))
        self.compute_button.clicked.connect(self.compute)
        self.objective_combo = QComboBox()
        for key, label in OBJECTIVE_LABELS.items():
            self.objective_combo.addItem(_tr(label), key)
        self.objective_combo.setToolTip(self.tr(
            "What is maximised. One position: the unit at the centre of the channel's map; the "
            "pictures show only its receptive field (the input pixels it can see), which grows "
            "from layer to layer. Whole channel: the channel's mean over all positions; it asks "
            "for the pattern everywhere at once, so low layers give flat or striped pictures."))
        self.objective_combo.currentIndexChanged.connect(self._objective_changed)
        self.channels_spin = QSpinBox()
        self.channels_spin.setRange(1, 8)
        self.channels_spin.setValue(4)
        self.channels_spin.setPrefix(self.tr("channels per layer: "))
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(20, 2000)
        self.steps_spin.setSingleStep(50)
        self.steps_spin.setValue(STEPS)
        self.steps_spin.setPrefix(self.tr("steps: "))
        self.steps_spin.setToolTip(self.tr("Gradient-ascent steps per synthesised input"))
        self.status = caption("", muted=True)
        controls = QHBoxLayout()
        self.channels_spin.setToolTip(self.tr("How many channels of each layer to show"))
        for widget in (self.compute_button, self.objective_combo, self.channels_spin,
                       self.steps_spin):
            controls.addWidget(widget)
        controls.addStretch(1)
        self.grid_host = QWidget()
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(4)
        packed = QHBoxLayout()
        packed.addLayout(self.grid)
        packed.addStretch(1)
        outer = QVBoxLayout(self.grid_host)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(packed)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.body.addLayout(controls)
        self.body.addWidget(self.status)  # full width below: two lines, not six beside
        self.body.addWidget(scroll, 1)

    def attach(self, ctx: ViewContext) -> None:
        self._doc = ctx.doc
        ctx.doc.trainedChanged.connect(self._weights_changed)

    def _weights_changed(self) -> None:
        if self.results is not None:
            self.status.setText(self.tr("New weights: press Compute to see what the channels "
                                        "look for now."))

    def _objective_changed(self) -> None:
        if self.results is not None:
            self.status.setText(self.tr("Press Compute to maximise the new objective."))

    @property
    def objective(self) -> str:
        """The chosen objective, a key of `activation_max.OBJECTIVES`."""
        return str(self.objective_combo.currentData())

    def clear(self) -> None:
        self.results = None
        self._draw([], (0.0, 1.0))
        self.status.setText("")

    # -- computing --

    def compute(self) -> None:
        """Start the computation on the last run's weights, or say why it cannot start."""
        doc = self._doc
        if doc is None:
            return
        if doc.trained is None:
            self.show_problem(self.tr("There are no trained weights yet: train the network "
                                      "first (Training tab), then press Compute."))
            return
        if not doc.trained_matches():
            self.show_problem(self.tr("The network changed since the last run: train it "
                                      "again, then press Compute."))
            return
        layers = choose_probe_layers(doc.graph, doc.report)
        if not layers:
            self.show_problem(self.tr("The network has no layers to look into: connect it "
                                      "from Input to Output first."))
            return
        model = self.trained_model(doc)
        if model is None:
            return
        data_cfg = doc.project.data
        channels, steps = self.channels_spin.value(), self.steps_spin.value()
        objective = self.objective

        def work(progress) -> tuple[list[LayerPortrait], tuple[float, float]]:
            data = load_data(data_cfg, progress=progress)
            x = data.x_train[:MAX_IMAGES].float()
            found = portraits(model, layers, channels, x, objective=objective, k=TOP_K,
                              steps=steps, progress=progress)
            return found, (float(x.min()), float(x.max()))

        self.status.setText("")
        self.start_job(self.tr("Synthesising inputs…"), work, self._show)

    def compute_and_wait(self, timeout_s: float = 120.0) -> None:
        """Compute and keep the GUI running until the job has ended (screenshots)."""
        self.run_and_wait(self.compute, "the channel portraits", timeout_s)

    def _show(self, result: tuple[list[LayerPortrait], tuple[float, float]]) -> None:
        self.results, value_range = result
        self._draw(self.results, value_range)
        steps = self.results[0].trace.shape[0] if self.results else 0
        if self.results and self.results[0].objective == "centre":
            self.status.setText(self.tr(
                "{steps} steps of gradient ascent on the centre unit; top {k} patches of the "
                "first {n} training images; × avg: its activation over that unit's average on "
                "those images").format(steps=steps, k=TOP_K, n=MAX_IMAGES))
        else:
            self.status.setText(self.tr(
                "{steps} steps of gradient ascent on the channel mean; top {k} of the first {n} "
                "training images; × mean: its activation over the channel's average on those "
                "images").format(steps=steps, k=TOP_K, n=MAX_IMAGES))

    # -- drawing --

    def _draw(self, found: list[LayerPortrait], value_range: tuple[float, float]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        roles = ROLES.get(len(found), ())
        for row, portrait in enumerate(found):
            role = _tr(roles[row] if row < len(roles) else LAYER)
            top, bottom, left, right = portrait.box
            field = ("<br>" + self.tr("sees {h}×{w} px").format(h=bottom - top + 1,
                                                                 w=right - left + 1)
                     if portrait.objective == "centre" else "")
            name = caption(f"<b>{role}</b><br>{portrait.layer}{field}")
            name.setTextFormat(Qt.TextFormat.RichText)
            name.setFixedWidth(92)
            self.grid.addWidget(name, row, 0)
            for col, channel in enumerate(portrait.channels):
                self.grid.addWidget(self._cell(portrait, col, channel, value_range), row, col + 1)

    def _cell(self, portrait: LayerPortrait, j: int, channel: int,
              value_range: tuple[float, float]) -> QWidget:
        cell = QWidget()
        mean, final, factor = (float(portrait.dataset_mean[j]), float(portrait.final[j]),
                               float(portrait.factor[j]))
        centre = portrait.objective == "centre"
        if centre:
            tip = self.tr("{layer}, channel {channel}, its centre unit: the synthesised input "
                          "raised it from {start} (noise) to {final}; best training patch "
                          "{best}, that unit's average over the training images {mean}")
        else:
            tip = self.tr("{layer}, channel {channel}, its mean activation: the synthesised "
                          "input raised it from {start} (noise) to {final}; best training "
                          "image {best}, the channel's average over the training images {mean}")
        cell.setToolTip(tip.format(layer=portrait.layer, channel=channel,
                                   start=f"{portrait.trace[0, j]:.3g}", final=f"{final:.3g}",
                                   best=f"{portrait.top_scores[j, 0]:.3g}", mean=f"{mean:.3g}"))
        layout = QHBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(_picture(portrait.images[j], value_range, SYNTH_PX))
        side = QVBoxLayout()
        side.setSpacing(2)
        if np.isfinite(factor):
            gain = (self.tr("{factor}× avg") if centre else self.tr("{factor}× mean")).format(
                factor=f"{factor:.1f}")
        else:  # a unit that never fires on the data: its value is the only number there is
            gain = self.tr("{value}, data 0").format(value=f"{final:.2g}")
        side.addWidget(caption(self.tr("ch {channel} · {gain}").format(channel=channel,
                                                                        gain=gain), muted=True))
        strip = QHBoxLayout()
        strip.setSpacing(1)
        for image in portrait.top[j]:
            strip.addWidget(_picture(image, value_range, TOP_PX))
        side.addLayout(strip)
        side.addStretch(1)
        layout.addLayout(side)
        return cell

    def run_started(self, run_id: int, data: dict[str, Any]) -> None:
        """A new run makes the shown portraits stale until it ends and Compute is pressed."""
        if self.results is not None:
            self.status.setText(self.tr("Run {run} is training: press Compute when it has "
                                        "ended.").format(run=run_id))
