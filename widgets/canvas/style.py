"""Colours, fonts and category glyphs shared by the canvas, the palette and the inspector.

One colour per layer category lets a learner read a network's structure at a glance
(convolutions blue, pooling teal, dense orange, ...), in the palette and on the canvas alike.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

CATEGORY_COLORS = {
    "Input/Output": "#5f6b7a",
    "Convolution": "#2f6fdb",
    "Pooling": "#1a9c8c",
    "Dense": "#e07b1f",
    "Regularisation": "#8a5cc7",
    "Activation": "#d4a017",
    "Merge": "#c2417a",
    "Recurrent": "#3c9a3c",
    "Shape": "#7b8794",
}
CANVAS_BG = QColor("#f6f7f9")
GRID = QColor("#e6e8ec")
NODE_BG = QColor("#ffffff")
NODE_BORDER = QColor("#c5cad3")
SELECTED = QColor("#1f6feb")
ERROR = QColor("#d1242f")
WARNING = QColor("#d29922")
TEXT = QColor("#1f2328")
MUTED = QColor("#59636e")
WIRE = QColor("#8c959f")
OK = QColor("#1a7f37")

# The canvas colours of each theme; `set_theme` swaps the module's colours above, which every
# item reads at paint time (style.NODE_BG, ...), so a repaint shows the new theme.
THEMES = {
    "light": {"CANVAS_BG": "#f6f7f9", "GRID": "#e6e8ec", "NODE_BG": "#ffffff",
              "NODE_BORDER": "#c5cad3", "TEXT": "#1f2328", "MUTED": "#59636e", "WIRE": "#8c959f"},
    "dark": {"CANVAS_BG": "#16191d", "GRID": "#23272d", "NODE_BG": "#262b32",
             "NODE_BORDER": "#4a525c", "TEXT": "#e6edf3", "MUTED": "#a0a9b4", "WIRE": "#8b949e"},
}
# Presenter mode (widgets/presenter.py): text and lines a back row can read on a projector.
PRESENTER_FONT_SCALE = 1.3  # application font
PRESENTER_LINE_SCALE = 2.0  # wires on the canvas, curves in the plots
PRESENTER_ZOOM = 1.4  # the canvas is zoomed in by this factor (node text grows with it)
_line_scale = 1.0
_theme = "light"


def set_theme(name: str) -> None:
    """Switch the canvas colours to theme `name` ("light" or "dark")."""
    if name not in THEMES:
        raise ValueError(f"unknown theme '{name}' (known: {', '.join(THEMES)})")
    global _theme
    _theme = name
    for key, value in THEMES[name].items():
        globals()[key] = QColor(value)


def theme() -> str:
    return _theme


def set_line_scale(scale: float) -> None:
    global _line_scale
    _line_scale = scale


def line_width(width: float) -> float:
    """A pen width as drawn now: thicker in presenter mode."""
    return width * _line_scale


def category_color(category: str) -> QColor:
    return QColor(CATEGORY_COLORS.get(category, "#7b8794"))


def ui_font(point_size: float = 9.0, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def draw_glyph(p: QPainter, category: str, rect: QRectF, color: QColor) -> None:
    """A tiny pictogram per category, drawn in `color` inside `rect`."""
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    pen = QPen(color, max(1.2, w / 12), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)

    def pt(fx: float, fy: float) -> QPointF:
        return QPointF(x + fx * w, y + fy * h)

    if category == "Convolution":  # a 3x3 filter grid
        for i in range(4):
            t = 0.15 + i * 0.7 / 3
            p.drawLine(pt(t, 0.15), pt(t, 0.85))
            p.drawLine(pt(0.15, t), pt(0.85, t))
    elif category == "Pooling":  # four cells funnel into one
        p.drawRect(QRectF(pt(0.1, 0.15), pt(0.5, 0.55)))
        p.drawLine(pt(0.3, 0.15), pt(0.3, 0.55))
        p.drawLine(pt(0.1, 0.35), pt(0.5, 0.35))
        p.drawRect(QRectF(pt(0.65, 0.55), pt(0.85, 0.75)))
        p.drawLine(pt(0.5, 0.45), pt(0.65, 0.6))
    elif category == "Dense":  # two fully wired columns of neurons
        left = [pt(0.2, f) for f in (0.2, 0.5, 0.8)]
        right = [pt(0.8, f) for f in (0.35, 0.65)]
        for a in left:
            for b in right:
                p.drawLine(a, b)
        p.setBrush(color)
        for c in left + right:
            p.drawEllipse(c, w * 0.07, w * 0.07)
    elif category == "Activation":  # a ReLU-like kink
        path = QPainterPath(pt(0.1, 0.75))
        path.lineTo(pt(0.5, 0.75))
        path.lineTo(pt(0.9, 0.2))
        p.drawPath(path)
    elif category == "Regularisation":  # dropped-out (hollow) and kept (filled) neurons
        for i, (fx, fy) in enumerate(((0.3, 0.3), (0.7, 0.3), (0.3, 0.7), (0.7, 0.7))):
            p.setBrush(color if i in (0, 3) else Qt.BrushStyle.NoBrush)
            p.drawEllipse(pt(fx, fy), w * 0.13, w * 0.13)
    elif category == "Merge":  # a plus joining two streams
        p.drawLine(pt(0.5, 0.2), pt(0.5, 0.8))
        p.drawLine(pt(0.2, 0.5), pt(0.8, 0.5))
    elif category == "Recurrent":  # a loop arrow
        p.drawArc(QRectF(pt(0.18, 0.18), pt(0.82, 0.82)), 60 * 16, 290 * 16)
        p.drawLine(pt(0.66, 0.2), pt(0.78, 0.3))
        p.drawLine(pt(0.66, 0.2), pt(0.62, 0.35))
    elif category == "Shape":  # a square unrolled into a bar
        p.drawRect(QRectF(pt(0.1, 0.2), pt(0.4, 0.5)))
        p.drawRect(QRectF(pt(0.1, 0.7), pt(0.9, 0.82)))
        p.drawLine(pt(0.5, 0.35), pt(0.85, 0.35))
        p.drawLine(pt(0.75, 0.27), pt(0.85, 0.35))
        p.drawLine(pt(0.75, 0.43), pt(0.85, 0.35))
    else:  # Input/Output: an arrow through a bar
        p.drawLine(pt(0.15, 0.5), pt(0.8, 0.5))
        p.drawLine(pt(0.6, 0.3), pt(0.8, 0.5))
        p.drawLine(pt(0.6, 0.7), pt(0.8, 0.5))


@cache
def category_icon(category: str, size: int = 20) -> QIcon:
    """White glyph on a rounded square of the category colour (palette and inspector)."""
    icon = QIcon()
    for scale in (1, 2):
        px = QPixmap(size * scale, size * scale)
        px.setDevicePixelRatio(scale)
        px.fill(Qt.GlobalColor.transparent)
        p = QPainter(px)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(category_color(category))
        p.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), 4, 4)
        draw_glyph(p, category, QRectF(3, 3, size - 6, size - 6), QColor("white"))
        p.end()
        icon.addPixmap(px)
    return icon


def format_count(n: int) -> str:
    """1234 -> '1.2k', 3_400_000 -> '3.4M': parameter counts at a glance."""
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.1f}k".replace(".0k", "k")
    return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
