"""German UI through Qt's translation system: `--lang de`, the View > Language switch and the
translation files themselves (no unfinished or stale messages, placeholders kept)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTranslator

from app import cli
from app.core.catalog import spec
from app.i18n import (
    SETTINGS_KEY,
    TRANSLATIONS_DIR,
    choose_language,
    install,
    language,
    qm_path,
    save_language,
)
from widgets import main_window
from widgets.app_main import start_language
from widgets.canvas import style
from widgets.main_window import MainWindow
from widgets.startup import app_settings

TS = TRANSLATIONS_DIR / "netzwerkstatt_de.ts"
REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w*)\}")


@pytest.fixture
def english(qapp):
    """Whatever a test switches to, the next test starts in English again."""
    yield
    install("en", qapp)
    assert language() == "en"


def menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_lang_de_shows_german_menus_palette_and_inspector(qtbot, english, monkeypatch):
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    assert start_language("de") == "de" == language()
    win = MainWindow(recover=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)

    assert {"&Datei", "&Bearbeiten", "&Ansicht", "&Hilfe"} <= set(menu_titles(win))
    assert win.act_save.text() == "&Speichern" and win.act_open.text() == "Ö&ffnen…"
    assert win.palette_dock.windowTitle() == "Schichten"
    assert win.palette_dock.objectName() == "layers"  # saved layouts do not depend on language
    assert win.palette.search.placeholderText() == "Schichten suchen…"
    groups = [win.palette.tree.topLevelItem(i).text(0)
              for i in range(win.palette.tree.topLevelItemCount())]
    assert "Faltung" in groups and "Aktivierung" in groups and "Convolution" not in groups
    conv = win.palette.item_for("Conv2d")
    assert conv.text(0) == "Conv2d"  # layer types stay identifiers
    assert spec("Conv2d").explain_de in conv.toolTip(0) and "(Faltung)" in conv.toolTip(0)
    assert "Convolution" in style.CATEGORY_COLORS  # the keys stay English

    insp = win.inspector
    assert [insp.tabText(i) for i in range(insp.count())] == ["Schicht", "Modellübersicht"]
    assert "gültig" in win.status.text() and "Parameter" in win.status.text()
    conv_id = next(n.id for n in win.doc.graph.nodes.values() if n.type == "Conv2d")
    win.scene.select_nodes([conv_id])
    assert insp.layer.explain.text() == spec("Conv2d").explain_de
    assert insp.layer.frozen.text() == "Gewichte beibehalten"
    assert "Faltung" in insp.layer.title.text()
    # A wrong wire is explained in German in the status bar (Document's messages translate).
    assert not win.scene.connect_nodes(conv_id, conv_id)
    assert win.statusBar().currentMessage() == (
        "Verbinden nicht möglich: eine Schicht kann nicht sich selbst speisen")


def test_english_by_default_without_saved_choice(qapp, english, home):
    assert choose_language(None, app_settings()) == "en"  # tests set LANGUAGE=en
    assert choose_language("de", app_settings()) == "de"
    with pytest.raises(ValueError, match="choose one of en, de"):
        choose_language("fr")
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["gui", "--lang", "fr"])


def test_menu_switch_saves_language_and_restart_keeps_unsaved_work(qtbot, english, monkeypatch):
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    install("en")
    win = MainWindow(recover=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    view = next(a.menu() for a in win.menuBar().actions() if a.text() == "&View")
    assert "&Language" in [a.text() for a in view.actions()]
    assert win.language_actions["en"].isChecked()
    win.scene.insert_after_selection("ReLU", win.view.visible_centre())
    nodes = set(win.doc.graph.nodes)
    assert win.doc.dirty

    asked = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(MainWindow, "ask_restart_for_language",
                   lambda self, lang: asked.append(lang) or False)
        win.language_actions["de"].trigger()  # "Later"
    assert asked == ["de"] and language() == "en" and win.isVisible()
    assert QSettings(str(win.settings.fileName()), QSettings.Format.IniFormat).value(
        SETTINGS_KEY) == "de"
    assert "Deutsch" in win.statusBar().currentMessage()
    assert choose_language(None, app_settings()) == "de"  # the next start is German

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(MainWindow, "ask_restart_for_language", lambda self, lang: True)
        win.language_actions["en"].trigger()  # back to English: nothing to restart
        assert language() == "en" and not main_window._restarted
        win.language_actions["de"].trigger()  # "Restart now"
    new = main_window._restarted[-1]
    try:
        qtbot.waitExposed(new)
        assert language() == "de"
        assert not win.isVisible() and new.isVisible()
        assert {"&Datei", "&Bearbeiten", "&Ansicht", "&Hilfe", "&Training"} <= set(
            menu_titles(new))
        assert new.language_actions["de"].isChecked()
        assert set(new.doc.graph.nodes) == nodes and new.doc.dirty  # the work came along
        assert new.recovery_path().exists()  # and is in the autosave right away
        assert "*" in new.windowTitle()
    finally:
        new.doc.undo_stack.setClean()
        new.close()
        main_window._restarted.remove(new)


def test_restart_question_speaks_both_languages(qtbot, english, monkeypatch):
    """The question after a switch is in the current and in the chosen language."""
    from PySide6.QtWidgets import QMessageBox

    install("en")
    win = MainWindow(recover=False)
    qtbot.addWidget(win)
    seen = {}

    def answer(box: QMessageBox) -> int:
        seen["text"] = box.text()
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text().startswith(seen["click"])).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    seen["click"] = "Later"
    assert win.ask_restart_for_language("de") is False
    assert "applies from the next start" in seen["text"]
    assert "gilt ab dem nächsten Start" in seen["text"] and "(Deutsch)" in seen["text"]
    assert seen["buttons"] == ["Later / Später", "Restart now / Jetzt neu starten"]
    seen["click"] = "Restart now"
    assert win.ask_restart_for_language("de") is True


def test_screenshot_cli_lang_de(tmp_path, english):
    out = tmp_path / "de.png"
    assert cli.main(["screenshot", "--lang", "de", "--view", "editor", "-o", str(out)]) == 0
    assert out.stat().st_size > 10_000
    assert language() == "de"
    assert QCoreApplication.translate("MainWindow", "&File") == "&Datei"


def ts_messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS).getroot()
    return [(ctx.findtext("name"), msg.findtext("source"), msg.find("translation"))
            for ctx in root.iter("context") for msg in ctx.iter("message")]


def test_ts_is_complete_and_the_qm_is_compiled_from_it():
    messages = ts_messages()
    assert len(messages) > 300
    unfinished = [(c, s) for c, s, t in messages if t.get("type") or not (t.text or "").strip()]
    assert not unfinished, f"without German (run the translation merge): {unfinished[:10]}"
    odd = sorted({c for c, _s, _t in messages if not c or not c.isidentifier()})
    assert not odd, f"contexts lupdate misread (see docs/INTERFACES.md, Translations): {odd}"
    qm = QTranslator()
    assert qm.load(str(qm_path("de")))
    stale = [(c, s) for c, s, t in messages if qm.translate(c, s) != t.text]
    assert not stale, f"the .qm is older than the .ts (run `make translations`): {stale[:5]}"


def test_every_placeholder_survives_translation():
    wrong = [(c, s, t.text) for c, s, t in ts_messages()
             if t.text and sorted(PLACEHOLDER.findall(s)) != sorted(PLACEHOLDER.findall(t.text))]
    assert not wrong, f"placeholders differ: {wrong[:5]}"


def test_ts_holds_exactly_the_messages_of_the_sources(tmp_path):
    """lupdate over app/ and widgets/ finds no message the .ts lacks and vice versa."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p.relative_to(REPO)) for top in ("app", "widgets")
                     for p in (REPO / top).rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-no-obsolete", "-locations", "none", "-ts",
                    str(fresh)], cwd=REPO, check=True, capture_output=True)
    root = ET.parse(fresh).getroot()
    found = {(ctx.findtext("name"), m.findtext("source"))
             for ctx in root.iter("context") for m in ctx.iter("message")}
    kept = {(c, s) for c, s, _t in ts_messages()}
    assert not found - kept, f"new in the sources, missing in the .ts: {sorted(found - kept)[:10]}"
    assert not kept - found, f"in the .ts, gone from the sources: {sorted(kept - found)[:10]}"


def test_saved_language_round_trip(home, qapp):
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    save_language(settings, "de")
    assert choose_language(None, settings) == "de"
    assert choose_language("en", settings) == "en"  # --lang wins
    settings.setValue(SETTINGS_KEY, "xx")  # a hand-edited file falls back to the system's
    assert choose_language(None, settings) == "en"
