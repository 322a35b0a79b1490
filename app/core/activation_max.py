"""What does a channel look for? Two measured answers: the input that excites it most and the
dataset images that excite it most.

Activation maximisation climbs the gradient of one channel's mean activation (one unit for a
Linear layer) with respect to the input, starting from faint noise. Raw gradient ascent finds
high-frequency noise that no real image contains, so each step shifts the picture by a random
few pixels (jitter: the pattern must work wherever it sits) and a total-variation penalty
rewards smooth pictures; the input stays clamped to the data's value range. Several channels,
even of different layers, are maximised together as one batch: in eval mode every image's
gradient depends on that image alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

Progress = Callable[[int, int], None]
Target = tuple[str, int]  # (layer name in the model, channel or unit index)

STEPS, LR, JITTER, TV_WEIGHT = 256, 0.05, 2, 0.3
INIT_NOISE = 0.25  # standard deviation of the start image, as a fraction of the data range
TOP_BATCH = 512


@dataclass(frozen=True)
class Maximised:
    """Synthesised inputs, one per target, and how their activations grew."""

    images: np.ndarray  # (n, *input_shape) float32, within the data range
    trace: np.ndarray  # (steps, n): each target's activation at each step
    final: np.ndarray  # (n,) activation of the returned image, without jitter


def _modules(model: nn.Module, layers: Sequence[str]) -> dict[str, nn.Module]:
    found = dict(model.named_modules())
    missing = [name for name in layers if name not in found or not name]
    if missing:
        raise ValueError(f"the network has no layer '{missing[0]}' (it may not feed an "
                         "Output): choose another layer")
    return {name: found[name] for name in layers}


@contextmanager
def _captured(model: nn.Module, layers: Sequence[str]) -> Iterator[dict[str, torch.Tensor]]:
    """Outputs of `layers` during forward passes inside the block; hooks never outlive it."""
    outputs: dict[str, torch.Tensor] = {}
    handles = []
    for name, module in _modules(model, layers).items():
        def hook(_m: nn.Module, _inp: object, out: object, name: str = name) -> None:
            outputs[name] = out[0] if isinstance(out, tuple) else out
        handles.append(module.register_forward_hook(hook))
    try:
        yield outputs
    finally:
        for handle in handles:
            handle.remove()


def channel_activation(out: torch.Tensor, channel: int | torch.Tensor) -> torch.Tensor:
    """Per-sample mean activation of `channel` (axis 1 of (N, C, ...)); a unit for (N, F)."""
    if out.dim() < 2:
        raise ValueError(f"a layer output of shape {tuple(out.shape)} has no channels")
    picked = out[:, channel] if isinstance(channel, int) else out[torch.arange(len(out)),
                                                                  channel]
    return picked.reshape(len(out), -1).mean(1) if picked.dim() > 1 else picked


def _check_image_input(input_shape: Sequence[int]) -> None:
    if len(input_shape) != 3:
        raise ValueError(f"activation maximisation needs a network with an image input "
                         f"(channels, height, width), not {tuple(input_shape)}: choose an image "
                         "dataset such as shapes, mnist or cifar10")


def _total_variation(x: torch.Tensor) -> torch.Tensor:
    """Mean squared difference of neighbouring pixels, per image: small for smooth pictures."""
    dy = (x[..., 1:, :] - x[..., :-1, :]).square().flatten(1).mean(1)
    dx = (x[..., :, 1:] - x[..., :, :-1]).square().flatten(1).mean(1)
    return dy + dx


def maximise_many(model: nn.Module, targets: Sequence[Target], input_shape: Sequence[int], *,
                  steps: int = STEPS, lr: float = LR, jitter: int = JITTER,
                  tv_weight: float = TV_WEIGHT, value_range: tuple[float, float] = (0.0, 1.0),
                  seed: int = 0, progress: Progress | None = None) -> Maximised:
    """Gradient ascent on one input per (layer, channel) target, all in one batch (see the
    module docstring). `progress(done, steps)` is called every step and may raise to cancel.
    The model's weights are never changed and its training mode is restored, but meanwhile no
    other thread may use it: pass a copy of a model that is training."""
    _check_image_input(input_shape)
    if not targets:
        raise ValueError("choose at least one channel to maximise")
    lo, hi = float(value_range[0]), float(value_range[1])
    if not hi > lo:
        raise ValueError(f"the data range [{lo}, {hi}] is empty: the dataset looks constant")
    layers = sorted({layer for layer, _ in targets})
    rows = {layer: torch.tensor([i for i, (name, _) in enumerate(targets) if name == layer])
            for layer in layers}
    chans = {layer: torch.tensor([c for name, c in targets if name == layer]) for layer in layers}
    gen = torch.Generator().manual_seed(seed)
    x = (lo + (hi - lo) * (0.5 + INIT_NOISE * torch.randn(len(targets), *input_shape,
                                                          generator=gen))).clamp(lo, hi)
    x.requires_grad_(True)
    optimizer = torch.optim.Adam([x], lr=lr * (hi - lo))
    trace = np.zeros((steps, len(targets)), dtype=np.float32)
    was_training = model.training
    model.eval()
    params = [p for p in model.parameters() if p.requires_grad]
    for p in params:
        p.requires_grad_(False)  # gradients only for the input: faster, weights untouched
    try:
        with _captured(model, layers) as outputs:
            def activations(images: torch.Tensor) -> torch.Tensor:
                model(images)
                act = torch.zeros(len(targets))
                for layer in layers:
                    out = outputs[layer][rows[layer]]
                    act = act.index_put((rows[layer],), channel_activation(out, chans[layer]))
                return act

            for step in range(steps):
                if jitter:
                    dy, dx = torch.randint(-jitter, jitter + 1, (2,), generator=gen).tolist()
                    shown = torch.roll(x, shifts=(dy, dx), dims=(-2, -1))
                else:
                    shown = x
                act = activations(shown)
                loss = -(act.sum() - tv_weight * _total_variation(x).sum() / (hi - lo) ** 2)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                with torch.no_grad():
                    x.clamp_(lo, hi)
                trace[step] = act.detach().numpy()
                if progress is not None:
                    progress(step + 1, steps)
            with torch.no_grad():
                final = activations(x).numpy().copy()
    finally:
        for p in params:
            p.requires_grad_(True)
        model.train(was_training)
    return Maximised(x.detach().numpy().astype(np.float32), trace, final)


def maximise(model: nn.Module, layer: str, channel: int, input_shape: Sequence[int], *,
             steps: int = STEPS, lr: float = LR, jitter: int = JITTER,
             tv_weight: float = TV_WEIGHT, value_range: tuple[float, float] = (0.0, 1.0),
             seed: int = 0, progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The input that excites `channel` of `layer` most, and its activation at every step."""
    result = maximise_many(model, [(layer, channel)], input_shape, steps=steps, lr=lr,
                           jitter=jitter, tv_weight=tv_weight, value_range=value_range,
                           seed=seed, progress=progress)
    return result.images[0], result.trace[:, 0]


def channel_means(model: nn.Module, layers: Sequence[str], x: torch.Tensor,
                  batch_size: int = TOP_BATCH,
                  progress: Progress | None = None) -> dict[str, np.ndarray]:
    """Each image's mean activation of every channel of `layers`: {layer: (N, C)}; batched,
    eval mode, no gradients."""
    scores: dict[str, list[np.ndarray]] = {layer: [] for layer in layers}
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), _captured(model, layers) as outputs:
            for start in range(0, len(x), batch_size):
                model(x[start:start + batch_size])
                for layer in layers:
                    out = outputs[layer]
                    if out.dim() < 2:
                        raise ValueError(f"layer '{layer}' gives {tuple(out.shape)}, which "
                                         "has no channels: choose another layer")
                    flat = out.reshape(*out.shape[:2], -1).mean(2) if out.dim() > 2 else out
                    scores[layer].append(flat.float().cpu().numpy())
                if progress is not None:
                    progress(min(start + batch_size, len(x)), len(x))
    finally:
        model.train(was_training)
    return {layer: np.concatenate(parts) for layer, parts in scores.items()}


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, highest first (ties: the earlier image)."""
    order = np.argsort(-scores, kind="stable")
    return order[:k]


def top_images(model: nn.Module, layer: str, channel: int, x: torch.Tensor,
               k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Indices into `x` of the k images with the highest mean activation of `channel`, and
    those activations (highest first)."""
    column = channel_means(model, [layer], x)[layer][:, channel]
    index = top_indices(column, k)
    return index, column[index]


@dataclass(frozen=True)
class LayerPortrait:
    """What some channels of one layer look for: synthesised inputs and best dataset images."""

    layer: str
    channels: tuple[int, ...]
    images: np.ndarray  # (n, *input_shape): the synthesised input per channel
    final: np.ndarray  # (n,) their activations
    trace: np.ndarray  # (steps, n) their activations during the ascent
    top: np.ndarray  # (n, k, *input_shape): the dataset images that excite each channel most
    top_scores: np.ndarray  # (n, k) their activations, highest first
    dataset_mean: np.ndarray  # (n,) each channel's mean activation over the dataset


def portraits(model: nn.Module, layers: Sequence[str], channels: int, x: torch.Tensor, *,
              k: int = 5, steps: int = STEPS, seed: int = 0,
              progress: Progress | None = None) -> list[LayerPortrait]:
    """The first `channels` channels of each layer, maximised together in one batch and
    compared with the top-k images of `x` (the data range of `x` bounds the synthesis)."""
    if len(x) == 0:
        raise ValueError("the dataset has no images to compare with")
    _check_image_input(tuple(x.shape[1:]))
    batches = -(-len(x) // TOP_BATCH)
    total = batches + steps

    def scan_progress(done: int, _total: int) -> None:
        if progress is not None:
            progress(-(-done // TOP_BATCH), total)

    def step_progress(done: int, _total: int) -> None:
        if progress is not None:
            progress(batches + done, total)

    scores = channel_means(model, layers, x, progress=scan_progress)
    chosen = {layer: tuple(range(min(channels, scores[layer].shape[1]))) for layer in layers}
    targets = [(layer, c) for layer in layers for c in chosen[layer]]
    value_range = (float(x.min()), float(x.max()))
    result = maximise_many(model, targets, tuple(x.shape[1:]), steps=steps,
                           value_range=value_range, seed=seed, progress=step_progress)
    out, start = [], 0
    x_np = x.float().cpu().numpy()
    for layer in layers:
        n = len(chosen[layer])
        column = scores[layer][:, list(chosen[layer])]
        top = np.stack([top_indices(column[:, j], k) for j in range(n)])
        out.append(LayerPortrait(
            layer, chosen[layer], result.images[start:start + n], result.final[start:start + n],
            result.trace[:, start:start + n], x_np[top], np.take_along_axis(column, top.T, 0).T, column.mean(0)))
        start += n
    return out
