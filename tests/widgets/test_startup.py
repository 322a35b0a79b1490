"""Fast start: `netzwerkstatt gui` paints a window before torch is imported, then the editor.

The subprocess tests start the real command (`python -m app gui`) with
NETZWERKSTATT_STARTUP_PROBE, which makes it print its time marks as one JSON line and quit; the
in-process tests drive the hand-over and the failure message with real clicks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow

from tests.widgets.conftest import Gestures
from widgets.app_main import _build_main_window, loading_steps
from widgets.main_window import MainWindow
from widgets.startup import GEOMETRY_KEY, PROBE_ENV, app_settings, show_startup_window

ROOT = Path(__file__).resolve().parents[2]


def start_gui(home: Path, probe: str, pythonpath: str = "") -> tuple[int, dict, str]:
    """Run `python -m app gui` offscreen with the startup probe; its exit code, report, stderr."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NETZWERKSTATT_HOME=str(home),
               OMP_NUM_THREADS="1", **{PROBE_ENV: probe})
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-m", "app", "gui"], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=120, check=False)
    lines = done.stdout.strip().splitlines()
    assert lines, f"no report (exit {done.returncode}): {done.stderr[-2000:]}"
    return done.returncode, json.loads(lines[-1]), done.stderr


def save_geometry(x: int, y: int, w: int, h: int) -> None:
    """What the main window of a last session left in the settings."""
    previous = QMainWindow()
    previous.setGeometry(x, y, w, h)
    settings = app_settings()
    settings.setValue(GEOMETRY_KEY, previous.saveGeometry())
    settings.sync()


def test_gui_paints_before_torch_then_opens_the_editor(home):
    save_geometry(40, 30, 700, 560)
    code, report, err = start_gui(home, "ready")
    assert code == 0, err
    assert report["heavy_at_paint"] == []  # neither torch nor pyqtgraph before the first frame
    marks = report["marks"]
    order = ["python", "pyside6", "shown", "painted", "loaded", "ready"]
    assert [marks[k] for k in order] == sorted(marks[k] for k in order)
    assert report["failed"] is None and report["window"] == "MainWindow"
    assert "Shapes CNN" in report["window_title"]  # the default preset is open
    assert report["geometry"] == [40, 30, 700, 560]  # the StartupWindow opened where it was
    assert report["window_geometry"] == report["geometry"]  # and the editor took its place


def test_broken_torch_is_explained_in_the_window(home, tmp_path):
    fake = tmp_path / "site" / "torch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('raise ImportError("libtorch_cpu.so: cannot open shared '
                                      'object file (a broken install)")\n')
    code, report, err = start_gui(home, "ready", pythonpath=str(fake.parent))
    assert code == 1
    assert report["heavy_at_paint"] == [] and "window" not in report
    assert "ImportError: libtorch_cpu.so: cannot open shared object file" in report["failed"]
    assert report["failed"] in report["message"] and "make install" in report["message"]
    assert "Traceback" in err  # the details for a bug report are on the terminal too


@pytest.fixture
def discard_changes(monkeypatch):
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")


def test_startup_window_hands_over_to_a_usable_editor(qtbot, discard_changes):
    save_geometry(60, 40, 720, 520)
    startup = show_startup_window(loading_steps(), lambda: _build_main_window(None))
    qtbot.addWidget(startup)
    assert startup.windowTitle() == "Netzwerkstatt" and startup.geometry().getRect() == (
        60, 40, 720, 520)
    assert startup.busy.isVisible() and startup.statusBar().currentMessage() == (
        "Loading PyTorch…")
    qtbot.waitUntil(lambda: startup.main_window is not None or bool(startup.failed),
                    timeout=30_000)
    assert not startup.failed
    window = startup.main_window
    qtbot.addWidget(window)
    assert window.isVisible() and not startup.isVisible()
    assert window.geometry().getRect() == (60, 40, 720, 520)
    # The editor works: a double-click in the palette inserts a layer after the selection.
    qtbot.waitExposed(window)
    window.view.setFocus()
    gestures = Gestures(window)
    gestures.click("fc1")
    item = window.palette.item_for("Dropout")
    window.palette.tree.scrollToItem(item)
    centre = window.palette.tree.visualItemRect(item).center()
    viewport = window.palette.tree.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    (drop,) = [n.id for n in window.doc.graph.nodes.values() if n.type == "Dropout"]
    assert window.doc.graph.outputs_of("fc1") == [drop] and window.doc.report.ok


def test_a_failed_build_says_so_and_quit_closes(qtbot):
    def build():
        raise RuntimeError("the canvas could not be created")

    startup = show_startup_window([("Loading nothing…", lambda: None)], build)
    qtbot.addWidget(startup)
    qtbot.waitUntil(lambda: bool(startup.failed), timeout=10_000)
    assert startup.failed == "RuntimeError: the canvas could not be created"
    assert startup.failed in startup.message.text() and not startup.busy.isVisible()
    assert startup.main_window is None
    qtbot.mouseClick(startup.quit_button, Qt.MouseButton.LeftButton)
    assert not startup.isVisible()
    QApplication.processEvents()


def test_bench_startup_s_is_process_start_to_first_paint():
    from app.core.bench import startup_times

    result = startup_times(runs=1)
    assert 0 < result["startup_python_s"] < result["startup_pyside6_s"] < (
        result["startup_shown_s"]) < result["startup_s"] < 60
    assert result["startup_platform"] == "offscreen"


def test_closing_while_loading_opens_nothing(qtbot):
    release, built = threading.Event(), []
    startup = show_startup_window([("Loading slowly…", lambda: release.wait(10))],
                                  lambda: built.append(QMainWindow()) or built[-1])
    qtbot.addWidget(startup)
    qtbot.waitUntil(lambda: startup.message.text() == "Loading slowly…", timeout=10_000)
    assert startup.job.running
    startup.close()
    release.set()
    qtbot.waitUntil(lambda: not startup.job.running, timeout=10_000)
    assert built == [] and startup.main_window is None
