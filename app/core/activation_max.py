"""What does a channel look for? Two measured answers: the input that excites it most and the
dataset images that excite it most.

Activation maximisation climbs the gradient of an objective with respect to the input, starting
from faint noise. Two objectives: "mean" maximises the channel's mean over all positions (one
unit for a Linear layer), which for a convolution asks for its pattern everywhere at once, and
"centre" maximises one unit, the channel at the centre position, whose receptive field (the
input pixels it can see, computed exactly from the layers) grows with depth: a few pixels for
an edge detector, most of the image for a high layer. Raw gradient ascent finds saturated,
high-frequency noise that no real image contains, so the picture is parametrised as a sigmoid
of free values (always inside the data range, never stuck at a bound), a total-variation
penalty rewards smooth pictures, it is blurred every few steps, and for "mean" it is shifted by
a random few pixels each step (jitter: the pattern must work wherever it sits).
Several channels, even of different layers, are maximised together as one batch: in eval mode
every image's gradient depends on that image alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import fx, nn
from torch.nn import functional as F

from app.core.inspection import captured, eval_mode, named_layers

Progress = Callable[[int, int], None]
Target = tuple[str, int]  # (layer name in the model, channel or unit index)
Box = tuple[int, int, int, int]  # (top, bottom, left, right) input rows/columns, inclusive

OBJECTIVES = ("mean", "centre")
STEPS, LR, TV_WEIGHT = 256, 0.2, 0.1  # measured on shapes: smooth strokes, few saturated
JITTER = {"mean": 2, "centre": 0}  # a shifted unit would see another patch: no jitter there
BLUR_EVERY, BLUR_SIGMA = 4, 0.5
LEAK = 0.01  # slope of the stand-in for a ReLU while climbing, see `maximise_many`
INIT_NOISE = 0.5  # standard deviation of the free values behind the start image's sigmoid
TOP_BATCH = 512


@dataclass(frozen=True)
class Maximised:
    """Synthesised inputs, one per target, and how their activations grew."""

    images: np.ndarray  # (n, *input_shape) float32, within the data range
    trace: np.ndarray  # (steps, n): each target's activation at each step
    final: np.ndarray  # (n,) activation of the returned image, without jitter


def _check_objective(objective: str) -> None:
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective '{objective}': choose one of "
                         f"{', '.join(OBJECTIVES)}")


def centre_index(out: torch.Tensor) -> tuple[int, ...]:
    """Spatial position of the centre unit of a (N, C, ...) output: () for a Linear layer."""
    return tuple(size // 2 for size in out.shape[2:])


def channel_activation(out: torch.Tensor, channel: int | torch.Tensor,
                       objective: str = "mean") -> torch.Tensor:
    """Per-sample objective of `channel` (axis 1 of (N, C, ...)): its mean over all positions,
    or its unit at the centre position; a Linear layer's (N, F) has one unit per channel."""
    if out.dim() < 2:
        raise ValueError(f"a layer output of shape {tuple(out.shape)} has no channels")
    _check_objective(objective)
    picked = out[:, channel] if isinstance(channel, int) else out[torch.arange(len(out)),
                                                                  channel]
    if picked.dim() == 1:
        return picked
    if objective == "centre":
        return picked[(slice(None), *centre_index(out))]
    return picked.reshape(len(out), -1).mean(1)


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


def _blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable 3x3 Gaussian blur of every channel (edges replicated): removes the
    pixel-to-pixel noise that gradient ascent breeds."""
    taps = torch.exp(-torch.tensor([1.0, 0.0, 1.0]) / (2 * sigma ** 2))
    taps = (taps / taps.sum()).to(x.dtype)
    c = x.shape[1]
    out = F.conv2d(F.pad(x, (1, 1, 0, 0), mode="replicate"), taps.view(1, 1, 1, 3).repeat(
        c, 1, 1, 1), groups=c)
    return F.conv2d(F.pad(out, (0, 0, 1, 1), mode="replicate"), taps.view(1, 1, 3, 1).repeat(
        c, 1, 1, 1), groups=c)


def maximise_many(model: nn.Module, targets: Sequence[Target], input_shape: Sequence[int], *,
                  objective: str = "mean", steps: int = STEPS, lr: float = LR,
                  jitter: int | None = None, tv_weight: float = TV_WEIGHT,
                  blur_every: int = BLUR_EVERY,
                  value_range: tuple[float, float] = (0.0, 1.0), seed: int = 0,
                  progress: Progress | None = None) -> Maximised:
    """Gradient ascent on one input per (layer, channel) target, all in one batch (see the
    module docstring; `jitter` None is the objective's default, `blur_every` 0 never blurs).
    `progress(done, steps)` is called every step and may raise to cancel. The model's weights
    are never changed and its training mode is restored, but meanwhile no other thread may use
    it: pass a copy of a model that is training."""
    _check_image_input(input_shape)
    _check_objective(objective)
    if not targets:
        raise ValueError("choose at least one channel to maximise")
    lo, hi = float(value_range[0]), float(value_range[1])
    if not hi > lo:
        raise ValueError(f"the data range [{lo}, {hi}] is empty: the dataset looks constant")
    jitter = JITTER[objective] if jitter is None else jitter
    layers = sorted({layer for layer, _ in targets})
    rows = {layer: torch.tensor([i for i, (name, _) in enumerate(targets) if name == layer])
            for layer in layers}
    chans = {layer: torch.tensor([c for name, c in targets if name == layer]) for layer in layers}
    gen = torch.Generator().manual_seed(seed)
    z = (INIT_NOISE * torch.randn(len(targets), *input_shape, generator=gen)).requires_grad_(True)
    optimizer = torch.optim.Adam([z], lr=lr)
    trace = np.zeros((steps, len(targets)), dtype=np.float32)
    # Gradients only for the input: faster, and the weights stay untouched.
    with eval_mode(model, frozen_weights=True):
        # A ReLU layer is climbed through a leaky stand-in: where the ReLU is 0 it passes no
        # gradient, so a channel silent on the start image would never move. For one unit the
        # maximum is the same (both only grow); the reported activation is the ReLU's.
        relus = {layer for layer, module in named_layers(model, layers).items()
                 if isinstance(module, nn.ReLU)}
        with captured(model, layers, before_relu=True) as outputs:
            def activations(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
                """(what is climbed, the layer's activation) per target."""
                model(images)
                climbed, act = torch.zeros(len(targets)), torch.zeros(len(targets))
                for layer in layers:
                    out = outputs[layer][rows[layer]]
                    leaky = F.leaky_relu(out, LEAK) if layer in relus else out
                    climbed = climbed.index_put((rows[layer],), channel_activation(
                        leaky, chans[layer], objective))
                    value = out.clamp(min=0) if layer in relus else out
                    act = act.index_put((rows[layer],), channel_activation(
                        value, chans[layer], objective))
                return climbed, act

            for step in range(steps):
                x = lo + (hi - lo) * torch.sigmoid(z)
                if jitter:
                    dy, dx = torch.randint(-jitter, jitter + 1, (2,), generator=gen).tolist()
                    shown = torch.roll(x, shifts=(dy, dx), dims=(-2, -1))
                else:
                    shown = x
                climbed, act = activations(shown)
                loss = -(climbed.sum() - tv_weight * _total_variation(x).sum() / (hi - lo) ** 2)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                if blur_every and (step + 1) % blur_every == 0:
                    with torch.no_grad():
                        z.copy_(_blur(z, BLUR_SIGMA))
                trace[step] = act.detach().numpy()
                if progress is not None:
                    progress(step + 1, steps)
            with torch.no_grad():
                x = lo + (hi - lo) * torch.sigmoid(z)
                final = activations(x)[1].numpy().copy()
    return Maximised(x.numpy().astype(np.float32), trace, final)


def maximise(model: nn.Module, layer: str, channel: int, input_shape: Sequence[int], *,
             objective: str = "mean", steps: int = STEPS, lr: float = LR,
             jitter: int | None = None, tv_weight: float = TV_WEIGHT,
             value_range: tuple[float, float] = (0.0, 1.0), seed: int = 0,
             progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The input that excites `channel` of `layer` most, and its activation at every step."""
    result = maximise_many(model, [(layer, channel)], input_shape, objective=objective,
                           steps=steps, lr=lr, jitter=jitter, tv_weight=tv_weight,
                           value_range=value_range, seed=seed, progress=progress)
    return result.images[0], result.trace[:, 0]


# --- receptive fields -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """Where the units of one layer look, per spatial axis: unit i sees input pixels
    i * jump + lo ... i * jump + hi (inclusive; outside the image is padding)."""

    jump: tuple[int, int]
    lo: tuple[int, int]
    hi: tuple[int, int]

    @property
    def size(self) -> tuple[int, int]:
        return self.hi[0] - self.lo[0] + 1, self.hi[1] - self.lo[1] + 1

    def box(self, position: Sequence[int]) -> Box:
        """The receptive field of the unit at (row, column), unclipped."""
        (r, c), (jy, jx) = position, self.jump
        return r * jy + self.lo[0], r * jy + self.hi[0], c * jx + self.lo[1], c * jx + self.hi[1]


PER_POSITION = (nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Tanh, nn.GELU, nn.BatchNorm2d,
                nn.Dropout, nn.Dropout2d, nn.Identity)


def _pair(value: int | Sequence[int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def _through(module: nn.Module, field: Field) -> Field | None:
    """The field after `module`, or None where each output sees the whole input."""
    if isinstance(module, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
        k, s, p = _pair(module.kernel_size), _pair(module.stride), _pair(module.padding)
        d = _pair(getattr(module, "dilation", 1))
        return Field(tuple(j * s[a] for a, j in enumerate(field.jump)),
                     tuple(field.lo[a] - p[a] * field.jump[a] for a in range(2)),
                     tuple(field.hi[a] + ((k[a] - 1) * d[a] - p[a]) * field.jump[a]
                           for a in range(2)))
    per_position = isinstance(module, PER_POSITION) or (
        isinstance(module, nn.Softmax) and module.dim in (1, -3))
    if per_position or type(module).__name__ == "OutputHead":
        return field
    return None


def receptive_fields(model: nn.Module) -> dict[str, Field | None]:
    """The exact receptive field of every layer of a built model (a torch.fx GraphModule),
    found by walking its layers from the input: convolutions and poolings widen it by
    (kernel - 1) x the distance between their input units and multiply that distance by their
    stride; merges (Add, Concat) take the union. None: the layer sees the whole input (Linear,
    Flatten, global pooling and anything not known to keep positions apart)."""
    if not isinstance(model, fx.GraphModule):
        raise ValueError("receptive fields need a model built from the canvas (a GraphModule)")
    found: dict[str, Field | None] = {}
    values: dict[fx.Node, Field | None] = {}
    for node in model.graph.nodes:
        if node.op == "placeholder":
            values[node] = Field((1, 1), (0, 0), (0, 0))
            continue
        inputs = [values.get(arg) for arg in node.args if isinstance(arg, fx.Node)]
        if node.op != "call_module" or not inputs or any(f is None for f in inputs):
            values[node] = None
        elif len(inputs) > 1:  # Add / Concat: a unit sees what any of its inputs saw
            same = len({f.jump for f in inputs}) == 1
            values[node] = Field(inputs[0].jump, tuple(min(f.lo[a] for f in inputs) for a in
                                                      range(2)),
                                 tuple(max(f.hi[a] for f in inputs) for a in range(2))
                                 ) if same else None
        else:
            values[node] = _through(model.get_submodule(str(node.target)), inputs[0])
        if node.op == "call_module":
            found[str(node.target)] = values[node]
    return found


def unit_box(field: Field | None, position: Sequence[int], image_hw: Sequence[int]) -> Box:
    """The input pixels the unit at `position` sees; the whole image for a field of None."""
    if field is None or not position:
        return 0, int(image_hw[0]) - 1, 0, int(image_hw[1]) - 1
    return field.box(position)


def crop(image: np.ndarray, box: Box) -> np.ndarray:
    """The (C, H, W) image inside `box`; rows and columns outside the image are 0, the padding
    a convolution adds."""
    top, bottom, left, right = box
    c, h, w = image.shape
    out = np.zeros((c, bottom - top + 1, right - left + 1), dtype=image.dtype)
    ys, ye, xs, xe = max(top, 0), min(bottom, h - 1), max(left, 0), min(right, w - 1)
    if ys <= ye and xs <= xe:
        out[:, ys - top:ye - top + 1, xs - left:xe - left + 1] = image[:, ys:ye + 1, xs:xe + 1]
    return out


# --- the dataset's answer -------------------------------------------------------------------------

@dataclass(frozen=True)
class LayerScores:
    """Each image's activation of every channel of one layer, (N, C) each: the mean over all
    positions, the centre unit, and the strongest unit with its flat position index."""

    mean: np.ndarray
    centre: np.ndarray
    peak: np.ndarray
    peak_at: np.ndarray
    spatial: tuple[int, ...]  # the layer's (H, W), () for a Linear layer


def channel_scores(model: nn.Module, layers: Sequence[str], x: torch.Tensor,
                   batch_size: int = TOP_BATCH,
                   progress: Progress | None = None) -> dict[str, LayerScores]:
    """`LayerScores` of `layers` for the images `x`; batched, eval mode, no gradients."""
    parts: dict[str, list[tuple[np.ndarray, ...]]] = {layer: [] for layer in layers}
    spatial: dict[str, tuple[int, ...]] = {}
    with eval_mode(model), torch.no_grad(), captured(model, layers) as outputs:
        for start in range(0, len(x), batch_size):
            model(x[start:start + batch_size])
            for layer in layers:
                out = outputs[layer].float().cpu()
                if out.dim() < 2:
                    raise ValueError(f"layer '{layer}' gives {tuple(out.shape)}, which "
                                     "has no channels: choose another layer")
                spatial[layer] = tuple(out.shape[2:])
                flat = out.reshape(*out.shape[:2], -1)
                peak, peak_at = flat.max(2)
                centre = out[(slice(None), slice(None), *centre_index(out))]
                parts[layer].append((flat.mean(2).numpy(), centre.numpy(), peak.numpy(),
                                     peak_at.numpy()))
            if progress is not None:
                progress(min(start + batch_size, len(x)), len(x))
    return {layer: LayerScores(*(np.concatenate(column) for column in zip(*chunks,
                                                                         strict=True)),
                               spatial[layer]) for layer, chunks in parts.items()}


def channel_means(model: nn.Module, layers: Sequence[str], x: torch.Tensor,
                  batch_size: int = TOP_BATCH,
                  progress: Progress | None = None) -> dict[str, np.ndarray]:
    """Each image's mean activation of every channel of `layers`: {layer: (N, C)}."""
    scores = channel_scores(model, layers, x, batch_size, progress)
    return {layer: s.mean for layer, s in scores.items()}


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
    """What some channels of one layer look for: synthesised inputs and best dataset images.

    For the "centre" objective the pictures are cut to the receptive field: `images` to the
    centre unit's, `top` to the strongest unit's in each of the best images."""

    layer: str
    objective: str
    channels: tuple[int, ...]
    images: np.ndarray  # (n, C, h, w): the synthesised input per channel, inside `box`
    box: Box  # where `images` lie in the input (the whole input for "mean")
    final: np.ndarray  # (n,) their activations
    trace: np.ndarray  # (steps, n) their activations during the ascent
    top: np.ndarray  # (n, k, C, h, w): the dataset images (patches) that excite each most
    top_scores: np.ndarray  # (n, k) their activations, highest first
    dataset_mean: np.ndarray  # (n,) each objective's average over the dataset

    @property
    def factor(self) -> np.ndarray:
        """How many times its dataset average each synthesised input reaches (nan: silent)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.dataset_mean > 1e-6, self.final / self.dataset_mean, np.nan)


def portraits(model: nn.Module, layers: Sequence[str], channels: int, x: torch.Tensor, *,
              objective: str = "mean", k: int = 5, steps: int = STEPS, seed: int = 0,
              progress: Progress | None = None) -> list[LayerPortrait]:
    """The first `channels` channels of each layer, maximised together in one batch and
    compared with the top-k images of `x` (the data range of `x` bounds the synthesis). For
    "centre" the top images are the receptive-field patches where the channel fires most,
    anywhere in the image: a convolution looks for the same pattern at every position."""
    _check_objective(objective)
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

    fields = receptive_fields(model) if objective == "centre" else {}
    scores = channel_scores(model, layers, x, progress=scan_progress)
    chosen = {layer: tuple(range(min(channels, scores[layer].mean.shape[1])))
              for layer in layers}
    targets = [(layer, c) for layer in layers for c in chosen[layer]]
    value_range = (float(x.min()), float(x.max()))
    result = maximise_many(model, targets, tuple(x.shape[1:]), objective=objective,
                           steps=steps, value_range=value_range, seed=seed,
                           progress=step_progress)
    out, start = [], 0
    x_np = x.float().cpu().numpy()
    hw = x_np.shape[2:]
    for layer in layers:
        n, s, picked = len(chosen[layer]), scores[layer], list(chosen[layer])
        rank = (s.peak if objective == "centre" else s.mean)[:, picked]
        top = np.stack([top_indices(rank[:, j], k) for j in range(n)])
        if objective == "centre":
            field = fields.get(layer)
            box = unit_box(field, centre_index(torch.empty(1, 1, *s.spatial)), hw)
            spots = [[np.unravel_index(s.peak_at[i, c], s.spatial) if s.spatial else ()
                      for i in top[j]] for j, c in enumerate(picked)]
            patches = np.stack([[crop(x_np[i], unit_box(field, spot, hw))
                                 for i, spot in zip(top[j], spots[j], strict=True)]
                                for j in range(n)])
            average = s.centre[:, picked].mean(0)
        else:
            box, patches, average = unit_box(None, (), hw), x_np[top], s.mean[:, picked].mean(0)
        images = np.stack([crop(image, box) for image in result.images[start:start + n]])
        out.append(LayerPortrait(
            layer, objective, chosen[layer], images, box, result.final[start:start + n],
            result.trace[:, start:start + n], patches, np.take_along_axis(rank, top.T, 0).T,
            average))
        start += n
    return out
