"""The Dashboard tab: curves, feature maps and weight histograms of a run, visible together.

Watching a network learn means seeing the loss fall while the feature maps sharpen and the
weights spread out, so these views share one tab instead of hiding each other in tabs. The
dashboard only arranges: each view is the one instance the training panel feeds (a widget has
one parent), placed in rows of splitters the learner can drag, with the run buttons, a
progress bar and one replay slider for all views that show snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction
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
        self.progress_bar.setMinimumWidth(80)
        self.progress_bar.setToolTip("How much of the run is done")
        self.progress_label = caption("Not started")
        self.progress_label.setToolTip("Where the run is, and its latest loss and accuracy; "
                                       "the Training tab has all settings")
        strip.addSpacing(8)
        strip.addWidget(self.progress_bar, 1)
        strip.addWidget(self.progress_label, 3)
        self.changed_label = caption("⚠ The network was edited since this run started; the run "
                                     "goes on with the network as it was. Train again to train "
                                     "the new one.")
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
        self.progress_label.setText(text)

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
