"""The lesson side panel: walks a class through a lesson pack (`app.core.lessons`) step by step.

The panel holds no model state. Entering a step loads its preset and pushes its settings as
undoable `SetSettings` edits on the Document, and locks the controls the step names. The step's
check is re-evaluated from plain data (`LessonState`) whenever the document, a run or the open
tab changes; a check mark shows when it passes. Only a run that finished while the step was
shown, on the network and dataset as they are now, counts as "trained".
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.commands import SetSettings
from app.core import lessons
from app.core.lessons import Lesson, LessonError, LessonState
from app.i18n import language
from widgets.canvas import style

CHECK_LABELS = {  # what an unmet condition asks of the learner, (en, de)
    "trained": ("train the network", "das Netz trainieren"),
    "val_acc_at_least": ("reach the validation accuracy", "die Validierungsgenauigkeit erreichen"),
    "val_acc_below": ("see the accuracy stay low", "sehen, dass die Genauigkeit niedrig bleibt"),
    "has_layer": ("add the layer", "die Schicht einfügen"),
    "lacks_layer": ("remove the layer", "die Schicht entfernen"),
    "dataset": ("choose the dataset", "den Datensatz wählen"),
    "lab_view_open": ("open the lab view", "die Lab-Ansicht öffnen"),
    "layer_frozen": ("freeze a layer", "eine Schicht einfrieren"),
    "lr_at_least": ("raise the learning rate", "die Lernrate erhöhen"),
    "lr_at_most": ("lower the learning rate", "die Lernrate senken"),
    "augmented": ("switch on augmentation", "die Datenaugmentierung einschalten"),
}


class LessonPanel(QWidget):
    """Title, step text (English or German), what to try, the check, Back / Next.

    The lesson's own texts are EN/DE pairs in its file: they follow the Deutsch switch, which
    starts in the UI language (`app.i18n.language`). The panel's other labels (tooltips, the
    Open button, dialogs) are Qt translations."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None):
        super().__init__(parent)
        self.window_ = window
        self.doc = window.doc
        self.lesson: Lesson | None = None
        self.index = 0
        self._run: dict | None = None  # a run that finished while this step was shown
        self._locked: tuple[str, ...] = ()
        self.title = QLabel(self.tr("No lesson open"))
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        self.progress = QLabel("")
        self.german = QCheckBox("Deutsch")
        self.german.setToolTip(self.tr("Show the lesson in German / Lektion auf Deutsch zeigen"))
        self.german.setChecked(language() == "de")
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.try_text = QLabel("")
        self.try_text.setWordWrap(True)
        self.try_text.setStyleSheet("background:#fff8e1; border:1px solid #e6d38c; "
                                    "border-radius:4px; padding:6px;")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.back_button = QPushButton("◀ Back")
        self.back_button.setToolTip(self.tr("The previous step (loads its network and settings "
                                            "again)"))
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip(self.tr("The next step (you may go on before the check "
                                            "passes)"))
        self.open_button = QPushButton(self.tr("Open lesson file…"))
        self.open_button.setToolTip(self.tr("Open a lesson a teacher wrote (a .json lesson "
                                            "file)"))
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.german)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.text)
        layout.addWidget(self.try_text)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(nav)
        layout.addWidget(self.open_button)
        self.back_button.clicked.connect(lambda: self.go(self.index - 1))
        self.next_button.clicked.connect(lambda: self.go(self.index + 1))
        self.open_button.clicked.connect(self.open_dialog)
        self.german.toggled.connect(lambda _on: self.show_step())
        for signal in (self.doc.shapesChanged, self.doc.settingsChanged, self.doc.frozenChanged,
                       self.doc.graphReset):
            signal.connect(lambda *_args: self.refresh())
        self.doc.trainedChanged.connect(self._trained_changed)
        self.show_step()

    # -- the training dock (attached on first use) --------------------------------------------
    @property
    def training(self):
        from widgets.training_dock import attach_training  # the dock imports every lab view

        panel = attach_training(self.window_)
        if not getattr(panel, "_lesson_hooked", False):
            panel._lesson_hooked = True
            panel.controller.stateChanged.connect(lambda _state: self._apply_locks())
            self.window_.bottom_tabs.currentChanged.connect(lambda _index: self.refresh())
            self.window_.bottom_dock.visibilityChanged.connect(lambda _v: self.refresh())
        return panel

    # -- lessons ----------------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return "de" if self.german.isChecked() else "en"

    def open_lesson(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.go(0)

    def open_path(self, path: str | Path) -> bool:
        """Open a lesson file; a broken one is reported with the field it is about."""
        try:
            lesson = lessons.load(path)
        except LessonError as exc:
            self.show_error(str(exc))
            return False
        self.open_lesson(lesson)
        return True

    def open_dialog(self) -> None:
        path = self.ask_lesson_path()
        if path:
            self.open_path(path)

    def ask_lesson_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open lesson"),
                                              str(lessons.LESSON_DIR),
                                              self.tr("Netzwerkstatt lessons (*.json)"))
        return path

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("Cannot open lesson"), text)

    def go(self, index: int) -> None:
        """Enter step `index`: load its preset, push its settings, lock its controls."""
        if self.lesson is None or not 0 <= index < len(self.lesson.steps):
            return
        step = self.lesson.steps[index]
        training = self.training
        if step.preset and training.controller.is_running:
            self.window_.statusBar().showMessage(
                self.tr("Stop the training first: this step loads another network."), 8000)
            return
        if step.preset and not self.window_.maybe_save():
            return
        self.index = index
        if step.preset:
            self.window_.load_preset(step.preset)
        doc = self.doc
        for section, values in step.settings.items():
            changed = {k: v for k, v in values.items() if getattr(doc.settings(section), k) != v}
            if changed:
                doc.undo_stack.push(SetSettings(doc, section, changed))
        self._run = None
        self._locked = step.lock
        self._apply_locks()
        self.show_step()

    def _apply_locks(self) -> None:
        """Disable what the step keeps fixed (again after the controls re-enable themselves
        at the end of a run)."""
        locked = self._locked if self.lesson is not None else ()
        window = self.window_
        tip = self.tr("Locked by the lesson step")
        palette = "palette" in locked or "canvas" in locked  # the palette edits the network
        window.palette.setEnabled(not palette)
        window.palette.setToolTip(tip if palette else "")
        if "canvas" in locked:
            window.scene.clearSelection()  # nothing selected: Delete has nothing to remove
        window.view.setInteractive("canvas" not in locked)
        window.view.setAcceptDrops("canvas" not in locked)
        panel = getattr(window, "training_panel", None)
        if panel is not None and "dataset" in locked:
            panel.controls.dataset_combo.setEnabled(False)
        elif panel is not None:
            panel.controls.set_state(panel.controller.state)  # what the run allows

    def close_lesson(self) -> None:
        self.lesson, self._locked = None, ()
        self._apply_locks()
        self.show_step()

    # -- checks -------------------------------------------------------------------------------------
    def _trained_changed(self) -> None:
        panel = getattr(self.window_, "training_panel", None)
        if self.doc.trained is not None and panel is not None and panel.last_summary:
            self._run = panel.last_summary
        self.refresh()

    def open_lab_view(self) -> str | None:
        window = self.window_
        panel = getattr(window, "training_panel", None)
        if panel is None or not window.bottom_dock.isVisible():
            return None
        from widgets.lab.registry import LAB_VIEWS

        current = window.bottom_tabs.currentWidget()
        return next((spec.key for spec in LAB_VIEWS if panel.tab(spec.title) is current), None)

    def state(self) -> LessonState:
        doc = self.doc
        run = self._run
        trained = doc.trained
        if run is not None and not (doc.trained_matches()
                                    and trained.info.dataset == doc.project.data.name):
            run = None  # the network or dataset changed since: that run says nothing now
        return LessonState(doc.graph, doc.project.data, doc.project.training, run,
                           self.open_lab_view())

    def passed(self) -> bool:
        return self.lesson is not None and self.lesson.steps[self.index].passed(self.state())

    def refresh(self) -> None:
        """Re-evaluate the step's check and show a check mark or what is still missing."""
        if self.lesson is None:
            self.status.setText("")
            return
        step = self.lesson.steps[self.index]
        unmet = step.unmet(self.state())
        de = self.lang == "de"
        if not unmet:
            self.status.setText(f"<span style='color:{style.OK.name()}; font-weight:bold'>✔ "
                                f"{'Geschafft!' if de else 'Done!'}</span>")
        else:
            todo = ", ".join(CHECK_LABELS[name][de] + self._value(step.check[name])
                             for name in unmet)
            self.status.setText(f"<span style='color:{style.MUTED.name()}'>○ "
                                f"{'Noch zu tun' if de else 'Still to do'}: {todo}</span>")

    @staticmethod
    def _value(value) -> str:
        if isinstance(value, bool):
            return ""
        if isinstance(value, float) and value <= 1:
            return f" ({value:.0%})"
        return f" ({value})"

    def show_step(self) -> None:
        lesson, lang = self.lesson, self.lang
        has = lesson is not None
        self.back_button.setEnabled(has and self.index > 0)
        self.next_button.setEnabled(has and self.index < len(lesson.steps) - 1)
        if not has:
            self.title.setText("Lektionen" if lang == "de" else "Lessons")
            self.progress.setText("")
            self.text.setText("Wähle eine Lektion im Menü „Lektionen“ oder öffne eine "
                              "Lektionsdatei." if lang == "de" else
                              "Choose a lesson from the Lessons menu, or open a lesson file.")
            self.try_text.hide()
            self.status.setText("")
            return
        step = lesson.steps[self.index]
        self.title.setText(lesson.title(lang))
        total = len(lesson.steps)
        self.progress.setText(f"Schritt {self.index + 1} von {total}" if lang == "de"
                              else f"Step {self.index + 1} of {total}")
        self.text.setText(step.text(lang))
        what = step.try_text(lang)
        self.try_text.setVisible(bool(what))
        self.try_text.setText(f"<b>{'Probier aus' if lang == 'de' else 'What to try'}:</b> "
                              f"{what}")
        self.back_button.setText("◀ Zurück" if lang == "de" else "◀ Back")
        self.next_button.setText("Weiter ▶" if lang == "de" else "Next ▶")
        self.refresh()


def install_lessons(window: QMainWindow) -> None:
    """Add the Lessons menu (the shipped lessons, then "Open Lesson File…") to `window`; the
    panel's dock is made the first time a lesson is opened."""
    translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")
    menu = window.menuBar().addMenu(translate("LessonPanel", "Lesso&ns"))
    for path in lessons.shipped():
        try:
            lesson = lessons.load(path)
        except LessonError as exc:  # a broken shipped file must still show, not crash the menu
            action = menu.addAction(path.stem)
            action.setEnabled(False)
            action.setToolTip(str(exc))
            continue
        # The menu names the lesson in the UI language, the tooltip in the other one.
        de = language() == "de"
        action = menu.addAction(lesson.title("de" if de else "en"))
        action.setToolTip(translate("LessonPanel", "{other_title} · {count} steps").format(
            other_title=lesson.title("en" if de else "de"), count=len(lesson.steps)))
        action.triggered.connect(lambda _c=False, lesson=lesson: lesson_panel(window)
                                 .open_lesson(lesson))
    menu.addSeparator()
    action = menu.addAction(translate("LessonPanel", "Open Lesson File…"))
    action.setToolTip(translate("LessonPanel", "Open a lesson a teacher wrote (a .json lesson "
                                "file)"))
    action.triggered.connect(lambda: lesson_panel(window).open_dialog())
    window.lessons_menu = menu


def lesson_panel(window: QMainWindow) -> LessonPanel:
    """The window's lesson panel, docked on the right and shown (made on first use)."""
    panel = getattr(window, "lesson_panel", None)
    if panel is None:
        panel = LessonPanel(window)
        dock = QDockWidget(QCoreApplication.translate("LessonPanel", "Lesson"), window)
        dock.setObjectName("lesson")
        scroll = QScrollArea()  # long German text scrolls instead of being cut off
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(panel)
        dock.setWidget(scroll)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        # A tab beside the inspector: the whole height of the right column for the text.
        inspector = getattr(window, "inspector_dock", None)
        if inspector is not None and window.dockWidgetArea(inspector) != \
                Qt.DockWidgetArea.NoDockWidgetArea:
            window.tabifyDockWidget(inspector, dock)
        else:
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.lesson_panel, window.lesson_dock = panel, dock
        # Closing the panel ends the lesson and gives back every control it locked.
        dock.toggleViewAction().toggled.connect(
            lambda shown: None if shown else panel.close_lesson())
    window.lesson_dock.show()
    window.lesson_dock.raise_()
    return panel
