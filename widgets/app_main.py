"""Start the desktop app: one QApplication, the fully assembled main window, the event loop.

The application and organisation names give QSettings, the desktop launcher
(resources/netzwerkstatt.desktop) and the window manager one identity, so the taskbar shows the
app icon and groups the window under the launcher.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from widgets.main_window import MainWindow
from widgets.training_dock import attach_training

APP_NAME = "Netzwerkstatt"
ORGANISATION = "Netzwerkstatt"
DESKTOP_FILE = "netzwerkstatt"  # resources/netzwerkstatt.desktop, without ".desktop"
ICON_DIR = Path(__file__).resolve().parents[1] / "resources" / "icons"
ICON_SVG = ICON_DIR / "netzwerkstatt.svg"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def icon_png(size: int, folder: Path = ICON_DIR / "png") -> Path:
    return folder / f"netzwerkstatt-{size}.png"


def render_icons(svg: Path = ICON_SVG, sizes: tuple[int, ...] = ICON_SIZES,
                 folder: Path = ICON_DIR / "png") -> list[Path]:
    """Render the SVG app icon to the PNG sizes the launcher installs (`make icons`).

    Drawn with QSvgRenderer so the PNGs always match the SVG; needs a QGuiApplication."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG image")
    written = []
    for size in sizes:
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = icon_png(size, folder)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(out), "PNG"):
            raise OSError(f"could not write {out}")
        written.append(out)
    return written


def app_icon() -> QIcon:
    """The app icon: the rendered PNGs (crisp at each size), or the SVG before `make icons`."""
    pngs = [size for size in ICON_SIZES if icon_png(size).is_file()]
    if not pngs:
        return QIcon(str(ICON_SVG))
    icon = QIcon()
    for size in pngs:
        icon.addFile(str(icon_png(size)), QSize(size, size))
    return icon


def set_identity(app: QGuiApplication) -> None:
    """Names for QSettings and the desktop, and the icon for every window."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE)
    app.setWindowIcon(app_icon())


def create_main_window(path: str | Path | None = None, **options) -> MainWindow:
    """The editor with the live-training dashboard attached (used by the app and screenshots)."""
    window = MainWindow(path, **options)
    window.setWindowIcon(app_icon())
    attach_training(window)
    return window


def run_gui(path: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    set_identity(app)
    window = create_main_window(path)
    window.presentation.restore_layout()  # size and docks of the last session, if any
    window.show()
    return app.exec()


if __name__ == "__main__":  # `python -m widgets.app_main`: re-render the icon PNGs
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for _path in render_icons():
        print(_path)
