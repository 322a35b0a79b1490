"""The layer palette: the catalog grouped by category, searchable, dragged onto the canvas.

Dragging carries the layer type as `application/x-netzwerkstatt-layer`; a double-click asks
the editor to add the layer behind the selected one and wire it in.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.catalog import by_category
from app.i18n import language
from widgets.canvas import style
from widgets.canvas.view import LAYER_MIME
from widgets.catalog_text import category_label

TYPE_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class LayerTree(QTreeWidget):
    """A tree whose drags carry layer types instead of Qt's internal item data."""

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        mime = QMimeData()
        types = [i.data(0, TYPE_ROLE) for i in items if i.data(0, TYPE_ROLE)]
        if types:
            mime.setData(LAYER_MIME, types[0].encode())
            mime.setText(types[0])
        return mime


class Palette(QWidget):
    layerActivated = Signal(str)  # double-click / Enter: add after the selected layer

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search layers…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(self.tr("Filter layers by name, category or explanation"))
        self.search.textChanged.connect(self.filter)
        self.tree = LayerTree()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(8)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemActivated.connect(self._activated)
        self.tree.setToolTip("")
        # Never a sideways scroll bar that hides the ends of names: elide them instead.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._populate()

    def _populate(self) -> None:
        bold = style.ui_font(9, bold=True)
        lang = language()
        hint = self.tr("Drag onto the canvas, or double-click to add it after the selected "
                       "layer.")
        for category, specs in by_category().items():
            if not specs:
                continue
            label = category_label(category)
            group = QTreeWidgetItem(self.tree, [label])
            group.setFont(0, bold)
            group.setForeground(0, style.category_color(category).darker(115))
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for layer in specs:
                item = QTreeWidgetItem(group, [layer.type])
                item.setData(0, TYPE_ROLE, layer.type)
                item.setData(0, SEARCH_ROLE, f"{layer.type} {category} {label} "
                                             f"{layer.explain('en')} {layer.explain('de')}".lower())
                item.setIcon(0, style.category_icon(category))
                item.setToolTip(0, f"<b>{layer.type}</b> <i>({label})</i><br>"
                                   f"{layer.explain(lang)}<br><br>{hint}")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsDragEnabled)
        self.tree.expandAll()

    def full_width(self) -> int:
        """Width at which every layer name shows in full (icon, frame and scroll bar too)."""
        margins = self.layout().contentsMargins()
        return (self.tree.sizeHintForColumn(0) + self.tree.verticalScrollBar().sizeHint().width()
                + 2 * self.tree.frameWidth() + margins.left() + margins.right() + 4)

    def sizeHint(self) -> QSize:
        """Ask for room for the longest name; squeezed narrower by wide neighbours, names
        end in "…" and each item's tooltip still names its layer."""
        return QSize(self.full_width(), super().sizeHint().height())

    def item_for(self, type_name: str) -> QTreeWidgetItem:
        for group in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(group)
            for i in range(parent.childCount()):
                if parent.child(i).data(0, TYPE_ROLE) == type_name:
                    return parent.child(i)
        raise KeyError(type_name)

    def mime_for(self, type_name: str) -> QMimeData:
        """What dragging `type_name` carries (the same path a real drag takes)."""
        return self.tree.mimeData([self.item_for(type_name)])

    def filter(self, text: str) -> None:
        needle = text.strip().lower()
        for group in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(group)
            visible = 0
            for i in range(parent.childCount()):
                child = parent.child(i)
                match = not needle or needle in child.data(0, SEARCH_ROLE)
                child.setHidden(not match)
                visible += match
            parent.setHidden(visible == 0)

    def _activated(self, item: QTreeWidgetItem) -> None:
        type_name = item.data(0, TYPE_ROLE)
        if type_name:
            self.layerActivated.emit(type_name)
