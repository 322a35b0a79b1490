"""Messages from app/core that the German UI can translate, without Qt in app/core.

Shape problems and their fixes are made here, where Qt is not allowed, yet a German learner
should read them in German. So a message keeps its English text (what the CLI prints and the
tests assert on) together with its template and parameters; the UI translates the template
through Qt and fills in the same parameters (`app.shown.shown`). The marker is named like Qt's
``QT_TRANSLATE_NOOP`` because pyside6-lupdate extracts calls by that name: the literal lands in
the .ts file under its context without this module importing Qt.
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """English text that remembers how it was made: ``context``, ``template``, ``params``."""

    context: str
    template: str
    params: dict[str, Any]

    def __new__(cls, text: str, context: str = "", template: str | None = None,
                params: dict[str, Any] | None = None) -> Message:
        # The defaults let pickle and copy rebuild it from its text (the rest is its __dict__).
        self = super().__new__(cls, text)
        self.context = context
        self.template = text if template is None else template
        self.params = dict(params or {})
        return self


class Template(Message):
    """A marked source text; `format` fills it like str.format and returns a `Message`."""

    def format(self, /, *args: Any, **params: Any) -> Message:  # type: ignore[override]
        if args:
            raise TypeError("Template.format takes named parameters only (they are kept for "
                            "the translation)")
        return Message(str.format(self, **params), self.context, str(self), params)


def QT_TRANSLATE_NOOP(context: str, text: str) -> Template:  # noqa: N802 - lupdate's name
    """Mark `text` for translation under `context` (see the module docstring)."""
    return Template(text, context)
