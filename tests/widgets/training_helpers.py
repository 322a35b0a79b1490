"""Shared set-up for the training-dashboard tests: a tiny, fast run on the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from widgets.training_dock import attach_training
from widgets.training_panel import TrainingPanel

N_TRAIN, N_VAL, BATCH = 256, 64, 32  # 8 steps per epoch


def tiny_panel(window, *, epochs: int = 2, max_steps: int | None = None,
               lr: float | None = None, dataset: str = "shapes") -> TrainingPanel:
    """Attach the dashboard and set the document's run settings to a few-second shapes run
    (set directly, not as undoable edits: this is the test's starting point)."""
    panel = attach_training(window)
    doc = window.doc
    doc.set_settings("data", {"name": dataset, "n_train": N_TRAIN, "n_val": N_VAL})
    doc.set_settings("training", {"batch_size": BATCH, "epochs": epochs, "max_steps": max_steps,
                                  "log_every": 1, "lr": doc.project.training.lr if lr is None
                                  else lr})
    return panel


def click(qtbot, button) -> None:
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_idle(qtbot, panel: TrainingPanel, timeout: int = 30_000) -> None:
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=timeout)
    panel.apply_pending()


def wait_step(qtbot, panel: TrainingPanel, step: int, timeout: int = 30_000) -> None:
    """Until the worker's trainer has done at least `step` steps."""
    def reached() -> bool:
        worker = panel.controller.worker
        return worker is not None and worker.trainer is not None and worker.trainer.step >= step
    qtbot.waitUntil(reached, timeout=timeout)


def open_lab_view(window, title: str) -> None:
    """Open a lab view the way a learner does: from the Lab menu."""
    lab = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Lab")
    next(a for a in lab.actions() if a.text() == title).trigger()


def tab_texts(window) -> list[str]:
    """The bottom dock's tab titles as shown."""
    tabs = window.bottom_tabs
    return [tabs.tabText(i) for i in range(tabs.count())]
