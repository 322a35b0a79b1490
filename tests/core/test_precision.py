"""Run options for speed: mixed precision (bfloat16 autocast on the CPU, float16 + GradScaler on
CUDA) and channels-last memory order, in the Trainer, the bench's plain loop and with probes."""

import math

import numpy as np
import pytest
import torch

from app.core import presets
from app.core.builder import build
from app.core.datasets import load
from app.core.probes import ProbeCallback, choose_probe_layers
from app.core.shapes import infer
from app.core.trainer import (
    Callback,
    Precision,
    TrainConfig,
    Trainer,
    mixed_precision,
    plain_loop_samples_per_s,
)

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def shapes_data():
    return load("shapes", n_train=256, n_val=64)


def cnn():
    return build(presets.load_preset("shapes_cnn").graph, seed=0)


class Dtypes(Callback):
    """Records the dtype and memory order of conv1's output during training steps."""

    def __init__(self):
        self.seen = []

    def on_train_start(self, trainer):
        def hook(_m, _inp, out):
            if trainer.model.training:
                self.seen.append((out.dtype, out.is_contiguous(memory_format=torch.channels_last)))
        trainer.model.get_submodule("conv1").register_forward_hook(hook)


def train(data, precision, device="cpu", steps=6, callbacks=()):
    dtypes = Dtypes()
    trainer = Trainer(cnn(), data, TrainConfig(epochs=1, batch_size=32, max_steps=steps,
                                               device=device),
                      callbacks=[dtypes, *callbacks], precision=precision)
    return trainer, trainer.fit(), dtypes.seen


def test_channels_last_trains_the_same_network(shapes_data):
    _, plain, seen = train(shapes_data, Precision())
    trainer, nhwc, seen_nhwc = train(shapes_data, Precision(channels_last=True))
    assert nhwc.status == "completed"
    assert trainer.model.get_submodule("conv1").weight.is_contiguous(
        memory_format=torch.channels_last)
    assert trainer.data.x_train.is_contiguous(memory_format=torch.channels_last)
    assert all(nhwc_out for _, nhwc_out in seen_nhwc) and not any(n for _, n in seen)
    # The same arithmetic in another memory order: the same run up to float round-off.
    assert nhwc.train_loss == pytest.approx(plain.train_loss, rel=1e-3)
    assert nhwc.val_loss == pytest.approx(plain.val_loss, rel=1e-3)


def test_amp_on_the_cpu_runs_in_bfloat16_with_float32_weights(shapes_data):
    trainer, summary, seen = train(shapes_data, Precision(amp=True))
    assert summary.status == "completed" and math.isfinite(summary.train_loss)
    assert seen and {dtype for dtype, _ in seen} == {torch.bfloat16}
    assert all(p.dtype == torch.float32 for p in trainer.model.parameters())
    assert trainer._scaler is None  # bfloat16 has float32's range: no loss scaling


def test_probes_capture_float32_pictures_of_an_amp_channels_last_run(shapes_data):
    graph = presets.load_preset("shapes_cnn").graph
    snapshots = []
    probe = ProbeCallback(choose_probe_layers(graph, infer(graph)), shapes_data.x_val[:4],
                          snapshots.append, interval_s=0)
    _, summary, _ = train(shapes_data, Precision(amp=True, channels_last=True),
                          callbacks=[probe])
    assert summary.status == "completed" and len(snapshots) > 3
    last = snapshots[-1]
    assert all(m.dtype == np.float32 for m in last.feature_maps.values())
    assert last.hists["conv1"].grad_counts.sum() == last.hists["conv1"].weight_counts.sum()


def test_bad_combinations_are_refused_with_the_fix():
    xor = load("xor", n_train=64, n_val=16)
    with pytest.raises(ValueError, match="image batches .* train without --channels-last"):
        Trainer(build(presets.load_preset("mlp_playground").graph), xor,
                TrainConfig(device="cpu"), precision=Precision(channels_last=True))
    with pytest.raises(ValueError, match="not on mps: train without --amp"):
        mixed_precision(torch.device("mps"), True)


def test_the_plain_loop_takes_the_same_options(shapes_data):
    for precision in (Precision(amp=True), Precision(channels_last=True)):
        rate = plain_loop_samples_per_s(cnn, shapes_data, batch_size=64, epochs=1, lr=1e-3,
                                        device="cpu", precision=precision)
        assert rate > 0


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_amp_on_cuda_uses_float16_and_a_grad_scaler(shapes_data):
    trainer, summary, seen = train(shapes_data, Precision(amp=True, channels_last=True),
                                   device="cuda", steps=20)
    assert summary.status == "completed" and math.isfinite(summary.val_loss)
    assert {dtype for dtype, _ in seen} == {torch.float16}
    assert trainer._scaler is not None and trainer._scaler.get_scale() > 0
