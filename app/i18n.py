"""The UI language: English (the source texts) or German (Qt translations).

The language is chosen once at start (``--lang``, else the saved QSettings value, else German
when the system locale is German, else English) and stays for the whole run: Qt widgets are
built with their texts already translated, so a switch in the menu applies at the next start.
Bilingual texts that exist as EN/DE pairs (the catalog's explanations, lab views, lessons) are
chosen with :func:`language` instead of going through Qt translations.

It needs only QtCore: app/ may use it, app/core must not.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

LANGUAGES = ("en", "de")
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}
SETTINGS_KEY = "ui/language"
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
QM_BASENAME = "netzwerkstatt"

_language = "en"
# The installed translators; kept referenced so Python does not collect them while Qt uses them.
_installed: list[QTranslator] = []


def language() -> str:
    """The UI language of this run: "en" or "de"."""
    return _language


def check_language(lang: str) -> str:
    """``lang`` if it is a known language, else a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def system_language() -> str:
    """German when the system's first UI language (LANGUAGE, LC_MESSAGES, LANG) is German,
    else English."""
    ui = QLocale.system().uiLanguages()
    return "de" if ui and ui[0].lower().startswith("de") else "en"


def saved_language(settings: QSettings) -> str | None:
    """The language saved by the menu switch, or None if none (or an unknown one) is saved."""
    value = settings.value(SETTINGS_KEY)
    return value if isinstance(value, str) and value in LANGUAGES else None


def save_language(settings: QSettings, lang: str) -> None:
    """Remember ``lang`` for the next start."""
    settings.setValue(SETTINGS_KEY, check_language(lang))
    settings.sync()


def choose_language(requested: str | None, settings: QSettings | None = None) -> str:
    """The start language: the ``--lang`` choice, else the saved one, else the system's."""
    if requested:
        return check_language(requested)
    saved = saved_language(settings) if settings is not None else None
    return saved or system_language()


def qm_path(lang: str) -> Path:
    """The compiled translation file of ``lang`` (English needs none)."""
    return TRANSLATIONS_DIR / f"{QM_BASENAME}_{lang}.qm"


def install(lang: str, app: QCoreApplication | None = None) -> str:
    """Make ``lang`` the UI language: install its translators into the application.

    Loads resources/translations/netzwerkstatt_<lang>.qm and, where Qt ships it, Qt's own
    qtbase_<lang> (buttons of standard dialogs such as "Cancel" or "Save"). Installing "en"
    removes earlier translators, so tests can switch back. Call it before the widgets are built.
    Returns the language now in use.
    """
    global _language
    check_language(lang)
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install() needs the Qt application object: create it before "
                           "choosing the language")
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if lang != "en":
        ours = QTranslator(app)
        if not ours.load(str(qm_path(lang))):
            raise FileNotFoundError(
                f"translation {qm_path(lang)} is missing or unreadable: run `make translations`"
            )
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_own = QTranslator(app)
        if qt_own.load(f"qtbase_{lang}", qt_dir):
            _installed.append(qt_own)
        _installed.append(ours)
        for translator in _installed:
            app.installTranslator(translator)
    _language = lang
    return _language


def translate_in(lang: str, context: str, source: str) -> str:
    """``source`` in ``lang`` even while another language is installed (the language switch
    says what it does in both the old and the new language)."""
    if check_language(lang) == "en":
        return source
    translator = QTranslator()
    if not translator.load(str(qm_path(lang))):
        return source
    return translator.translate(context, source) or source
