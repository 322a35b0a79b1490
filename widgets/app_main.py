"""Start the desktop app: one QApplication, the fully assembled main window, the event loop.

The application and organisation names give QSettings, the desktop launcher
(resources/netzwerkstatt.desktop) and the window manager one identity, so the taskbar shows the
app icon and groups the window under the launcher. This module imports PySide6 only: `run_gui`
paints a StartupWindow (widgets/startup.py) before torch, pyqtgraph and the editor are loaded.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter
from PySide6.QtWidgets import QApplication

from app.i18n import choose_language, install
from widgets.startup import app_settings, show_startup_window

if TYPE_CHECKING:
    from widgets.main_window import MainWindow

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
    from PySide6.QtSvg import QSvgRenderer

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
    from widgets.main_window import MainWindow, freeze_startup_heap
    from widgets.training_dock import attach_training

    window = MainWindow(path, **options)
    window.setWindowIcon(app_icon())
    attach_training(window)
    freeze_startup_heap()
    return window


def _warm_shape_check() -> None:
    """The first shape check imports torch's meta-tensor machinery (about 2 s): do it off the
    GUI thread, so building the window does not freeze the painted StartupWindow."""
    from app.core import presets
    from app.core.shapes import infer

    infer(presets.load_preset(presets.DEFAULT_PRESET).graph)


def loading_steps() -> list[tuple[str, Callable[[], object]]]:
    """What the StartupWindow runs in the background before it builds the main window."""
    # Written out in full: lupdate misreads an alias such as `tr = QApplication.translate`.
    return [(QApplication.translate("StartupWindow", "Loading PyTorch…"),
             lambda: importlib.import_module("torch")),
            (QApplication.translate("StartupWindow", "Loading the plots…"),
             lambda: importlib.import_module("pyqtgraph")),
            (QApplication.translate("StartupWindow", "Loading the editor…"),
             lambda: (importlib.import_module("widgets.main_window"),
                      importlib.import_module("widgets.training_dock"))),
            (QApplication.translate("StartupWindow", "Preparing the shape checks…"),
             _warm_shape_check)]


def _build_main_window(path: str | None) -> MainWindow:
    window = create_main_window(path)
    window.presentation.restore_layout()  # docks of the last session; the size comes from startup
    return window


def start_language(requested: str | None = None) -> str:
    """Install the UI language before any window is built: `requested` (--lang), else the
    one saved by View > Language, else the system's (German or English)."""
    return install(choose_language(requested, app_settings()))


def run_gui(path: str | None = None, lang: str | None = None) -> int:
    """Paint the StartupWindow, load the heavy modules behind it, then show the editor.

    Returns 1 when loading failed (the window said why and the user closed it)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    set_identity(app)
    start_language(lang)
    startup = show_startup_window(loading_steps(), lambda: _build_main_window(path))
    code = app.exec()
    return 1 if startup.failed and code == 0 else code


if __name__ == "__main__":  # `python -m widgets.app_main`: re-render the icon PNGs
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for _path in render_icons():
        print(_path)
