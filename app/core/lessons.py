"""Lesson packs: a guided walk through the course ideas, stored as small JSON files.

A lesson is data, never code, so a teacher can write one in a text editor and share it. Each
step has text and "what to try" in English and German, may load a preset, set run settings and
lock controls, and has a declarative check (`CHECKS`) that says when the step is done. Checks
are evaluated against plain data (`LessonState`: the graph, the settings, the last run's summary,
the open lab view), so they are testable without Qt. A broken file raises `LessonError` whose
message names the field, e.g. ``steps[2].check.val_acc_at_least: expected a number ...``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from app.core import datasets, presets
from app.core.catalog import CATALOG
from app.core.datasets import AugmentConfig
from app.core.graph import Graph
from app.core.project_io import DataConfig
from app.core.trainer import TrainConfig

LESSON_DIR = Path(__file__).resolve().parents[2] / "resources" / "lessons"
FORMAT = "netzwerkstatt-lesson"
VERSION = 1
# What a step may keep fixed: "palette" (no new layers), "canvas" (the whole network: no
# edits on the canvas, palette too), "dataset" (the dataset choice).
LOCKS = ("palette", "dataset", "canvas")
LAB_VIEW_KEYS = ("augmentation", "playground", "overfitting", "channels", "landscape",
                 "translation", "lstm", "adversarial", "saliency", "bias", "transfer")
_SECTIONS = {"data": DataConfig, "augment": AugmentConfig, "training": TrainConfig}
# Paths and downloads are never a lesson's to set: a shared lesson file must not make the app
# read or write where the learner did not choose.
_NOT_SETTABLE = {"data": {"augment", "data_dir", "base_dir", "download"},
                 "training": {"augment", "log_dir"}}


class LessonError(ValueError):
    """A lesson file that cannot be used; `field` names the bad field (``steps[1].check``)."""

    def __init__(self, message: str, field: str = "", source: str = ""):
        self.field, self.message = field, message
        where = ": ".join(p for p in (source, field) if p)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class LessonState:
    """What a check may look at. `run` is the summary of a run that finished while the step was
    shown, on this very network and dataset (None otherwise); `lab_view` the open lab view key."""

    graph: Graph
    data: DataConfig
    training: TrainConfig
    run: dict | None = None
    lab_view: str | None = None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _acc(state: LessonState) -> float | None:
    if state.run is None or state.run.get("status") != "completed":
        return None
    return state.run.get("val_acc")


def _layer_types(state: LessonState) -> set[str]:
    return {n.type for n in state.graph.nodes.values()}


# name -> (what the value must be, validator(value), test(state, value) -> bool)
CHECKS: dict[str, tuple[str, Any, Any]] = {
    "trained": ("true or false", lambda v: isinstance(v, bool),
                lambda s, v: (s.run is not None and s.run.get("status") == "completed") == v),
    "val_acc_at_least": ("a number between 0 and 1", lambda v: _number(v) and 0 <= v <= 1,
                         lambda s, v: (a := _acc(s)) is not None and a >= v),
    "val_acc_below": ("a number between 0 and 1", lambda v: _number(v) and 0 <= v <= 1,
                      lambda s, v: (a := _acc(s)) is not None and a < v),
    "has_layer": ("a layer type of the palette, e.g. \"Tanh\"", lambda v: isinstance(v, str) and v in CATALOG,
                  lambda s, v: v in _layer_types(s)),
    "lacks_layer": ("a layer type of the palette, e.g. \"Tanh\"", lambda v: isinstance(v, str) and v in CATALOG,
                    lambda s, v: v not in _layer_types(s)),
    "dataset": ("a dataset name, e.g. \"xor\"", lambda v: isinstance(v, str) and v in datasets.DATASETS,
                lambda s, v: s.data.name == v),
    "lab_view_open": (f"one of {', '.join(LAB_VIEW_KEYS)}", lambda v: isinstance(v, str) and v in LAB_VIEW_KEYS,
                      lambda s, v: s.lab_view == v),
    "layer_frozen": ("true or false", lambda v: isinstance(v, bool),
                     lambda s, v: any(n.frozen for n in s.graph.nodes.values()) == v),
    "lr_at_least": ("a positive number", lambda v: _number(v) and v > 0,
                    lambda s, v: s.training.lr >= v),
    "lr_at_most": ("a positive number", lambda v: _number(v) and v > 0,
                   lambda s, v: s.training.lr <= v),
    "augmented": ("true or false", lambda v: isinstance(v, bool),
                  lambda s, v: s.data.augment.active == v),
}


@dataclass(frozen=True)
class Step:
    text_en: str
    text_de: str
    try_en: str = ""
    try_de: str = ""
    preset: str | None = None
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: tuple[str, ...] = ()
    check: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return self.text_de if lang == "de" else self.text_en

    def try_text(self, lang: str) -> str:
        return self.try_de if lang == "de" else self.try_en

    def passed(self, state: LessonState) -> bool:
        """True when every condition of the check holds (a step without a check is done)."""
        return all(CHECKS[name][2](state, value) for name, value in self.check.items())

    def unmet(self, state: LessonState) -> list[str]:
        """The check's conditions that do not hold yet (shown to the learner as a hint)."""
        return [name for name, value in self.check.items() if not CHECKS[name][2](state, value)]


@dataclass(frozen=True)
class Lesson:
    title_en: str
    title_de: str
    steps: tuple[Step, ...]
    path: Path | None = None

    def title(self, lang: str) -> str:
        return self.title_de if lang == "de" else self.title_en


def _text(obj: dict, key: str, where: str, *, required: bool = True) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise LessonError("expected a non-empty text" if required else "expected a text",
                          f"{where}{key}")
    return value


def _settings(raw: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict):
        raise LessonError(f"expected an object with sections {', '.join(_SECTIONS)}", where)
    out: dict[str, dict[str, Any]] = {}
    for section, values in raw.items():
        if section not in _SECTIONS:
            raise LessonError(f"unknown section (use {', '.join(_SECTIONS)})",
                              f"{where}.{section}")
        if not isinstance(values, dict):
            raise LessonError("expected an object of setting: value", f"{where}.{section}")
        allowed = {f.name: f for f in fields(_SECTIONS[section])
                   if f.name not in _NOT_SETTABLE.get(section, ())}
        for key, value in values.items():
            name = f"{where}.{section}.{key}"
            if key not in allowed:
                raise LessonError(f"unknown setting (use {', '.join(allowed)})", name)
            default = allowed[key].default
            if section == "data" and key == "name" and (not isinstance(value, str)
                                                        or value not in datasets.DATASETS):
                raise LessonError(f"unknown dataset '{value}' (built in: "
                                  f"{', '.join(datasets.DATASETS)})", name)
            if value is None or default is None:
                if value is not None and not _number(value):
                    raise LessonError("expected a number or null", name)
                continue
            if isinstance(default, bool) != isinstance(value, bool) or (
                    _number(default) and not _number(value)) or (
                    isinstance(default, str) and not isinstance(value, str)):
                raise LessonError(f"expected a {type(default).__name__}, got {value!r}", name)
        out[section] = dict(values)
    return out


def _step(raw: Any, where: str) -> Step:
    if not isinstance(raw, dict):
        raise LessonError("expected an object with text_en, text_de and a check", where.rstrip("."))
    known = {f.name for f in fields(Step)}
    for key in raw:
        if key not in known:
            raise LessonError(f"unknown field (a step has {', '.join(sorted(known))})",
                              f"{where}{key}")
    preset = raw.get("preset")
    if preset is not None and (not isinstance(preset, str)
                               or preset not in presets.list_presets()):
        raise LessonError(f"unknown preset {preset!r} (available: "
                          f"{', '.join(presets.list_presets())})", f"{where}preset")
    lock = raw.get("lock", [])
    if not isinstance(lock, list) or any(not isinstance(i, str) or i not in LOCKS for i in lock):
        raise LessonError(f"expected a list of {', '.join(LOCKS)}", f"{where}lock")
    check = raw.get("check", {})
    if not isinstance(check, dict):
        raise LessonError(f"expected an object such as {{\"trained\": true}} (checks: "
                          f"{', '.join(CHECKS)})", f"{where}check")
    for name, value in check.items():
        if name not in CHECKS:
            raise LessonError(f"unknown check (use {', '.join(CHECKS)})", f"{where}check.{name}")
        if not CHECKS[name][1](value):
            raise LessonError(f"expected {CHECKS[name][0]}, got {value!r}",
                              f"{where}check.{name}")
    return Step(_text(raw, "text_en", where), _text(raw, "text_de", where),
                _text(raw, "try_en", where, required=False),
                _text(raw, "try_de", where, required=False), preset,
                _settings(raw.get("settings", {}), f"{where}settings"), tuple(lock), dict(check))


def from_dict(raw: Any, source: str = "") -> Lesson:
    """Validate a parsed lesson; raises LessonError naming the first bad field."""
    try:
        if not isinstance(raw, dict):
            raise LessonError("a lesson file holds one JSON object")
        if raw.get("format") != FORMAT:
            raise LessonError(f"expected \"{FORMAT}\" (is this a lesson file?)", "format")
        version = raw.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise LessonError("expected a whole number", "version")
        if version > VERSION:
            raise LessonError(f"version {version} is newer than this Netzwerkstatt reads "
                              f"({VERSION}); please update Netzwerkstatt", "version")
        steps = raw.get("steps")
        if not isinstance(steps, list) or not steps:
            raise LessonError("expected a non-empty list of steps", "steps")
        return Lesson(_text(raw, "title_en", ""), _text(raw, "title_de", ""),
                      tuple(_step(s, f"steps[{i}].") for i, s in enumerate(steps)))
    except LessonError as exc:
        if source:
            raise LessonError(exc.message, exc.field, source) from None
        raise


def load(path: str | Path) -> Lesson:
    """Read and validate a lesson file (errors name the file and the field)."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LessonError(f"cannot read the file: {exc.strerror or exc}", source=path.name) \
            from None
    except json.JSONDecodeError as exc:
        raise LessonError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                          source=path.name) from None
    lesson = from_dict(raw, path.name)
    return Lesson(lesson.title_en, lesson.title_de, lesson.steps, path)


def shipped() -> list[Path]:
    """The lesson files that come with Netzwerkstatt, in course order (file names sort)."""
    return sorted(LESSON_DIR.glob("*.json"))
