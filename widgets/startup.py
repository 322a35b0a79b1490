"""Paint a window first, load PyTorch behind it, so `netzwerkstatt gui` shows up in about a second.

Importing torch, pyqtgraph and the editor takes seconds on a small laptop, and a start that
shows nothing for that long looks broken. This module imports PySide6 and nothing heavy: a
`StartupWindow` at the saved geometry, with the title and "Loading PyTorch…" over a busy bar,
paints first. After that first frame a background thread runs the slow `steps` (imports, the
first shape check) while the event loop keeps painting; then the GUI thread builds the real
window, gives it the StartupWindow's geometry and hides the StartupWindow. A step that fails
(torch missing or broken) is shown in the window with the fix, and the traceback goes to stderr.

NETZWERKSTATT_STARTUP_PROBE=paint|ready prints one JSON line of timestamps (time.time()) at the
first frame or when the real window is up (or failed) and quits: `bench` measures `startup_s`
with it and tests check that nothing heavy was imported before the first paint.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

# When the interpreter had started and parsed the command line (the first mark of the probe).
MARKS: dict[str, float] = {"python": time.time()}

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QCloseEvent, QFont, QPaintEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundJob  # noqa: E402

MARKS["pyside6"] = time.time()

PROBE_ENV = "NETZWERKSTATT_STARTUP_PROBE"
GEOMETRY_KEY = "window/geometry"  # also the main window's key (widgets/presenter.py)
DEFAULT_SIZE = (1280, 800)
HEAVY_MODULES = ("torch", "pyqtgraph")  # must not be imported before the first paint


def app_home() -> Path:
    """Where settings and the autosave live; NETZWERKSTATT_HOME keeps tests out of $HOME."""
    env = os.environ.get("NETZWERKSTATT_HOME")
    if env:
        return Path(env)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".netzwerkstatt")


def app_settings() -> QSettings:
    return QSettings(str(app_home() / "settings.ini"), QSettings.Format.IniFormat)


class StartupWindow(QMainWindow):
    """The first window: says what is loading, then hands over to the window `build` returns.

    `steps` are (message, call) pairs run in order off the GUI thread after the first frame;
    `build()` runs on the GUI thread once they are done. `main_window` holds the result,
    `failed` the message shown when a step or `build` raised.
    """

    def __init__(self, steps: Iterable[tuple[str, Callable[[], object]]],
                 build: Callable[[], QMainWindow], title: str = "Netzwerkstatt") -> None:
        super().__init__()
        self.steps, self.build = list(steps), build
        self.main_window: QMainWindow | None = None
        self.failed = ""
        self.painted = self.closed = False
        self.heavy_at_paint: list[str] | None = None  # HEAVY_MODULES already loaded then
        self.setWindowTitle(title)
        self.setObjectName("startup_window")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addStretch(2)
        self.heading = QLabel(title)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.heading.setFont(font)
        self.message = QLabel(self.tr("Loading PyTorch…"))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no known length: an animated busy bar
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(320)
        self.busy.setToolTip(self.tr("Netzwerkstatt is loading PyTorch and the editor"))
        self.quit_button = QPushButton(self.tr("Quit"))
        self.quit_button.setToolTip(self.tr("Close Netzwerkstatt"))
        self.quit_button.clicked.connect(self.close)
        self.quit_button.hide()
        self.message.setFixedWidth(620)  # wraps long errors; centred by stretches, not by an
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter)  # alignment that cuts them
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.message)
        row.addStretch()
        layout.addWidget(self.heading, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(row)
        for widget in (self.busy, self.quit_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.setCentralWidget(body)
        self.statusBar().showMessage(self.message.text())
        self.job = BackgroundJob(self, expected=())  # every failure: traceback to stderr
        self.job.partial.connect(self._say)
        self.job.done.connect(self._hand_over)
        self.job.failed.connect(self._fail)

    def restore_saved_geometry(self, settings: QSettings) -> None:
        """The size and place of the last session's main window, else 1280x800."""
        geometry = settings.value(GEOMETRY_KEY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(*DEFAULT_SIZE)

    # -- first frame, then the slow steps ---------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            self.heavy_at_paint = [name for name in HEAVY_MODULES if name in sys.modules]
            QTimer.singleShot(0, self._first_frame_done)  # after this frame is flushed

    def _first_frame_done(self) -> None:
        MARKS["painted"] = time.time()
        if os.environ.get(PROBE_ENV) == "paint":
            self._report_and_quit(0)
            return
        self.start_loading()

    def start_loading(self) -> None:
        """Run the steps in a background thread (once); the window keeps painting meanwhile."""
        if self.job.running or self.main_window is not None or self.failed or self.closed:
            return
        steps = self.steps

        def run_steps(progress, post) -> None:
            for message, call in steps:
                post(message)
                call()

        self.job.start(run_steps, streams=True)

    def _say(self, message: str) -> None:
        self.message.setText(message)
        self.statusBar().showMessage(message)

    # -- hand-over or failure -----------------------------------------------------------------------
    def _hand_over(self, _result=None) -> None:
        if self.closed:  # the user closed this window while loading: open nothing
            return
        MARKS["loaded"] = time.time()
        self._say(self.tr("Opening the editor…"))
        self.repaint()  # building takes a moment on the GUI thread: show the message first
        try:
            window = self.build()
        except Exception as exc:  # noqa: BLE001 - shown in the window, traceback on stderr
            traceback.print_exc()
            self._fail(f"{type(exc).__name__}: {exc}")
            return
        # The same place, size and maximised state: the real window takes this one's place.
        if self.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            window.restoreGeometry(self.saveGeometry())  # also the size to un-maximise to
        else:
            window.setGeometry(self.geometry())
        window.show()
        self.main_window = window
        self.hide()
        MARKS["ready"] = time.time()
        if os.environ.get(PROBE_ENV) == "ready":
            self._report_and_quit(0)

    def _fail(self, message: str) -> None:
        self.failed = message
        self.busy.hide()
        self.heading.setText(self.tr("Netzwerkstatt could not start"))
        self.message.setText(self.tr(
            "Loading PyTorch and the editor failed:\n{0}\n\nReinstall the packages with "
            "`make install` (or `pip install -e .` in the project folder) and start again; "
            "the details are on the terminal.").format(message))
        self.statusBar().showMessage(self.tr("Loading failed"))
        self.quit_button.show()
        if os.environ.get(PROBE_ENV) == "ready":
            self._report_and_quit(1)

    def _report_and_quit(self, code: int) -> None:
        report = {"marks": MARKS, "heavy_at_paint": self.heavy_at_paint,
                  "geometry": list(self.geometry().getRect()),
                  "failed": self.failed or None, "message": self.message.text()}
        if self.main_window is not None:
            report.update(window=type(self.main_window).__name__,
                          window_title=self.main_window.windowTitle(),
                          window_geometry=list(self.main_window.geometry().getRect()))
        print(json.dumps(report), flush=True)
        QApplication.exit(code)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed = True
        self.job.cancel()  # the daemon thread ends with the process
        super().closeEvent(event)


def show_startup_window(steps: Iterable[tuple[str, Callable[[], object]]],
                        build: Callable[[], QMainWindow],
                        settings: QSettings | None = None) -> StartupWindow:
    """Show the StartupWindow at the saved geometry; it loads and hands over by itself."""
    window = StartupWindow(steps, build)
    window.restore_saved_geometry(settings if settings is not None else app_settings())
    window.show()
    MARKS["shown"] = time.time()
    if not os.environ.get(PROBE_ENV):  # a window that is never exposed still loads
        QTimer.singleShot(2000, window.start_loading)
    return window
