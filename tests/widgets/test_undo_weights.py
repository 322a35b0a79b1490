"""The undo history keeps the trained weights of only the last few runs: older KeepTrained
commands let go of theirs (and say so in their undo text), so memory stays bounded however
many runs a session makes; undo over the recent runs still brings each run's weights back."""

from __future__ import annotations

import gc
import weakref

import pytest

from app import commands
from app.core import presets, weights
from app.core.builder import build
from app.core.weights import RunInfo, Trained
from app.document import Document


@pytest.fixture
def doc(qapp):
    d = Document()
    d.load(presets.load_preset("mlp_playground"))
    return d


def run(doc: Document, number: int) -> Trained:
    trained = Trained(weights.state_of(build(doc.graph, seed=number)),
                      RunInfo(number, 0.5, 1, 10, doc.project.data.name),
                      weights.graph_fingerprint(doc.graph))
    doc.undo_stack.push(commands.KeepTrained(doc, trained))
    return trained


def test_only_the_last_runs_weights_stay_in_the_undo_history(doc):
    keep = commands.KEEP_WEIGHTS_RUNS
    refs = [weakref.ref(run(doc, n)) for n in range(1, keep + 4)]
    gc.collect()
    assert [r() is not None for r in refs] == [False] * 3 + [True] * keep  # older ones freed
    stack = doc.undo_stack
    texts = [stack.text(i) for i in range(stack.count())]
    assert "no longer kept" in texts[0] and "no longer kept" in texts[2]
    assert all("no longer kept" not in t for t in texts[4:])
    for expected in range(keep + 2, 3, -1):  # undo through the kept runs: each comes back
        stack.undo()
        assert doc.trained.info.run == expected
    stack.undo()  # one run further back than kept: the project is left without weights
    assert doc.trained is None
    while stack.canRedo():
        stack.redo()
    assert doc.trained.info.run == keep + 3  # redo to the newest run restores its weights


def test_a_few_runs_keep_everything(doc):
    first, second = run(doc, 1), run(doc, 2)
    doc.undo_stack.undo()
    assert doc.trained is first
    doc.undo_stack.undo()
    assert doc.trained is None  # before the first run there were none
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert doc.trained is second
    assert all("no longer kept" not in doc.undo_stack.text(i) for i in range(2))
