"""Trainer: learning, control from another thread, failure reports, determinism, callbacks.

Datasets are built here from tensors so these tests depend only on the trainer.
"""

import json
import math
import threading

import numpy as np
import pytest
import torch
from torch import nn

import app.core.trainer as trainer_mod
from app.core.datasets import AugmentConfig, DataBundle
from app.core.trainer import (
    Callback,
    TrainConfig,
    TrainControl,
    Trainer,
    plain_loop_samples_per_s,
    resolve_device,
)

LOG_KEYS = {"step", "epoch", "batch", "batches_per_epoch", "loss", "acc", "lr", "samples_per_s",
            "progress", "eta_s"}
EPOCH_KEYS = {"epoch", "train_loss", "train_acc", "val_loss", "val_acc", "seconds"}


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def xor_bundle(n_train: int = 400, n_val: int = 200, seed: int = 0) -> DataBundle:
    """Points in the four quadrants, away from the axes; class 1 = opposite signs."""
    gen = torch.Generator().manual_seed(seed)

    def make(n: int) -> tuple[torch.Tensor, torch.Tensor]:
        magnitude = 0.1 + 0.9 * torch.rand(n, 2, generator=gen)
        signs = torch.randint(0, 2, (n, 2), generator=gen) * 2 - 1
        x = magnitude * signs
        return x, (signs[:, 0] != signs[:, 1]).long()

    return DataBundle("xor", "points", "classification", *make(n_train), *make(n_val),
                      ("same sign", "opposite sign"))


def bright_side_bundle(n_train: int = 256, n_val: int = 128) -> DataBundle:
    """1x8x8 noise images with a bright left (class 0) or right (class 1) half."""
    gen = torch.Generator().manual_seed(1)

    def make(n: int) -> tuple[torch.Tensor, torch.Tensor]:
        y = torch.randint(0, 2, (n,), generator=gen)
        x = 0.3 * torch.rand(n, 1, 8, 8, generator=gen)
        x[y == 0, :, :, :4] += 0.6
        x[y == 1, :, :, 4:] += 0.6
        return x, y

    return DataBundle("sides", "image", "classification", *make(n_train), *make(n_val),
                      ("left", "right"))


def mlp(outputs: int = 2, dropout: float = 0.0) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Dropout(dropout), nn.Linear(16, 16),
                         nn.Tanh(), nn.Linear(16, outputs))


class Recorder(Callback):
    """Remembers every callback call; optional hooks act at a given step."""

    def __init__(self, at_step=None):
        self.at_step = at_step or {}
        self.started, self.batches, self.logs, self.epochs, self.summaries = 0, [], [], [], []
        self.lrs: dict[int, float] = {}

    def on_train_start(self, trainer):
        self.started += 1

    def on_batch_end(self, trainer, step, epoch, batch, batches_per_epoch):
        self.batches.append((step, epoch, batch, batches_per_epoch))
        self.lrs[step] = trainer.optimizer.param_groups[0]["lr"]
        if step in self.at_step:
            self.at_step[step](trainer)

    def on_log(self, trainer, metrics):
        self.logs.append(metrics)

    def on_epoch_end(self, trainer, metrics):
        self.epochs.append(metrics)

    def on_train_end(self, trainer, summary):
        self.summaries.append(summary)


def cpu_config(**kw) -> TrainConfig:
    return TrainConfig(**{"device": "cpu", "batch_size": 32, "lr": 0.03, **kw})


# --- learning ---------------------------------------------------------------------------------


def test_learns_xor():
    summary = Trainer(mlp(), xor_bundle(), cpu_config(epochs=25)).fit()
    assert summary.status == "completed", summary.message
    assert summary.val_acc > 0.9
    assert summary.epochs == 25 and summary.steps == 25 * (400 // 32)
    assert summary.device == "cpu" and summary.samples_per_s > 0 and summary.seconds > 0
    assert summary.error is None


@pytest.mark.parametrize(("loss", "outputs"), [("mse", 2), ("bce_with_logits", 2),
                                               ("bce_with_logits", 1)])
def test_other_losses_learn_classification(loss, outputs):
    summary = Trainer(mlp(outputs), xor_bundle(), cpu_config(epochs=25), loss=loss).fit()
    assert summary.status == "completed", summary.message
    assert summary.val_acc > 0.85


def test_learns_images_with_augmentation(monkeypatch):
    calls = []
    real = trainer_mod.augment_batch

    def counting(x, cfg, generator=None, *standardisation):
        calls.append(x.shape)
        return real(x, cfg, generator, *standardisation)

    monkeypatch.setattr(trainer_mod, "augment_batch", counting)
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(4 * 4 * 4, 2))
    config = cpu_config(epochs=6, lr=0.01, optimizer="adamw", weight_decay=1e-4,
                        augment=AugmentConfig(noise=0.05))
    trainer = Trainer(net, bright_side_bundle(), config)
    summary = trainer.fit()
    assert summary.status == "completed", summary.message
    assert summary.val_acc > 0.9
    assert len(calls) == summary.steps and calls[0] == (32, 1, 8, 8)
    result = trainer.evaluate()
    assert result["predictions"].shape == (128,)
    assert np.issubdtype(result["predictions"].dtype, np.integer)
    assert result["val_acc"] == pytest.approx(
        (result["predictions"] == bright_side_bundle().y_val.numpy()).mean())


def test_max_steps_stops_mid_epoch_and_still_evaluates():
    summary = Trainer(mlp(), xor_bundle(), cpu_config(epochs=50, max_steps=7)).fit()
    assert summary.status == "completed"
    assert summary.steps == 7 and summary.epochs == 0
    assert math.isfinite(summary.val_acc) and math.isfinite(summary.train_loss)


@pytest.mark.parametrize(("schedule", "final_lr"), [("none", 0.03), ("step", 0.03 / 8),
                                                    ("cosine", 0.0)])
def test_schedules(schedule, final_lr):
    trainer = Trainer(mlp(), xor_bundle(), cpu_config(epochs=6, schedule=schedule,
                                                      optimizer="sgd"))
    assert trainer.fit().status == "completed"
    assert trainer.lr == pytest.approx(final_lr, abs=1e-9)


# --- control --------------------------------------------------------------------------------


def test_cancel_from_callback_stops_within_one_batch():
    control = TrainControl()
    rec = Recorder({5: lambda t: control.cancel.set()})
    summary = Trainer(mlp(), xor_bundle(), cpu_config(epochs=10), callbacks=[rec],
                      control=control).fit()
    assert summary.status == "cancelled"
    assert summary.steps == 5 and len(rec.batches) == 5
    assert rec.summaries == [summary]


def test_pause_and_request_step_run_exactly_one_batch():
    control = TrainControl()
    control.pause.set()
    ran = threading.Semaphore(0)

    class Signal(Recorder):
        def on_batch_end(self, trainer, *args):
            super().on_batch_end(trainer, *args)
            ran.release()

    rec = Signal()
    trainer = Trainer(mlp(), xor_bundle(), cpu_config(epochs=10), callbacks=[rec],
                      control=control)
    result = {}
    thread = threading.Thread(target=lambda: result.update(summary=trainer.fit()))
    thread.start()
    try:
        assert not ran.acquire(timeout=0.2)  # paused: nothing runs
        for expected in (1, 2):
            control.request_step()
            assert ran.acquire(timeout=5)
            assert not ran.acquire(timeout=0.2)  # ... and exactly one batch per request
            assert len(rec.batches) == expected
            assert rec.logs[-1]["step"] == expected  # a single step is reported at once
    finally:
        control.cancel.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert result["summary"].status == "cancelled" and result["summary"].steps == 2


def test_set_lr_applies_before_next_batch():
    control = TrainControl()
    rec = Recorder({4: lambda t: control.set_lr(0.5)})
    trainer = Trainer(mlp(), xor_bundle(), cpu_config(epochs=1, optimizer="sgd"),
                      callbacks=[rec], control=control)
    trainer.fit()
    assert rec.lrs[4] == pytest.approx(0.03)
    assert rec.lrs[5] == pytest.approx(0.5) and trainer.lr == pytest.approx(0.5)


# --- failures -------------------------------------------------------------------------------


def test_huge_learning_rate_diverges_with_advice():
    config = cpu_config(epochs=5, lr=1e6, optimizer="sgd", momentum=0.0)
    summary = Trainer(mlp(), xor_bundle(), config, loss="mse").fit()
    assert summary.status == "diverged"
    assert "learning rate (1e+06) is probably too high" in summary.message
    assert "lower it" in summary.message
    json.dumps(summary.to_dict(), allow_nan=False)


class EmitsNaN(nn.Module):
    def forward(self, x):
        return x * math.nan


def test_nan_output_names_the_step_and_the_learning_rate():
    net = nn.Sequential(nn.Linear(2, 2), EmitsNaN())
    summary = Trainer(net, xor_bundle(), cpu_config(log_every=20)).fit()
    assert summary.status == "diverged"
    assert "NaN at step 1 (epoch 1)" in summary.message
    assert "learning rate" in summary.message


class Boom(nn.Module):
    def forward(self, x):
        raise RuntimeError("kaboom in forward")


def test_exception_in_forward_fails_with_layer_and_text():
    net = nn.Sequential(nn.Linear(2, 4), Boom())
    summary = Trainer(net, xor_bundle(), cpu_config()).fit()
    assert summary.status == "failed"
    assert summary.message == "1 (Boom): kaboom in forward"
    assert isinstance(summary.error, RuntimeError)
    assert "error" not in summary.to_dict()


def test_shape_mismatch_names_the_layer():
    summary = Trainer(nn.Sequential(nn.Linear(3, 2)), xor_bundle(), cpu_config()).fit()
    assert summary.status == "failed"
    assert summary.message.startswith("0 (Linear): ") and "mat1 and mat2" in summary.message


class OutOfMemory(nn.Linear):
    def __init__(self):
        super().__init__(2, 2)

    def forward(self, x):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")


def test_out_of_memory_suggests_smaller_batch():
    summary = Trainer(OutOfMemory(), xor_bundle(), cpu_config(batch_size=64)).fit()
    assert summary.status == "failed"
    assert "batch size" in summary.message and "32" in summary.message
    assert isinstance(summary.error, torch.cuda.OutOfMemoryError)


# --- determinism, devices, callbacks --------------------------------------------------------


def test_same_seed_gives_identical_weights():
    def weights(seed):
        net = mlp(dropout=0.2)
        Trainer(net, xor_bundle(), cpu_config(epochs=3, seed=seed)).fit()
        return [p.detach().clone() for p in net.parameters()]

    first, again, other = weights(3), weights(3), weights(4)
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(first, other, strict=True))


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA GPU is present")
def test_explicit_cuda_without_gpu_is_a_clear_error():
    with pytest.raises(ValueError, match="CUDA was requested but no CUDA GPU is visible"):
        resolve_device("cuda")
    with pytest.raises(ValueError, match="use --device cpu or auto"):
        Trainer(mlp(), xor_bundle(), TrainConfig(device="cuda"))


def test_resolve_device():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("auto").type in ("cpu", "cuda", "mps")
    with pytest.raises(ValueError, match="unknown device"):
        resolve_device("banana")


def test_callbacks_get_documented_metrics():
    rec = Recorder()
    summary = Trainer(mlp(), xor_bundle(), cpu_config(epochs=3, log_every=5),
                      callbacks=[rec]).fit()
    bpe = 400 // 32
    assert rec.started == 1 and rec.summaries == [summary]
    assert rec.batches[0] == (1, 1, 1, bpe) and rec.batches[-1] == (3 * bpe, 3, bpe, bpe)
    assert rec.logs and all(set(m) == LOG_KEYS for m in rec.logs)
    assert [m["step"] for m in rec.logs[:3]] == [5, 10, bpe]  # every 5 steps and epoch end
    assert rec.logs[-1]["progress"] == 1.0 and rec.logs[-1]["eta_s"] == 0.0
    assert all(0 <= m["acc"] <= 1 and m["loss"] > 0 for m in rec.logs)
    assert [m["epoch"] for m in rec.epochs] == [1, 2, 3]
    assert all(set(m) == EPOCH_KEYS for m in rec.epochs)
    assert rec.epochs[-1]["val_acc"] == summary.val_acc
    assert rec.epochs[-1]["train_loss"] == summary.train_loss


def test_plain_loop_baseline_runs():
    rate = plain_loop_samples_per_s(mlp, xor_bundle(), batch_size=32, epochs=1, lr=1e-3,
                                    device="cpu", seed=0)
    assert rate > 0


def test_regression_reports_loss_without_accuracy():
    gen = torch.Generator().manual_seed(2)
    x = torch.rand(300, 2, generator=gen) * 2 - 1
    y = x.sum(1) * 0.5
    data = DataBundle("sum", "points", "regression", x[:200], y[:200], x[200:], y[200:])
    torch.manual_seed(0)
    rec = Recorder()
    trainer = Trainer(nn.Linear(2, 1), data, cpu_config(epochs=10, lr=0.1, optimizer="sgd",
                                                        log_every=1000),
                      loss="mse", callbacks=[rec])
    summary = trainer.fit()
    assert summary.status == "completed" and summary.val_loss < 1e-3
    assert math.isnan(summary.val_acc) and summary.to_dict()["val_acc"] is None
    assert [m["step"] for m in rec.logs] == [6 * e for e in range(1, 11)]  # epoch ends only
    assert all(m["acc"] is None for m in rec.logs)
    assert trainer.evaluate()["predictions"].shape == (100, 1)
