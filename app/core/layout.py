"""Auto-layout of a network on the canvas: pure geometry, shared by the editor and new projects.

Kept apart from the undo commands so the arrangement can be tested and reused (presets,
imported graphs) without Qt; `commands.auto_layout_command` turns it into one undo step.
"""

from __future__ import annotations

import math

from app.core.graph import Graph

LAYOUT_DX, LAYOUT_DY = 230.0, 100.0  # column and row pitch of auto-layout
FIT_MARGIN = 30.0  # pixels the canvas keeps free around a fitted network
GROUP_PAD = 24.0  # room around a group's layers for its frame and title (grouped layout)
CANVAS_ASPECT = 1.6  # grouped layouts are wrapped to fill a 16:10 window
BAND_GAP = 60.0  # between the bands of one group: room for the wires that wrap back


def layout_positions(graph: Graph, canvas: tuple[float, float], node_size: tuple[float, float],
                     readable: float = 0.85) -> dict[str, tuple[float, float]]:
    """Left-to-right by topological depth, wrapped into bands to fit a canvas of `canvas`
    pixels showing nodes of `node_size`.

    A 14-layer chain in one row would need a zoom that makes it unreadable, so the depth
    columns are cut into bands (rows of columns): as few bands as keep the fitted zoom at
    `readable` or more, else the arrangement with the largest zoom. Returns {} for an empty
    or cyclic graph (the shape report explains the cycle).
    """
    if not graph.nodes or graph.find_cycle():
        return {}
    if any(node.group for node in graph.nodes.values()):
        return grouped_positions(graph, node_size)  # blocks stay together (imported nets)
    depths = graph.depths()
    columns: dict[int, list[str]] = {}
    for nid in graph.topo_order():
        columns.setdefault(depths[nid], []).append(nid)
    n_cols = len(columns)
    tallest = max(len(ids) for ids in columns.values())
    band_h = tallest * LAYOUT_DY + LAYOUT_DY * 0.4
    width, height = canvas[0] - 2 * FIT_MARGIN, canvas[1] - 2 * FIT_MARGIN

    def zoom(per_band: int) -> float:
        bands = -(-n_cols // per_band)
        w = (per_band - 1) * LAYOUT_DX + node_size[0]
        h = (bands - 1) * band_h + (tallest - 1) * LAYOUT_DY + node_size[1]
        return min(width / w, height / h)

    choices = range(n_cols, 0, -1)  # fewest bands first
    per_band = next((k for k in choices if zoom(k) >= readable), max(choices, key=zoom))
    positions = {}
    for depth, ids in columns.items():
        band, col = divmod(depth, per_band)
        ids.sort(key=lambda n: graph.nodes[n].pos[1])  # keep the learner's vertical order
        top = band * band_h - (len(ids) - 1) * LAYOUT_DY / 2
        for i, nid in enumerate(ids):
            positions[nid] = (col * LAYOUT_DX, top + i * LAYOUT_DY)
    return positions


def _local_layout(graph: Graph, ids: list[str], node_size: tuple[float, float]
                  ) -> tuple[dict[str, tuple[float, float]], float, float]:
    """Depth columns of the layers of one group (or one lone layer), wrapped into bands so the
    group's box is about as wide as tall a window: positions relative to the unit's top left,
    and the unit's width and height."""
    inside = set(ids)
    depth: dict[str, int] = {}
    for nid in ids:  # ids are in topological order
        depth[nid] = 1 + max((depth[p] for p in graph.inputs_of(nid) if p in inside), default=-1)
    columns: dict[int, list[str]] = {}
    for nid in ids:
        columns.setdefault(depth[nid], []).append(nid)
    rows = max(len(c) for c in columns.values())
    band_h = (rows - 1) * LAYOUT_DY + node_size[1] + BAND_GAP

    def size(per_band: int) -> tuple[float, float]:
        bands = -(-len(columns) // per_band)
        return (per_band - 1) * LAYOUT_DX + node_size[0], bands * band_h - BAND_GAP

    per_band = min(range(1, len(columns) + 1),
                   key=lambda k: abs(math.log(size(k)[0] / size(k)[1] / CANVAS_ASPECT)))
    pos = {}
    for d, col in columns.items():
        band, c = divmod(d, per_band)
        top = band * band_h + (rows - len(col)) * LAYOUT_DY / 2
        for i, nid in enumerate(col):
            pos[nid] = (c * LAYOUT_DX, top + i * LAYOUT_DY)
    width, height = size(per_band)
    return pos, width, height


def grouped_positions(graph: Graph, node_size: tuple[float, float]
                      ) -> dict[str, tuple[float, float]]:
    """Lay out lone layers and whole groups as units, left to right in bands.

    Each group gets a compact box of its own (its layers in depth columns), so a folded group
    covers exactly its layers and never a neighbour's, and a band break never splits a block.
    """
    units: list[list[str]] = []
    unit_of_group: dict[str, list[str]] = {}
    for nid in graph.topo_order():
        group = graph.nodes[nid].group
        if not group:
            units.append([nid])
        elif group in unit_of_group:
            unit_of_group[group].append(nid)
        else:
            unit_of_group[group] = [nid]
            units.append(unit_of_group[group])
    placed = [(ids, *_local_layout(graph, ids, node_size)) for ids in units]
    gap_x = LAYOUT_DX - node_size[0] + 2 * GROUP_PAD
    gap_y = LAYOUT_DY + 2 * GROUP_PAD
    area = sum((w + gap_x) * (h + gap_y) for _, _, w, h in placed)
    max_width = max(max(w for _, _, w, _ in placed), (area * CANVAS_ASPECT) ** 0.5)
    bands: list[list[tuple]] = [[]]
    x = 0.0
    for unit in placed:
        if bands[-1] and x + unit[2] > max_width:
            bands.append([])
            x = 0.0
        bands[-1].append(unit)
        x += unit[2] + gap_x
    positions: dict[str, tuple[float, float]] = {}
    y = 0.0
    for band in bands:
        band_h = max(h for _, _, _, h in band)
        x = 0.0
        for ids, local, w, h in band:
            top = y + (band_h - h) / 2
            for nid in ids:
                positions[nid] = (round(x + local[nid][0]), round(top + local[nid][1]))
            x += w + gap_x
        y += band_h + gap_y
    return positions
