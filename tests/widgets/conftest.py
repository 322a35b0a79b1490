"""Editor tests drive the real window with real events (offscreen), like a learner would."""

from __future__ import annotations

import os
import tempfile
import warnings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt
os.environ.setdefault("NETZWERKSTATT_HOME", tempfile.mkdtemp(prefix="netzwerkstatt-test-"))

import pytest  # noqa: E402
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from widgets.canvas.node_item import HEIGHT, WIDTH  # noqa: E402
from widgets.main_window import MainWindow  # noqa: E402


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Settings and autosaves go to a fresh folder per test, never to the user's."""
    path = tmp_path / "home"
    monkeypatch.setenv("NETZWERKSTATT_HOME", str(path))
    return path


@pytest.fixture(autouse=True)
def empty_clipboard(qapp):
    """Copy/paste tests fill the clipboard; Qt's offscreen clipboard crashes at interpreter
    exit if it still owns data then, so every test leaves it empty."""
    yield
    qapp.clipboard().clear()


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal dialog nobody answers would hang the suite: fail the test instead."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    def refuse(*args, **kwargs):
        raise AssertionError(f"unexpected modal dialog: {args[1:3]}")

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, refuse)


class Gestures:
    """Mouse and keyboard input on a MainWindow, sent to the canvas viewport."""

    def __init__(self, window: MainWindow):
        self.w = window
        self.view = window.view
        self.viewport = window.view.viewport()
        self.scene = window.scene

    def to_view(self, scene_pos: QPointF) -> QPoint:
        return self.view.mapFromScene(scene_pos)

    def drop(self, mime: QMimeData, scene_pos: QPointF) -> None:
        """Drag enter, move and drop `mime` on the canvas, as a real drag delivers them."""
        pt = QPointF(self.to_view(scene_pos))
        copy, left, none = (Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
        with warnings.catch_warnings():  # PySide flags the only QPoint constructors there are
            warnings.simplefilter("ignore", DeprecationWarning)
            enter = QDragEnterEvent(pt.toPoint(), copy, mime, left, none)
            move = QDragMoveEvent(pt.toPoint(), copy, mime, left, none)
        QApplication.sendEvent(self.viewport, enter)
        assert enter.isAccepted()
        QApplication.sendEvent(self.viewport, move)
        assert move.isAccepted()
        QApplication.sendEvent(self.viewport, QDropEvent(pt, copy, mime, left, none))

    def drop_layer(self, type_name: str, scene_pos: QPointF) -> str:
        """Drag `type_name` out of the palette and drop it at `scene_pos`; returns the new id."""
        before = set(self.w.doc.graph.nodes)
        self.drop(self.w.palette.mime_for(type_name), scene_pos)
        (new_id,) = set(self.w.doc.graph.nodes) - before
        return new_id

    def drag(self, start: QPointF, end: QPointF, steps: int = 4,
             check_midway=None) -> None:
        """Press at `start`, move in steps to `end`, release (scene coordinates)."""
        a, b = self.to_view(start), self.to_view(end)
        QTest.mousePress(self.viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
        for i in range(1, steps + 1):
            QTest.mouseMove(self.viewport, a + (b - a) * i / steps)
        if check_midway is not None:
            check_midway()
        QTest.mouseRelease(self.viewport, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier, b)

    def out_port(self, node_id: str) -> QPointF:
        return self.scene.nodes[node_id].output_port.scenePos()

    def in_port(self, node_id: str) -> QPointF:
        return self.scene.nodes[node_id].input_port.scenePos()

    def centre(self, node_id: str) -> QPointF:
        return self.scene.nodes[node_id].pos() + QPointF(WIDTH / 2, HEIGHT / 2 + 8)

    def wire(self, src: str, dst: str, check_midway=None) -> None:
        self.drag(self.out_port(src), self.in_port(dst), check_midway=check_midway)

    def click(self, node_id: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        QTest.mouseClick(self.viewport, Qt.MouseButton.LeftButton, modifier,
                         self.to_view(self.centre(node_id)))

    def key(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(self.w, key, modifier)

    def undo(self) -> None:
        self.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    def redo(self) -> None:
        self.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                 | Qt.KeyboardModifier.ShiftModifier)


@pytest.fixture
def window(qtbot, monkeypatch):
    """The real main window on the default preset; unsaved changes are discarded at the end."""
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    win = MainWindow(recover=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.view.setFocus()
    return win


@pytest.fixture
def empty_window(window):
    """The main window on an empty canvas, zoomed 1:1 around the origin."""
    window.load_preset("")
    QApplication.processEvents()
    window.view.resetTransform()
    window.view.centerOn(QPointF(300, 150))
    return window


@pytest.fixture
def gestures(window) -> Gestures:
    return Gestures(window)


@pytest.fixture
def german(qapp):
    """The German UI for one test (install before the window is built), English afterwards."""
    from app.i18n import install

    install("de", qapp)
    yield
    install("en", qapp)


@pytest.fixture
def shown_window(qtbot, window):
    """The main window at 1280x800, the size the layout must fit, shown."""
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window
