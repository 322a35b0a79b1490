"""What every lab view shares: its idea explained in English and German, and a progress row
for the computations a learner waits for (cancellable, shown when they take a while).

A lab view is a run view (`widgets.plots.run_view.RunView`): it is fed the same run as the
curves and feature maps and is listed once in `widgets.lab.registry.LAB_VIEWS`. Its heavy
computation is a pure function in `app/core` that it runs through `start_job`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from torch import nn

from app.background import BackgroundJob
from app.core.weights import model_with_weights
from app.document import Document
from app.i18n import language
from widgets.plots.common import caption
from widgets.plots.run_view import RunView

LANGUAGES = ("en", "de")


class LabView(QWidget, RunView):
    """Base of lab views: subclasses set TITLE/EXPLAIN_EN/EXPLAIN_DE and fill `self.body`.

    TITLE is marked with `QT_TRANSLATE_NOOP("LabView", ...)` where it is defined and shown
    translated (`title()`); the explanation starts in the UI language (`app.i18n.language`)."""

    TITLE = ""
    EXPLAIN_EN = ""
    EXPLAIN_DE = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = language()
        self.explanation = caption("", muted=False)
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.lang_button = QPushButton("Deutsch")
        self.lang_button.setToolTip(self.tr("Show the explanation in German / in English"))
        self.lang_button.setFixedWidth(80)
        self.lang_button.clicked.connect(self._toggle_language)
        head = QHBoxLayout()
        head.addWidget(self.explanation, 1)
        head.addWidget(self.lang_button, 0, Qt.AlignmentFlag.AlignTop)

        self.job = BackgroundJob(self)
        self.progress = QProgressBar()
        self.progress.setFixedHeight(12)
        self.progress_label = QLabel("")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop this computation"))
        self.cancel_button.clicked.connect(self.job.cancel)
        self.job_row = QWidget()
        row = QHBoxLayout(self.job_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress_label)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        self.job_row.hide()
        self._on_done: Callable[[Any], None] = lambda _result: None
        self._on_partial: Callable[[Any], None] = lambda _value: None
        self.job.done.connect(lambda result: self._on_done(result))
        self.job.partial.connect(lambda value: self._on_partial(value))
        self.job.progressed.connect(self._show_progress)
        for signal in (self.job.done, self.job.failed, self.job.cancelled):
            signal.connect(lambda *_args: self.job_row.hide())
        self.job.failed.connect(self.show_problem)
        self.job.cancelled.connect(lambda: self.show_problem(self.tr("Cancelled.")))

        self.body = QVBoxLayout()
        self.problem = caption("", muted=True)
        self.problem.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.job_row)
        layout.addWidget(self.problem)
        layout.addLayout(self.body, 1)
        self._show_explanation()

    # -- explanation --

    @classmethod
    def title(cls) -> str:
        """TITLE in the UI language (marked in the "LabView" context where it is defined)."""
        return QCoreApplication.translate("LabView", cls.TITLE)

    def explain(self, lang: str) -> str:
        return self.EXPLAIN_DE if lang == "de" else self.EXPLAIN_EN

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language '{lang}' (known: {', '.join(LANGUAGES)})")
        self.lang = lang
        self._show_explanation()

    def _toggle_language(self) -> None:
        self.set_language("de" if self.lang == "en" else "en")

    def _show_explanation(self) -> None:
        self.explanation.setText(f"<b>{self.title()}</b> — {self.explain(self.lang)}")
        self.lang_button.setText("English" if self.lang == "de" else "Deutsch")

    # -- computations --

    def start_job(self, what: str, call: Callable[..., Any],
                  on_done: Callable[[Any], None],
                  on_partial: Callable[[Any], None] | None = None) -> None:
        """Run `call(progress)` off the GUI thread with a progress row; `on_done(result)` on
        the GUI thread (only for this, the latest, job). With `on_partial` the call is
        `call(progress, post)` and each `post(value)` reaches `on_partial(value)` live."""
        self._on_done = on_done
        self._on_partial = on_partial or (lambda _value: None)
        self.problem.setText("")
        self.progress_label.setText(what)
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.job_row.show()
        self.job.start(call, streams=on_partial is not None)

    def run_and_wait(self, start: Callable[[], None], what: str,
                     timeout_s: float = 120.0) -> None:
        """Start a job with `start()` and keep the GUI running until it has ended (for
        screenshots); after `timeout_s` it is cancelled and TimeoutError names `what`."""
        loop = QEventLoop()
        ended = (self.job.done, self.job.failed, self.job.cancelled)
        for signal in ended:
            signal.connect(loop.quit)
        timer = QTimer(loop)  # owned by the loop: it never fires after the loop is gone
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(int(timeout_s * 1000))
        start()
        if self.job.running:
            loop.exec()
        for signal in ended:
            signal.disconnect(loop.quit)
        if self.job.running:
            self.job.cancel()
            raise TimeoutError(f"{what} took longer than {timeout_s:.0f} s")

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def trained_model(self, doc: Document) -> nn.Module | None:
        """The canvas network with the document's kept weights, or None after saying why
        the weights do not fit (the views that explain a trained network start here)."""
        try:
            return model_with_weights(doc.graph, doc.trained)
        except ValueError as exc:
            self.show_problem(self.tr("The trained weights cannot be used: {problem}")
                              .format(problem=exc))
            return None

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)
