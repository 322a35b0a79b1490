"""The Playground's measurements: what a network answers everywhere on the 2-D input plane.

A learner understands a classifier on points best by seeing its decision boundary and, beside
it, what every hidden neuron computes over the same plane (as in TensorFlow Playground). Both
come from one forward pass of a regular grid of points through the learner's own network,
with forward hooks on its hidden Linear layers (or the activations after them, which is what
the next layer sees) and on its engineered input features, if the Input adds them. A grid of 60x60 points is a few microseconds of work for a small MLP,
so `boundary_extra` can measure it in the training thread at every snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from app.core.catalog import PlaneFeatures
from app.core.inspection import captured, eval_mode

RESOLUTION = 60  # grid points per axis
MAX_NEURONS = 8  # neuron images per hidden layer
MARGIN = 0.15  # space around the data, as a fraction of its extent

Bounds = tuple[float, float, float, float]  # x_min, x_max, y_min, y_max


@dataclass(frozen=True)
class Boundary:
    """The network's answer over the plane, as (resolution, resolution) arrays indexed
    [row = y, column = x] (row 0 at `bounds` y_min).

    `score` is the class-1 probability (or, for an MSE head, its output clipped to [0, 1]) for
    two classes; for more classes it is the winning class's confidence, and `label` is that
    class. `neurons` holds per hidden layer (in forward order) up to MAX_NEURONS images of
    its neurons' outputs; `widths` the layer's full number of neurons."""

    bounds: Bounds
    score: np.ndarray  # float32
    label: np.ndarray  # int64, the predicted class per point
    num_classes: int
    neurons: dict[str, np.ndarray]  # layer name -> (k, resolution, resolution) float32
    widths: dict[str, int]


def bounds_of(points: np.ndarray, margin: float = MARGIN) -> Bounds:
    """A square-ish box around 2-D points, `margin` of their extent wider on each side."""
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(f"need a non-empty (N, 2) array of points, got shape {points.shape}")
    lo, hi = points.min(0), points.max(0)
    pad = margin * np.maximum(hi - lo, 1e-3)
    lo, hi = lo - pad, hi + pad
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def grid(bounds: Bounds, resolution: int = RESOLUTION) -> np.ndarray:
    """(resolution * resolution, 2) float32 points, row by row from y_min (x varies fastest),
    at the centres of the cells an image of `bounds` is divided into."""
    if resolution < 2:
        raise ValueError(f"the grid needs at least 2 points per axis (got {resolution})")
    x0, x1, y0, y1 = bounds
    xs = x0 + (np.arange(resolution) + 0.5) * (x1 - x0) / resolution
    ys = y0 + (np.arange(resolution) + 0.5) * (y1 - y0) / resolution
    gx, gy = np.meshgrid(xs, ys, indexing="xy")
    return np.stack([gx.ravel(), gy.ravel()], 1).astype(np.float32)


def hidden_layers(model: nn.Module) -> list[str]:
    """Names of the modules whose outputs are shown as neurons: engineered input features,
    then every Linear layer but the last (the head), or the activation right after it when
    there is one."""
    modules = list(model.named_modules())
    linear = [i for i, (_name, m) in enumerate(modules) if isinstance(m, nn.Linear)]
    shown = [name for name, m in modules if isinstance(m, PlaneFeatures)]
    for i in linear[:-1]:
        after = modules[i + 1][1] if i + 1 < len(modules) else None
        is_activation = after is not None and type(after).__module__ == nn.Tanh.__module__
        shown.append(modules[i + 1][0] if is_activation else modules[i][0])
    return shown


def _scores(out: torch.Tensor, loss: str) -> tuple[torch.Tensor, torch.Tensor, int]:
    """(score, label, num_classes) of a head's outputs; see `Boundary`."""
    out = out.float().reshape(len(out), -1)
    if out.shape[1] == 1:  # one unit: a logit, or an MSE regression of 0/1
        score = out[:, 0].clamp(0, 1) if loss == "mse" else torch.sigmoid(out[:, 0])
        return score, (score > 0.5).long(), 2
    probs = out.clamp(0, 1) if loss == "mse" else torch.softmax(out, 1)
    label = out.argmax(1)
    if out.shape[1] == 2:
        return probs[:, 1], label, 2
    return probs.gather(1, label[:, None])[:, 0], label, out.shape[1]


def evaluate(model: nn.Module, bounds: Bounds, resolution: int = RESOLUTION,
             max_neurons: int = MAX_NEURONS) -> Boundary:
    """Run the grid over `bounds` through `model` (eval mode, no gradients) and collect its
    outputs and hidden neurons; see `Boundary`."""
    points = grid(bounds, resolution)
    first = next(iter(model.parameters()), None)
    device = first.device if first is not None else torch.device("cpu")
    with eval_mode(model), torch.no_grad(), captured(model, hidden_layers(model)) as hidden:
        out = model(torch.from_numpy(points).to(device))
    head = out[0] if isinstance(out, (tuple, list)) else out
    output_ids = getattr(model, "output_ids", ())
    loss = getattr(model, "losses", {}).get(output_ids[0], "cross_entropy") if output_ids \
        else "cross_entropy"
    score, label, classes = _scores(head, loss)
    shape = (resolution, resolution)
    neurons = {name: act.float().reshape(len(points), -1)[:, :max_neurons].T
               .reshape(-1, *shape).cpu().numpy() for name, act in hidden.items()}
    widths = {name: act.reshape(len(points), -1).shape[1] for name, act in hidden.items()}
    return Boundary(tuple(float(b) for b in bounds), score.reshape(shape).cpu().numpy(),
                    label.reshape(shape).cpu().numpy(), classes, neurons, widths)


def boundary_extra(bounds: Bounds, resolution: int = RESOLUTION
                   ) -> Callable[[nn.Module], Boundary]:
    """A snapshot extra (`app.core.probes.Extra`) that measures the boundary over `bounds`."""
    grid(bounds, resolution)  # refuse a bad grid here, not in the training thread

    def measure(model: nn.Module) -> Boundary:
        return evaluate(model, bounds, resolution)
    return measure
