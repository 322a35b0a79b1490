"""The UI text of a message from app/core: translated when it is a `Message`.

One function for every place that shows a shape problem or a fix label (canvas tooltips, the
Problems tab, the status bar, the inspector, undo texts). It lives in app/ rather than widgets/
because undo commands (app/commands.py) name fixes too; it needs only QtCore.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.messages import Message


def shown(text: str) -> str:
    """``text`` in the UI language: a `Message` is looked up by its context and template and
    filled with its parameters (messages among them are shown too); other text is returned
    as it is. Without a translation the English text comes back unchanged."""
    if not isinstance(text, Message) or not text.context:
        return text
    params = {k: shown(v) if isinstance(v, Message) else v for k, v in text.params.items()}
    translated = QCoreApplication.translate(text.context, text.template)
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        # A translation whose placeholders do not match its source: the English is still right.
        return str(text)
