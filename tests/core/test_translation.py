"""The translation task: its data, the seq2seq preset, and token / exact-match metrics."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
from torch import nn

from app.core import datasets, presets, translation
from app.core.datasets import DataBundle, DatasetError
from app.core.experiment import dataset_fit, prepare
from app.core.probes import epoch_results
from app.core.shapes import apply_fix, infer
from app.core.trainer import Callback, TrainConfig, Trainer, loss_function
from app.core.translator import LiveTranslation, translate

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _rows(x: torch.Tensor) -> set[str]:
    return {translation.decode_source(row) for row in x}


def test_data_is_deterministic_from_the_seed():
    a, b = datasets.load("translation", seed=3), datasets.load("translation", seed=3)
    for name in ("x_train", "y_train", "x_val", "y_val"):
        assert torch.equal(getattr(a, name), getattr(b, name))
    other = datasets.load("translation", seed=4)
    assert _rows(other.x_val) != _rows(a.x_val)
    info = datasets.DATASETS["translation"]
    assert (a.input_shape, a.num_classes, a.input_dtype, a.target_shape) == (
        info.input_shape, info.num_classes, info.input_dtype, info.target_shape)
    assert a.x_train.dtype == a.y_train.dtype == torch.long


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_held_out_phrases_never_appear_in_training(seed):
    data = datasets.load("translation", seed=seed)
    train, held_out = _rows(data.x_train), _rows(data.x_val)
    assert len(held_out) == len(data.x_val) == 200  # distinct numbers
    assert not train & held_out
    assert len(train | held_out) == len(translation.PAIRS)  # every other number is trained on


def test_more_training_rows_than_phrases_repeat_them_but_never_the_held_out_ones():
    x, _, x_val, _ = translation.tensors(2000, 300, seed=0)
    assert len(x) == 2000 and len(_rows(x)) == len(translation.PAIRS) - 300
    assert not _rows(x) & _rows(x_val)
    with pytest.raises(DatasetError, match="n_val must be between 1 and 998"):
        datasets.load("translation", n_val=999)


def test_encode_and_decode_round_trip_every_pair():
    for source, target in translation.PAIRS:
        ids = translation.encode_source(source)
        assert len(ids) == translation.SOURCE_LEN
        assert translation.decode_source(ids) == source
        assert translation.decode_target(translation.encode_target(target)) == target
    assert translation.decode_target([translation.TARGET_VOCAB.index("drei"), 0, 5]) == "drei"
    assert translation.SOURCE_VOCAB[0] == translation.TARGET_VOCAB[0] == "<pad>"


def test_unknown_words_are_named_with_words_that_are_known():
    with pytest.raises(ValueError, match=r"unknown word 'zwo'.*such as one, two"):
        translation.encode_source("twenty zwo")
    with pytest.raises(ValueError, match="at most 4"):
        translation.encode_source("one two three four five")
    assert translation.encode_source("Twenty-One") == translation.encode_source("twenty one")


def test_word_order_really_changes():
    table = dict(translation.PAIRS)
    assert table["twenty one"] == "ein und zwanzig"
    assert table["three hundred forty two"] == "drei hundert zwei und vierzig"
    # Translating word by word (each English word to its German word, in English order) gets
    # most phrases wrong: the units move in front of the tens.
    word = {en: de for en, de in zip(translation.SOURCE_VOCAB[1:28],
                                     (*translation.TARGET_VOCAB[2:11],
                                      *translation.TARGET_VOCAB[12:30]), strict=True)}
    word["hundred"] = "hundert"
    literal = sum(" ".join(word[w] for w in en.split()) == de for en, de in translation.PAIRS)
    assert literal < 0.3 * len(translation.PAIRS)


class _Lookup(nn.Module):
    """Fixed logits per validation row: x[:, 0] indexes a table (a model with known answers)."""

    def __init__(self, table: torch.Tensor) -> None:
        super().__init__()
        self.table = nn.Parameter(table)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.table[x[:, 0]]


def test_token_accuracy_ignores_padding_and_exact_match_needs_every_word():
    vocab = 5
    y = torch.tensor([[2, 3, 1, 0],  # all three words right
                      [4, 1, 0, 0],  # second word wrong
                      [3, 2, 4, 1]])  # all four right
    predicted = torch.tensor([[2, 3, 1, 4],  # a wrong word on padding does not count
                              [4, 2, 0, 0],
                              [3, 2, 4, 1]])
    table = torch.nn.functional.one_hot(predicted, vocab).float() * 5
    x = torch.arange(3).unsqueeze(1)
    data = DataBundle("hand", "text", "classification", x, y, x, y, tuple("abcde"))
    trainer = Trainer(_Lookup(table), data, TrainConfig(device="cpu"))
    result = trainer.evaluate()
    assert result["val_acc"] == pytest.approx(8 / 9)  # 9 non-padding tokens, 8 right
    assert result["val_exact"] == pytest.approx(2 / 3)
    assert result["predictions"].shape == (3, 4)
    # The loss is a mean over non-padding tokens only: padding targets change nothing.
    loss = loss_function("cross_entropy")
    manual = torch.nn.functional.cross_entropy(table[y != 0], y[y != 0])
    assert loss(table, y).item() == pytest.approx(manual.item())
    # The word confusion matrix counts non-padding steps; mistakes point at their phrase.
    trainer._eval = result
    results = epoch_results(trainer, {"epoch": 1})
    assert results["confusion"].sum() == 9 and np.trace(results["confusion"]) == 8
    assert results["misclassified"].indices.tolist() == [1]


def _translation_project(epochs: int):
    project = presets.load_preset("translation")
    project.training = replace(project.training, device="cpu", epochs=epochs)
    return project


def test_the_preset_fits_the_dataset_and_learns_well_above_chance():
    project = _translation_project(epochs=6)
    assert infer(project.graph).ok and dataset_fit(project.graph, infer(project.graph),
                                                   "translation") == ([], "")
    prepared = prepare(project)
    epochs = []

    class Record(Callback):
        def on_epoch_end(self, trainer, metrics):
            epochs.append(metrics)

    summary = Trainer(prepared.model, prepared.data, prepared.config, loss=prepared.loss,
                      callbacks=[Record()]).fit()
    assert summary.status == "completed", summary.message
    y_val = prepared.data.y_val
    real = y_val[y_val != 0]
    majority = real.bincount().max().item() / len(real)  # always guess the commonest word
    assert majority < 0.3
    assert epochs[0]["val_acc"] < 0.7 < summary.val_acc  # measured: 0.49 -> 0.98
    assert summary.val_exact > 0.4  # measured: 0.92
    assert {"train_exact", "val_exact"} <= set(epochs[-1])
    assert summary.val_exact == pytest.approx(epochs[-1]["val_exact"])
    assert summary.to_dict()["val_exact"] == summary.val_exact


def test_sequence_problems_offer_fixes_that_work():
    project = _translation_project(epochs=1)
    graph = project.graph
    graph.nodes["encoder"].params["output"] = "sequence"  # forgot to take the last state
    (issue,) = infer(graph).errors
    assert issue.node_id == "repeat" and "one vector per sample" in issue.message
    apply_fix(graph, issue.fix)
    assert infer(graph).ok
    graph.nodes["repeat"].params["steps"] = 4  # decoder writes too few words
    (issue,) = dataset_fit(graph, infer(graph), "translation")[0]
    assert "6 token ids per sample" in issue.message and issue.fix.param == "steps"
    apply_fix(graph, issue.fix)
    graph.nodes["out"].params["loss"] = "mse"
    (issue,) = dataset_fit(graph, infer(graph), "translation")[0]
    assert "use cross_entropy" in issue.message
    apply_fix(graph, issue.fix)
    graph.nodes["words"].params["out_features"] = 10
    (issue,) = dataset_fit(graph, infer(graph), "translation")[0]
    assert f"has {len(translation.TARGET_VOCAB)} classes" in issue.message
    apply_fix(graph, issue.fix)
    assert dataset_fit(graph, infer(graph), "translation") == ([], "")


def test_live_translation_measures_what_the_trainer_reports():
    project = _translation_project(epochs=1)
    prepared = prepare(project)
    trainer = Trainer(prepared.model, prepared.data, prepared.config, loss=prepared.loss)
    trainer.fit()
    reported = trainer.evaluate()
    data = prepared.data
    live = LiveTranslation(data.x_val.numpy(), data.y_val.numpy())
    live.type_phrase("forty two")
    result = live(trainer.model)
    assert result.token_acc == pytest.approx(reported["val_acc"])
    assert result.exact == pytest.approx(reported["val_exact"])
    np.testing.assert_array_equal(result.predicted, reported["predictions"])
    assert result.typed_answer == translate(trainer.model, "forty two")
    assert sum(right for *_words, right in result.rows) == round(result.exact * len(data.x_val))
    with pytest.raises(ValueError, match="unknown word 'zwo'"):
        live.type_phrase("forty zwo")
