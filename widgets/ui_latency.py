"""How responsive the GUI stays while a real training run updates the dashboard.

A 5 ms timer on the GUI thread records how late each of its ticks fires; any work the GUI thread
does (drawing curves, feature maps, histograms) or waits for (the GIL held by the worker) shows
up as lateness. The 99th percentile is what a learner feels as stutter when dragging a node
during training.
"""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from app.core import presets
from app.core.project_io import Project
from widgets.training_dock import attach_training, wait_ms
from widgets.training_panel import TrainingPanel

TICK_MS = 5
START_TIMEOUT_MS = 60_000


class LatenessProbe:
    """A TICK_MS timer on the GUI thread that records how late each tick fires (ms); what the
    GUI thread does in between shows up as lateness."""

    def __init__(self) -> None:
        self.late: list[float] = []
        self._tick = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)

    def _on_tick(self) -> None:
        self.late.append(max(0.0, self._tick.nsecsElapsed() / 1e6 - TICK_MS))
        self._tick.restart()

    def start(self) -> None:
        self._tick.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def values(self) -> np.ndarray:
        """Lateness of the ticks so far (the first, from an arbitrary start, left out)."""
        return np.asarray(self.late[1:] or [0.0])


def measure_ui_latency(window_or_panel: QMainWindow | TrainingPanel, project: Project,
                       seconds: float) -> dict:
    """Train `project` (loaded into the window's document) for about `seconds` while the
    dashboard updates, and return tick lateness statistics in ms (p50, p99, max)."""
    panel = (window_or_panel if isinstance(window_or_panel, TrainingPanel)
             else attach_training(window_or_panel))
    # Long enough that the run outlasts the measurement; it is stopped afterwards.
    project = replace(project, training=replace(project.training, epochs=10_000,
                                                max_steps=None))
    panel.doc.load(project)
    panel.train()
    clock = QElapsedTimer()
    clock.start()
    while not panel.history.items and panel.controller.is_running:
        if clock.elapsed() > START_TIMEOUT_MS:
            panel.shutdown()
            raise TimeoutError("training did not start within a minute")
        wait_ms(20)
    if not panel.controller.is_running:
        raise RuntimeError((panel.last_error or {}).get("message", "training ended early"))

    probe = LatenessProbe()
    steps_before = panel.history[-1].step
    probe.start()
    wait_ms(int(seconds * 1000))
    probe.stop()
    steps = panel.history[-1].step - steps_before
    snapshots = len(panel.history)
    panel.shutdown()
    values = probe.values()
    return {"p50_ms": round(float(np.percentile(values, 50)), 2),
            "p99_ms": round(float(np.percentile(values, 99)), 2),
            "max_ms": round(float(values.max()), 2), "ticks": len(values),
            "train_steps": steps, "snapshots": snapshots, "seconds": seconds}


def measure_pan_zoom(window: QMainWindow, frames: int = 240) -> dict:
    """Frame times (ms) of panning and zooming the canvas as it is: each frame moves the view
    (40 px pans, 1.1x zoom steps between the fitted view and 1:1) and repaints the viewport
    synchronously, so the figure is what one step of a drag or a wheel turn costs."""
    from PySide6.QtCore import QPoint

    view = window.view
    app = QApplication.instance()
    view.fit_all()
    app.processEvents()
    fitted = view.zoom()
    times: list[float] = []
    clock = QElapsedTimer()
    direction, pan = 1.1, QPoint(40, 24)
    for i in range(frames):
        clock.start()
        if i % 3 == 2:  # every third frame a wheel step, the others a pan step
            if view.zoom() * direction > max(1.0, fitted * 1.2) or view.zoom() * direction < fitted:
                direction = 1 / direction
            view.zoom_by(direction)
        else:
            if i % 48 == 0:
                pan = -pan
            view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + pan.x())
            view.verticalScrollBar().setValue(view.verticalScrollBar().value() + pan.y())
        view.viewport().repaint()
        app.processEvents()
        times.append(clock.nsecsElapsed() / 1e6)
    values = np.asarray(times)
    return {"p50_ms": round(float(np.percentile(values, 50)), 2),
            "p99_ms": round(float(np.percentile(values, 99)), 2),
            "max_ms": round(float(values.max()), 2), "frames": frames}


def measure_resnet18_editor(window: QMainWindow, quick: bool = False) -> dict:
    """Open the imported torchvision ResNet-18 (71 layers in 8 folded blocks) and pan and zoom
    it; again with every block open (all layers drawn)."""
    from app.core.fx_import import torchvision_project

    app = QApplication.instance()
    project, _ = torchvision_project("resnet18")
    clock = QElapsedTimer()
    clock.start()
    window.doc.load(project)
    app.processEvents()
    opened = clock.nsecsElapsed() / 1e6
    frames = 120 if quick else 360
    folded = measure_pan_zoom(window, frames)
    window.scene.groups.set_all_collapsed(False)
    unfolded = measure_pan_zoom(window, frames)
    return {"resnet18_open_ms": round(opened, 1),
            "resnet18_pan_zoom_p99_ms": folded["p99_ms"],
            "resnet18_pan_zoom_p50_ms": folded["p50_ms"],
            "resnet18_pan_zoom_all_open_p99_ms": unfolded["p99_ms"]}


# Lab views that draw live during a run are measured on a run they can show (a 2-D set).
LIVE_ON_POINTS = {"playground": ("mlp_playground", "xor"), "landscape": ("mlp_playground", "xor")}


def measure_ui_latency_cli(quick: bool = False) -> dict:
    """For `netzwerkstatt bench`: the default preset's window, offscreen, with the feature maps
    open for 3 s (quick) or 8 s, then with each lab view open for 2 s or 4 s (its p99)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from widgets.lab.registry import LAB_VIEWS
    from widgets.main_window import MainWindow, freeze_startup_heap

    app = QApplication.instance() or QApplication([])
    window = MainWindow(preset=presets.DEFAULT_PRESET, recover=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    try:
        editor = measure_resnet18_editor(window, quick)
        panel = attach_training(window)
        freeze_startup_heap()  # as the app does once its window is built
        window.bottom_tabs.setCurrentWidget(panel.tab("Feature maps"))
        result = measure_ui_latency(panel, presets.load_preset(presets.DEFAULT_PRESET),
                                    3.0 if quick else 8.0)
        lab = {}
        for spec in LAB_VIEWS:
            preset, dataset = LIVE_ON_POINTS.get(spec.key, (presets.DEFAULT_PRESET, None))
            project = presets.load_preset(preset)
            if dataset:
                project = replace(project, data=replace(project.data, name=dataset))
            window.bottom_tabs.setCurrentWidget(panel.tab(spec.title))
            lab[spec.key] = measure_ui_latency(panel, project, 2.0 if quick else 4.0)["p99_ms"]
    finally:
        window.hide()  # stops and joins the run; not close(), which would touch autosaves
        window.deleteLater()
        app.processEvents()
    return {**{f"ui_latency_{key}": value for key, value in result.items()},
            "ui_latency_lab_p99_ms": lab, **editor}
