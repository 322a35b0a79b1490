"""Lab view "Inside the LSTM": for one input phrase (or sequence), heatmaps over the time steps
of an LSTM's hidden state, cell state and input, forget and output gates, next to the model's
answer and the reference.

The numbers come from `app.core.lstm_unroll`, which recomputes the layer from its own weights.
While a run trains, every snapshot measures the chosen input on the training model (a snapshot
"extra" that keeps itself under a few per cent of the training time), so the pictures change
as the network learns and follow the replay slider; afterwards a background job measures a new
input on the trained weights. Switching the LSTM node or layer only redraws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from app.core import translation
from app.core.datasets import DATASETS
from app.core.experiment import SetupError, load_data
from app.core.lstm_unroll import LiveTrace, ModelTrace, trace_model
from app.core.probes import SnapshotHistory
from app.core.weights import model_with_weights
from app.document import Document
from widgets.canvas import style
from widgets.lab.base import LabView
from widgets.plots.common import DIVERGING_LUT, RUN_COLORS, caption
from widgets.plots.run_view import ViewContext

EXTRA = "lstm"
MAX_SAMPLES = 60  # validation inputs offered in the list
MAX_CURVES = 3  # inputs with up to this many features are drawn as curves, more as a heatmap
CELL_LIMIT = 3.0  # colour range of the cell state, which is not bounded like the others
# (quantity, title, levels): gates are drawn 0 (closed, blue) .. 1 (open, red), states -1 .. 1.
# Titles are translated where they are shown.
PANELS = (
    ("h", QT_TRANSLATE_NOOP("LSTMView", "h · hidden state"), (-1.0, 1.0)),
    ("c", QT_TRANSLATE_NOOP("LSTMView", "c · cell (memory)"), (-CELL_LIMIT, CELL_LIMIT)),
    ("i", QT_TRANSLATE_NOOP("LSTMView", "i · input gate: write"), (0.0, 1.0)),
    ("f", QT_TRANSLATE_NOOP("LSTMView", "f · forget gate: keep"), (0.0, 1.0)),
    ("o", QT_TRANSLATE_NOOP("LSTMView", "o · output gate: show"), (0.0, 1.0)),
)
# Layers that change the number of time steps: an LSTM behind one of them does not read the
# input's tokens step by step.
RESTEPPING = {"RepeatSteps", "Flatten", "LSTM", "GRU"}


@dataclass(frozen=True)
class Sample:
    """One input the learner can look at: its values, how to name it and its reference."""

    x: np.ndarray
    label: str
    reference: str = ""
    tokens: tuple[str, ...] = ()  # per-step names of the input (translation words)


def reads_input_steps(doc: Document, node: str) -> bool:
    """True if `node` sees the input's time steps one for one (an encoder), False if a layer
    in between changes the steps (a decoder fed by RepeatSteps)."""
    graph = doc.graph
    current = node
    while True:
        parents = graph.inputs_of(current)
        if len(parents) != 1:
            return False
        current = parents[0]
        kind = graph.nodes[current].type
        if kind == "Input":
            return True
        if kind in RESTEPPING:
            return False


class LSTMView(LabView):
    """Gates and states of an LSTM over time (see the module docstring)."""

    TITLE = QT_TRANSLATE_NOOP("LabView", "Inside the LSTM")
    EXPLAIN_EN = (
        "An LSTM reads its input one step at a time and keeps a memory, the cell state c. At "
        "every step the forget gate f decides how much of the old memory to keep, the input "
        "gate i how much new content to write, and the output gate o how much of the memory to "
        "show as the hidden state h, which the next layer reads. Gates are drawn blue when "
        "closed (0) and red when open (1); each column is one step, each row one unit.")
    EXPLAIN_DE = (
        "Ein LSTM liest seine Eingabe Schritt für Schritt und führt ein Gedächtnis, den "
        "Zellzustand c. Bei jedem Schritt entscheidet das Vergessenstor f, wie viel vom alten "
        "Gedächtnis bleibt, das Eingabetor i, wie viel Neues hineingeschrieben wird, und das "
        "Ausgabetor o, wie viel davon als verborgener Zustand h sichtbar wird, den die nächste "
        "Schicht liest. Tore sind blau, wenn sie geschlossen sind (0), und rot, wenn sie offen "
        "sind (1); jede Spalte ist ein Schritt, jede Zeile eine Einheit.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: ViewContext | None = None
        self.samples: list[Sample] = []
        self.typed: Sample | None = None  # a phrase the learner typed (translation)
        self.trace: ModelTrace | None = None
        self.source = ""  # where the shown trace comes from (a training step, the weights)
        self.live: LiveTrace | None = None
        self._held_out: set[tuple[int, ...]] = set()
        self.classes: tuple[str, ...] = ()

        self.node_combo = QComboBox()
        self.node_combo.setToolTip(self.tr("The LSTM node of the network to look into"))
        self.node_combo.currentIndexChanged.connect(self._node_changed)
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip(self.tr("For a stacked LSTM (num_layers > 1): which of its "
                                            "layers"))
        self.layer_combo.currentIndexChanged.connect(lambda _i: self._draw())
        self.input_combo = QComboBox()
        self.input_combo.setToolTip(self.tr("A validation input the network never trained on"))
        self.input_combo.setMinimumContentsLength(22)
        self.input_combo.activated.connect(self._sample_chosen)
        self.phrase_edit = QLineEdit()
        self.phrase_edit.setPlaceholderText(self.tr("or type English number words, e.g. forty "
                                                    "two"))
        self.phrase_edit.setToolTip(self.tr("Type a phrase and press Enter to see the LSTM "
                                            "read it"))
        self.phrase_edit.setClearButtonEnabled(True)
        self.phrase_edit.returnPressed.connect(self._phrase_typed)
        controls = QHBoxLayout()
        controls.setSpacing(6)
        for text, widget in (("LSTM", self.node_combo), (self.tr("layer"), self.layer_combo),
                             (self.tr("input"), self.input_combo)):
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            controls.addWidget(QLabel(text))
            controls.addWidget(widget)
        controls.addWidget(self.phrase_edit, 1)
        controls.addStretch(0)
        self.body.addLayout(controls)

        self.answer = caption("", bold=True)
        self.status = caption("", muted=True)
        self.body.addWidget(self.answer)

        self.plots = pg.GraphicsLayoutWidget()
        self.plots.ci.setContentsMargins(2, 2, 2, 2)
        self.items: dict[str, pg.ImageItem] = {}
        self.panels: dict[str, pg.PlotItem] = {}
        # What the node reads: a few curves (a wave), or a heatmap of its features (words'
        # embeddings, an encoder's summary), each scaled to the largest value.
        self.input_panel = self._panel(0, 0, self.tr("x · what it reads"))
        self.input_panel.getAxis("left").enableAutoSIPrefix(False)
        self.input_image = pg.ImageItem()
        self.input_image.setLookupTable(DIVERGING_LUT)
        self.input_panel.addItem(self.input_image)
        self.input_curves = [self.input_panel.plot([], [], pen=pg.mkPen(color, width=2))
                             for color in RUN_COLORS[:MAX_CURVES]]
        # States in the first row next to the input, the three gates in the second.
        for k, (quantity, title, _levels) in enumerate(PANELS, start=1):
            row, col = divmod(k, 3)
            panel = self._panel(row, col, QCoreApplication.translate("LSTMView", title))
            if quantity in ("h", "i"):
                panel.setLabel("left", self.tr("unit"))
            item = pg.ImageItem()
            item.setLookupTable(DIVERGING_LUT)
            panel.addItem(item)
            self.items[quantity], self.panels[quantity] = item, panel
        self.body.addWidget(self.plots, 1)
        self.legend = caption(
            self.tr("Colours: blue −1 · white 0 · red +1 for h; gates blue = closed (0), white = "
                    "half, red = open (1); c is clipped at ±{limit}; x is scaled to its largest "
                    "value. Hover a heatmap for its values.").format(limit=f"{CELL_LIMIT:g}"),
            muted=True)
        self.body.addWidget(self.legend)
        self.body.addWidget(self.status)
        self.plots.scene().sigMouseMoved.connect(self._hover)

    def _panel(self, row: int, col: int, title: str) -> pg.PlotItem:
        panel = self.plots.addPlot(row=row, col=col)
        panel.setMenuEnabled(False)
        panel.setMouseEnabled(False, False)
        panel.hideButtons()
        panel.invertY(True)
        panel.setTitle(title, size="9pt")
        for side in ("bottom", "left"):
            panel.getAxis(side).setStyle(tickFont=style.ui_font(8))
        panel.getAxis("left").setWidth(34)
        return panel

    # -- RunView --

    def attach(self, ctx: ViewContext) -> None:
        self.ctx = ctx
        doc = ctx.doc
        doc.graphReset.connect(self._network_changed)
        doc.shapesChanged.connect(lambda _report: self._network_changed())
        doc.settingsChanged.connect(self._settings_changed)
        doc.trainedChanged.connect(self._trained_changed)
        self._network_changed()

    def run_options(self) -> dict[str, Any]:
        """Measure the chosen input at every snapshot of the run (within a time budget)."""
        sample = self.chosen()
        if self.fit_problem() or sample is None:
            self.live = None
            return {}
        self.live = LiveTrace()
        self.live.choose(sample.x, sample.label)
        return {"extras": {EXTRA: self.live}}

    def run_started(self, run_id: int, data: dict[str, Any]) -> None:
        if not data.get("restored"):
            self.status.setText(self.tr("Run {run} is training: the heatmaps follow it.")
                                .format(run=run_id))

    def show_position(self, history: SnapshotHistory, index: int) -> None:
        items = history.items[:index + 1]
        snapshot = next((s for s in reversed(items) if s.extras.get(EXTRA) is not None), None)
        if snapshot is None:
            return
        self.trace = snapshot.extras[EXTRA]
        self.source = self.tr("the weights at training step {step} (epoch {epoch})").format(
            step=snapshot.step, epoch=snapshot.epoch)
        self._draw()

    def clear(self) -> None:
        self.trace = None
        self.source = ""
        self.typed = None
        for item in (*self.items.values(), self.input_image):
            item.clear()
        for curve in self.input_curves:
            curve.setData([], [])
        self.answer.setText("")
        self.status.setText("")

    # -- what fits --

    def lstm_nodes(self) -> list[str]:
        doc = self.ctx.doc
        try:
            order = doc.graph.topo_order()
        except ValueError:
            return []
        return [nid for nid in order if doc.graph.nodes[nid].type == "LSTM"]

    def fit_problem(self) -> str:
        """Why this view cannot show the document's network and dataset ("" if it can)."""
        if self.ctx is None:
            return self.tr("This view needs a project.")
        if not self.lstm_nodes():
            return self.tr("This view needs a network with an LSTM node: open the translation "
                           "or lstm_sequence preset, or add an LSTM layer.")
        info = DATASETS.get(self.ctx.doc.project.data.name)
        if info is None or info.kind not in ("sequence", "text"):
            return self.tr("This view reads sequences: choose the translation or sequence "
                           "dataset in the Training tab.")
        return ""

    def is_translation(self) -> bool:
        return self.ctx is not None and self.ctx.doc.project.data.name == "translation"

    def _network_changed(self) -> None:
        current = self.node_combo.currentText()
        nodes = self.lstm_nodes() if self.ctx is not None else []
        self.node_combo.blockSignals(True)
        self.node_combo.clear()
        self.node_combo.addItems(nodes)
        if current in nodes:
            self.node_combo.setCurrentText(current)
        self.node_combo.blockSignals(False)
        if not self._check_fit() and not self.samples:
            self._load_samples()  # the network has just become one this view can show
        self._node_changed()

    def _check_fit(self) -> str:
        problem = self.fit_problem()
        self.show_problem(problem)
        for widget in (self.node_combo, self.layer_combo, self.input_combo, self.phrase_edit):
            widget.setEnabled(not problem)
        self.phrase_edit.setVisible(self.is_translation())
        return problem

    def _settings_changed(self, section: str) -> None:
        if section == "data":
            self._load_samples()

    # -- inputs --

    def _load_samples(self) -> None:
        """The validation inputs of the document's dataset (milliseconds for the sequence
        and translation sets, which are generated)."""
        self.samples = []
        self.typed = None
        self.input_combo.clear()
        if self._check_fit():
            return
        project = self.ctx.doc.project
        try:
            data = load_data(project.data, project.training.seed)
        except SetupError as exc:
            self.show_problem(str(exc))
            return
        self.classes = tuple(data.classes)
        x = data.x_val if len(data.x_val) else data.x_train
        y = data.y_val if len(data.x_val) else data.y_train
        if self.is_translation():
            self._held_out = {tuple(row) for row in data.x_val.tolist()}
        for k in range(min(MAX_SAMPLES, len(x))):
            self.samples.append(self._sample(x[k].cpu().numpy(), y[k], data.classes, k))
        self.input_combo.addItems([s.label for s in self.samples])
        self.input_combo.setCurrentIndex(0)

    def _sample(self, x: np.ndarray, y: Any, classes: tuple, k: int) -> Sample:
        if self.is_translation():
            phrase = translation.decode_source(x.tolist())
            return Sample(x, phrase, translation.decode_target(y.tolist()), _source_words(x))
        label = int(y)
        name = classes[label] if label < len(classes) else str(label)
        return Sample(x, self.tr("validation sample {k}: {name}").format(k=k + 1, name=name),
                      name)

    def chosen(self) -> Sample | None:
        if self.typed is not None:
            return self.typed
        index = self.input_combo.currentIndex()
        return self.samples[index] if 0 <= index < len(self.samples) else None

    def _sample_chosen(self, _index: int) -> None:
        self.typed = None
        self.phrase_edit.clear()
        self.measure()

    def _phrase_typed(self) -> None:
        phrase = " ".join(self.phrase_edit.text().lower().split())
        try:
            ids = translation.encode_source(phrase)
        except ValueError as exc:
            self.show_problem(self.tr("Cannot read '{phrase}': {problem}.").format(
                phrase=phrase, problem=exc))
            return
        self.show_problem("")
        reference = dict(translation.PAIRS).get(phrase.replace("-", " "), "")
        x = np.array(ids, dtype=np.int64)
        self.typed = Sample(x, phrase, reference, _source_words(x))
        self.measure()

    # -- measuring --

    def measure(self, live: bool = True) -> None:
        """Show the chosen input: on the training model at the next snapshot while a run
        goes (with `live`), else on the trained weights in a background job."""
        sample = self.chosen()
        if self.ctx is None or sample is None or self._check_fit():
            return
        doc = self.ctx.doc
        if live and self.ctx.controller.is_running and self.live is not None:
            try:
                self.live.choose(sample.x, sample.label)
            except ValueError as exc:
                self.show_problem(self.tr("The running network cannot read this input: "
                                          "{problem}.").format(problem=exc))
                return
            self.status.setText(self.tr("'{input}' is measured at the next snapshot of the "
                                        "run.").format(input=sample.label))
            return
        if doc.trained is None:
            self.show_problem(self.tr("There are no trained weights yet: train the network "
                                      "(Train, F5) and the heatmaps follow it live."))
            return
        if not doc.trained_matches():
            self.show_problem(self.tr("The network changed since the last run: train it "
                                      "again."))
            return
        graph, trained = doc.graph.copy(), doc.trained

        def work(progress) -> ModelTrace:
            progress(0, 1)
            model = model_with_weights(graph, trained)
            result = trace_model(model, sample.x, label=sample.label)
            progress(1, 1)
            return result

        self.start_job(self.tr("Unrolling the LSTM on '{input}'…").format(input=sample.label),
                       work, self._measured)

    def measure_and_wait(self, timeout_s: float = 60.0) -> None:
        """Measure and keep the GUI running until it is done (screenshots)."""
        self.run_and_wait(lambda: self.measure(live=False), "unrolling the LSTM", timeout_s)

    def _measured(self, trace: ModelTrace) -> None:
        self.trace = trace
        self.source = self.tr("the trained weights")
        self._draw()

    def _trained_changed(self) -> None:
        """A run ended (or weights were opened): measure the final weights, which the last
        snapshot may not have (the live measurement skips what its time budget forbids)."""
        if self.ctx is not None and self.ctx.doc.trained is not None and not self._check_fit():
            self.measure(live=False)

    # -- drawing --

    def _node_changed(self, _index: int = -1) -> None:
        self._sync_layers()
        self._draw()

    def _sync_layers(self) -> None:
        """Offer the layers of the chosen node (the trace holds every node and layer)."""
        layers = 1
        node = self.node_combo.currentText()
        if self.trace is not None and node in self.trace.traces:
            layers = self.trace.traces[node].h.shape[0]
        elif node and self.ctx is not None and node in self.ctx.doc.graph.nodes:
            layers = int(self.ctx.doc.graph.nodes[node].params.get("num_layers", 1))
        if self.layer_combo.count() != layers:
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems([self.tr("{k} of {n}").format(k=k + 1, n=layers)
                                       for k in range(layers)])
            self.layer_combo.setCurrentIndex(layers - 1)
            self.layer_combo.blockSignals(False)
        self.layer_combo.setEnabled(layers > 1)

    def shown_arrays(self) -> dict[str, np.ndarray]:
        """The drawn (units, time) arrays by quantity, or {} when nothing is shown."""
        node = self.node_combo.currentText()
        if self.trace is None or node not in self.trace.traces:
            return {}
        trace = self.trace.traces[node]
        layer = min(max(0, self.layer_combo.currentIndex()), trace.h.shape[0] - 1)
        return {quantity: trace.get(quantity)[layer].T for quantity, _t, _l in PANELS}

    def _draw(self) -> None:
        self._sync_layers()
        arrays = self.shown_arrays()
        if not arrays:
            return
        units, steps = arrays["h"].shape
        ticks = self._step_ticks(steps)
        for quantity, _title, levels in PANELS:
            item, panel = self.items[quantity], self.panels[quantity]
            item.setImage(arrays[quantity], levels=levels, autoLevels=False)
            item.setRect(QRectF(0, 0, steps, units))
            panel.setRange(xRange=(0, steps), yRange=(0, units), padding=0)
            panel.getAxis("bottom").setTicks([ticks, []])
        self._draw_input(ticks)
        self._show_answer()
        node = self.node_combo.currentText()
        self.status.setText(self.tr("{node}: {units} units × {steps} steps, measured on "
                                    "'{input}' with {source}.").format(
            node=node, units=units, steps=steps, input=self.trace.label, source=self.source))

    def shown_input(self) -> np.ndarray | None:
        """What the chosen node reads, (features, time), or None when nothing is shown."""
        node = self.node_combo.currentText()
        if self.trace is None or node not in self.trace.traces:
            return None
        return self.trace.traces[node].x.T

    def _draw_input(self, ticks: list[tuple[float, str]]) -> None:
        x = self.shown_input()
        features, steps = x.shape
        panel = self.input_panel
        as_curves = features <= MAX_CURVES
        self.input_image.setVisible(not as_curves)
        panel.invertY(not as_curves)
        limit = max(float(np.abs(x).max()), 1e-6)
        for k, curve in enumerate(self.input_curves):
            if as_curves and k < features:
                curve.setData(np.arange(steps) + 0.5, x[k])
            else:
                curve.setData([], [])
        if as_curves:
            panel.setRange(xRange=(0, steps), yRange=(-limit, limit), padding=0.05)
            panel.setLabel("left", self.tr("value"))
        else:
            self.input_image.setImage(x, levels=(-limit, limit), autoLevels=False)
            self.input_image.setRect(QRectF(0, 0, steps, features))
            panel.setRange(xRange=(0, steps), yRange=(0, features), padding=0)
            panel.setLabel("left", self.tr("feature"))
        panel.getAxis("bottom").setTicks([ticks, []])

    def step_names(self, steps: int) -> list[str]:
        """What each time step of the chosen node stands for: the input's words for an
        encoder, the words the model writes for a translation decoder, else step numbers."""
        node = self.node_combo.currentText()
        sample = self._trace_sample()
        if self.is_translation() and sample is not None and sample.tokens \
                and reads_input_steps(self.ctx.doc, node) and len(sample.tokens) == steps:
            return list(sample.tokens)
        words = self._written_words()
        if words is not None and len(words) == steps:
            return words
        return [str(t + 1) for t in range(steps)]

    def _step_ticks(self, steps: int) -> list[tuple[float, str]]:
        names = self.step_names(steps)
        every = 1 if steps <= 12 else -(-steps // 6)
        return [(t + 0.5, names[t]) for t in range(0, steps, every)]

    def _trace_sample(self) -> Sample | None:
        """The sample the shown trace was measured on (the choice may have moved on)."""
        if self.trace is None:
            return None
        candidates = ([self.typed] if self.typed is not None else []) + self.samples
        return next((s for s in candidates if s.label == self.trace.label), None)

    def _written_words(self) -> list[str] | None:
        """The model's word at each output step (translation), with <end> and padding."""
        out = self.trace.output if self.trace is not None else None
        if not self.is_translation() or out is None or out.ndim != 2:
            return None
        return [_short(translation.TARGET_VOCAB[i]) if i < len(translation.TARGET_VOCAB)
                else "?" for i in out.argmax(1).tolist()]

    def _show_answer(self) -> None:
        """The model's answer for the shown input next to the reference."""
        out, sample = self.trace.output, self._trace_sample()
        reference = sample.reference if sample is not None else ""
        if self.is_translation() and out.ndim == 2:
            said = translation.decode_target(out.argmax(1).tolist())
            verdict = _verdict(said, reference)
            where = self._where(sample)
            self.answer.setText(self.tr("“{input}” → model: “{answer}” · reference: "
                                        "“{reference}” {mark}{where}").format(
                input=self.trace.label, answer=said, reference=reference or "–", mark=verdict,
                where=where))
        elif out.ndim == 1 and out.size > 1:
            probs = np.exp(out - out.max())
            probs /= probs.sum()
            classes = self.classes
            best = int(probs.argmax())
            name = classes[best] if best < len(classes) else str(best)
            self.answer.setText(self.tr("{input} → model: {answer} ({share}) {mark}").format(
                input=self.trace.label, answer=name, share=f"{probs[best]:.0%}",
                mark=_verdict(name, reference)))
        else:
            self.answer.setText(f"{self.trace.label}")

    def _where(self, sample: Sample | None) -> str:
        if sample is None or not self._held_out:
            return ""
        seen = tuple(sample.x.tolist()) not in self._held_out
        return (" · " + self.tr("a training phrase") if seen
                else " · " + self.tr("held out: never seen in training"))

    def _hover(self, pos) -> None:
        """Name the value under the mouse in a tooltip: quantity, unit, step (and word)."""
        arrays = self.shown_arrays()
        if not arrays:
            return
        x = self.shown_input()
        for quantity, panel in ((None, self.input_panel), *self.panels.items()):
            if not panel.sceneBoundingRect().contains(pos):
                continue
            point = panel.vb.mapSceneToView(pos)
            row, step = int(np.floor(point.y())), int(np.floor(point.x()))
            array = x if quantity is None else arrays[quantity]
            if not 0 <= step < array.shape[1]:
                return
            name = self.step_names(array.shape[1])[step]
            if quantity is None and len(x) <= MAX_CURVES:
                values = ", ".join(f"{v:.3f}" for v in x[:, step])
                self.plots.setToolTip(self.tr("x at step {step} ({name}): {values}").format(
                    step=step + 1, name=name, values=values))
            elif 0 <= row < array.shape[0]:
                what = (self.tr("x, feature") if quantity is None
                        else self.tr("{quantity} of unit").format(quantity=quantity))
                self.plots.setToolTip(self.tr("{what} {row} at step {step} ({name}): {value}")
                                      .format(what=what, row=row, step=step + 1, name=name,
                                              value=f"{array[row, step]:.3f}"))
            return


def _source_words(x: np.ndarray) -> tuple[str, ...]:
    return tuple(_short(translation.SOURCE_VOCAB[int(i)]) for i in x.tolist())


def _short(word: str) -> str:
    return {translation.PAD: "·", translation.END: "⏎"}.get(word, word)


def _verdict(said: str, reference: str) -> str:
    if not reference:
        return ""
    return "✓" if said == reference else "✗"

