"""Start the desktop app: one QApplication, the main window, the event loop."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def run_gui(path: str | None = None) -> int:
    from widgets.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Netzwerkstatt")
    app.setOrganizationName("Netzwerkstatt")
    window = MainWindow()
    if path:
        window.open_path(path)
    window.show()
    return app.exec()
