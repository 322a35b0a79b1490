"""The catalog's words as the UI shows them: layer categories and parameter labels.

The catalog lives in app/core, without Qt, so its English words are marked here for lupdate
(`QT_TRANSLATE_NOOP`) and translated where they are shown; the palette, the canvas and the
inspector all take them from this one place.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.core.catalog import Param

# The category names stay the keys everywhere; `category_label` shows them.
_CATEGORY_LABELS = (
    QT_TRANSLATE_NOOP("Category", "Input/Output"), QT_TRANSLATE_NOOP("Category", "Convolution"),
    QT_TRANSLATE_NOOP("Category", "Pooling"), QT_TRANSLATE_NOOP("Category", "Dense"),
    QT_TRANSLATE_NOOP("Category", "Regularisation"), QT_TRANSLATE_NOOP("Category", "Activation"),
    QT_TRANSLATE_NOOP("Category", "Merge"), QT_TRANSLATE_NOOP("Category", "Recurrent"),
    QT_TRANSLATE_NOOP("Category", "Shape"),
)


def category_label(category: str) -> str:
    """A layer category's name as shown (German in a German UI)."""
    return QCoreApplication.translate("Category", category)


# Every parameter label of the catalog; tests/widgets/test_i18n_params.py checks that a new
# parameter is added here.
PARAM_LABELS = (
    QT_TRANSLATE_NOOP("LayerParams", "bias"), QT_TRANSLATE_NOOP("LayerParams", "dilation"),
    QT_TRANSLATE_NOOP("LayerParams", "dtype"), QT_TRANSLATE_NOOP("LayerParams", "embedding dim"),
    QT_TRANSLATE_NOOP("LayerParams", "eps"),
    QT_TRANSLATE_NOOP("LayerParams", "features: x1², x1·x2, sin"),
    QT_TRANSLATE_NOOP("LayerParams", "groups (channels = depthwise)"),
    QT_TRANSLATE_NOOP("LayerParams", "hidden size"), QT_TRANSLATE_NOOP("LayerParams", "kernel size"),
    QT_TRANSLATE_NOOP("LayerParams", "loss"), QT_TRANSLATE_NOOP("LayerParams", "momentum"),
    QT_TRANSLATE_NOOP("LayerParams", "negative slope"),
    QT_TRANSLATE_NOOP("LayerParams", "num embeddings"),
    QT_TRANSLATE_NOOP("LayerParams", "num layers"), QT_TRANSLATE_NOOP("LayerParams", "out channels"),
    QT_TRANSLATE_NOOP("LayerParams", "out features"), QT_TRANSLATE_NOOP("LayerParams", "output"),
    QT_TRANSLATE_NOOP("LayerParams", "output size"), QT_TRANSLATE_NOOP("LayerParams", "p"),
    QT_TRANSLATE_NOOP("LayerParams", "padding"), QT_TRANSLATE_NOOP("LayerParams", "shape"),
    QT_TRANSLATE_NOOP("LayerParams", "steps"), QT_TRANSLATE_NOOP("LayerParams", "stride"),
    QT_TRANSLATE_NOOP("LayerParams", "stride (0 = kernel)"),
)


def param_label(param: Param) -> str:
    """The parameter's label in the UI language (English: the PyTorch argument's words)."""
    return QCoreApplication.translate("LayerParams", param.label or param.name.replace("_", " "))
