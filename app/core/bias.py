"""Bias and shortcuts: a network learns whatever predicts the training labels, fair or not.

The data are the built-in `shapes` images with one extra mark: a small bright square at one of
eight places along the border (four corners, four edge midpoints). Its place is a *cue*: in the
biased training set it names the image's class with probability `strength` and is random
otherwise; in the fair test set it is always random, independent of the class. A network that
learned the shape is unaffected by the fair test; one that took the shortcut and learned the
mark fails exactly where the mark disagrees with the class. This is how a recruiting model
trained on past hiring decisions learns the bias in those decisions.

`run_bias` trains the canvas network (its head resized to the eight shape classes) on the
biased set with the project's optimizer settings and reports training vs fair-test accuracy,
a class x cue-agrees/disagrees table and gradient saliency of a few fair-test images with the
share of it that falls on the mark. `sweep` repeats that for several strengths.
Augmentation is never applied: a flip or crop would move the mark and change what it says.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch
from torch import nn

from app.core.datasets import (
    SHAPE_CLASSES,
    AugmentConfig,
    DataBundle,
    _balanced_labels,
    _render_shapes,
)
from app.core.experiment import fit_head, prepare_model
from app.core.graph import Graph
from app.core.saliency import gradient_saliency
from app.core.trainer import Callback, TrainConfig, Trainer

SIZE = 28  # the shapes images are 1 x 28 x 28
PATCH = 3  # edge of the cue square in pixels
_LOW, _MID, _HIGH = 1, (SIZE - PATCH) // 2, SIZE - 1 - PATCH
# Top-left pixel (row, col) of the cue square for each class, clockwise from the top left.
CUE_PLACES = ((_LOW, _LOW), (_LOW, _MID), (_LOW, _HIGH), (_MID, _HIGH),
              (_HIGH, _HIGH), (_HIGH, _MID), (_HIGH, _LOW), (_MID, _LOW))
NUM_CLASSES = len(SHAPE_CLASSES)
N_TRAIN, N_TEST = 400, 800
SALIENCY_IMAGES = 6  # fair-test images whose maps are returned as pictures
SALIENCY_SAMPLE = 96  # fair-test images the in-cue saliency number is averaged over
SWEEP_STRENGTHS = (0.0, 0.5, 0.8, 0.95, 1.0)
PROGRESS_EVERY_S = 0.1

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CueSet:
    """Images with their class `y` and the class their cue names, `cue` (both int64, (N,))."""

    x: torch.Tensor
    y: torch.Tensor
    cue: torch.Tensor

    @property
    def agrees(self) -> torch.Tensor:
        return self.cue == self.y


def cue_mask(cue: torch.Tensor | np.ndarray, size: int = SIZE) -> np.ndarray:
    """Boolean (N, size, size) masks of where each image's cue square lies."""
    cue = np.asarray(cue)
    masks = np.zeros((len(cue), size, size), dtype=bool)
    for i, place in enumerate(cue):
        row, col = CUE_PLACES[int(place)]
        masks[i, row:row + PATCH, col:col + PATCH] = True
    return masks


def cued_shapes(n: int, strength: float, gen: torch.Generator) -> CueSet:
    """`n` shapes images with a cue square that names the class with probability `strength`
    and a uniformly random class otherwise (so 0 makes the cue independent of the class)."""
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"the cue strength must be between 0 and 1 (got {strength})")
    y = _balanced_labels(n, NUM_CLASSES, gen)
    x = _render_shapes(y, gen, SIZE)
    follows = torch.rand(n, generator=gen) < strength
    random_cue = torch.randint(NUM_CLASSES, (n,), generator=gen)
    cue = torch.where(follows, y, random_cue)
    x = x.masked_fill(torch.from_numpy(cue_mask(cue)).unsqueeze(1), 1.0)
    return CueSet(x, y, cue)


def biased_data(strength: float, n_train: int = N_TRAIN, n_test: int = N_TEST,
                seed: int = 0) -> tuple[CueSet, CueSet]:
    """The biased training set and the fair test set (cue independent of the class).
    Separate random streams: the fair set does not change with the strength."""
    for label, value in (("training", n_train), ("test", n_test)):
        if value < NUM_CLASSES:
            raise ValueError(f"the {label} set needs at least {NUM_CLASSES} images, one per "
                             f"class (got {value})")
    train = cued_shapes(n_train, strength, torch.Generator().manual_seed(2 * seed + 1))
    test = cued_shapes(n_test, 0.0, torch.Generator().manual_seed(2 * seed + 2))
    return train, test


@dataclass(frozen=True)
class GroupStats:
    """Accuracies of one image set, overall and split by whether the cue names the class."""

    acc: float
    agreement: float  # share of images whose cue names their class
    agree_acc: float  # accuracy on those
    disagree_acc: float  # accuracy on the others
    follows_cue: float  # share of the others predicted as the cue's class


@dataclass
class BiasResult:
    """What one training on biased data learned (accuracies are fractions in [0, 1])."""

    strength: float
    train: GroupStats  # the biased training set, after training
    fair: GroupStats  # the fair test set
    counts: np.ndarray  # (classes, 2): fair-test images per class, [cue agrees, disagrees]
    correct: np.ndarray  # (classes, 2): of those, predicted correctly
    images: np.ndarray  # (k, 28, 28) fair-test images with a disagreeing cue, for pictures
    saliency: np.ndarray  # (k, 28, 28) their gradient saliency, each scaled to max 1
    masks: np.ndarray  # (k, 28, 28) bool, where their cue square is
    labels: np.ndarray  # (k,) their class
    cues: np.ndarray  # (k,) the class their cue names
    predicted: np.ndarray  # (k,) the network's class
    cue_saliency: float  # mean saliency inside the cue square / mean elsewhere (fair test)
    epochs: list[dict[str, float]] = field(default_factory=list)  # per epoch: epoch,
    # train_acc, fair_acc, train_loss


class _Report(Callback):
    """Streams epochs and progress out of the trainer. An exception of either callback (the
    job's cancel) stops training at the next batch and is raised again after `fit`."""

    def __init__(self, progress: Progress | None, on_epoch: Callable[[dict], None] | None,
                 offset: int, total: int) -> None:
        self.progress, self.on_epoch = progress, on_epoch
        self.offset, self.total = offset, total
        self.error: BaseException | None = None
        self.epochs: list[dict[str, float]] = []
        self._last = 0.0

    def _guard(self, trainer: Trainer, call: Callable[..., None], *args: Any) -> None:
        if self.error is not None:
            return
        try:
            call(*args)
        except BaseException as exc:  # noqa: BLE001 - raised again by run_bias after fit
            self.error = exc
            trainer.control.cancel.set()

    def on_batch_end(self, trainer: Trainer, step: int, epoch: int, batch: int,
                     batches_per_epoch: int) -> None:
        now = time.monotonic()
        if self.progress is not None and now - self._last >= PROGRESS_EVERY_S:
            self._last = now
            self._guard(trainer, self.progress, self.offset + step, self.total)

    def on_epoch_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        epoch = {"epoch": int(metrics["epoch"]), "train_acc": float(metrics["train_acc"]),
                 "fair_acc": float(metrics["val_acc"]),
                 "train_loss": float(metrics["train_loss"])}
        self.epochs.append(epoch)
        if self.on_epoch is not None:
            self._guard(trainer, self.on_epoch, epoch)


def prepare_network(graph: Graph, seed: int) -> nn.Module:
    """The canvas network with its head resized to the eight shape classes; SetupError (a
    ValueError naming the fix) if its input does not take 1 x 28 x 28 images."""
    graph = graph.copy()
    probe = DataBundle("shapes", "image", "classification", torch.zeros(1, 1, SIZE, SIZE),
                       torch.zeros(1, dtype=torch.int64), torch.zeros(0, 1, SIZE, SIZE),
                       torch.zeros(0, dtype=torch.int64), SHAPE_CLASSES)
    fit_head(graph, probe)
    return prepare_model(graph, probe, seed)


def steps_of(config: TrainConfig, n_train: int) -> int:
    """Batches one `run_bias` trains (for progress over several runs)."""
    return (n_train // min(config.batch_size, n_train)) * config.epochs


@torch.no_grad()
def _predict(model: nn.Module, x: torch.Tensor, batch: int = 512) -> torch.Tensor:
    model.eval()
    return torch.cat([model(x[i:i + batch]).argmax(1) for i in range(0, len(x), batch)])


def run_bias(graph: Graph, config: TrainConfig, strength: float, n_train: int = N_TRAIN,
             n_test: int = N_TEST, progress: Progress | None = None,
             on_epoch: Callable[[dict], None] | None = None, *, progress_offset: int = 0,
             progress_total: int | None = None) -> BiasResult:
    """Train `graph` (see `prepare_network`) on the biased set and measure what it learned.

    `config` gives epochs, batch size, optimizer, learning rate, device and seed (augmentation
    is switched off, see the module docstring). `progress(done, total)` is called during
    training and `on_epoch({epoch, train_acc, fair_acc, train_loss})` after each epoch; an
    exception either raises stops training within a batch and is raised here.
    """
    train, test = biased_data(strength, n_train, n_test, config.seed)
    data = DataBundle("shapes", "image", "classification", train.x, train.y, test.x, test.y,
                      SHAPE_CLASSES)
    model = prepare_network(graph, config.seed)
    config = replace(config, augment=AugmentConfig(), max_steps=None)
    total = progress_total or steps_of(config, n_train)
    report = _Report(progress, on_epoch, progress_offset, total)
    trainer = Trainer(model, data, config, model.losses[model.output_ids[0]], [report])
    summary = trainer.fit()
    if report.error is not None:
        raise report.error
    if summary.status != "completed":  # failed or diverged: the message names the fix
        raise ValueError(f"training on the biased shapes stopped: {summary.message}")
    model = trainer.model.cpu()
    train_pred = _predict(model, train.x)
    test_pred = _predict(model, test.x)
    result = _measure(model, strength, train, train_pred, test, test_pred)
    result.epochs = report.epochs
    return result


def _share(hits: torch.Tensor, where: torch.Tensor) -> float:
    n = int(where.sum())
    return float(hits[where].float().mean()) if n else math.nan


def group_stats(cues: CueSet, predicted: torch.Tensor) -> GroupStats:
    hit, agrees = predicted == cues.y, cues.agrees
    return GroupStats(acc=float(hit.float().mean()), agreement=float(agrees.float().mean()),
                      agree_acc=_share(hit, agrees), disagree_acc=_share(hit, ~agrees),
                      follows_cue=_share(predicted == cues.cue, ~agrees))


def _measure(model: nn.Module, strength: float, train: CueSet, train_pred: torch.Tensor,
             test: CueSet, test_pred: torch.Tensor) -> BiasResult:
    hit, agrees = test_pred == test.y, test.agrees
    counts = np.zeros((NUM_CLASSES, 2), dtype=np.int64)
    correct = np.zeros((NUM_CLASSES, 2), dtype=np.int64)
    for c in range(NUM_CLASSES):
        for g, group in enumerate((agrees, ~agrees)):
            where = (test.y == c) & group
            counts[c, g], correct[c, g] = int(where.sum()), int(hit[where].sum())
    # Saliency of the predicted class: what the network looked at for its own decision.
    # The pictures are the first fair-test images whose cue names another class.
    n = min(SALIENCY_SAMPLE, len(test.x))
    x, y, cue, pred = test.x[:n], test.y[:n], test.cue[:n], test_pred[:n]
    maps = _normalised(gradient_saliency(model, x, pred))
    masks = cue_mask(cue)
    shown = np.flatnonzero((cue != y).numpy())[:SALIENCY_IMAGES]
    return BiasResult(
        strength=strength, train=group_stats(train, train_pred),
        fair=group_stats(test, test_pred), counts=counts, correct=correct,
        images=x[shown, 0].numpy(), saliency=maps[shown].astype(np.float32),
        masks=masks[shown], labels=y[shown].numpy(), cues=cue[shown].numpy(),
        predicted=pred[shown].numpy(), cue_saliency=cue_saliency(maps, masks))


def _normalised(maps: np.ndarray) -> np.ndarray:
    """Each map scaled to a maximum of 1, so every image counts the same."""
    maps = np.abs(np.asarray(maps, dtype=np.float64))
    peak = maps.reshape(len(maps), -1).max(1).reshape(-1, 1, 1)
    return maps / np.where(peak > 0, peak, 1.0)


def cue_saliency(maps: np.ndarray, masks: np.ndarray) -> float:
    """Mean saliency inside the cue squares divided by the mean elsewhere: 1 means the
    network looks at the mark no more than at any other pixel."""
    inside, outside = float(maps[masks].mean()), float(maps[~masks].mean())
    return inside / outside if outside > 0 else math.inf


@dataclass
class SweepPoint:
    strength: float
    train_acc: float
    fair_acc: float
    agree_acc: float
    disagree_acc: float


def sweep(graph: Graph, config: TrainConfig, strengths: Sequence[float] = SWEEP_STRENGTHS,
          n_train: int = N_TRAIN, n_test: int = N_TEST, progress: Progress | None = None,
          on_point: Callable[[SweepPoint], None] | None = None) -> list[SweepPoint]:
    """Fair-test accuracy against cue strength: one `run_bias` per strength, same seed."""
    per_run = steps_of(config, n_train)
    points = []
    for i, strength in enumerate(strengths):
        result = run_bias(graph, config, strength, n_train, n_test, progress,
                          progress_offset=i * per_run, progress_total=per_run * len(strengths))
        point = SweepPoint(strength, result.train.acc, result.fair.acc,
                           result.fair.agree_acc, result.fair.disagree_acc)
        points.append(point)
        if on_point is not None:
            on_point(point)
    return points
