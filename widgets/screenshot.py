"""Render the real main window to a PNG (for docs, issues and checking the look offscreen).

Run with QT_QPA_PLATFORM=offscreen (the CLI sets it). Views are registered in `VIEWS`; each one
prepares a built window, e.g. "editor" fits the network into the canvas.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app.core import presets
from widgets.app_main import create_main_window, start_language
from widgets.lab.adversarial import AdversarialView
from widgets.lab.bias import BiasView
from widgets.lab.channels import ChannelsView
from widgets.lab.landscape import LandscapeView
from widgets.lab.lstm import LSTMView
from widgets.lab.overfitting import OverfittingView
from widgets.lab.registry import LAB_VIEWS
from widgets.lab.saliency import SaliencyView
from widgets.lab.transfer import TransferView
from widgets.main_window import MainWindow
from widgets.plots.run_view import ViewSpec
from widgets.training_dock import prepare_training_view


def _prepare_editor(window: MainWindow, **_options: Any) -> None:
    """Fit the network and select its first layer with parameters, so the inspector shows
    how a layer is edited."""
    graph = window.doc.graph
    first = next((n for n in graph.nodes.values() if n.params and n.type != "Input"), None)
    if first is not None:
        window.scene.select_nodes([first.id])
    window.view.fit_all()


def _prepare_training(window: MainWindow, **options: Any) -> None:
    window.view.fit_all()
    prepare_training_view(window, **options)


def _prepare_lab(spec: ViewSpec) -> Callable[..., None]:
    """A lab view after real training: its tab is shown once the run has ended."""
    def prepare(window: MainWindow, **options: Any) -> None:
        window.view.fit_all()
        prepare_training_view(window, **{**options, "tab": spec.title})
    return prepare


def _prepare_overfitting(window: MainWindow, timeout_s: float = 120.0, **options: Any) -> None:
    """The overfitting tab after real training, with its twins run (default settings) and
    finished: the view computes its own runs, so the generic lab preparation is not enough."""
    spec = next(s for s in LAB_VIEWS if s.key == "overfitting")
    _prepare_lab(spec)(window, **options)
    view = window.training_panel.view(OverfittingView)
    view.run_and_wait(view.start_twins, "the overfitting twins", timeout_s)
    if view.result is None:
        raise RuntimeError(view.problem.text())


def _prepare_channels(window: MainWindow, **options: Any) -> None:
    """The channels tab after real training, with its portraits computed and drawn."""
    _prepare_lab(next(s for s in LAB_VIEWS if s.key == "channels"))(window, **options)
    view = window.training_panel.view(ChannelsView)
    view.compute_and_wait()
    if view.results is None:
        raise RuntimeError(view.problem.text())


def _prepare_landscape(window: MainWindow, **options: Any) -> None:
    """The loss-landscape tab after real training: the surface, the run's path and a race."""
    _prepare_lab(next(s for s in LAB_VIEWS if s.key == "landscape"))(window, **options)
    window.training_panel.view(LandscapeView).compute_and_wait(race_lr=0.3)


def _prepare_adversarial(window: MainWindow, **options: Any) -> None:
    """The adversarial tab after real training: the curves measured, a copy adversarially
    trained at 10 % of the value range, and the chosen image attacked at that ε."""
    _prepare_lab(next(s for s in LAB_VIEWS if s.key == "adversarial"))(window, **options)
    view = window.training_panel.view(AdversarialView)
    view.compute_and_wait()
    if view.curve is None:
        raise RuntimeError(view.problem.text())
    view.set_epsilon_fraction(0.1)
    view.train_robust_and_wait()
    if view.robust_curve is None:
        raise RuntimeError(view.problem.text())
    view.wait_for_attack()


def _prepare_bias(window: MainWindow, **options: Any) -> None:
    """The bias tab after real training: a sweep over mark strengths, then one training at
    the slider's strength with its tables and saliency pictures."""
    _prepare_lab(next(s for s in LAB_VIEWS if s.key == "bias"))(window, **options)
    window.training_panel.view(BiasView).train_and_wait(sweep_too=True)


def _prepare_saliency(window: MainWindow, **options: Any) -> None:
    """The saliency tab after real training: the first validation image explained, and a
    cross drawn on the pad (through its real stroke code) and classified."""
    _prepare_lab(next(s for s in LAB_VIEWS if s.key == "saliency"))(window, **options)
    view = window.training_panel.view(SaliencyView)
    view.refresh_and_wait()
    if view.setup is None or view.result is None:
        raise RuntimeError(view.problem.text())
    h, w = view.pad.input_size
    view.pad.stroke([(0.25 * w, 0.25 * h), (0.75 * w, 0.75 * h)])
    view.pad.stroke([(0.75 * w, 0.25 * h), (0.25 * w, 0.75 * h)])
    view.wait_for_pad()


def _prepare_lstm(window: MainWindow, **options: Any) -> None:
    """The LSTM tab after real training, measured on the final weights (the run's last
    snapshot may have skipped its measurement to stay within its time budget)."""
    _prepare_lab(next(s for s in LAB_VIEWS if s.key == "lstm"))(window, **options)
    view = window.training_panel.view(LSTMView)
    view.measure_and_wait()
    if view.trace is None:
        raise RuntimeError(view.problem.text())

def _prepare_transfer(window: MainWindow, **options: Any) -> None:
    """The transfer tab after real training: the first layer frozen with its padlock (as a
    learner clicks it), then fine-tuning from the run's weights vs scratch on a new dataset."""
    _prepare_lab(next(s for s in LAB_VIEWS if s.key == "transfer"))(window, **options)
    first = next((n for n in window.doc.graph.nodes.values() if n.type == "Conv2d"), None)
    if first is not None:
        window.scene.nodes[first.id].padlock.toggle()
    view = window.training_panel.view(TransferView)
    view.compare_and_wait()
    if view.result is None:
        raise RuntimeError(view.problem.text())


VIEWS: dict[str, Callable[..., None]] = {
    "editor": _prepare_editor, "training": _prepare_training, "dashboard": _prepare_training,
    **{spec.key: _prepare_lab(spec) for spec in LAB_VIEWS if spec.key},
    "overfitting": _prepare_overfitting, "channels": _prepare_channels, "bias": _prepare_bias,
    "landscape": _prepare_landscape, "adversarial": _prepare_adversarial,
    "saliency": _prepare_saliency, "lstm": _prepare_lstm, "transfer": _prepare_transfer}


def _settle(app: QCoreApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def render_screenshot(project: str | Path | None, view: str, out_png: str | Path,
                      size: tuple[int, int] = (1280, 800), lang: str | None = None,
                      **options: Any) -> Path:
    """Build the window on `project` (a file, a preset name, or None for the default preset),
    show `view`, and save a PNG of `size`. Raises ValueError for an unknown view or preset.
    `lang` as `netzwerkstatt gui --lang` (None: the saved or the system's language)."""
    if view not in VIEWS:
        raise ValueError(f"unknown view '{view}' (available: {', '.join(VIEWS)})")
    app = QApplication.instance() or QApplication([])
    start_language(lang)
    path, preset = None, presets.DEFAULT_PRESET
    if project is not None:
        if Path(project).exists():
            path = project
        elif str(project) in presets.list_presets():
            preset = str(project)
        else:
            raise ValueError(f"no project file or preset named '{project}' (presets: "
                             f"{', '.join(presets.list_presets())})")
    window = create_main_window(path, preset=preset, recover=False)
    try:
        window.resize(*size)
        window.show()
        _settle(app)
        if path is None:
            window.load_preset(preset)  # again, now that the canvas has its real shape
        _settle(app)
        VIEWS[view](window, **options)
        _settle(app)
        out = Path(out_png)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out), "PNG"):
            raise OSError(f"could not write {out}")
        return out
    finally:
        window.hide()  # not close(): that would clear the user's crash-recovery file
        window.deleteLater()
        _settle(app)
