"""The main window: palette (left), canvas (centre), inspector (right), training tabs (bottom).

The window wires the pieces to one Document and owns the file life cycle: open, save, the
unsaved-changes prompt, recent files and crash-recovery autosave. Questions to the user go
through small `ask_*` methods so tests can answer them without a modal dialog.
"""

from __future__ import annotations

import gc
from datetime import datetime
from pathlib import Path

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProxyStyle,
    QStackedWidget,
    QStyle,
    QStyleFactory,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundJob
from app.core import layout, presets, project_io
from app.core.project_io import Project, ProjectError
from app.core.shapes import ShapeReport
from app.document import Document
from app.i18n import LANGUAGE_NAMES, LANGUAGES, install, language, save_language, translate_in
from app.shown import shown
from widgets.canvas import style
from widgets.canvas.node_item import HEIGHT as NODE_HEIGHT
from widgets.canvas.node_item import WIDTH as NODE_WIDTH
from widgets.canvas.scene import CanvasScene
from widgets.canvas.view import CanvasView, project_file_of
from widgets.inspector import Inspector
from widgets.lesson_panel import install_lessons
from widgets.palette import Palette
from widgets.presenter import Presentation
from widgets.startup import app_home

AUTOSAVE_MS = 60_000
MAX_RECENT = 8
RECOVERY_FILE = "recovery.json"
# Said in the current and in the chosen language when the UI language is switched.
LANGUAGE_TITLE = QT_TRANSLATE_NOOP("MainWindow", "Language")
LANGUAGE_QUESTION = QT_TRANSLATE_NOOP(
    "MainWindow", "The new language ({language}) applies from the next start. Restart now? "
    "Your network comes along, unsaved changes included.")
LANGUAGE_RESTART = QT_TRANSLATE_NOOP("MainWindow", "Restart now")
LANGUAGE_LATER = QT_TRANSLATE_NOOP("MainWindow", "Later")
# Windows built by a language restart: a top-level window needs a Python owner to stay open.
_restarted: list[MainWindow] = []


_gui_gc: GarbageCollector | None = None


def collect_garbage_on_gui_thread() -> None:
    """Run Python's cycle collector only on the GUI thread, from a timer.

    Left automatic, it runs in whichever thread happens to allocate, e.g. a background job
    importing torchvision; when the garbage it finds holds a Qt object (a closed window), Qt
    destroys that object from the wrong thread and deadlocks on the GIL. pyqtgraph's
    collector disables automatic collection and collects every second on this thread."""
    global _gui_gc
    if _gui_gc is None:
        _gui_gc = GarbageCollector(interval=1.0)


_heap_frozen = False


def freeze_startup_heap() -> None:
    """Collect once, then move every object alive after start-up (torch, pyqtgraph, the built
    window) into the collector's permanent generation (`gc.freeze`), once per process.

    With torch loaded a full collection scans ~370,000 objects: measured 100-230 ms on the GUI
    thread every few seconds while training, the worst GUI stalls of a run. Frozen, a full
    collection only scans what was allocated since and takes well under 1 ms. Objects that are
    frozen are still freed by reference counting; only cycles among them are never collected,
    which is why it runs once, after the window is complete, not per window."""
    global _heap_frozen
    if not _heap_frozen:
        gc.collect()
        gc.freeze()
        _heap_frozen = True


class TabStyle(QProxyStyle):
    """Fusion, but tabs that are not current stay level with the current one: Fusion drops
    their text 2 px, and its clip then cuts the dots off "Ü" and the tails off "g" and "p"."""

    def pixelMetric(self, metric, option=None, widget=None) -> int:
        if metric == QStyle.PixelMetric.PM_TabBarTabShiftVertical:
            return 0
        return super().pixelMetric(metric, option, widget)


def apply_light_theme(app: QApplication) -> None:
    """Fusion with a light palette: the same clean look on every platform and offscreen."""
    if not isinstance(app.style(), TabStyle):
        app.setStyle(TabStyle(QStyleFactory.create("Fusion")))
    pal = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#eef0f3", QPalette.ColorRole.WindowText: "#1f2328",
        QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f5f6f8",
        QPalette.ColorRole.Text: "#1f2328", QPalette.ColorRole.Button: "#f6f7f9",
        QPalette.ColorRole.ButtonText: "#1f2328", QPalette.ColorRole.Highlight: "#1f6feb",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1f2328", QPalette.ColorRole.PlaceholderText: "#8c959f",
        QPalette.ColorRole.Mid: "#c5cad3", QPalette.ColorRole.Midlight: "#e3e6ea",
    }
    for role, color in colors.items():
        pal.setColor(role, QColor(color))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#8c959f"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#8c959f"))
    app.setPalette(pal)
    app.setFont(style.ui_font(9))


class DockTabs(QTabWidget):
    """The bottom dock's tabs ask for the room of the page shown, not of the widest and the
    tallest of all pages (Qt's default): a wide lab view must not squeeze the layer palette and
    the canvas while the training settings or the dashboard are shown. A page that needs more
    grows the dock when it is shown, to PAGE_ROOM px beyond its minimum where the window has
    the room: at its bare minimum, plots are tiny and the splitters inside cannot move."""

    PAGE_ROOM = 60

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(self._page_changed)

    def _page_changed(self, _index: int) -> None:
        self.updateGeometry()
        QTimer.singleShot(0, self._make_room)

    def _make_room(self) -> None:
        page, dock, window = self.currentWidget(), self.parentWidget(), self.window()
        if (page is None or not page.isVisible() or not isinstance(dock, QDockWidget)
                or not isinstance(window, QMainWindow)):
            return
        missing = page.minimumSizeHint().height() + self.PAGE_ROOM - page.height()
        if missing > 0:  # the window takes it from the canvas, down to the canvas's minimum
            window.resizeDocks([dock], [dock.height() + missing], Qt.Orientation.Vertical)

    def minimumSizeHint(self) -> QSize:
        full = super().minimumSizeHint()
        stack, page = self.findChild(QStackedWidget), self.currentWidget()
        if stack is None or page is None:
            return full
        return (full - stack.minimumSizeHint()
                + page.minimumSizeHint().expandedTo(page.minimumSize()))


class PresetGallery(QDialog):
    """Pick an example network (or an empty canvas) to start from."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New network"))
        self.list = QListWidget()
        self.list.setSpacing(2)
        empty = QListWidgetItem(self.tr("Empty canvas\nStart from scratch: drag layers from the "
                                        "palette"))
        empty.setData(Qt.ItemDataRole.UserRole, "")
        self.list.addItem(empty)
        for name in presets.list_presets():
            project = presets.load_preset(name)
            item = QListWidgetItem(f"{project.name or name}\n{project.description}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(project.description)
            self.list.addItem(item)
        self.list.setCurrentRow(1 if self.list.count() > 1 else 0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Start from an example network:")))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def choice(self) -> str:
        return self.list.currentItem().data(Qt.ItemDataRole.UserRole)


class MainWindow(QMainWindow):
    featureMapsRequested = Signal(str)  # node id, from the canvas context menu

    def __init__(self, path: str | Path | None = None, *, preset: str = presets.DEFAULT_PRESET,
                 recover: bool = True):
        super().__init__()
        app = QApplication.instance()
        if app is not None:
            apply_light_theme(app)
            collect_garbage_on_gui_thread()
        self.settings = QSettings(str(app_home() / "settings.ini"), QSettings.Format.IniFormat)
        self.doc = Document(self)
        self.scene = CanvasScene(self.doc, self)
        self.view = CanvasView(self.scene)
        self.setCentralWidget(self.view)
        self.palette = Palette()
        self.inspector = Inspector(self.doc)
        self.bottom_tabs = DockTabs()
        self.problems = QListWidget()
        self.problems.setToolTip(self.tr("Double-click a problem to select its layer"))
        self.bottom_tabs.addTab(self.problems, self.tr("Problems"))
        self._make_docks()
        self._make_actions()
        self.presentation = Presentation(self)  # presenter mode, theme, saved window layout
        self._make_menus()
        self._make_toolbar()
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.setAcceptDrops(True)
        self._connect()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.resize(1280, 800)
        if path is not None:
            self.doc.open(path)
            self._remember_recent(Path(path))
            self._show_opened(Path(path))
        else:
            self.load_preset(preset)
        if recover:
            QTimer.singleShot(0, self.offer_recovery)

    # -- construction ---------------------------------------------------------------------------
    def _make_docks(self) -> None:
        def dock(name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
            """`name` (English) names the dock in the saved window layout, in any language."""
            d = QDockWidget(title, self)
            d.setObjectName(name)
            d.setWidget(widget)
            d.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                          | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.addDockWidget(area, d)
            return d

        self.palette_dock = dock("layers", self.tr("Layers"), self.palette,
                                 Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector_dock = dock("inspector", self.tr("Inspector"), self.inspector,
                                   Qt.DockWidgetArea.RightDockWidgetArea)
        self.bottom_dock = dock("training", self.tr("Training"), self.bottom_tabs,
                                Qt.DockWidgetArea.BottomDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([self.palette_dock, self.inspector_dock], [180, 290],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.bottom_dock], [150], Qt.Orientation.Vertical)

    def _action(self, text: str, slot, shortcut=None, tip: str = "",
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or text.replace('&', '')}" + (f" ({keys})" if keys else ""))
        action.setStatusTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        K, SP = QKeySequence.StandardKey, QStyle.StandardPixmap
        s, v = self.scene, self.view
        self.act_new = self._action(self.tr("&New from Preset…"), self.new_from_gallery, K.New,
                                    self.tr("Start a new network from an example"), SP.SP_FileIcon)
        self.act_open = self._action(self.tr("&Open…"), self.open_dialog, K.Open,
                                     self.tr("Open a project file"),
                                     SP.SP_DialogOpenButton)
        self.act_save = self._action(self.tr("&Save"), self.save, K.Save, self.tr("Save the project"),
                                     SP.SP_DialogSaveButton)
        self.act_save_as = self._action(self.tr("Save &As…"), self.save_as, K.SaveAs,
                                        self.tr("Save the project under a new name"))
        self.act_import_torchvision = self._action(
            self.tr("&Import torchvision Model…"), self.import_torchvision,
            tip=self.tr("Open a torchvision architecture (ResNet-18, VGG-11, MobileNetV3, "
                        "AlexNet) as a network: traced with torch.fx, random weights, nothing "
                        "downloaded"))
        self.import_job = BackgroundJob(self)
        self.import_job.done.connect(self._imported)
        self.import_job.failed.connect(
            lambda text: self.show_error(self.tr("Cannot import"), text))
        self.act_export = self._action(
            self.tr("&Export…"), self.export_dialog,
            tip=self.tr("Export the network: a PyTorch training script (also runs under "
                        "torchrun on many GPUs), ONNX, TorchScript, or the trained weights "
                        "(safetensors)"))
        self.export_job = BackgroundJob(self)
        self.export_job.done.connect(
            lambda path: self.statusBar().showMessage(self.tr("Exported {path}").format(path=path),
                                                      8000))
        self.export_job.failed.connect(
            lambda text: self.show_error(self.tr("Cannot export"), text))
        self.act_quit = self._action(self.tr("&Quit"), self.close, K.Quit,
                                     self.tr("Close Netzwerkstatt"))
        self.act_undo = self.doc.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.act_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.act_redo = self.doc.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_cut = self._action(self.tr("Cu&t"), s.cut_selection, K.Cut,
                                    self.tr("Cut the selected layers"))
        self.act_copy = self._action(self.tr("&Copy"), s.copy_selection, K.Copy,
                                     self.tr("Copy the selected layers"))
        self.act_paste = self._action(self.tr("&Paste"), self._paste, K.Paste,
                                      self.tr("Paste layers at the mouse pointer"))
        self.act_duplicate = self._action(self.tr("&Duplicate"), s.duplicate_selection,
                                          QKeySequence("Ctrl+D"),
                                          self.tr("Duplicate the selected layers"))
        self.act_delete = self._action(self.tr("&Delete\tDel"), s.delete_selection, None,
                                       self.tr("Delete the selected layers and wires (Del)"),
                                       SP.SP_TrashIcon)
        self.act_delete.setIconText(self.tr("Delete"))
        # The keys act only while the canvas has focus: Delete in a form field of the
        # inspector must never remove the layer being edited.
        for key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            shortcut = QShortcut(QKeySequence(key), self.view,
                                 context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(s.delete_selection)
        self.act_select_all = self._action(self.tr("Select &All"), s.select_all, K.SelectAll,
                                           self.tr("Select every layer and wire"))
        self.act_fit = self._action(self.tr("&Fit to View"), v.fit_all, QKeySequence("Ctrl+0"),
                                    self.tr("Show the whole network"), SP.SP_TitleBarMaxButton)
        self.act_zoom_in = self._action(self.tr("Zoom &In"), v.zoom_in,
                                        [QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.act_zoom_out = self._action(self.tr("Zoom &Out"), v.zoom_out, QKeySequence("Ctrl+-"))
        self.act_layout = self._action(self.tr("&Auto-layout"), self.auto_layout,
                                       QKeySequence("Ctrl+L"),
                                       self.tr("Arrange layers left to right by depth"),
                                       SP.SP_BrowserReload)
        self.act_about = self._action(self.tr("&About Netzwerkstatt"), self.about)
        # Toolbar twins with a fixed label (the menu items say what they undo); the
        # shortcuts stay on the menu actions so no key is bound twice.
        stack = self.doc.undo_stack
        self.tool_undo = self._action(self.tr("Undo"), stack.undo, tip=self.tr("Undo"),
                                      icon=SP.SP_ArrowBack)
        self.tool_redo = self._action(self.tr("Redo"), stack.redo, tip=self.tr("Redo"),
                                      icon=SP.SP_ArrowForward)
        self.tool_undo.setEnabled(False)
        self.tool_redo.setEnabled(False)
        stack.canUndoChanged.connect(self.tool_undo.setEnabled)
        stack.canRedoChanged.connect(self.tool_redo.setEnabled)
        stack.undoTextChanged.connect(lambda t: self.tool_undo.setToolTip(
            self.tr("Undo {what} (Ctrl+Z)").format(what=t)))
        stack.redoTextChanged.connect(lambda t: self.tool_redo.setToolTip(
            self.tr("Redo {what} (Ctrl+Shift+Z)").format(what=t)))

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(self.tr("&File"))
        file.addActions([self.act_new, self.act_open])
        self.recent_menu = file.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addAction(self.act_import_torchvision)
        file.addAction(self.act_export)
        file.addSeparator()
        file.addActions([self.act_save, self.act_save_as])
        file.addSeparator()
        file.addAction(self.act_quit)
        edit = bar.addMenu(self.tr("&Edit"))
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_cut, self.act_copy, self.act_paste, self.act_duplicate,
                         self.act_delete])
        edit.addSeparator()
        edit.addAction(self.act_select_all)
        view = bar.addMenu(self.tr("&View"))
        view.addActions([self.act_fit, self.act_zoom_in, self.act_zoom_out])
        view.addSeparator()
        view.addAction(self.act_layout)
        view.addSeparator()
        for d in (self.palette_dock, self.inspector_dock, self.bottom_dock):
            view.addAction(d.toggleViewAction())
        view.addSeparator()
        self.language_menu = view.addMenu(self.tr("&Language"))
        self.language_menu.setToolTipsVisible(True)
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = self.language_menu.addAction(LANGUAGE_NAMES[lang])  # in its own language
            action.setCheckable(True)
            action.setChecked(lang == language())
            action.setToolTip(self.tr("Show Netzwerkstatt in {language} (from the next "
                                      "start)").format(language=LANGUAGE_NAMES[lang]))
            action.triggered.connect(lambda _checked=False, lang=lang: self.choose_language(lang))
            group.addAction(action)
            self.language_actions[lang] = action
        install_lessons(self)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.act_about)
        self.presentation.add_to_menus(view, help_menu)

    def _make_toolbar(self) -> None:
        tb = self.addToolBar(self.tr("Main toolbar"))
        tb.setObjectName("main_toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addActions([self.act_new, self.act_open, self.act_save])
        tb.addSeparator()
        tb.addActions([self.tool_undo, self.tool_redo, self.act_delete])
        tb.addSeparator()
        tb.addActions([self.act_layout, self.act_fit])
        self.toolbar = tb

    def _connect(self) -> None:
        self.doc.titleChanged.connect(self.setWindowTitle)
        self.doc.shapesChanged.connect(self._show_report)
        self.doc.graphReset.connect(self._after_reset)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.scene.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.scene.featureMapsRequested.connect(self.featureMapsRequested)
        self.inspector.layer.fixRequested.connect(self.scene.apply_fix)
        self.inspector.summary.nodeActivated.connect(self.reveal_node)
        self.palette.layerActivated.connect(
            lambda t: self.scene.insert_after_selection(t, self.view.visible_centre()))
        self.view.fileDropped.connect(self.open_path)
        self.problems.itemDoubleClicked.connect(
            lambda item: self.reveal_node(item.data(Qt.ItemDataRole.UserRole)))

    # -- public hooks for other panels --------------------------------------------------------------
    def add_training_panel(self, widget: QWidget, title: str = "") -> int:
        """Add a tab to the bottom dock (before Problems) and show it; returns its index.
        `title` is shown as given (callers translate it); empty means "Training"."""
        index = self.bottom_tabs.insertTab(self.bottom_tabs.count() - 1, widget,
                                           title or self.tr("Training"))
        self.bottom_tabs.setCurrentIndex(index)
        return index

    def reveal_node(self, node_id: str) -> None:
        if node_id in self.scene.nodes:
            self.scene.select_nodes([node_id])
            self.view.centerOn(self.scene.nodes[node_id])

    # -- reactions ----------------------------------------------------------------------------------
    def _selection_changed(self) -> None:
        ids = self.scene.selected_node_ids()
        self.inspector.set_node(ids[0] if len(ids) == 1 else None)

    def _show_report(self, report: ShapeReport) -> None:
        errors = report.errors
        params = self.tr("{count} parameters").format(count=f"{report.total_params:,}")
        if report.ok:
            valid = self.tr("valid")
            self.status.setText(f"<span style='color:{style.OK.name()}'>✔ {valid}</span>"
                                f" · {params}")
        else:
            problems = (self.tr("1 problem") if len(errors) == 1
                        else self.tr("{n} problems").format(n=len(errors)))
            self.status.setText(f"<span style='color:{style.ERROR.name()}'>✖ {problems}</span>"
                                f" · {params}")
        self.problems.clear()
        for issue in report.issues:
            where = f"{issue.node_id}: " if issue.node_id else ""
            item = QListWidgetItem(f"{where}{shown(issue.message)}")
            item.setForeground(style.ERROR if issue.severity == "error" else style.WARNING)
            item.setData(Qt.ItemDataRole.UserRole, issue.node_id or "")
            self.problems.addItem(item)
        if not report.issues:
            self.problems.addItem(self.tr("No problems: the network can be trained."))
        self.bottom_tabs.setTabText(self.bottom_tabs.indexOf(self.problems),
                                    self.tr("Problems ({n})").format(n=len(report.issues))
                                    if report.issues else self.tr("Problems"))

    def _after_reset(self) -> None:
        self.inspector.set_node(None)
        self.view.fit_all()

    def _paste(self) -> None:
        cursor = self.view.mapFromGlobal(self.cursor().pos())
        inside = self.view.viewport().rect().contains(cursor)
        self.scene.paste(self.view.mapToScene(cursor) if inside else None)

    def auto_layout(self) -> None:
        self.scene.auto_layout(self.view.canvas_size())
        self.view.fit_all()

    # -- questions (tests monkeypatch these) ----------------------------------------------------------
    def ask_save_changes(self) -> str:
        """'save', 'discard' or 'cancel' for unsaved changes."""
        answer = QMessageBox.question(
            self, self.tr("Unsaved changes"),
            self.tr("Save the changes to {name} before continuing?").format(
                name=self.doc.display_name()),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(answer, "cancel")

    def ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open project"), self._last_dir(),
                                              self.tr("Netzwerkstatt projects (*.json)"))
        return path

    def ask_save_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save project as"),
                                              self._last_dir(),
                                              self.tr("Netzwerkstatt projects (*.json)"))
        return path

    def ask_preset(self) -> str | None:
        """A preset name, '' for an empty canvas, None when cancelled."""
        gallery = PresetGallery(self)
        return gallery.choice() if gallery.exec() == QDialog.DialogCode.Accepted else None

    def ask_torchvision_model(self) -> str | None:
        """A torchvision architecture name from a list, None when cancelled."""
        from app.core.fx_import import TORCHVISION_MODELS

        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Import torchvision model"))
        dialog.setLabelText(self.tr("Architecture (traced with torch.fx; random weights, "
                                    "nothing is downloaded):"))
        dialog.setOption(QInputDialog.InputDialogOption.UseListViewForComboBoxItems)
        dialog.setComboBoxItems(list(TORCHVISION_MODELS))
        dialog.setTextValue(TORCHVISION_MODELS[0])
        return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_export_path(self) -> tuple[str, str]:
        """(file, format) for File > Export…; ("", "") when cancelled."""
        filters = {self.tr("PyTorch training script (*.py)"): "py",
                   self.tr("ONNX model (*.onnx)"): "onnx",
                   self.tr("TorchScript module (*.pt)"): "torchscript",
                   self.tr("Trained weights (*.safetensors)"): "safetensors"}
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export network"),
                                                   self._last_dir(), ";;".join(filters))
        return (path, filters.get(chosen, "py")) if path else ("", "")

    def export_dialog(self) -> None:
        """File > Export…: write the file off the GUI thread (ONNX checks take a moment)."""
        from app.core import export

        path, fmt = self.ask_export_path()
        if not path:
            return
        out = export.with_suffix(Path(path), fmt)
        project = self.doc.to_project()
        trained = self.doc.trained if self.doc.trained_matches() else None
        self.statusBar().showMessage(self.tr("Exporting {name}…").format(name=out.name))
        self.export_job.start(lambda progress: export.export(project, out, fmt, trained))

    def ask_recover(self, when: str) -> bool:
        return QMessageBox.question(
            self, self.tr("Recover unsaved work?"),
            self.tr("Netzwerkstatt found unsaved work from {when} that was not closed cleanly. "
                    "Recover it?").format(when=when)) == QMessageBox.StandardButton.Yes

    def ask_restart_for_language(self, lang: str) -> bool:
        """True for "Restart now"; said in the current and in the chosen language."""
        def both(text: str, **values) -> tuple[str, str]:
            return (self.tr(text).format(**values),
                    translate_in(lang, "MainWindow", text).format(**values))

        name = LANGUAGE_NAMES[lang]
        box = QMessageBox(QMessageBox.Icon.Question, " / ".join(dict.fromkeys(
            both(LANGUAGE_TITLE))), "\n\n".join(dict.fromkeys(both(LANGUAGE_QUESTION,
                                                                    language=name))), parent=self)
        restart = box.addButton(" / ".join(dict.fromkeys(both(LANGUAGE_RESTART))),
                                QMessageBox.ButtonRole.AcceptRole)
        box.addButton(" / ".join(dict.fromkeys(both(LANGUAGE_LATER))),
                      QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restart)
        box.exec()
        return box.clickedButton() is restart

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    # -- file life cycle ---------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to replace the current project (saved, discarded, clean)."""
        if not self.doc.dirty:
            return True
        answer = self.ask_save_changes()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def load_preset(self, name: str) -> None:
        """Open an example as an untitled project, arranged to fit the canvas."""
        project = presets.load_preset(name) if name else Project()
        # Before the first show the viewport has no size yet: the default window's is assumed.
        canvas = self.view.canvas_size() if self.view.isVisible() else (800.0, 520.0)
        positions = layout.layout_positions(project.graph, canvas, (NODE_WIDTH, NODE_HEIGHT))
        for nid, pos in positions.items():
            project.graph.nodes[nid].pos = pos
        self.doc.load(project)

    def import_torchvision(self) -> None:
        """File > Import torchvision Model: trace it off the GUI thread, open it untitled."""
        if not self.maybe_save():
            return
        name = self.ask_torchvision_model()
        if not name:
            return
        from app.core.fx_import import torchvision_project

        self.statusBar().showMessage(self.tr("Importing {name} with torch.fx…").format(name=name))
        self.import_job.start(lambda progress: torchvision_project(name)[0])

    def _imported(self, project: Project) -> None:
        self.doc.load(project)
        self.statusBar().showMessage(
            self.tr("Imported {name}. Double-click a folded block to see its layers.").format(
                name=project.name), 8000)

    def new_from_gallery(self) -> None:
        if not self.maybe_save():
            return
        choice = self.ask_preset()
        if choice is not None:
            self.load_preset(choice)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = self.ask_open_path()
        if path:
            self._open(Path(path))

    def open_path(self, path: str | Path) -> bool:
        """Open after asking about unsaved changes (file drops, recent files)."""
        return self.maybe_save() and self._open(Path(path))

    def _open(self, path: Path) -> bool:
        try:
            self.doc.open(path)
        except ProjectError as exc:
            self.show_error(self.tr("Cannot open project"), str(exc))
            return False
        self._remember_recent(path)
        self._show_opened(path)
        return True

    def _show_opened(self, path: Path) -> None:
        """Say what was opened; weights that could not be restored stay readable for longer."""
        if self.doc.load_warning:
            self.statusBar().showMessage(self.tr("Opened {path}. {warning}").format(
                path=path, warning=self.doc.load_warning), 20000)
        elif self.doc.trained is not None:
            self.statusBar().showMessage(
                self.tr("Opened {path} with the trained weights of run {run}").format(
                    path=path, run=self.doc.trained.info.run), 6000)
        else:
            self.statusBar().showMessage(self.tr("Opened {path}").format(path=path), 4000)

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != ".json":
            target = target.with_suffix(".json")
        return self._save_to(target)

    def _save_to(self, path: Path) -> bool:
        try:
            self.doc.save(path)
        except OSError as exc:
            self.show_error(self.tr("Cannot save project"),
                            self.tr("Saving {path} failed: {error}\n\nYour work is still open "
                                    "and the file on disk is unchanged. Free some disk space or "
                                    "check that you may write to that folder, or use File > "
                                    "Save As to save it somewhere else.").format(
                                path=path, error=exc))
            return False
        self._remember_recent(path)
        self._drop_recovery()
        trained = self.doc.trained
        self.statusBar().showMessage(
            self.tr("Saved {path} and the trained weights of run {run}").format(
                path=path, run=trained.info.run) if trained is not None
            else self.tr("Saved {path}").format(path=path), 4000)
        return True

    def _last_dir(self) -> str:
        return str(self.doc.path.parent) if self.doc.path else str(Path.home())

    # -- recent files ------------------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _remember_recent(self, path: Path) -> None:
        entry = str(path.resolve())
        recent = [entry] + [p for p in self.recent_files() if p != entry]
        self.settings.setValue("recent", recent[:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = [p for p in self.recent_files() if Path(p).exists()]
        for path in files:
            self.recent_menu.addAction(Path(path).name, lambda p=path: self.open_path(p)
                                       ).setToolTip(path)
        if not files:
            self.recent_menu.addAction(self.tr("(no recent files)")).setEnabled(False)

    # -- autosave and recovery ---------------------------------------------------------------------------
    def recovery_path(self) -> Path:
        return app_home() / RECOVERY_FILE

    def autosave(self) -> None:
        """Write unsaved work to the recovery file (never over the user's own file)."""
        if not self.doc.dirty:
            return
        try:
            project_io.save(self.recovery_path(), self.doc.to_project())
        except OSError as exc:
            self.statusBar().showMessage(self.tr("Autosave failed: {error}").format(error=exc), 8000)
            return
        self.settings.setValue("recovery/source", str(self.doc.path or ""))

    def _drop_recovery(self) -> None:
        self.recovery_path().unlink(missing_ok=True)
        self.settings.remove("recovery/source")

    def offer_recovery(self) -> bool:
        """At start: offer an autosave that is newer than the project it came from."""
        rec = self.recovery_path()
        if not rec.exists():
            return False
        source = str(self.settings.value("recovery/source", "") or "")
        if source and Path(source).exists() and Path(source).stat().st_mtime >= rec.stat().st_mtime:
            self._drop_recovery()  # the project was saved after the autosave: nothing to recover
            return False
        when = datetime.fromtimestamp(rec.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        if not self.ask_recover(when):
            self._drop_recovery()
            return False
        try:
            project = project_io.load(rec)
        except ProjectError as exc:
            self.show_error(self.tr("Cannot recover"),
                            self.tr("The autosave is damaged: {error}").format(error=exc))
            self._drop_recovery()
            return False
        self.doc.load(project, source or None, dirty=True)
        return True

    # -- language -----------------------------------------------------------------------------------------
    def choose_language(self, lang: str) -> None:
        """View > Language: saved for the next start, and a restart offered right away."""
        save_language(self.settings, lang)
        for other, action in self.language_actions.items():
            action.setChecked(other == lang)
        if lang == language():
            return
        if self.ask_restart_for_language(lang):
            self.restart_in_language(lang)
        else:
            self.statusBar().showMessage(self.tr("{language} from the next start").format(
                language=LANGUAGE_NAMES[lang]), 8000)

    def restart_in_language(self, lang: str) -> MainWindow:
        """What a restart shows, without leaving the process: a new window built in `lang`
        replaces this one. The network, its file name, unsaved changes (also in the autosave)
        and kept weights come along; the undo history and a running training do not."""
        from widgets.app_main import create_main_window

        self.presentation.save_layout()
        install(lang)
        doc = self.doc
        new = create_main_window(recover=False)
        new.doc.load(doc.to_project(), doc.path, dirty=doc.dirty)
        if doc.trained is not None:
            new.doc.set_trained(doc.trained)
        new.presentation.restore_layout()
        _restarted.append(new)
        new.destroyed.connect(lambda *_: _restarted.remove(new) if new in _restarted else None)
        new.show()
        doc.undo_stack.setClean()  # the work lives on in the new window: no question on close
        self.close()
        new.autosave()
        return new

    # -- window events -----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            QTimer.singleShot(0, self.view.fit_all)  # once the canvas has its final size

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self.autosave_timer.stop()
            self._drop_recovery()
            for job in self.findChildren(BackgroundJob):  # lab computations, export, import
                job.cancel()
            self.presentation.save_layout()
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if project_file_of(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = project_file_of(event)
        if path:
            event.acceptProposedAction()
            self.open_path(path)

    def about(self) -> None:
        QMessageBox.about(
            self, self.tr("About Netzwerkstatt"),
            self.tr("<h3>Netzwerkstatt</h3><p>Assemble neural networks by drag-and-drop, train "
                    "them and watch them learn.</p><p>The network on the canvas is exactly the "
                    "PyTorch module that trains.</p>"))

