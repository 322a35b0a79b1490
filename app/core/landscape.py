"""The loss landscape: the loss on a plane through weight space, and optimizer paths on it.

A network has thousands of weights, so its loss "surface" can only be seen in a cut: the plane
through the current weights spanned by two directions d1, d2, on which the loss is evaluated at
w + alpha * d1 + beta * d2 (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets").
Random directions are *filter-normalised*: each filter (a row of a dense layer, a kernel of a
convolution) of a direction is scaled to the norm of the same filter of the weights, so that
layers of different scale are cut fairly; biases and BatchNorm parameters get a zero direction.
A network with exactly two weights needs no cut: its directions are the two weights themselves.

Random directions are nearly orthogonal to the path training took, so a run's path looks short
on them. The alternative (Li et al. §7) are the *PCA directions*: the two principal components of
the recorded trajectory, taken relative to the final weights, so the plane holds as much of the
path as any plane through the final weights can (`pca_basis`). They need the full weights of
every snapshot, which `PathRecorder` keeps for networks up to `PCA_MAX_WEIGHTS` weights.

The path of a run is recorded while it trains by `PathRecorder`, a snapshot extra that stores
per-filter dot products with the raw (not yet normalised) random directions — a few numbers per
snapshot. Because filter normalisation only rescales filters, those numbers are enough to
project every snapshot onto the plane normalised to *any* later weights (`path_coordinates`),
e.g. the final ones around which the surface is drawn.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from app.core.builder import build
from app.core.experiment import load_data
from app.core.graph import Graph
from app.core.inspection import eval_mode
from app.core.project_io import DataConfig
from app.core.trainer import loss_function
from app.core.weights import Trained, model_with_weights

Progress = Callable[[int, int], None]
LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
Directions = tuple[list[torch.Tensor], list[torch.Tensor]]

RACE_OPTIMIZERS: dict[str, Callable[[list[nn.Parameter], float], torch.optim.Optimizer]] = {
    "SGD": lambda params, lr: torch.optim.SGD(params, lr=lr),
    "SGD + momentum": lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9),
    "Adam": lambda params, lr: torch.optim.Adam(params, lr=lr),
}


def parameters_of(model: nn.Module) -> list[nn.Parameter]:
    """The trainable weights, in a fixed order: the coordinates of weight space."""
    return [p for p in model.parameters() if p.requires_grad]


def is_two_weight(shapes: Sequence[torch.Size]) -> bool:
    return sum(math.prod(s) for s in shapes) == 2


def random_directions(shapes: Sequence[torch.Size], seed: int) -> Directions:
    """Two raw directions, reproducible from `seed` and the parameter shapes alone (so a run
    and a view computed later agree): Gaussian for weight matrices and kernels, zero for biases
    and BatchNorm (1-D); for a two-weight network the unit vectors of its two weights."""
    if is_two_weight(shapes):
        flat = torch.eye(2)
        sizes = [math.prod(s) for s in shapes]
        return tuple([part.reshape(s) for part, s in zip(row.split(sizes), shapes, strict=True)]
                     for row in flat)  # type: ignore[return-value]
    generator = torch.Generator().manual_seed(seed)
    return tuple([torch.randn(s, generator=generator) if len(s) >= 2 else torch.zeros(s)
                  for s in shapes] for _ in range(2))  # type: ignore[return-value]


def _rows(t: torch.Tensor) -> torch.Tensor:
    """A tensor as (filters, values): one row per output unit/channel."""
    return t.reshape(t.shape[0], -1) if t.dim() >= 1 else t.reshape(1, 1)


def _per_filter(a: Sequence[torch.Tensor], b: Sequence[torch.Tensor]) -> torch.Tensor:
    """Per-filter dot products of two parameter lists, concatenated (float64)."""
    return torch.cat([(_rows(x).double() * _rows(y).double()).sum(1) for x, y in zip(a, b,
                                                                                   strict=True)])


def filter_normalize(raw: Sequence[torch.Tensor], weights: Sequence[torch.Tensor],
                     ) -> list[torch.Tensor]:
    """Scale each filter of `raw` to the norm of the same filter of `weights`."""
    out = []
    for r, w in zip(raw, weights, strict=True):
        r_norm = _rows(r).norm(dim=1)
        scale = torch.where(r_norm > 0, _rows(w).detach().norm(dim=1) / r_norm.clamp_min(1e-30),
                            torch.zeros_like(r_norm))
        out.append((_rows(r) * scale[:, None]).reshape(r.shape))
    return out


def directions(model: nn.Module, seed: int) -> Directions:
    """Filter-normalised random directions around the model's current weights (Li et al.);
    for a two-weight network the weights' own unit vectors."""
    params = parameters_of(model)
    device = params[0].device if params else torch.device("cpu")
    raw = random_directions([p.shape for p in params], seed)
    raw = tuple([r.to(device) for r in d] for d in raw)
    if is_two_weight([p.shape for p in params]):
        return raw  # type: ignore[return-value]
    return filter_normalize(raw[0], params), filter_normalize(raw[1], params)


def _dot(a: Sequence[torch.Tensor], b: Sequence[torch.Tensor]) -> float:
    return float(sum((x.double() * y.double()).sum() for x, y in zip(a, b, strict=True)))


def _solve(gram: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Least-squares coordinates from the normal equations (pinv: directions may coincide)."""
    return rhs @ np.linalg.pinv(gram).T


def project(params: Sequence[torch.Tensor], origin: Sequence[torch.Tensor],
            d1: Sequence[torch.Tensor], d2: Sequence[torch.Tensor]) -> np.ndarray:
    """(alpha, beta) of the point of the plane origin + alpha d1 + beta d2 nearest `params`."""
    diff = [p.detach() - o for p, o in zip(params, origin, strict=True)]
    gram = np.array([[_dot(d1, d1), _dot(d1, d2)], [_dot(d2, d1), _dot(d2, d2)]])
    return _solve(gram, np.array([_dot(d1, diff), _dot(d2, diff)]))


# --- the surface ----------------------------------------------------------------------------------


def _set_weights(params: Sequence[nn.Parameter], values: Sequence[torch.Tensor]) -> None:
    with torch.no_grad():
        for p, v in zip(params, values, strict=True):
            p.copy_(v)


def loss_surface(model: nn.Module, loss_fn: LossFn, x: torch.Tensor, y: torch.Tensor,
                 d1: Sequence[torch.Tensor], d2: Sequence[torch.Tensor],
                 alphas: np.ndarray, betas: np.ndarray,
                 progress: Progress | None = None) -> np.ndarray:
    """loss[j, i] at weights + alphas[i] d1 + betas[j] d2 on the fixed batch (x, y), in eval
    mode (dropout off, BatchNorm statistics untouched). The model's weights and mode are
    restored exactly afterwards, also when `progress` raises to cancel."""
    params = parameters_of(model)
    origin = [p.detach().clone() for p in params]
    surface = np.full((len(betas), len(alphas)), np.nan)
    try:
        with eval_mode(model), torch.no_grad():
            for j, beta in enumerate(betas):
                for i, alpha in enumerate(alphas):
                    _set_weights(params, [o + float(alpha) * a + float(beta) * b
                                          for o, a, b in zip(origin, d1, d2, strict=True)])
                    surface[j, i] = float(loss_fn(model(x), y))
                if progress is not None:
                    progress(j + 1, len(betas))
    finally:
        _set_weights(params, origin)
    return surface


# --- the path of a run ----------------------------------------------------------------------------


@dataclass
class PathStats:
    """What one snapshot needs to be placed on the plane later: per-filter dot products of the
    weights with the raw directions, the weights' per-filter squared norms, and the raw
    directions' own per-filter products (|r1|², |r2|², r1·r2; constant over a run).
    Not frozen: the `PathRecorder` that made it may drop `flat` later to bound its memory."""

    dots: np.ndarray  # (2, F)
    weight_sq: np.ndarray  # (F,)
    raw: np.ndarray  # (3, F)
    normalised: bool  # False for a two-weight network (its directions are the weights)
    flat: np.ndarray | None = None  # (P,) float32 copy of all weights, for PCA directions
    # (kept for small networks and for an evenly thinned subset of a run's snapshots)


def _raw_products(raw: Directions) -> np.ndarray:
    r1, r2 = raw
    return torch.stack([_per_filter(r1, r1), _per_filter(r2, r2),
                        _per_filter(r1, r2)]).cpu().numpy()


def path_stats(params: Sequence[torch.Tensor], raw: Directions,
               raw_products: np.ndarray | None = None) -> PathStats:
    """The `PathStats` of weights `params` (`raw_products` may be passed in: they are constant).
    The per-filter sums run in the weights' own precision, one pass per parameter tensor."""
    r1, r2 = raw
    dots, weight_sq = [], []
    for w, a, b in zip(params, r1, r2, strict=True):
        rows = _rows(w.detach())
        dots.append(torch.stack([(_rows(a) * rows).sum(1), (_rows(b) * rows).sum(1)]))
        weight_sq.append((rows * rows).sum(1))
    return PathStats(torch.cat(dots, 1).double().cpu().numpy(),
                     torch.cat(weight_sq).double().cpu().numpy(),
                     _raw_products(raw) if raw_products is None else raw_products,
                     not is_two_weight([p.shape for p in params]))


def flat_weights(params: Sequence[torch.Tensor]) -> np.ndarray:
    """All weights as one float32 vector, in `parameters_of` order (a point of weight space)."""
    if not params:
        return np.zeros(0, dtype=np.float32)
    return torch.cat([p.detach().reshape(-1).float() for p in params]).cpu().numpy()


class PathRecorder:
    """Snapshot extra (see app.core.probes): the run's `PathStats` at every snapshot. The raw
    directions are made on the first call, from the run's seed and the model's shapes.

    For networks up to `max_weights` weights it also keeps the weights themselves (PCA
    directions), but in at most `max_points` of the snapshots, however long the run: every
    `stride`-th call keeps a copy, and when there are too many, every second kept copy is
    dropped and the stride doubles, so the copies stay spread evenly over the whole run.
    (Every run records this, whether or not the Landscape view is ever opened.)
    """

    def __init__(self, seed: int, max_weights: int | None = None,
                 max_points: int | None = None) -> None:
        self.seed = seed
        self.max_weights = PCA_MAX_WEIGHTS if max_weights is None else max_weights
        self.max_points = PCA_MAX_POINTS if max_points is None else max_points
        if self.max_points < PCA_MIN_POINTS:
            raise ValueError(f"keep at least {PCA_MIN_POINTS} weight copies for PCA")
        self.stride = 1
        self._calls = 0
        self._kept: list[PathStats] = []  # the stats that hold a `flat` copy, oldest first
        self._raw: Directions | None = None
        self._raw_products: np.ndarray | None = None

    def __call__(self, model: nn.Module) -> PathStats:
        params = parameters_of(model)
        if self._raw is None:
            d1, d2 = random_directions([p.shape for p in params], self.seed)
            self._raw = ([r.to(p.device, p.dtype) for r, p in zip(d1, params, strict=True)],
                         [r.to(p.device, p.dtype) for r, p in zip(d2, params, strict=True)])
            self._raw_products = _raw_products(self._raw)
        stats = path_stats(params, self._raw, self._raw_products)
        self._calls += 1
        if (self._calls - 1) % self.stride == 0 and \
                sum(p.numel() for p in params) <= self.max_weights:
            stats.flat = flat_weights(params)
            self._kept.append(stats)
            if len(self._kept) > self.max_points:
                for dropped in self._kept[1::2]:
                    dropped.flat = None
                self._kept = self._kept[::2]
                self.stride *= 2
        return stats


def path_coordinates(stats: Sequence[PathStats], origin: PathStats) -> np.ndarray:
    """(N, 2) coordinates of recorded snapshots on the plane through `origin`'s weights with
    directions filter-normalised to them — the same plane `directions` gives for those weights
    and the same least squares as `project`, computed from the recorded numbers alone."""
    if not stats:
        return np.zeros((0, 2))
    r11, r22, r12 = origin.raw
    if origin.normalised:
        w = np.sqrt(origin.weight_sq)
        s1 = np.divide(w, np.sqrt(r11), out=np.zeros_like(w), where=r11 > 0)
        s2 = np.divide(w, np.sqrt(r22), out=np.zeros_like(w), where=r22 > 0)
    else:
        s1 = s2 = np.ones_like(r11)
    gram = np.array([[np.sum(s1 * s1 * r11), np.sum(s1 * s2 * r12)],
                     [np.sum(s1 * s2 * r12), np.sum(s2 * s2 * r22)]])
    dots = np.stack([s.dots for s in stats])  # (N, 2, F)
    along = np.stack([(dots[:, 0] * s1).sum(1), (dots[:, 1] * s2).sum(1)], axis=1)
    at_origin = np.array([(origin.dots[0] * s1).sum(), (origin.dots[1] * s2).sum()])
    return _solve(gram, along - at_origin)


# --- PCA directions ----------------------------------------------------------------------------

PCA_MAX_WEIGHTS = 150_000  # weights kept per snapshot: 0.6 MB
PCA_MAX_POINTS = 48  # snapshots of a run that keep their weights: at most 29 MB a run
PCA_MIN_POINTS = 3  # the final weights and at least two other points of the path


@dataclass(frozen=True)
class PcaBasis:
    """The plane through `origin` (the final weights, flat) spanned by the two principal
    components of a trajectory's offsets from it: orthonormal `axes` (2, P), and the share
    of the trajectory's squared distance from `origin` that lies along each (`explained`)."""

    origin: np.ndarray  # (P,) float64
    axes: np.ndarray  # (2, P) float64, orthonormal
    explained: np.ndarray  # (2,)

    def coordinates(self, stats: Sequence[PathStats]) -> np.ndarray:
        """(M, 2) coordinates of those recorded snapshots that kept their weights (`flat`;
        see `PathRecorder`), in order; the others cannot be placed on this plane."""
        flats = _flats(stats)
        if not flats:
            return np.zeros((0, 2))
        return (np.stack(flats).astype(np.float64) - self.origin) @ self.axes.T

    def directions(self, like: Sequence[torch.Tensor]) -> Directions:
        """The axes as parameter-shaped tensors (dtype and device of `like`)."""
        out = []
        for axis in self.axes:
            parts, start = [], 0
            for p in like:
                part = torch.from_numpy(axis[start:start + p.numel()].copy()).reshape(p.shape)
                parts.append(part.to(p.device, p.dtype))
                start += p.numel()
            out.append(parts)
        return out[0], out[1]


def pca_basis(trajectory: np.ndarray, origin: np.ndarray) -> PcaBasis:
    """Li et al. 2018 §7: the top two principal components of M = [w_i - w_final], found from
    the small (N, N) Gram matrix of M (N points, P weights: O(N² P)). Offsets are taken from
    the final weights, not the mean, so the plane passes through them and the path ends at
    (0, 0). Each axis is signed so that the trajectory's first point has a coordinate <= 0
    (the path arrives from the lower left)."""
    trajectory = np.asarray(trajectory, dtype=np.float64)
    origin = np.asarray(origin, dtype=np.float64)
    if trajectory.ndim != 2 or trajectory.shape[1] != origin.size:
        raise ValueError(f"need an (N, {origin.size}) trajectory, got shape {trajectory.shape}")
    offsets = trajectory - origin
    values, vectors = np.linalg.eigh(offsets @ offsets.T)
    order = np.argsort(values)[::-1]
    values, vectors = np.clip(values[order], 0.0, None), vectors[:, order]
    if values.size < 2 or values[1] <= 1e-12 * max(values[0], 1e-300):
        raise ValueError("the recorded path does not span a plane (it stood still or moved "
                         "along one line): train longer, or use random directions")
    axes = (vectors[:, :2].T @ offsets) / np.sqrt(values[:2])[:, None]
    axes /= np.linalg.norm(axes, axis=1, keepdims=True)  # against round-off
    axes[1] -= (axes[1] @ axes[0]) * axes[0]
    axes[1] /= np.linalg.norm(axes[1])
    first = offsets[0] @ axes.T
    axes[first > 0] *= -1
    return PcaBasis(origin, axes, values[:2] / values.sum())


def _flats(stats: Sequence[PathStats]) -> list[np.ndarray]:
    """The weight copies the snapshots still hold, in order (each `flat` read once: a
    recorder may drop it meanwhile)."""
    return [flat for flat in (s.flat for s in stats) if flat is not None]


def pca_problem(recorded: Sequence[PathStats]) -> str:
    """Why PCA directions cannot be used for this recorded path ("" if they can)."""
    if not recorded:
        return "PCA directions need the path of a run trained in this session"
    flats = len(_flats(recorded))
    if flats == 0:
        return (f"PCA directions need the weights along the path, which are kept only for "
                f"networks with up to {PCA_MAX_WEIGHTS:,} weights")
    if flats < PCA_MIN_POINTS:
        return f"PCA directions need at least {PCA_MIN_POINTS} recorded points of the path"
    return ""


# --- the optimizer race ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceLane:
    """One optimizer's run: its path on the plane and its loss, step by step."""

    path: np.ndarray  # (n, 2); shorter than steps + 1 when the loss stopped being finite
    losses: np.ndarray  # (n,)
    diverged: bool


def optimizer_race(model_factory: Callable[[], nn.Module],
                   data: tuple[torch.Tensor, torch.Tensor], loss_fn: LossFn,
                   optimizers: Sequence[str], lr: float, steps: int,
                   plane: tuple[Sequence[torch.Tensor], Sequence[torch.Tensor],
                                Sequence[torch.Tensor]],
                   progress: Progress | None = None) -> dict[str, RaceLane]:
    """Full-batch gradient descent on `data` with each of `optimizers` (names of
    RACE_OPTIMIZERS) at learning rate `lr`, every one on a copy of the SAME initial model, for
    `steps` steps; paths are projected onto `plane` = (origin, d1, d2). A lane stops early
    once its loss is no longer finite (diverged)."""
    unknown = [name for name in optimizers if name not in RACE_OPTIMIZERS]
    if unknown:
        raise ValueError(f"unknown optimizer '{unknown[0]}': use one of "
                         f"{', '.join(RACE_OPTIMIZERS)}")
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"the learning rate must be a positive number, not {lr}")
    x, y = data
    start = model_factory()
    origin, d1, d2 = plane
    lanes = {}
    for k, name in enumerate(optimizers):
        model = copy.deepcopy(start)
        model.train()
        params = parameters_of(model)
        optimizer = RACE_OPTIMIZERS[name](params, lr)
        path, losses = [], []
        diverged = False
        for step in range(steps + 1):
            loss = loss_fn(model(x), y)
            value = float(loss.detach())
            if not math.isfinite(value):
                diverged = True
                break
            path.append(project(params, origin, d1, d2))
            losses.append(value)
            if step < steps:
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
            if progress is not None and step % 10 == 0:
                progress(k * steps + step, len(optimizers) * steps)
        lanes[name] = RaceLane(np.array(path).reshape(-1, 2), np.array(losses), diverged)
    return lanes


# --- a run's landscape (what the lab view computes in the background) ---------------------------

EVAL_SAMPLES = 256  # the fixed evaluation batch: enough for a smooth surface, fast on a CPU
GRID = 21  # points per side of the surface
RACE_STEPS = 60


DIRECTIONS = {"pca": "PCA of the run's path", "random": "random, filter-normalised"}


@dataclass(frozen=True)
class RunPlane:
    """The plane through a run's trained weights, and the batch its loss is measured on.
    `method` is how d1, d2 were chosen: "pca", "random" or "weights" (a two-weight network);
    `note` says why the method asked for could not be used ("" if it was)."""

    graph: Graph
    seed: int
    loss_fn: LossFn
    x: torch.Tensor
    y: torch.Tensor
    model: nn.Module  # holds the trained weights
    origin: list[torch.Tensor]
    d1: list[torch.Tensor]
    d2: list[torch.Tensor]
    method: str = "random"
    pca: PcaBasis | None = None
    note: str = ""

    def initial_model(self) -> nn.Module:
        """The network as the run started: the same graph and seed give the same weights."""
        return build(self.graph, seed=self.seed)


@dataclass(frozen=True)
class Surface:
    alphas: np.ndarray  # (A,)
    betas: np.ndarray  # (B,)
    loss: np.ndarray  # (B, A)
    path: np.ndarray  # (N, 2): the run's recorded snapshots on the plane
    origin: PathStats  # the trained weights' numbers: places more snapshots (replay) on it
    start: np.ndarray  # (2,): the run's initial weights on the plane (where the race starts)
    loss_here: float  # the loss at (0, 0), the trained weights
    method: str = "random"  # see RunPlane
    pca: PcaBasis | None = None

    def place(self, stats: Sequence[PathStats]) -> np.ndarray:
        """(N, 2) coordinates of recorded snapshots on this surface's plane."""
        if self.pca is not None:
            return self.pca.coordinates(stats)
        return path_coordinates(stats, self.origin)


def run_plane(graph: Graph, data: DataConfig, trained: Trained, seed: int,
              recorded: Sequence[PathStats] = (), method: str = "random") -> RunPlane:
    """Load the data and the trained network (CPU) and lay the plane through its weights,
    along PCA directions of the `recorded` path or random filter-normalised ones (`method`,
    a key of DIRECTIONS). PCA falls back to random directions with a `note` when the path
    cannot give them. Raises SetupError/WeightsError/ValueError with a message for the
    learner."""
    if method not in DIRECTIONS:
        raise ValueError(f"unknown directions '{method}': use one of {', '.join(DIRECTIONS)}")
    model = model_with_weights(graph, trained)
    if len(model.output_ids) != 1:
        raise ValueError(f"this network has {len(model.output_ids)} Output layers; the loss "
                         "landscape needs exactly one loss: remove the extra Output layers")
    bundle = load_data(data, seed)
    params = parameters_of(model)
    if not params:
        raise ValueError("this network has no weights to learn, so it has no loss landscape: "
                         "add a Linear or Conv2d layer")
    origin = [p.detach().clone() for p in params]
    pca, note = None, ""
    if is_two_weight([p.shape for p in params]):
        method = "weights"
    elif method == "pca":
        note = pca_problem(recorded)
        if not note:
            trajectory = np.stack(_flats(recorded))
            try:
                pca = pca_basis(trajectory, flat_weights(origin))
            except ValueError as exc:
                note = str(exc)
        if note:
            method, note = "random", f"{note}: showing random directions instead."
    if pca is not None:
        d1, d2 = pca.directions(origin)
    else:
        d1, d2 = directions(model, seed)
    return RunPlane(graph.copy(), seed, loss_function(model.losses[model.output_ids[0]]),
                    bundle.x_train[:EVAL_SAMPLES], bundle.y_train[:EVAL_SAMPLES], model,
                    origin, d1, d2, method, pca, note)


def _span(coords: np.ndarray, floor: float) -> float:
    finite = coords[np.isfinite(coords)]
    return max(floor, 1.25 * float(np.abs(finite).max(initial=0.0)))


def run_surface(plane: RunPlane, recorded: Sequence[PathStats], grid: int = GRID,
                progress: Progress | None = None) -> Surface:
    """The loss around the trained weights on a grid wide enough for the run's path and start.
    Random directions are scaled to the weights, so one square grid at least one weight-norm
    wide suits them; PCA axes are unit vectors and the path spreads unevenly over them, so
    each axis gets its own span (the shorter at least a fifth of the longer)."""
    raw = random_directions([o.shape for o in plane.origin], plane.seed)
    origin = path_stats(plane.origin, raw)
    path = plane.pca.coordinates(recorded) if plane.pca is not None \
        else path_coordinates(recorded, origin)
    start = project(parameters_of(plane.initial_model()), plane.origin, plane.d1, plane.d2)
    points = np.vstack([path.reshape(-1, 2), start[None]])
    if plane.pca is not None:
        span_a, span_b = _span(points[:, 0], 1e-3), _span(points[:, 1], 1e-3)
        span_a, span_b = max(span_a, span_b / 5), max(span_b, span_a / 5)
    else:
        span_a = span_b = _span(points, 1.0)
    alphas, betas = np.linspace(-span_a, span_a, grid), np.linspace(-span_b, span_b, grid)
    model = copy.deepcopy(plane.model)  # an abandoned job may still be finishing with its own
    loss = loss_surface(model, plane.loss_fn, plane.x, plane.y, plane.d1, plane.d2,
                        alphas, betas, progress)
    with torch.no_grad():
        here = float(plane.loss_fn(model.eval()(plane.x), plane.y))
    return Surface(alphas, betas, loss, path, origin, start, here, plane.method, plane.pca)


def run_race(plane: RunPlane, lr: float, steps: int = RACE_STEPS,
             progress: Progress | None = None) -> dict[str, RaceLane]:
    """SGD, SGD + momentum and Adam from the run's initial weights, on the evaluation batch."""
    return optimizer_race(plane.initial_model, (plane.x, plane.y), plane.loss_fn,
                          list(RACE_OPTIMIZERS), lr, steps,
                          (plane.origin, plane.d1, plane.d2), progress)
