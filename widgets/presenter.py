"""For the projector: presenter mode, a light and a dark theme, and a keyboard cheat sheet.

A workshop projects the app on a wall: presenter mode (F11 or Ctrl+Shift+P) makes the text
larger, zooms the canvas in and draws wires and curves twice as thick, and the same key turns it
off again. The theme (light or dark) is remembered in the window's QSettings, like the window's
size and dock layout (`save_layout` / `restore_layout`). The cheat sheet (F1 or Ctrl+/) lists
every menu action that has a key, read from the menus themselves so it can never go stale (and
so in the language the menus are in).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QByteArray, QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGraphicsView,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from widgets.canvas import style
from widgets.startup import GEOMETRY_KEY  # the StartupWindow opens at the same place

THEME_KEY = "view/theme"
STATE_KEY = "window/state"
LAYOUT_VERSION = 1  # bump when the docks change so an old saved layout is ignored

# Window colours of the dark theme (the light one is main_window.apply_light_theme).
DARK_PALETTE = {
    QPalette.ColorRole.Window: "#1f2329", QPalette.ColorRole.WindowText: "#e6edf3",
    QPalette.ColorRole.Base: "#15181c", QPalette.ColorRole.AlternateBase: "#1b1f24",
    QPalette.ColorRole.Text: "#e6edf3", QPalette.ColorRole.Button: "#2a2f36",
    QPalette.ColorRole.ButtonText: "#e6edf3", QPalette.ColorRole.Highlight: "#2f81f7",
    QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2a2f36",
    QPalette.ColorRole.ToolTipText: "#e6edf3", QPalette.ColorRole.PlaceholderText: "#7d8590",
    QPalette.ColorRole.Mid: "#3d444d", QPalette.ColorRole.Midlight: "#30363d",
    QPalette.ColorRole.Light: "#3d444d", QPalette.ColorRole.Dark: "#0d1014",
    QPalette.ColorRole.Shadow: "#000000", QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Link: "#58a6ff",
}
PLOT_COLORS = {"light": ("w", "#1f2328"), "dark": ("#15181c", "#c9d1d9")}  # background, text


def _plain(text: str) -> str:
    """A menu text as a person reads it: no accelerator '&', no tab-separated key hint."""
    return text.split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")


def _keys(sequences: list[QKeySequence]) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences
                     if not s.isEmpty())


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, action, keys) of every menu action with a key, then the window's other keys
    (canvas-only keys such as Delete are QShortcuts on the canvas)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    # Undo and Redo name the edit they would undo ("Undo Move conv1"): the sheet names the key.
    fixed = {id(getattr(window, "act_undo", None)):
             QCoreApplication.translate("ShortcutSheet", "Undo"),
             id(getattr(window, "act_redo", None)):
             QCoreApplication.translate("ShortcutSheet", "Redo")}

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} › {_plain(action.text())}")
            elif not action.isSeparator():
                seen.add(id(action))
                keys = _keys(action.shortcuts())
                if keys:
                    rows.append((path, fixed.get(id(action), _plain(action.text())), keys))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    for action in window.actions():
        keys = _keys(action.shortcuts())
        if keys and id(action) not in seen:
            rows.append(("", _plain(action.text()), keys))
    canvas = [_keys([s.key()]) for s in window.view.findChildren(QShortcut)]
    if canvas:
        rows.append((QCoreApplication.translate("ShortcutSheet", "Canvas"),
                     QCoreApplication.translate("ShortcutSheet",
                                                "Delete the selected layers and wires"),
                     ", ".join(dict.fromkeys(canvas))))
    return rows


class ShortcutSheet(QDialog):
    """Help > Keyboard Shortcuts: every key of the main actions in one table."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action"),
                                              self.tr("Menu")])
        for r, (menu, action, keys) in enumerate(rows):
            for c, text in enumerate((keys, action, menu)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, c, item)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def rows(self) -> list[tuple[str, str, str]]:
        """(keys, action, menu) as shown."""
        return [tuple(self.table.item(r, c).text() for c in range(3))
                for r in range(self.table.rowCount())]


class Presentation(QObject):
    """Presenter mode, theme and saved layout of one main window (it owns the three actions)."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.presenting = False
        self._base_font_size: float | None = None
        self._following_runs = False
        self.sheet: ShortcutSheet | None = None
        self.act_presenter = self._action(
            self.tr("&Presenter Mode"), ["F11", "Ctrl+Shift+P"], self.set_presenter,
            checkable=True, tip=self.tr("Larger text, zoomed canvas and thicker wires and "
                                        "curves for a projector"))
        self.act_dark = self._action(
            self.tr("&Dark Theme"), ["Ctrl+Shift+D"],
            lambda on: self.set_theme("dark" if on else "light"), checkable=True,
            tip=self.tr("Dark background (easier on the eyes in a dim room); remembered for "
                        "the next start"))
        self.act_shortcuts = self._action(
            self.tr("&Keyboard Shortcuts…"), ["F1", "Ctrl+/"],
            lambda _on=False: self.show_shortcuts(),
            tip=self.tr("List the keys of every main action"))
        self.set_theme(str(self.settings.value(THEME_KEY, "light")), save=False)

    def _action(self, text: str, keys: list[str], slot, checkable: bool = False,
                tip: str = "") -> QAction:
        action = QAction(text, self.window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        action.setToolTip(f"{tip} ({', '.join(keys)})")
        action.setStatusTip(tip)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.window.addAction(action)  # the keys work whichever dock has the focus
        return action

    def add_to_menus(self, view_menu: QMenu, help_menu: QMenu) -> None:
        view_menu.addSeparator()
        view_menu.addActions([self.act_presenter, self.act_dark])
        help_menu.insertAction(help_menu.actions()[0] if help_menu.actions() else None,
                               self.act_shortcuts)

    # -- presenter mode -----------------------------------------------------------------------
    def set_presenter(self, on: bool) -> None:
        """Scale text, canvas zoom and line widths up (on) or back to normal (off)."""
        on = bool(on)
        if on == self.presenting:
            return
        self.presenting = on
        if self.act_presenter.isChecked() != on:
            self.act_presenter.setChecked(on)
        app = QApplication.instance()
        if self._base_font_size is None:
            self._base_font_size = app.font().pointSizeF()
        self._apply_font()
        style.set_line_scale(style.PRESENTER_LINE_SCALE if on else 1.0)
        view: QGraphicsView = self.window.view
        anchor = view.transformationAnchor()
        view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        view.zoom_by(style.PRESENTER_ZOOM if on else 1 / style.PRESENTER_ZOOM)
        view.setTransformationAnchor(anchor)
        self._scale_curves()
        self._follow_runs()
        self.window.scene.update()
        self.window.statusBar().showMessage(
            self.tr("Presenter mode: press F11 again to leave it") if on
            else self.tr("Presenter mode off"), 4000)

    def _apply_font(self) -> None:
        app = QApplication.instance()
        if self._base_font_size is None:
            return
        font = app.font()
        scale = style.PRESENTER_FONT_SCALE if self.presenting else 1.0
        font.setPointSizeF(self._base_font_size * scale)
        app.setFont(font)

    def _follow_runs(self) -> None:
        """A new run makes new curves: thicken them too (queued, so after the views made them)."""
        panel = getattr(self.window, "training_panel", None)
        if panel is not None and not self._following_runs:
            panel.controller.dataReady.connect(self._run_started,
                                               Qt.ConnectionType.QueuedConnection)
            self._following_runs = True

    def _run_started(self, _payload: dict) -> None:
        if self.presenting:
            self._scale_curves()

    def _scale_curves(self) -> None:
        """Thicker (or normal) curves in every plot of the window; each curve remembers the
        width it was made with, so toggling twice gives back exactly the original pens."""
        scale = style.line_width(1.0)
        for view in self.window.findChildren(pg.GraphicsView):  # plot widgets and layouts
            for item in view.scene().items():
                if not isinstance(item, pg.PlotDataItem):
                    continue  # bars and scatter points keep their outlines
                pen = item.opts.get("pen")
                if pen is None:
                    continue
                pen = pg.mkPen(pen)
                base = getattr(item, "_base_pen_width", None)
                if base is None:
                    base = item._base_pen_width = pen.widthF()
                pen.setWidthF(base * scale)
                item.setPen(pen)

    # -- theme ----------------------------------------------------------------------------------
    def set_theme(self, name: str, save: bool = True) -> None:
        """Light or dark: window palette, canvas colours and plots; saved in QSettings."""
        if name not in style.THEMES:
            name = "light"  # an unknown value in an old settings file: the default
        from widgets.main_window import apply_light_theme  # the window module imports us

        app = QApplication.instance()
        apply_light_theme(app)
        if name == "dark":
            palette = app.palette()
            for role, color in DARK_PALETTE.items():
                palette.setColor(role, QColor(color))
            for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                         QPalette.ColorRole.WindowText):
                palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
            app.setPalette(palette)
        self._apply_font()
        style.set_theme(name)
        background, foreground = PLOT_COLORS[name]
        pg.setConfigOptions(background=background, foreground=foreground)
        for view in self.window.findChildren(pg.GraphicsView):
            view.setBackground(background)
            for item in view.scene().items():
                if isinstance(item, pg.AxisItem):
                    item.setPen(foreground)
                    item.setTextPen(foreground)
                elif isinstance(item, pg.PlotItem) and item.titleLabel.text:
                    item.titleLabel.setText(item.titleLabel.text, color=foreground)
        if self.act_dark.isChecked() != (name == "dark"):
            self.act_dark.setChecked(name == "dark")
        self.window.scene.update()
        self.window.view.viewport().update()
        if save:
            self.settings.setValue(THEME_KEY, name)
            self.settings.sync()

    # -- cheat sheet ------------------------------------------------------------------------------
    def show_shortcuts(self) -> ShortcutSheet:
        """Open (or raise) the cheat sheet; not modal, so it can stay open beside the window."""
        if self.sheet is None:
            self.sheet = ShortcutSheet(self.window)
        self.sheet.show()
        self.sheet.raise_()
        return self.sheet

    # -- window geometry and dock layout -----------------------------------------------------------
    def save_layout(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        self.settings.setValue(STATE_KEY, self.window.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def restore_layout(self) -> bool:
        """Size, position and dock arrangement of the last session; False when none was saved
        (or it came from an older dock layout)."""
        geometry = self.settings.value(GEOMETRY_KEY)
        state = self.settings.value(STATE_KEY)
        if not isinstance(geometry, QByteArray) or not isinstance(state, QByteArray):
            return False
        return (self.window.restoreGeometry(geometry)
                and self.window.restoreState(state, LAYOUT_VERSION))
