"""Start the desktop app: one QApplication, the fully assembled main window, the event loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from widgets.main_window import MainWindow
from widgets.training_dock import attach_training


def create_main_window(path: str | Path | None = None, **options) -> MainWindow:
    """The editor with the live-training dashboard attached (used by the app and screenshots)."""
    window = MainWindow(path, **options)
    attach_training(window)
    return window


def run_gui(path: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Netzwerkstatt")
    app.setOrganizationName("Netzwerkstatt")
    window = create_main_window(path)
    window.show()
    return app.exec()
