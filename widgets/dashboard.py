"""The Dashboard tab: curves, feature maps and weight histograms of a run, visible together.

Watching a network learn means seeing the loss fall while the feature maps sharpen and the
weights spread out, so these views share one tab instead of hiding each other in tabs. The
dashboard only arranges: each view is the one instance the training panel feeds (a widget has
one parent), placed in rows of splitters the learner can drag, with the run buttons, a
progress bar and one replay slider for all views that show snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QAction, QPainter, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from widgets.canvas import style
from widgets.plots.common import caption
from widgets.plots.replay import ReplayBar

TITLE = "Dashboard"
ROW_SHARE = 540  # per mille of the height the first row starts with
COLUMN_SHARE = 470  # per mille of a row's width its first view starts with
PROGRESS_WIDTH = 90


class StatusLines(QWidget):
    """Two lines of run status that never change the dashboard's layout: each line is cut
    to the width with "…" (the Training tab shows them whole), the height stays two lines,
    and a new text only repaints this strip. Set ten times a second, a label's new text would
    re-lay out the window each time, and a label that grew a line would repaint every plot."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.setFont(style.ui_font(9))
        self.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 2)
        self.setMinimumWidth(40)
        self._lines: list[str] = []
        self.set_lines(text)

    def sizeHint(self) -> QSize:
        return QSize(200, self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.height())

    def text(self) -> str:
        """The lines as shown (cut to the width)."""
        return "\n".join(self._shown())

    def set_lines(self, text: str) -> None:
        lines = text.split("\n")
        if lines != self._lines:
            self._lines = lines
            self.update()

    def setStyleSheet(self, sheet: str) -> None:
        if sheet != self.styleSheet():  # the run's colour, set again with every update
            super().setStyleSheet(sheet)

    def _shown(self) -> list[str]:
        metrics, width = self.fontMetrics(), max(1, self.contentsRect().width())
        return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
                for line in self._lines]

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        spacing = self.fontMetrics().lineSpacing()
        for i, line in enumerate(self._shown()[:2]):
            painter.drawText(QRect(0, 1 + i * spacing, self.width(), spacing),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)


class Dashboard(QWidget):
    """Rows of views (`rows`: view titles per row) under a strip of run controls."""

    def __init__(self, rows: Iterable[Iterable[str]], run_actions: Iterable[QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = [list(row) for row in rows]
        self.views: dict[str, QWidget] = {}
        self.buttons: list[QToolButton] = []
        strip = QHBoxLayout()
        strip.setSpacing(4)
        for i, action in enumerate(run_actions):
            button = QToolButton()
            button.setDefaultAction(action)  # the same action as the Training tab's button
            if i == 0:  # Train is named; the rest are icons with their tooltips, to save room
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.buttons.append(button)
            strip.addWidget(button)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedHeight(10)
        self.progress_bar.setFixedWidth(PROGRESS_WIDTH)  # the text beside it needs the room
        self.progress_bar.setToolTip(self.tr("How much of the run is done"))
        self.progress_label = StatusLines(self.tr("Not started"))
        self.progress_label.setToolTip(self.tr("Where the run is, and its latest loss and "
                                               "accuracy; the Training tab has all settings"))
        strip.addSpacing(8)
        strip.addWidget(self.progress_bar)
        strip.addWidget(self.progress_label, 1)
        self.changed_label = caption(self.tr("⚠ The network was edited since this run "
                                             "started; the run goes on with the network as it "
                                             "was. Train again to train the new one."))
        self.changed_label.setStyleSheet(f"color: {style.WARNING.darker(130).name()}")
        self.changed_label.hide()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(True)
        self.row_splitters: list[QSplitter] = []
        for _row in self.rows:
            row = QSplitter(Qt.Orientation.Horizontal)
            row.setChildrenCollapsible(True)
            self.row_splitters.append(row)
            self.splitter.addWidget(row)
        # The first row (curves, feature maps) gets a little more: it has the most to show.
        self.splitter.setSizes([ROW_SHARE, 1000 - ROW_SHARE][:len(self.rows)])
        self.replay_bar = ReplayBar()
        self.replay_bar.hide()  # until a view that shows snapshots is placed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(strip)
        layout.addWidget(self.changed_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.replay_bar)

    def holds(self, title: str) -> bool:
        return any(title in row for row in self.rows)

    def place(self, title: str, view: QWidget, replay: bool) -> None:
        """Put the view called `title` into its row, in the order the rows name them."""
        for row, splitter in zip(self.rows, self.row_splitters, strict=True):
            if title in row:
                before = sum(1 for t in row[:row.index(title)] if t in self.views)
                splitter.insertWidget(before, view)
                splitter.setStretchFactor(before, 1)
                self.views[title] = view
                if all(t in self.views for t in row) and len(row) > 1:
                    rest = (1000 - COLUMN_SHARE) // (len(row) - 1)
                    splitter.setSizes([COLUMN_SHARE] + [rest] * (len(row) - 1))
                if replay:
                    self.replay_bar.show()
                return
        raise KeyError(f"'{title}' has no place on the dashboard")

    def show_progress(self, value: int, text: str) -> None:
        self.progress_bar.setValue(value)
        self.progress_label.set_lines(text)

    # -- the learner's arrangement, kept between sessions ---------------------------------------

    def save_state(self) -> list[QByteArray]:
        return [self.splitter.saveState(), *(s.saveState() for s in self.row_splitters)]

    def restore_state(self, states: list) -> None:
        """Restore `save_state`'s list; anything that does not fit (fewer rows) is ignored."""
        splitters = [self.splitter, *self.row_splitters]
        if not isinstance(states, list) or len(states) != len(splitters):
            return
        for splitter, state in zip(splitters, states, strict=True):
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
