"""Feature maps of a low, a mid and a high layer side by side, for one probe image.

Low layers respond to edges, middle ones to parts made of edges, high ones to whole objects;
seeing the three grids change while the network trains is the point of this view. Each grid is
one ImageItem (a mosaic of up to 16 channels) with fixed levels: the worker scales each layer
by its largest value, so brightness compares channels within a layer.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QVBoxLayout, QWidget

from app.core.datasets import pixels_of
from app.core.graph import Graph
from app.core.probes import Snapshot, SnapshotHistory, choose_probe_layers
from app.core.shapes import ShapeReport
from widgets.plots.common import (
    DIVERGING_LUT,
    GREY_LUT,
    SEQUENTIAL_LUT,
    ClickableImage,
    as_display_image,
    caption,
    draw_when_due,
    draw_when_idle,
    fit,
    grid_shape,
    image_view,
    live_draws,
    mosaic,
    tile_at,
)
from widgets.plots.run_view import RunView, ViewContext

SLOTS = ("low", "mid", "high")
# Column titles per slot: for image-like maps (what a CNN's layers find there) and for others.
SLOT_TITLES = {
    "low": (QT_TRANSLATE_NOOP("FeatureMapsView", "low: edges"),
            QT_TRANSLATE_NOOP("FeatureMapsView", "low-level")),
    "mid": (QT_TRANSLATE_NOOP("FeatureMapsView", "mid: parts"),
            QT_TRANSLATE_NOOP("FeatureMapsView", "mid-level")),
    "high": (QT_TRANSLATE_NOOP("FeatureMapsView", "high: objects"),
             QT_TRANSLATE_NOOP("FeatureMapsView", "high-level")),
}
WAITING = QT_TRANSLATE_NOOP("FeatureMapsView", "waiting for training")
LEFT_WIDTH = 112  # the input image and the enlarged channel, stacked left of the grids


def _tiles(maps: np.ndarray) -> np.ndarray:
    """(C, H, W) -> tiles; a (1, 1, F) vector of neurons becomes one near-square tile."""
    c, h, w = maps.shape
    if c == 1 and h == 1 and w > 1:
        rows, cols = grid_shape(w)
        tile = np.full(rows * cols, np.nan, dtype=np.float32)
        tile[:w] = maps.reshape(-1)
        return tile.reshape(1, rows, cols)
    return maps


class MapsMosaic:
    """One layer's channels drawn as a mosaic in an ImageItem with fixed levels: the
    sequential colours for non-negative maps, the diverging ones once a map has negative
    values (shared by the dashboard and the drawing pad of the Saliency view)."""

    def __init__(self, image: pg.ImageItem, box: pg.ViewBox) -> None:
        self.image, self.box = image, box
        self.image.setLookupTable(SEQUENTIAL_LUT)
        self.signed = False
        self._geometry: tuple[int, ...] = ()

    def show(self, maps: np.ndarray) -> tuple[np.ndarray, int]:
        """Draw (C, H, W) `maps`; returns the tiles drawn and the mosaic's column count."""
        tiles = _tiles(maps)
        picture, _rows, cols = mosaic(tiles)
        signed = bool(np.nanmin(picture) < 0) if picture.size else False
        if signed != self.signed:
            self.signed = signed
            self.image.setLookupTable(DIVERGING_LUT if signed else SEQUENTIAL_LUT)
        self.image.setImage(picture, levels=(-1, 1) if signed else (0, 1), autoLevels=False)
        if picture.shape != self._geometry:
            self._geometry = picture.shape
            fit(self.box, picture.shape[1], picture.shape[0])
        return tiles, cols


def probe_choices(graph: Graph, report: ShapeReport) -> list[str]:
    """Layers whose activations can be shown, in network order."""
    try:
        order = graph.topo_order()
    except ValueError:
        return []
    return [nid for nid in order if graph.nodes[nid].type not in ("Input", "Output")
            and report.out_shape(nid) is not None]


def probe_labels(y: np.ndarray, classes: tuple[str, ...]) -> list[str]:
    """Names for the probe-image chooser: "3: cross", or "3: ein und zwanzig" for a label
    per time step (translation)."""
    names = [_class_name(c, classes) for c in y]
    image = QCoreApplication.translate("FeatureMapsView", "Image {n}")
    return [f"{i + 1}: {name}" if name is not None else image.format(n=i + 1)
            for i, name in enumerate(names)]


def _class_name(label: np.ndarray, classes: tuple[str, ...]) -> str | None:
    """A class name; for token labels the words before the padding (id 0), without markers
    such as <end>."""
    if np.ndim(label):
        ids = [int(t) for t in np.ravel(label)]
        ids = ids[:ids.index(0)] if 0 in ids else ids
        return " ".join(classes[t] if t < len(classes) else "?" for t in ids
                        if not (t < len(classes) and classes[t].startswith("<")))
    return classes[int(label)] if int(label) < len(classes) else None


def _compact(combo: QComboBox) -> None:
    """A chooser no wider than a few characters need: long layer ids are elided in the box (the
    list shows them whole), so they do not widen the dashboard."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(4)


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(s) for s in shape)


class _LayerColumn(QWidget):
    """Title, layer chooser, channel mosaic and caption of one slot (low/mid/high)."""

    def __init__(self, slot: str) -> None:
        super().__init__()
        self.slot = slot
        self.title = caption("", bold=True)
        self.title.setWordWrap(False)  # "high: objects" on one line, above the chooser
        self.set_title(True)
        self.combo = QComboBox()
        self.combo.setToolTip(self.tr("Which layer to show in this column"))
        _compact(self.combo)
        self.view, self.box = image_view(64)
        self.view.setToolTip(self.tr("Each tile is one channel of this layer; click one to "
                                     "enlarge it"))
        self.image = ClickableImage()
        self.box.addItem(self.image)
        self.mosaic = MapsMosaic(self.image, self.box)
        self.note = caption(QCoreApplication.translate("FeatureMapsView", WAITING), muted=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)  # above the chooser, so three columns fit a narrow dock
        layout.addWidget(self.combo)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        self.tiles: np.ndarray | None = None
        self.cols = 1

    @property
    def layer(self) -> str:
        return self.combo.currentText()

    def set_title(self, image_like: bool) -> None:
        title = SLOT_TITLES[self.slot][0 if image_like else 1]
        self.title.setText(QCoreApplication.translate("FeatureMapsView", title))

    def show_maps(self, maps: np.ndarray, full_shape: tuple[int, ...], scale: float) -> None:
        self.tiles, self.cols = self.mosaic.show(maps)
        shown = self.tiles.shape[0]
        image_like = len(full_shape) == 3
        channels = full_shape[0] if image_like else 0
        shape = _shape_text(full_shape)
        if image_like and channels > shown:
            text = self.tr("{shape}, {shown} of {channels} channels").format(
                shape=shape, shown=shown, channels=channels)
        elif image_like:
            text = shape
        elif len(full_shape) == 1:
            text = self.tr("{shape} neurons").format(shape=shape)
        else:
            text = self.tr("{shape} (time × units)").format(shape=shape)
        self.set_title(image_like)
        self.note.setText(text)  # the chooser above names the layer
        self.note.setToolTip(self.tr("Brightest = {scale}: each layer is scaled by its largest "
                                     "value, so colours compare channels within the layer.")
                             .format(scale=f"{scale:.4g}"))

    def clear(self, why: str) -> None:
        self.tiles = None
        self.image.clear()
        self.note.setText(why)


class FeatureMapsView(QWidget, RunView):
    """Input image, enlarged channel, and the low/mid/high layer grids."""

    layersChanged = Signal(tuple)  # the chosen layer ids, low to high
    probeIndexChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.probe_combo = QComboBox()
        self.probe_combo.setToolTip(self.tr("Which validation image the network looks at in "
                                            "this view"))
        _compact(self.probe_combo)
        self.probe_combo.currentIndexChanged.connect(self._probe_changed)
        self.input_view, self.input_box = image_view(44)
        self.input_image = pg.ImageItem()
        self.input_box.addItem(self.input_image)
        self.input_note = caption("", muted=True)
        self._standardisation: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())
        self.zoom_title = caption(self.tr("Enlarged channel"), bold=True)
        self.zoom_view, self.zoom_box = image_view(44)
        self.zoom_image = pg.ImageItem()
        self.zoom_box.addItem(self.zoom_image)
        self.zoom_view.setToolTip(self.tr("Click a channel in a grid to enlarge it here"))
        self.columns = [_LayerColumn(slot) for slot in SLOTS]
        for i, column in enumerate(self.columns):
            column.combo.currentTextChanged.connect(self._layer_changed)
            column.image.clicked.connect(lambda x, y, i=i: self.select_channel(i, x, y))

        left = QWidget()
        left.setFixedWidth(LEFT_WIDTH)
        side = QVBoxLayout(left)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(2)
        side.addWidget(caption(self.tr("Input"), bold=True))
        side.addWidget(self.probe_combo)
        side.addWidget(self.input_view, 1)
        side.addWidget(self.input_note)
        side.addWidget(self.zoom_title)
        side.addWidget(self.zoom_view, 1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.addWidget(left, 0, 0)
        for i, column in enumerate(self.columns):
            grid.addWidget(column, 0, i + 1)
            grid.setColumnStretch(i + 1, 1)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(4, 4, 4, 4)
        self.body.addLayout(grid, 1)
        self._zoom: tuple[int, int] | None = None  # (column, channel)
        self._zoom_shape: tuple[int, ...] = ()
        self._input_shape: tuple[int, ...] = ()
        self._snapshot: Snapshot | None = None
        self._updating = False
        self._doc = None
        self._ctx: ViewContext | None = None

    # -- the run view interface --

    def attach(self, ctx: ViewContext) -> None:
        """Follow the document's layers and steer what the worker captures."""
        self._doc = ctx.doc
        self._ctx = ctx
        draw_when_idle(self, ctx.controller)
        self.layersChanged.connect(ctx.controller.set_probe_layers)
        self.probeIndexChanged.connect(ctx.controller.set_probe_index)
        ctx.doc.shapesChanged.connect(self._graph_changed)
        self._graph_changed(ctx.doc.report)

    def run_options(self) -> dict:
        layers = self.layers() or tuple(choose_probe_layers(self._doc.graph, self._doc.report))
        return {"probe_layers": layers, "probe_index": max(0, self.probe_combo.currentIndex())}

    def run_started(self, run_id: int, data: dict) -> None:
        self._standardisation = (tuple(data.get("mean", ())), tuple(data.get("std", ())))
        self.set_probe_images(probe_labels(data["probe_y"], data["classes"]))

    def show_position(self, history: SnapshotHistory, index: int) -> None:
        snapshot = history[index]
        draw_when_due(self, self._ctx is not None and self._ctx.follows_run(history, index),
                      lambda: self.show_snapshot(snapshot))

    def clear(self) -> None:
        live_draws().cancel(self)
        for column in self.columns:
            column.clear(self.tr(WAITING))
        self.input_image.clear()
        self.zoom_image.clear()
        self._snapshot = None
        self._zoom = None

    def _graph_changed(self, report: ShapeReport) -> None:
        choices = probe_choices(self._doc.graph, report)
        current = [layer for layer in self.layers() if layer in choices]
        self.set_choices(choices, current or choose_probe_layers(self._doc.graph, report))

    # -- configuration --

    def set_choices(self, layer_ids: list[str], chosen: list[str]) -> None:
        """Offer `layer_ids` in every combo and select `chosen` (low to high)."""
        self._updating = True
        try:
            for i, column in enumerate(self.columns):
                column.combo.clear()
                column.combo.addItems(layer_ids)
                if i < len(chosen):
                    column.combo.setCurrentText(chosen[i])
                column.setVisible(i < len(chosen))
        finally:
            self._updating = False

    def layers(self) -> tuple[str, ...]:
        return tuple(c.layer for c in self.columns if c.isVisibleTo(self) and c.layer)

    def request_layer(self, node_id: str) -> bool:
        """Show `node_id` in the slot whose layer is nearest to it in the network."""
        combo = self.columns[0].combo
        index = combo.findText(node_id)
        if index < 0:
            return False
        visible = [c for c in self.columns if c.isVisibleTo(self)] or self.columns[:1]
        target = min(visible, key=lambda c: abs(combo.findText(c.layer) - index))
        target.setVisible(True)
        target.combo.setCurrentText(node_id)  # emits layersChanged via _layer_changed
        return True

    def set_probe_images(self, labels: list[str]) -> None:
        with QSignalBlocker(self.probe_combo):
            current = max(0, self.probe_combo.currentIndex())
            self.probe_combo.clear()
            self.probe_combo.addItems(labels)
            self.probe_combo.setCurrentIndex(min(current, len(labels) - 1))

    # -- display --

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        for column in self.columns:
            layer = column.layer
            if not column.isVisibleTo(self):
                continue
            if layer in snapshot.feature_maps:
                column.show_maps(snapshot.feature_maps[layer], snapshot.out_shapes[layer],
                                 snapshot.scales[layer])
            else:
                column.clear(self.tr("{layer}: shown from the next snapshot on").format(
                    layer=layer) if layer else self.tr("no layer chosen"))
        self._show_input(snapshot)
        if self._zoom is None and self.columns[0].tiles is not None:
            self._zoom = (0, 0)  # something to look at before the first click
        self._show_zoom()

    def _show_input(self, snapshot: Snapshot) -> None:
        """An image as its pixels; points and sequences as a strip of their values."""
        data = snapshot.probe_input
        if data.ndim == 3:
            picture = as_display_image(pixels_of(data, *self._standardisation))
            self.input_image.setImage(picture, levels=(0, 1), autoLevels=False,
                                      lut=None if picture.ndim == 3 else GREY_LUT)
            self.input_note.setText("")
        else:
            values = data.reshape(len(data), -1)[:, 0] if data.ndim > 1 else data
            scale = float(np.abs(values).max()) or 1.0
            picture = (values / scale).reshape(1, -1).astype(np.float32)
            self.input_image.setImage(picture, levels=(-1, 1), autoLevels=False,
                                      lut=DIVERGING_LUT)
            self.input_note.setText(
                "x = (" + ", ".join(f"{v:.2f}" for v in values) + ")" if len(values) <= 4
                else self.tr("{n} time steps, left to right").format(n=len(values)))
        if picture.shape[:2] != self._input_shape:
            self._input_shape = picture.shape[:2]
            fit(self.input_box, picture.shape[1], picture.shape[0])

    def select_channel(self, column: int, x: float, y: float) -> None:
        tiles = self.columns[column].tiles
        if tiles is None:
            return
        n, h, w = tiles.shape
        channel = tile_at(x, y, h, w, self.columns[column].cols, n)
        if channel is not None:
            self._zoom = (column, channel)
            self._show_zoom()

    def _show_zoom(self) -> None:
        if self._zoom is None:
            return
        column, channel = self._zoom
        col = self.columns[column]
        if col.tiles is None or channel >= len(col.tiles):
            return
        tile = col.tiles[channel]
        signed = bool(np.nanmin(tile) < 0) or col.mosaic.signed
        self.zoom_image.setLookupTable(DIVERGING_LUT if signed else SEQUENTIAL_LUT)
        self.zoom_image.setImage(tile, levels=(-1, 1) if signed else (0, 1), autoLevels=False)
        if tile.shape != self._zoom_shape:
            self._zoom_shape = tile.shape
            fit(self.zoom_box, tile.shape[1], tile.shape[0])
        self.zoom_title.setText(self.tr("Enlarged: {layer} #{channel}").format(
            layer=col.layer, channel=channel))

    # -- reactions --

    def _layer_changed(self, _text: str) -> None:
        if not self._updating:
            self.layersChanged.emit(self.layers())

    def _probe_changed(self, index: int) -> None:
        if index >= 0:
            self.probeIndexChanged.emit(index)
