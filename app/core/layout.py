"""Auto-layout of a network on the canvas: pure geometry, shared by the editor and new projects.

Kept apart from the undo commands so the arrangement can be tested and reused (presets,
imported graphs) without Qt; `commands.auto_layout_command` turns it into one undo step.
"""

from __future__ import annotations

from app.core.graph import Graph

LAYOUT_DX, LAYOUT_DY = 230.0, 100.0  # column and row pitch of auto-layout
FIT_MARGIN = 30.0  # pixels the canvas keeps free around a fitted network


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
