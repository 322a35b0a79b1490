"""Lab view "Translation": the network's German for English number phrases it never saw in
training, next to the reference, with its token and exact-match accuracy, and a line to type a
phrase of your own.

While a run trains, every snapshot translates the held-out phrases with the training model (a
snapshot "extra", `app.core.translator.LiveTranslation`), so the table fills with right answers
as the network learns and follows the replay slider; the accuracy curve comes from the epoch
results. After the run a typed phrase is translated with the trained weights in a background
job.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import translation
from app.core.experiment import SetupError, load_data
from app.core.probes import SnapshotHistory
from app.core.translator import LiveTranslation, Translations, measure
from app.core.weights import model_with_weights
from widgets.lab.base import LabView
from widgets.plots.common import RUN_COLORS, caption
from widgets.plots.run_view import ViewContext

EXTRA = "translation"
RIGHT, WRONG = "#1a7f37", "#c62828"
COLUMNS = (QT_TRANSLATE_NOOP("TranslationView", "English (held out)"),
           QT_TRANSLATE_NOOP("TranslationView", "model"),
           QT_TRANSLATE_NOOP("TranslationView", "reference"), "")


class TranslationView(LabView):
    """Held-out translations, accuracies and a phrase to type (see the module docstring)."""

    TITLE = QT_TRANSLATE_NOOP("LabView", "Translation")
    EXPLAIN_EN = (
        "An encoder LSTM reads English number words and sums the phrase up in its last state; "
        "a decoder LSTM writes the German words from that summary, units before tens ('twenty "
        "one' → 'ein und zwanzig'), so it cannot copy word by word. The table shows phrases the "
        "network never saw in training: token accuracy counts the right words, exact match the "
        "phrases that are right throughout.")
    EXPLAIN_DE = (
        "Ein Encoder-LSTM liest englische Zahlwörter und fasst die Phrase in seinem letzten "
        "Zustand zusammen; ein Decoder-LSTM schreibt daraus die deutschen Wörter, Einer vor "
        "Zehnern („twenty one“ → „ein und zwanzig“), und kann deshalb nicht Wort für Wort "
        "abschreiben. Die Tabelle zeigt Phrasen, die das Netz im Training nie gesehen hat: Die "
        "Token-Genauigkeit zählt die richtigen Wörter, die exakte Übereinstimmung die Phrasen, "
        "die vollständig stimmen.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: ViewContext | None = None
        self.shown: Translations | None = None
        self.source = ""  # where the shown translations come from (a training step, weights)
        self.live: LiveTranslation | None = None
        self.held_out: tuple[np.ndarray, np.ndarray] | None = None
        self.epochs: list[tuple[int, float, float]] = []  # (epoch, token acc, exact match)
        self.typed = ""

        self.phrase_edit = QLineEdit()
        self.phrase_edit.setPlaceholderText(self.tr("type English number words, e.g. three "
                                                    "hundred forty two, and press Enter"))
        self.phrase_edit.setToolTip(self.tr("A phrase of English number words (one to nine "
                                            "hundred ninety nine) for the network to "
                                            "translate"))
        self.phrase_edit.setClearButtonEnabled(True)
        self.phrase_edit.returnPressed.connect(self.translate_typed)
        self.translate_button = QPushButton(self.tr("Translate"))
        self.translate_button.setToolTip(self.tr("Translate the typed phrase with the network"))
        self.translate_button.clicked.connect(self.translate_typed)
        self.mistakes_check = QCheckBox(self.tr("mistakes only"))
        self.mistakes_check.setToolTip(self.tr("List only the held-out phrases the network "
                                               "gets wrong"))
        self.mistakes_check.toggled.connect(lambda _on: self._fill_table())
        controls = QHBoxLayout()
        controls.setSpacing(6)
        controls.addWidget(QLabel(self.tr("your phrase")))
        controls.addWidget(self.phrase_edit, 1)
        controls.addWidget(self.translate_button)
        controls.addSpacing(12)
        controls.addWidget(self.mistakes_check)
        self.body.addLayout(controls)
        self.answer = caption("", bold=True)
        self.answer.setWordWrap(True)
        self.body.addWidget(self.answer)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("TranslationView", c) if c else "" for c in COLUMNS])
        self.table.setToolTip(self.tr("Phrases held out from training: the network's German "
                                      "next to the reference (✓ right, ✗ wrong)"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(20)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths that fit the longest German phrase: measuring the contents at every
        # snapshot would cost more than a frame.
        longest = max((german for _english, german in translation.PAIRS), key=len)
        german_width = self.table.fontMetrics().horizontalAdvance(longest) + 16
        for col, width in ((1, german_width), (2, german_width), (3, 28)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, width)

        self.token_label = caption("", bold=True)
        self.exact_label = caption("", bold=True)
        for label in (self.token_label, self.exact_label):
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * 1.3)
            label.setFont(font)
        self.score_note = caption("", muted=True)
        self.score_note.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.setLabel("left", self.tr("held-out accuracy"))
        self.plot.setYRange(0, 1, padding=0.02)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setMinimumHeight(120)
        self.plot.addLegend(offset=(-5, -5), labelTextSize="8pt")
        self.token_curve = self.plot.plot([], [], name=self.tr("token accuracy"), symbol="o",
                                          symbolSize=4, pen=pg.mkPen(RUN_COLORS[0], width=2),
                                          symbolBrush=RUN_COLORS[0])
        self.exact_curve = self.plot.plot([], [], name=self.tr("exact match"), symbol="o",
                                          symbolSize=4,
                                          pen=pg.mkPen(RUN_COLORS[1], width=2),
                                          symbolBrush=RUN_COLORS[1])
        side = QVBoxLayout()
        side.setSpacing(2)
        side.addWidget(self.token_label)
        side.addWidget(self.exact_label)
        side.addWidget(self.score_note)
        side.addWidget(self.plot, 1)
        columns = QHBoxLayout()
        columns.addWidget(self.table, 5)  # room for English and both German columns
        columns.addLayout(side, 2)
        self.body.addLayout(columns, 1)
        self.status = caption("", muted=True)
        self.body.addWidget(self.status)
        self._show_scores()

    # -- RunView --

    def attach(self, ctx: ViewContext) -> None:
        self.ctx = ctx
        ctx.doc.graphReset.connect(self._check_fit)
        ctx.doc.shapesChanged.connect(lambda _report: self._check_fit())
        ctx.doc.settingsChanged.connect(self._settings_changed)
        self._check_fit()

    def run_options(self) -> dict[str, Any]:
        """Translate the held-out phrases at every snapshot of the run."""
        self.live = None
        if self._check_fit() or self._load_held_out() is None:
            return {}
        self.live = LiveTranslation(*self.held_out)
        if self.typed:
            self.live.type_phrase(self.typed)
        return {"extras": {EXTRA: self.live}}

    def run_started(self, run_id: int, data: dict[str, Any]) -> None:
        if not data.get("restored"):
            self.epochs = []
            self._plot_epochs()
            self.status.setText(self.tr("Run {run} is training: the translations follow it.")
                                .format(run=run_id))

    def add_epoch(self, payload: dict[str, Any]) -> None:
        exact = payload.get("val_exact")
        if exact is None or not math.isfinite(payload.get("val_acc", math.nan)):
            return  # not a translation run
        self.epochs.append((int(payload["epoch"]), float(payload["val_acc"]), float(exact)))
        self._plot_epochs()

    def show_position(self, history: SnapshotHistory, index: int) -> None:
        items = history.items[:index + 1]
        snapshot = next((s for s in reversed(items) if s.extras.get(EXTRA) is not None), None)
        if snapshot is None:
            return
        self.source = self.tr("training step {step} (epoch {epoch})").format(
            step=snapshot.step, epoch=snapshot.epoch)
        self._show(snapshot.extras[EXTRA])

    def clear(self) -> None:
        self.shown = None
        self.source = ""
        self.epochs = []
        self.table.setRowCount(0)
        self.answer.setText("")
        self.status.setText("")
        self._plot_epochs()
        self._show_scores()

    # -- what fits --

    def fit_problem(self) -> str:
        """Why this view cannot show the document's network and dataset ("" if it can)."""
        if self.ctx is None:
            return self.tr("This view needs a project.")
        doc = self.ctx.doc
        if doc.project.data.name != "translation":
            return self.tr("This view needs the translation dataset: open the translation "
                           "preset (File ▸ New from Preset) or choose 'translation' in the "
                           "Training tab.")
        outputs = [n.id for n in doc.graph.nodes_of_type("Output")]
        want = (translation.TARGET_LEN, len(translation.TARGET_VOCAB))
        if len(outputs) != 1 or doc.report.out_shape(outputs[0]) != want:
            return self.tr("This view needs a network whose Output gets {steps}x{words} "
                           "word scores (one per German word and step), like the translation "
                           "preset; run Check to see what is missing.").format(
                steps=want[0], words=want[1])
        return ""

    def _check_fit(self) -> str:
        problem = self.fit_problem()
        self.show_problem(problem)
        for widget in (self.phrase_edit, self.translate_button, self.mistakes_check):
            widget.setEnabled(not problem)
        return problem

    def _settings_changed(self, section: str) -> None:
        if section in ("data", "training"):  # the split depends on the data and the seed
            self.held_out = None
            self._check_fit()

    def _load_held_out(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The document's held-out phrases and references (generated in milliseconds)."""
        if self.held_out is None:
            project = self.ctx.doc.project
            try:
                data = load_data(project.data, project.training.seed)
            except SetupError as exc:
                self.show_problem(str(exc))
                return None
            self.held_out = (data.x_val.cpu().numpy(), data.y_val.cpu().numpy())
        return self.held_out

    # -- typing --

    def translate_typed(self) -> None:
        """Translate the typed phrase: at the next snapshot while a run goes, else with the
        trained weights in a background job. Unknown words are named right away."""
        phrase = " ".join(self.phrase_edit.text().lower().replace("-", " ").split())
        if self.ctx is None or self._check_fit():
            return
        try:
            translation.encode_source(phrase)
        except ValueError as exc:
            self.typed = ""
            self._show_answer_problem(self.tr("Cannot translate “{phrase}”: {problem}.")
                                      .format(phrase=phrase, problem=exc))
            return
        self.typed = phrase
        doc = self.ctx.doc
        if self.ctx.controller.is_running and self.live is not None:
            self.live.type_phrase(phrase)
            self.answer.setStyleSheet("")
            self.answer.setText(self.tr("“{phrase}” is translated at the next snapshot of "
                                        "the run…").format(phrase=phrase))
            return
        if doc.trained is None:
            self._show_answer_problem(self.tr("There are no trained weights yet: train the "
                                              "network (Train, F5) and try again."))
            return
        if not doc.trained_matches():
            self._show_answer_problem(self.tr("The network changed since the last run: train "
                                              "it again to translate with it."))
            return
        held_out = self._load_held_out()
        if held_out is None:
            return
        graph, trained = doc.graph.copy(), doc.trained

        def work(progress) -> Translations:
            progress(0, 1)
            result = measure(model_with_weights(graph, trained), *held_out, typed=phrase)
            progress(1, 1)
            return result

        self.start_job(self.tr("Translating “{phrase}”…").format(phrase=phrase), work,
                       self._translated)

    def translate_and_wait(self, phrase: str, timeout_s: float = 60.0) -> None:
        """Type `phrase` and keep the GUI running until it is translated (screenshots)."""
        self.phrase_edit.setText(phrase)
        self.run_and_wait(self.translate_typed, "translating", timeout_s)

    def _translated(self, result: Translations) -> None:
        self.source = self.tr("the trained weights")
        self._show(result)

    def _show_answer_problem(self, message: str) -> None:
        self.answer.setStyleSheet(f"color: {WRONG};")
        self.answer.setText(message)

    # -- drawing --

    def _show(self, result: Translations) -> None:
        self.shown = result
        self._fill_table()
        self._show_scores()
        self._show_typed()
        self.status.setText(self.tr("{n} held-out phrases translated with {source}.").format(
            n=len(result.x), source=self.source))

    def _show_typed(self) -> None:
        result = self.shown
        if result is None or not result.typed or result.typed != self.typed:
            return
        reference = dict(translation.PAIRS).get(result.typed, "")
        right = result.typed_answer == reference
        held = {translation.decode_source(row) for row in result.x}
        where = (self.tr("held out: never seen in training") if result.typed in held
                 else self.tr("a training phrase"))
        self.answer.setStyleSheet(f"color: {RIGHT if right else WRONG};")
        self.answer.setText(self.tr("“{phrase}” → model: “{answer}” · reference: “{reference}” "
                                    "{mark} · {where}").format(
            phrase=result.typed, answer=result.typed_answer, reference=reference,
            mark="✓" if right else "✗", where=where))

    def rows(self) -> list[tuple[str, str, str, bool]]:
        """The table's rows as shown (after the mistakes filter)."""
        if self.shown is None:
            return []
        rows = self.shown.rows
        return [r for r in rows if not r[3]] if self.mistakes_check.isChecked() else rows

    def _fill_table(self) -> None:
        rows = self.rows()
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(rows))
        for k, (english, said, reference, right) in enumerate(rows):
            colour = QColor(RIGHT if right else WRONG)
            for col, text in enumerate((english, said or "–", reference,
                                        "✓" if right else "✗")):
                item = self.table.item(k, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(k, col, item)
                    if col == 3:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if item.text() != text:  # most cells stay as they were between snapshots
                    item.setText(text)
                if col in (1, 3) and item.foreground().color() != colour:
                    item.setForeground(colour)
        self.table.setUpdatesEnabled(True)

    def _show_scores(self) -> None:
        result = self.shown
        if result is None:
            self.token_label.setText(self.tr("Token accuracy: –"))
            self.exact_label.setText(self.tr("Exact match: –"))
            self.score_note.setText(self.tr("Train the network (Train, F5) to see it "
                                            "translate."))
            return
        wrong = sum(not r[3] for r in result.rows)
        self.token_label.setText(self.tr("Token accuracy: {acc}").format(
            acc=f"{result.token_acc:.1%}"))
        self.exact_label.setText(self.tr("Exact match: {acc}").format(acc=f"{result.exact:.1%}"))
        self.score_note.setText(self.tr("{right} of {n} held-out phrases right; measured with "
                                        "{source}.").format(right=len(result.x) - wrong,
                                                            n=len(result.x), source=self.source))

    def _plot_epochs(self) -> None:
        epochs = [e for e, _t, _x in self.epochs]
        self.token_curve.setData(epochs, [t for _e, t, _x in self.epochs])
        self.exact_curve.setData(epochs, [x for _e, _t, x in self.epochs])
