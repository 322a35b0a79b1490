"""Lesson files: every shipped one is valid and bilingual, a broken one names its field, and
the checks read plain data."""

from __future__ import annotations

import copy
import json

import pytest

from app.core import lessons, presets
from app.core.datasets import AugmentConfig
from app.core.lessons import LessonError, LessonState
from app.core.project_io import DataConfig
from app.core.trainer import TrainConfig

SHIPPED = lessons.shipped()
COURSE = ("perceptron", "gradient", "cnn", "augmentation", "overfitting", "adversarial",
          "lstm", "transfer")


def test_the_course_story_is_shipped_in_order():
    assert len(SHIPPED) == len(COURSE)
    for path, topic in zip(SHIPPED, COURSE, strict=True):
        assert topic in path.stem


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_lessons_load_and_are_bilingual(path):
    lesson = lessons.load(path)
    assert lesson.title_en and lesson.title_de and lesson.title_en != lesson.title_de
    assert lesson.steps[0].preset in presets.list_presets()  # every lesson starts somewhere
    for step in lesson.steps:
        assert step.text_en != step.text_de and step.try_en and step.try_de
        assert step.check, "every step says when it is done"


def test_german_uses_the_course_terms():
    german = " ".join(s.text_de + s.try_de for p in SHIPPED for s in lessons.load(p).steps)
    for term in ("Faltung", "Merkmalskarten", "Überanpassung", "Datenaugmentierung",
                 "Gewichte"):
        assert term in german


def base() -> dict:
    return json.loads(SHIPPED[0].read_text(encoding="utf-8"))


def broken(path: list, value) -> dict:
    raw = copy.deepcopy(base())
    target = raw
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return raw


@pytest.mark.parametrize("path, value, field, words", [
    (["format"], "netzwerkstatt", "format", "lesson file"),
    (["version"], 99, "version", "newer"),
    (["title_de"], KeyError, "title_de", "non-empty text"),
    (["steps"], [], "steps", "non-empty list"),
    (["steps", 0, "text_de"], 3, "steps[0].text_de", "text"),
    (["steps", 0, "preset"], "alexnet", "steps[0].preset", "available: shapes_cnn"),
    (["steps", 0, "lock"], ["keyboard"], "steps[0].lock", "palette"),
    (["steps", 0, "settings"], {"data": {"name": "imagenet"}}, "steps[0].settings.data.name",
     "unknown dataset"),
    (["steps", 0, "settings"], {"training": {"lr": "fast"}}, "steps[0].settings.training.lr",
     "expected a float"),
    (["steps", 0, "settings"], {"training": {"speed": 1}}, "steps[0].settings.training.speed",
     "unknown setting"),
    (["steps", 1, "check"], {"val_acc_at_least": 1.5}, "steps[1].check.val_acc_at_least",
     "between 0 and 1"),
    (["steps", 1, "check"], {"python": "import os"}, "steps[1].check.python", "unknown check"),
    (["steps", 1, "check"], {"has_layer": "Magic"}, "steps[1].check.has_layer", "layer type"),
    (["steps", 1, "check"], {"lab_view_open": "editor"}, "steps[1].check.lab_view_open",
     "playground"),
    (["steps", 2, "hint"], "x", "steps[2].hint", "unknown field"),
    (["steps", 1, "check"], {"has_layer": ["Tanh"]}, "steps[1].check.has_layer", "layer type"),
    (["steps", 0, "settings"], {"data": {"name": ["xor"]}}, "steps[0].settings.data.name",
     "unknown dataset"),
    (["steps", 0, "lock"], [["palette"]], "steps[0].lock", "palette"),
    (["steps", 0], "just text", "steps[0]", "expected an object"),
])
def test_a_broken_lesson_names_the_field(tmp_path, path, value, field, words):
    file = tmp_path / "teacher.json"
    file.write_text(json.dumps(broken(path, value)), encoding="utf-8")
    with pytest.raises(LessonError) as info:
        lessons.load(file)
    assert info.value.field == field
    assert str(info.value).startswith(f"teacher.json: {field}: ")
    assert words in str(info.value)


def test_not_json_says_where(tmp_path):
    file = tmp_path / "bad.json"
    file.write_text('{"format": "netzwerkstatt-lesson",\n "steps": [}', encoding="utf-8")
    with pytest.raises(LessonError, match=r"bad.json: not valid JSON \(line 2"):
        lessons.load(file)
    with pytest.raises(LessonError, match="cannot read"):
        lessons.load(tmp_path / "missing.json")


def state(preset: str = "perceptron", run: dict | None = None, lab: str | None = None,
          **data) -> LessonState:
    graph = presets.load_preset(preset).graph
    return LessonState(graph, DataConfig(**data), TrainConfig(lr=0.1), run, lab)


def test_checks_read_plain_data():
    lesson = lessons.load(SHIPPED[0])
    first, second, third = lesson.steps
    assert not first.passed(state(name="xor"))
    assert first.unmet(state(name="xor")) == ["trained", "val_acc_below"]
    done = {"status": "completed", "val_acc": 0.55}
    assert first.passed(state(name="xor", run=done))
    assert not first.passed(state(name="gauss", run=done))
    assert not first.passed(state(name="xor", run={"status": "cancelled", "val_acc": 0.5}))
    assert second.passed(state(lab="playground")) and not second.passed(state(lab="channels"))
    mlp = state("mlp_playground", name="xor", run={"status": "completed", "val_acc": 0.95})
    assert third.passed(mlp)
    assert not third.passed(state(name="xor", run={"status": "completed", "val_acc": 0.95}))


def test_every_check_kind():
    c = lessons.CHECKS
    s = state("mlp_playground", name="xor")
    assert c["has_layer"][2](s, "Tanh") and c["lacks_layer"][2](s, "Dropout")
    assert not c["layer_frozen"][2](s, True)
    s.graph.nodes[next(iter(s.graph.nodes))].frozen = True
    assert c["layer_frozen"][2](s, True)
    assert c["lr_at_least"][2](s, 0.1) and not c["lr_at_most"][2](s, 0.01)
    assert not c["augmented"][2](s, True)
    aug = state(name="shapes", augment=AugmentConfig(rotation=15.0))
    assert c["augmented"][2](aug, True)
