"""Overfitting twins: identical start, a plain twin that overfits a tiny subset, and a
regularised twin that keeps the generalisation gap smaller."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
import torch

from app.core import datasets, presets
from app.core.trainer import TrainConfig
from app.core.twin_run import TWINS, Regularisation, build_twins, run_twins

N_TRAIN, N_VAL = 48, 300
CONFIG = TrainConfig(epochs=30, batch_size=16, lr=3e-3, device="cpu", seed=0)


@pytest.fixture(scope="module")
def graph():
    return presets.load_preset("shapes_cnn").graph


@pytest.fixture(scope="module")
def data():
    return datasets.load("shapes", n_train=N_TRAIN, n_val=N_VAL, seed=0)


@pytest.fixture(scope="module")
def twins(graph, data):
    seen = []
    result = run_twins(graph, data, CONFIG, N_TRAIN,
                       Regularisation(dropout=0.5, weight_decay=1e-2),
                       on_epoch=lambda twin, metrics: seen.append((twin, metrics["epoch"])))
    return result, seen


def test_twins_start_from_identical_weights(graph, data):
    models = build_twins(graph, data, seed=3, dropout=0.5)
    plain, regularised = (models[name].state_dict() for name in TWINS)
    assert plain.keys() == regularised.keys()
    for key, value in plain.items():
        assert torch.equal(value, regularised[key]), key


def test_added_dropout_acts_in_training_only(graph, data):
    regularised = build_twins(graph, data, seed=0, dropout=0.9)["regularised"].train()
    torch.manual_seed(0)
    x = data.x_train[:8]
    outputs = torch.stack([regularised(x) for _ in range(2)])
    assert not torch.equal(outputs[0], outputs[1])  # dropout is active in training mode
    regularised.eval()
    assert torch.equal(regularised(x), regularised(x))  # and off in evaluation


def test_epochs_alternate_between_twins(twins):
    _result, seen = twins
    assert seen[:4] == [("plain", 1), ("regularised", 1), ("plain", 2), ("regularised", 2)]
    assert len(seen) == 2 * CONFIG.epochs


def test_plain_twin_overfits_a_tiny_subset(twins):
    result, _seen = twins
    m = result.histories["plain"].metrics
    best = min(range(len(m["val_loss"])), key=m["val_loss"].__getitem__)
    # Measured: the val loss bottoms out near 0.85 around epoch 9 and ends above 1.4.
    assert m["val_loss"][-1] > m["val_loss"][best] + 0.3
    assert m["train_loss"][-1] < 0.5 * m["train_loss"][best]
    assert result.n_train == N_TRAIN


def test_regularisation_narrows_the_gap(twins):
    result, _seen = twins
    plain, regularised = (result.histories[name].final() for name in TWINS)
    plain_gap = plain["val_loss"] - plain["train_loss"]
    regularised_gap = regularised["val_loss"] - regularised["train_loss"]
    # Measured: plain gap about 1.5, regularised about 0.7.
    assert regularised_gap < plain_gap - 0.4


def test_early_stopping_keeps_the_best_epoch(graph, data):
    result = run_twins(graph, data, replace(CONFIG, epochs=25), N_TRAIN,
                       Regularisation(early_stopping=True, patience=3))
    history = result.histories["regularised"]
    assert history.stopped_at is not None
    assert len(history.epochs) == history.stopped_at + 3
    best = min(history.metrics["val_loss"])
    assert history.final()["val_loss"] == best
    assert len(result.histories["plain"].epochs) == 25


def test_cancel_stops_within_an_epoch(graph, data):
    cancel = threading.Event()
    seen = []

    def on_epoch(twin, metrics):
        seen.append(twin)
        if len(seen) == 3:
            cancel.set()

    result = run_twins(graph, data, replace(CONFIG, epochs=50), N_TRAIN, Regularisation(),
                       on_epoch=on_epoch, cancel=cancel)
    assert all(s.status == "cancelled" for s in result.summaries.values())
    assert len(seen) <= 4  # at most the epoch that was running when cancel came
    assert sum(len(h.epochs) for h in result.histories.values()) == len(seen)


def test_bad_settings_are_named(graph, data):
    with pytest.raises(ValueError, match="dropout"):
        Regularisation(dropout=1.0)
    with pytest.raises(ValueError, match="subset"):
        run_twins(graph, data, CONFIG, 0, Regularisation())
