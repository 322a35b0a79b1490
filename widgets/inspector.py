"""The inspector: edit the selected layer, read its explanation and problems, see the model
summary. Every edit becomes an undo command; the widgets show the Document, never own it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import commands
from app.core.catalog import Param, full_params, spec
from app.core.graph import node_id_problem
from app.core.shapes import Issue, ShapeReport, fmt_shape
from app.document import Document
from app.i18n import language
from app.shown import shown
from widgets.canvas import style
from widgets.catalog_text import category_label, param_label

SPIN_LIMIT = 1_000_000_000


def parse_shape(text: str) -> tuple[int, ...] | None:
    """'1, 28, 28' or '1x28x28' -> (1, 28, 28); None when it is not a list of whole numbers."""
    parts = [p for p in text.replace("x", ",").replace(" ", ",").split(",") if p]
    try:
        return tuple(int(p) for p in parts) or None
    except ValueError:
        return None


def human_bytes(n: float) -> str:
    if n < 1024:
        return f"{n:.0f} B"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            break
    return f"{n:.1f} {unit}"


class ParamEditor:
    """One parameter's widget, wired to push SetParam commands (spin steps merge)."""

    def __init__(self, doc: Document, node_id: str, param: Param):
        self.doc, self.node_id, self.param = doc, node_id, param
        self.merge_key = commands.new_merge_key()
        tip = param_label(param)
        if param.minimum is not None or param.maximum is not None:
            lo = "" if param.minimum is None else f"{param.minimum:g}"
            hi = "" if param.maximum is None else f"{param.maximum:g}"
            tip += " " + QCoreApplication.translate("ParamEditor", "(range {lo} … {hi})").format(
                lo=lo, hi=hi)
        self.widget = self._make()
        self.widget.setToolTip(tip)
        self.widget.setObjectName(f"param_{param.name}")

    def _make(self) -> QWidget:
        p = self.param
        if p.kind == "int":
            w = QSpinBox()
            w.setRange(int(p.minimum) if p.minimum is not None else -SPIN_LIMIT,
                       int(p.maximum) if p.maximum is not None else SPIN_LIMIT)
            w.valueChanged.connect(self._push)
            w.editingFinished.connect(self._new_gesture)
        elif p.kind == "float":
            w = QDoubleSpinBox()
            w.setDecimals(4)
            lo = p.minimum if p.minimum is not None else -1e9
            hi = p.maximum if p.maximum is not None else 1e9
            w.setRange(lo, hi)
            w.setSingleStep(0.05 if hi - lo <= 1 else 0.1)
            w.valueChanged.connect(self._push)
            w.editingFinished.connect(self._new_gesture)
        elif p.kind == "choice":
            w = QComboBox()
            w.addItems(list(p.choices))
            w.currentTextChanged.connect(self._push)
        elif p.kind == "bool":
            w = QCheckBox()
            w.toggled.connect(self._push)
        else:  # shape
            w = QLineEdit()
            w.setPlaceholderText(QCoreApplication.translate("ParamEditor", "e.g. 1, 28, 28"))
            w.editingFinished.connect(self._push_shape)
        return w

    def show_value(self, value: Any) -> None:
        """Display the document's value without echoing it back as an edit."""
        w = self.widget
        with QSignalBlocker(w):
            if isinstance(w, QSpinBox | QDoubleSpinBox):
                if w.value() != value:
                    w.setValue(value)
            elif isinstance(w, QComboBox):
                w.setCurrentText(str(value))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif parse_shape(w.text()) != tuple(value):
                w.setText(", ".join(str(v) for v in value))
                w.setStyleSheet("")

    def _current(self) -> Any:
        return full_params(self.doc.graph.nodes[self.node_id].type,
                           self.doc.graph.nodes[self.node_id].params)[self.param.name]

    def _push(self, value: Any) -> None:
        if value == self._current():
            return
        self.doc.undo_stack.push(commands.SetParam(self.doc, self.node_id, self.param.name,
                                                   value, merge_key=self.merge_key))

    def _new_gesture(self) -> None:
        self.merge_key = commands.new_merge_key()

    def _push_shape(self) -> None:
        value = parse_shape(self.widget.text())
        problem = (self.param.validate(value) if value is not None
                   else QCoreApplication.translate(
                       "ParamEditor", "enter whole numbers separated by commas, e.g. 1, 28, 28"))
        if problem:
            self.widget.setStyleSheet(f"border: 2px solid {style.ERROR.name()};")
            self.widget.setToolTip(problem)
            return
        self.widget.setStyleSheet("")
        self._new_gesture()
        self._push(value)


class LayerPanel(QWidget):
    """Name, parameters, explanation and problems of one layer."""

    fixRequested = Signal(object)  # Fix

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.node_id: str | None = None
        self.editors: dict[str, ParamEditor] = {}
        self._issues_shown: tuple | None = None  # None: rebuild on the next report

        self.title = QLabel()
        self.title.setFont(style.ui_font(11, bold=True))
        self.icon = QLabel()
        head = QHBoxLayout()
        head.addWidget(self.icon)
        head.addWidget(self.title, 1)

        self.name = QLineEdit()
        self.name.setToolTip(self.tr("The layer's name: letters, digits and _; it is also the "
                                     "name of the PyTorch submodule"))
        self.name.editingFinished.connect(self._rename)
        self.name_error = QLabel()
        self.name_error.setStyleSheet(f"color: {style.ERROR.name()};")
        self.name_error.setWordWrap(True)
        self.name_error.hide()
        self.shapes = QLabel()
        self.shapes.setWordWrap(True)
        self.shapes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.issues_box = QVBoxLayout()
        self.issues_box.setSpacing(6)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setStyleSheet(f"color: {style.MUTED.name()};")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        layout.addLayout(head)
        self.name_row = QFormLayout()
        self.name_row.setContentsMargins(0, 0, 0, 0)
        self.name_row.addRow(self.tr("Name"), self.name)
        self.frozen = QCheckBox(self.tr("keep weights while training"))
        self.frozen.setObjectName("frozenCheck")
        self.frozen.setToolTip(self.tr("Frozen layers keep their weights (and BatchNorm "
                                       "statistics) exactly as they are while the network "
                                       "trains, as in transfer learning; same as the padlock on "
                                       "the canvas"))
        self.frozen.toggled.connect(self._push_frozen)
        self.name_row.addRow(self.tr("Frozen"), self.frozen)
        layout.addLayout(self.name_row)
        layout.addWidget(self.name_error)
        layout.addWidget(self.shapes)
        layout.addWidget(self.form_host)
        layout.addLayout(self.issues_box)
        layout.addWidget(self.explain)
        layout.addStretch(1)

        doc.nodeChanged.connect(self._node_changed)
        doc.nodeRenamed.connect(self._node_renamed)
        doc.nodeRemoved.connect(self._node_removed)
        doc.frozenChanged.connect(self._frozen_changed)
        doc.graphReset.connect(lambda: self.set_node(None))
        doc.shapesChanged.connect(self._show_report)
        self.set_node(None)

    # -- which layer --------------------------------------------------------------------------
    def set_node(self, node_id: str | None) -> None:
        if node_id is not None and node_id not in self.doc.graph.nodes:
            node_id = None
        self.node_id = node_id
        self._build_form()
        self._issues_shown = None
        self._show_report(self.doc.report)

    def _build_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors.clear()
        self.name_error.hide()
        node = self.doc.graph.nodes.get(self.node_id) if self.node_id else None
        self.name_row.setRowVisible(0, node is not None)
        self.name_row.setRowVisible(1, node is not None)
        for w in (self.form_host, self.explain):
            w.setVisible(node is not None)
        if node is None:
            self.icon.clear()
            self.title.setText(self.tr("Network"))
            return
        layer = spec(node.type)
        self.icon.setPixmap(style.category_icon(layer.category).pixmap(22, 22))
        self.title.setText(f"{node.type}  <span style='color:{style.MUTED.name()};"
                           f"font-weight:normal;font-size:9pt'>{category_label(layer.category)}"
                           "</span>")
        self.name.setText(node.id)
        self._frozen_changed(node.id)
        self.explain.setText(layer.explain(language()))
        values = full_params(node.type, node.params)
        for param in layer.params:
            editor = ParamEditor(self.doc, node.id, param)
            editor.show_value(values[param.name])
            self.editors[param.name] = editor
            label = QLabel(param_label(param))
            label.setToolTip(self.tr("{tip} (PyTorch argument: {name})").format(
                tip=editor.widget.toolTip(), name=param.name))
            self.form.addRow(label, editor.widget)
        if not layer.params:
            self.form.addRow(QLabel(self.tr("<i>no parameters</i>")))

    def _node_changed(self, node_id: str) -> None:
        if node_id != self.node_id:
            return
        node = self.doc.graph.nodes[node_id]
        if set(self.editors) != {p.name for p in spec(node.type).params}:
            self._build_form()
            return
        values = full_params(node.type, node.params)
        for name, editor in self.editors.items():
            editor.show_value(values[name])

    def _frozen_changed(self, node_id: str) -> None:
        if node_id == self.node_id:
            with QSignalBlocker(self.frozen):
                self.frozen.setChecked(self.doc.graph.nodes[node_id].frozen)

    def _push_frozen(self, frozen: bool) -> None:
        if self.node_id is not None and frozen != self.doc.graph.nodes[self.node_id].frozen:
            self.doc.undo_stack.push(commands.SetFrozen(self.doc, self.node_id, frozen))

    def _node_removed(self, node_id: str) -> None:
        if node_id == self.node_id:
            self.set_node(None)

    def _node_renamed(self, old: str, new: str) -> None:
        if old == self.node_id:
            self.node_id = new
            self.name.setText(new)
            for editor in self.editors.values():
                editor.node_id = new

    def _rename(self) -> None:
        if self.node_id is None:
            return
        new = self.name.text().strip()
        if new == self.node_id:
            self.name_error.hide()
            return
        problem = node_id_problem(new)
        if problem:
            problem = shown(problem)
            problem = problem[0].upper() + problem[1:] + "."
        elif new in self.doc.graph.nodes:
            problem = self.tr("A layer named '{name}' already exists.").format(name=new)
        else:
            self.name_error.hide()
            self.doc.undo_stack.push(commands.Rename(self.doc, self.node_id, new))
            return
        self.name_error.setText(problem)
        self.name_error.show()

    # -- shapes and problems ------------------------------------------------------------------
    def _show_report(self, report: ShapeReport) -> None:
        if self.node_id is None:
            self.shapes.setText(_network_overview(self.doc, report))
            issues = [i for i in report.issues if i.node_id is None]
        else:
            ns = report.nodes.get(self.node_id)
            if ns is None:
                self.shapes.setText(self.tr("<i>shape unknown (see the problems below)</i>"))
            else:
                self.frozen.setEnabled(ns.params > 0 or self.frozen.isChecked())
                ins = ", ".join(fmt_shape(s) for s in ns.in_shapes) or "—"
                self.shapes.setText(self.tr("<b>in</b> {inputs} &nbsp;→&nbsp; <b>out</b> "
                                            "{output}<br>{count} parameters").format(
                    inputs=ins, output=fmt_shape(ns.out_shape), count=f"{ns.params:,}"))
            issues = report.issues_for(self.node_id)
        if tuple(issues) != self._issues_shown:
            self._issues_shown = tuple(issues)
            self._show_issues(issues)

    def _show_issues(self, issues: list[Issue]) -> None:
        while self.issues_box.count():
            # deleteLater: the Fix button being clicked may be the one going away.
            old = self.issues_box.takeAt(0).widget()
            old.hide()
            old.deleteLater()
        for issue in issues:
            self.issues_box.addWidget(self._issue_card(issue))

    def _issue_card(self, issue: Issue) -> QFrame:
        color = style.ERROR if issue.severity == "error" else style.WARNING
        card = QFrame()
        card.setObjectName("issueCard")
        card.setStyleSheet(f"#issueCard {{ border: 1px solid {color.name()}; border-radius: 6px;"
                           f" background: {color.lighter(190).name()}; }}")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(8, 6, 8, 6)
        text = QLabel(shown(issue.message))
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setStyleSheet("border: none; background: transparent;")
        layout.addWidget(text)
        if issue.fix is not None:
            button = QPushButton(self.tr("Fix: {fix}").format(fix=shown(issue.fix.label)))
            button.setObjectName("fixButton")
            button.setToolTip(self.tr("Apply this fix (one undo step)"))
            button.clicked.connect(lambda _=False, f=issue.fix: self.fixRequested.emit(f))
            layout.addWidget(button)
        return card

    def fix_buttons(self) -> list[QPushButton]:
        return self.findChildren(QPushButton, "fixButton")


def _network_overview(doc: Document, report: ShapeReport) -> str:
    n = len(doc.graph.nodes)
    if report.ok:
        color, state = style.OK, QCoreApplication.translate("LayerPanel", "valid")
    else:
        color, state = style.ERROR, QCoreApplication.translate(
            "LayerPanel", "{n} problem(s)").format(n=len(report.errors))
    state = f"<span style='color:{color.name()}'>{state}</span>"
    return QCoreApplication.translate(
        "LayerPanel", "{layers} layers, {count} parameters — {state}<br>"
        "<i>Select a layer on the canvas to edit it.</i>").format(
        layers=n, count=f"{report.total_params:,}", state=state)


class SummaryPanel(QWidget):
    """Per-layer table (like torchinfo) with totals and a memory estimate for batch 1."""

    nodeActivated = Signal(str)

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Layer"), self.tr("Type"),
                                              self.tr("Output"), self.tr("Params")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.cellClicked.connect(
            lambda row, _col: self.nodeActivated.emit(self.table.item(row, 0).text()))
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.trained = QLabel()
        self.trained.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.trained)
        self._stale = True
        doc.shapesChanged.connect(self._mark_stale)
        doc.trainedChanged.connect(self._mark_stale)
        doc.nodeRenamed.connect(lambda *_: self._mark_stale())

    def _mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._stale = False
        report, graph = self.doc.report, self.doc.graph
        rows = [nid for nid in report.nodes if nid in graph.nodes]
        self.table.setRowCount(len(rows))
        activations = 0
        for row, nid in enumerate(rows):
            ns = report.nodes[nid]
            if ns.out_shape:
                size = 1
                for s in ns.out_shape:
                    size *= s
                activations += size
            cells = [nid, graph.nodes[nid].type, fmt_shape(ns.out_shape), f"{ns.params:,}"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        total = report.total_params
        self.totals.setText(self.tr(
            "<b>Total parameters:</b> {total}<br>"
            "<b>Weights:</b> {weights} (float32)<br>"
            "<b>Activations:</b> {activations} per sample<br>"
            "<b>Estimated memory</b> (batch 1): {memory}").format(
            total=f"{total:,}", weights=human_bytes(total * 4),
            activations=human_bytes(activations * 4),
            memory=human_bytes((total + activations) * 4)))
        self.trained.setText(trained_text(self.doc))


def trained_text(doc: Document) -> str:
    """The model summary's line about the weights kept with the project."""
    trained = doc.trained
    if trained is None:
        return QCoreApplication.translate(
            "SummaryPanel",
            "No trained weights yet — train the network to keep its weights with the project")
    info = trained.info
    if not doc.trained_matches():
        return QCoreApplication.translate(
            "SummaryPanel", "Trained weights of run {run} do not match the edited network (they "
            "are kept as they are and saved; train again to update them)").format(run=info.run)
    acc = (QCoreApplication.translate("SummaryPanel", "accuracy not measured")
           if info.val_acc is None
           else QCoreApplication.translate("SummaryPanel", "accuracy {acc} %").format(
               acc=f"{info.val_acc * 100:.1f}"))
    if info.epochs:
        length = (QCoreApplication.translate("SummaryPanel", "1 epoch") if info.epochs == 1
                  else QCoreApplication.translate("SummaryPanel", "{n} epochs").format(
                      n=info.epochs))
    else:
        length = (QCoreApplication.translate("SummaryPanel", "1 step") if info.steps == 1
                  else QCoreApplication.translate("SummaryPanel", "{n} steps").format(
                      n=info.steps))
    return QCoreApplication.translate(
        "SummaryPanel", "Trained weights: run {run}, {accuracy} ({dataset}, {length})").format(
        run=info.run, accuracy=acc, dataset=info.dataset, length=length)


class Inspector(QTabWidget):
    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.layer = LayerPanel(doc)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.layer)
        self.summary = SummaryPanel(doc)
        self.addTab(scroll, self.tr("Layer"))
        self.addTab(self.summary, self.tr("Model summary"))
        self.setTabToolTip(0, self.tr("Edit the selected layer"))
        self.setTabToolTip(1, self.tr("Output shape and parameters of every layer"))

    def set_node(self, node_id: str | None) -> None:
        self.layer.set_node(node_id)
