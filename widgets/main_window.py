"""The main window: palette (left), canvas (centre), inspector (right), training tabs (bottom).

The window wires the pieces to one Document and owns the file life cycle: open, save, the
unsaved-changes prompt, recent files and crash-recovery autosave. Questions to the user go
through small `ask_*` methods so tests can answer them without a modal dialog.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
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
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundJob
from app.core import layout, presets, project_io
from app.core.project_io import Project, ProjectError
from app.core.shapes import ShapeReport
from app.document import Document
from widgets.canvas import style
from widgets.canvas.node_item import HEIGHT as NODE_HEIGHT
from widgets.canvas.node_item import WIDTH as NODE_WIDTH
from widgets.canvas.scene import CanvasScene
from widgets.canvas.view import CanvasView, project_file_of
from widgets.inspector import Inspector
from widgets.lesson_panel import install_lessons
from widgets.palette import Palette
from widgets.presenter import Presentation

AUTOSAVE_MS = 60_000
MAX_RECENT = 8
RECOVERY_FILE = "recovery.json"


def app_home() -> Path:
    """Where settings and the autosave live; NETZWERKSTATT_HOME keeps tests out of $HOME."""
    env = os.environ.get("NETZWERKSTATT_HOME")
    if env:
        return Path(env)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".netzwerkstatt")


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


def apply_light_theme(app: QApplication) -> None:
    """Fusion with a light palette: the same clean look on every platform and offscreen."""
    app.setStyle("Fusion")
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


class PresetGallery(QDialog):
    """Pick an example network (or an empty canvas) to start from."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New network")
        self.list = QListWidget()
        self.list.setSpacing(2)
        empty = QListWidgetItem("Empty canvas\nStart from scratch: drag layers from the palette")
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
        layout.addWidget(QLabel("Start from an example network:"))
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
        self.bottom_tabs = QTabWidget()
        self.problems = QListWidget()
        self.problems.setToolTip("Double-click a problem to select its layer")
        self.bottom_tabs.addTab(self.problems, "Problems")
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
        def dock(title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
            d = QDockWidget(title, self)
            d.setObjectName(title.lower().replace(" ", "_"))
            d.setWidget(widget)
            d.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                          | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.addDockWidget(area, d)
            return d

        self.palette_dock = dock("Layers", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector_dock = dock("Inspector", self.inspector,
                                   Qt.DockWidgetArea.RightDockWidgetArea)
        self.bottom_dock = dock("Training", self.bottom_tabs,
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
        self.act_new = self._action("&New from Preset…", self.new_from_gallery, K.New,
                                    "Start a new network from an example", SP.SP_FileIcon)
        self.act_open = self._action("&Open…", self.open_dialog, K.Open, "Open a project file",
                                     SP.SP_DialogOpenButton)
        self.act_save = self._action("&Save", self.save, K.Save, "Save the project",
                                     SP.SP_DialogSaveButton)
        self.act_save_as = self._action("Save &As…", self.save_as, K.SaveAs,
                                        "Save the project under a new name")
        self.act_import_torchvision = self._action(
            "&Import torchvision Model…", self.import_torchvision,
            tip="Open a torchvision architecture (ResNet-18, VGG-11, MobileNetV3, AlexNet) as a "
                "network: traced with torch.fx, random weights, nothing downloaded")
        self.import_job = BackgroundJob(self)
        self.import_job.done.connect(self._imported)
        self.import_job.failed.connect(lambda text: self.show_error("Cannot import", text))
        self.act_export = self._action(
            "&Export…", self.export_dialog,
            tip="Export the network: a PyTorch training script (also runs under torchrun on "
                "many GPUs), ONNX, TorchScript, or the trained weights (safetensors)")
        self.export_job = BackgroundJob(self)
        self.export_job.done.connect(
            lambda path: self.statusBar().showMessage(f"Exported {path}", 8000))
        self.export_job.failed.connect(lambda text: self.show_error("Cannot export", text))
        self.act_quit = self._action("&Quit", self.close, K.Quit, "Close Netzwerkstatt")
        self.act_undo = self.doc.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.act_redo = self.doc.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_cut = self._action("Cu&t", s.cut_selection, K.Cut, "Cut the selected layers")
        self.act_copy = self._action("&Copy", s.copy_selection, K.Copy,
                                     "Copy the selected layers")
        self.act_paste = self._action("&Paste", self._paste, K.Paste,
                                      "Paste layers at the mouse pointer")
        self.act_duplicate = self._action("&Duplicate", s.duplicate_selection,
                                          QKeySequence("Ctrl+D"), "Duplicate the selected layers")
        self.act_delete = self._action("&Delete\tDel", s.delete_selection, None,
                                       "Delete the selected layers and wires (Del)",
                                       SP.SP_TrashIcon)
        self.act_delete.setIconText("Delete")
        # The keys act only while the canvas has focus: Delete in a form field of the
        # inspector must never remove the layer being edited.
        for key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            shortcut = QShortcut(QKeySequence(key), self.view,
                                 context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(s.delete_selection)
        self.act_select_all = self._action("Select &All", s.select_all, K.SelectAll,
                                           "Select every layer and wire")
        self.act_fit = self._action("&Fit to View", v.fit_all, QKeySequence("Ctrl+0"),
                                    "Show the whole network", SP.SP_TitleBarMaxButton)
        self.act_zoom_in = self._action("Zoom &In", v.zoom_in,
                                        [QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.act_zoom_out = self._action("Zoom &Out", v.zoom_out, QKeySequence("Ctrl+-"))
        self.act_layout = self._action("&Auto-layout", self.auto_layout, QKeySequence("Ctrl+L"),
                                       "Arrange layers left to right by depth",
                                       SP.SP_BrowserReload)
        self.act_about = self._action("&About Netzwerkstatt", self.about)
        # Toolbar twins with a fixed label (the menu items say what they undo); the
        # shortcuts stay on the menu actions so no key is bound twice.
        stack = self.doc.undo_stack
        self.tool_undo = self._action("Undo", stack.undo, tip="Undo", icon=SP.SP_ArrowBack)
        self.tool_redo = self._action("Redo", stack.redo, tip="Redo", icon=SP.SP_ArrowForward)
        self.tool_undo.setEnabled(False)
        self.tool_redo.setEnabled(False)
        stack.canUndoChanged.connect(self.tool_undo.setEnabled)
        stack.canRedoChanged.connect(self.tool_redo.setEnabled)
        stack.undoTextChanged.connect(lambda t: self.tool_undo.setToolTip(f"Undo {t} (Ctrl+Z)"))
        stack.redoTextChanged.connect(
            lambda t: self.tool_redo.setToolTip(f"Redo {t} (Ctrl+Shift+Z)"))

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.act_new, self.act_open])
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addAction(self.act_import_torchvision)
        file.addAction(self.act_export)
        file.addSeparator()
        file.addActions([self.act_save, self.act_save_as])
        file.addSeparator()
        file.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_cut, self.act_copy, self.act_paste, self.act_duplicate,
                         self.act_delete])
        edit.addSeparator()
        edit.addAction(self.act_select_all)
        view = bar.addMenu("&View")
        view.addActions([self.act_fit, self.act_zoom_in, self.act_zoom_out])
        view.addSeparator()
        view.addAction(self.act_layout)
        view.addSeparator()
        for d in (self.palette_dock, self.inspector_dock, self.bottom_dock):
            view.addAction(d.toggleViewAction())
        install_lessons(self)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_about)
        self.presentation.add_to_menus(view, help_menu)

    def _make_toolbar(self) -> None:
        tb = self.addToolBar("Main")
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
    def add_training_panel(self, widget: QWidget, title: str = "Training") -> int:
        """Add a tab to the bottom dock (before Problems) and show it; returns its index."""
        index = self.bottom_tabs.insertTab(self.bottom_tabs.count() - 1, widget, title)
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
        params = f"{report.total_params:,} parameters"
        if report.ok:
            self.status.setText(f"<span style='color:{style.OK.name()}'>✔ valid</span>"
                                f" · {params}")
        else:
            self.status.setText(f"<span style='color:{style.ERROR.name()}'>✖ {len(errors)} "
                                f"problem{'s' * (len(errors) != 1)}</span> · {params}")
        self.problems.clear()
        for issue in report.issues:
            where = f"{issue.node_id}: " if issue.node_id else ""
            item = QListWidgetItem(f"{where}{issue.message}")
            item.setForeground(style.ERROR if issue.severity == "error" else style.WARNING)
            item.setData(Qt.ItemDataRole.UserRole, issue.node_id or "")
            self.problems.addItem(item)
        if not report.issues:
            self.problems.addItem("No problems: the network can be trained.")
        self.bottom_tabs.setTabText(self.bottom_tabs.indexOf(self.problems),
                                    f"Problems ({len(report.issues)})" if report.issues
                                    else "Problems")

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
            self, "Unsaved changes",
            f"Save the changes to {self.doc.display_name()} before continuing?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(answer, "cancel")

    def ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self._last_dir(),
                                              "Netzwerkstatt projects (*.json)")
        return path

    def ask_save_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "Save project as", self._last_dir(),
                                              "Netzwerkstatt projects (*.json)")
        return path

    def ask_preset(self) -> str | None:
        """A preset name, '' for an empty canvas, None when cancelled."""
        gallery = PresetGallery(self)
        return gallery.choice() if gallery.exec() == QDialog.DialogCode.Accepted else None

    def ask_torchvision_model(self) -> str | None:
        """A torchvision architecture name from a list, None when cancelled."""
        from app.core.fx_import import TORCHVISION_MODELS

        dialog = QInputDialog(self)
        dialog.setWindowTitle("Import torchvision model")
        dialog.setLabelText("Architecture (traced with torch.fx; random weights, nothing is "
                            "downloaded):")
        dialog.setOption(QInputDialog.InputDialogOption.UseListViewForComboBoxItems)
        dialog.setComboBoxItems(list(TORCHVISION_MODELS))
        dialog.setTextValue(TORCHVISION_MODELS[0])
        return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_export_path(self) -> tuple[str, str]:
        """(file, format) for File > Export…; ("", "") when cancelled."""
        filters = {"PyTorch training script (*.py)": "py", "ONNX model (*.onnx)": "onnx",
                   "TorchScript module (*.pt)": "torchscript",
                   "Trained weights (*.safetensors)": "safetensors"}
        path, chosen = QFileDialog.getSaveFileName(self, "Export network", self._last_dir(),
                                                   ";;".join(filters))
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
        self.statusBar().showMessage(f"Exporting {out.name}…")
        self.export_job.start(lambda progress: export.export(project, out, fmt, trained))

    def ask_recover(self, when: str) -> bool:
        return QMessageBox.question(
            self, "Recover unsaved work?",
            f"Netzwerkstatt found unsaved work from {when} that was not closed cleanly. "
            "Recover it?") == QMessageBox.StandardButton.Yes

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

        self.statusBar().showMessage(f"Importing {name} with torch.fx…")
        self.import_job.start(lambda progress: torchvision_project(name)[0])

    def _imported(self, project: Project) -> None:
        self.doc.load(project)
        self.statusBar().showMessage(
            f"Imported {project.name}. Double-click a folded block to see its layers.", 8000)

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
            self.show_error("Cannot open project", str(exc))
            return False
        self._remember_recent(path)
        self._show_opened(path)
        return True

    def _show_opened(self, path: Path) -> None:
        """Say what was opened; weights that could not be restored stay readable for longer."""
        if self.doc.load_warning:
            self.statusBar().showMessage(f"Opened {path}. {self.doc.load_warning}", 20000)
        elif self.doc.trained is not None:
            self.statusBar().showMessage(
                f"Opened {path} with the trained weights of run {self.doc.trained.info.run}", 6000)
        else:
            self.statusBar().showMessage(f"Opened {path}", 4000)

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
            self.show_error("Cannot save project",
                            f"Saving {path} failed: {exc}\n\nYour work is still open and the "
                            "file on disk is unchanged. Free some disk space or check that "
                            "you may write to that folder, or use File > Save As to save "
                            "it somewhere else.")
            return False
        self._remember_recent(path)
        self._drop_recovery()
        trained = self.doc.trained
        self.statusBar().showMessage(
            f"Saved {path}" + (f" and the trained weights of run {trained.info.run}"
                               if trained is not None else ""), 4000)
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
            self.recent_menu.addAction("(no recent files)").setEnabled(False)

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
            self.statusBar().showMessage(f"Autosave failed: {exc}", 8000)
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
            self.show_error("Cannot recover", f"The autosave is damaged: {exc}")
            self._drop_recovery()
            return False
        self.doc.load(project, source or None, dirty=True)
        return True

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
            self, "About Netzwerkstatt",
            "<h3>Netzwerkstatt</h3><p>Assemble neural networks by drag-and-drop, train them "
            "and watch them learn.</p><p>The network on the canvas is exactly the PyTorch "
            "module that trains.</p>")

