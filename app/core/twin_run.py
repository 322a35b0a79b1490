"""Overfitting twins: the same network trained twice from identical weights on a small subset,
once plain and once regularised, so a learner sees the generalisation gap open and close.

Both twins are built from the same graph and seed (`builder.build` gives identical initial
weights) and trained by the ordinary `Trainer`, each in its own thread; a turn lock lets them
run one epoch each in turn, so their curves grow side by side and never compete for the CPU.

The plain twin has no regularisation at all: Dropout layers of the network get p = 0, no weight
decay, no augmentation, no early stopping. The regularised twin gets the learner's choices:

- dropout: existing Dropout layers get the chosen p; a network without Dropout layers gets
  dropout in front of every Linear layer that is not fed by the input directly (a forward
  pre-hook, so both twins keep the same modules and state-dict keys);
- weight decay and augmentation: the optimizer's and the trainer's own settings;
- early stopping: training ends once the validation loss has not improved for `patience`
  epochs, and its final numbers are those of the best epoch (as if the best weights were kept).
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import torch.nn.functional as F
from torch import nn

from app.core.datasets import AugmentConfig, DataBundle
from app.core.experiment import prepare_model
from app.core.graph import Graph
from app.core.trainer import Callback, TrainConfig, TrainControl, Trainer, TrainSummary

TWINS = ("plain", "regularised")
METRICS = ("train_loss", "val_loss", "train_acc", "val_acc")
POLL_S = 0.05


@dataclass(frozen=True)
class Regularisation:
    """What the regularised twin gets on top of the plain one."""

    dropout: float = 0.0
    weight_decay: float = 0.0
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    early_stopping: bool = False
    patience: int = 3

    def __post_init__(self) -> None:
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1) (got {self.dropout})")
        if self.weight_decay < 0:
            raise ValueError(f"weight decay must not be negative (got {self.weight_decay})")
        if self.patience < 1:
            raise ValueError(f"patience must be at least 1 epoch (got {self.patience})")


@dataclass
class TwinHistory:
    """Per-epoch metrics of one twin; `stopped_at` is the best epoch when early stopping ended
    the run, else None."""

    epochs: list[int] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in METRICS})
    stopped_at: int | None = None

    def add(self, metrics: dict[str, Any]) -> None:
        self.epochs.append(int(metrics["epoch"]))
        for name in METRICS:
            self.metrics[name].append(float(metrics[name]))

    def final(self) -> dict[str, float]:
        """The twin's result: its last epoch, or its best one after early stopping."""
        if not self.epochs:
            return {name: math.nan for name in METRICS}
        index = self.epochs.index(self.stopped_at) if self.stopped_at else -1
        return {name: values[index] for name, values in self.metrics.items()}


@dataclass
class TwinResult:
    histories: dict[str, TwinHistory]
    summaries: dict[str, TrainSummary]
    n_train: int


def subset(data: DataBundle, n_train: int) -> DataBundle:
    """The first `n_train` training samples (built-in and torchvision sets are shuffled)."""
    if n_train < 1:
        raise ValueError(f"the training subset needs at least 1 sample (got {n_train})")
    return replace(data, x_train=data.x_train[:n_train], y_train=data.y_train[:n_train])


def add_dropout(model: nn.Module, graph: Graph, p: float) -> None:
    """Set p of the model's Dropout layers, or, if it has none, drop inputs of every Linear
    layer that is not fed by an Input node (see the module docstring)."""
    dropouts = [m for m in model.modules() if isinstance(m, nn.Dropout)]
    for module in dropouts:
        module.p = p
    if dropouts or p == 0:
        return
    for name, module in model.named_children():
        fed_by_input = any(graph.nodes[src].type == "Input" for src in graph.inputs_of(name))
        if isinstance(module, nn.Linear) and not fed_by_input:
            module.register_forward_pre_hook(
                lambda mod, args: (F.dropout(args[0], p, mod.training), *args[1:]))


def build_twins(graph: Graph, data: DataBundle, seed: int, dropout: float) -> dict[str, nn.Module]:
    """The plain and the regularised model: identical initial weights, dropout only in the
    regularised one."""
    twins = {}
    for name in TWINS:
        twins[name] = model = prepare_model(graph, data, seed)
        add_dropout(model, graph, dropout if name == "regularised" else 0.0)
    return twins


class _Turns:
    """Lets the twins' threads run one epoch each in turn (a twin that ended leaves the ring)."""

    def __init__(self, names: tuple[str, ...], halt: threading.Event) -> None:
        self._cond = threading.Condition()
        self._ring = list(names)
        self._halt = halt

    def wait(self, name: str) -> None:
        with self._cond:
            while self._ring and self._ring[0] != name and not self._halt.is_set():
                self._cond.wait(POLL_S)

    def pass_on(self, name: str) -> None:
        with self._cond:
            if self._ring and self._ring[0] == name:
                self._ring.append(self._ring.pop(0))
            self._cond.notify_all()

    def leave(self, name: str) -> None:
        with self._cond:
            if name in self._ring:
                self._ring.remove(name)
            self._cond.notify_all()


class _TwinCallback(Callback):
    """Reports each epoch to the caller's queue, takes turns and applies early stopping."""

    def __init__(self, name: str, turns: _Turns, reports: queue.Queue,
                 control: TrainControl, patience: int | None) -> None:
        self.name, self.turns, self.reports = name, turns, reports
        self.control, self.patience = control, patience
        self.best = (math.inf, 0)  # val loss, epoch

    def on_train_start(self, trainer: Trainer) -> None:
        self.turns.wait(self.name)

    def on_epoch_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        epoch = int(metrics["epoch"])
        if metrics["val_loss"] < self.best[0]:
            self.best = (float(metrics["val_loss"]), epoch)
        stop = self.patience is not None and epoch - self.best[1] >= self.patience
        self.reports.put((self.name, dict(metrics), self.best[1] if stop else None))
        if stop:
            self.control.cancel.set()  # the trainer ends before its next batch
            return
        self.turns.pass_on(self.name)
        self.turns.wait(self.name)

    def on_train_end(self, trainer: Trainer, summary: TrainSummary) -> None:
        self.turns.leave(self.name)
        self.reports.put((self.name, None, summary))


def run_twins(graph: Graph, data: DataBundle, config: TrainConfig, n_train: int,
              regularisation: Regularisation,
              on_epoch: Callable[[str, dict[str, Any]], None] | None = None,
              cancel: threading.Event | None = None) -> TwinResult:
    """Train the plain and the regularised twin of `graph` on the first `n_train` samples.

    `config` gives epochs, batch size, optimizer, learning rate, device and seed (its weight
    decay and augmentation are replaced per twin). `on_epoch(twin, metrics)` is called in this
    thread after every epoch of either twin (metrics: epoch, train/val loss and accuracy); an
    exception it raises stops both twins and is re-raised here. Setting `cancel` stops both
    within an epoch (their summaries then say "cancelled").
    """
    data = subset(data, n_train)
    cancel = cancel or threading.Event()
    base = replace(config, max_steps=None, weight_decay=0.0, augment=AugmentConfig())
    configs = {"plain": base,
               "regularised": replace(base, weight_decay=regularisation.weight_decay,
                                      augment=regularisation.augment)}
    halt = threading.Event()  # ends every wait for a turn
    turns, reports = _Turns(TWINS, halt), queue.Queue()
    controls = {name: TrainControl() for name in TWINS}
    trainers = {}
    for name, model in build_twins(graph, data, config.seed, regularisation.dropout).items():
        patience = (regularisation.patience
                    if name == "regularised" and regularisation.early_stopping else None)
        callback = _TwinCallback(name, turns, reports, controls[name], patience)
        trainers[name] = Trainer(model, data, configs[name], model.losses[model.output_ids[0]],
                                 [callback], controls[name])
    histories = {name: TwinHistory() for name in TWINS}
    summaries: dict[str, TrainSummary] = {}
    threads = [threading.Thread(target=trainers[name].fit, name=f"twin-{name}", daemon=True)
               for name in TWINS]
    for thread in threads:
        thread.start()
    try:
        while len(summaries) < len(TWINS):
            if cancel.is_set():
                _stop(controls)
                halt.set()
            try:
                name, metrics, extra = reports.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if metrics is None:
                summaries[name] = extra
                continue
            histories[name].add(metrics)
            histories[name].stopped_at = extra
            if on_epoch is not None:
                on_epoch(name, metrics)
    finally:
        _stop(controls)
        halt.set()
        for thread in threads:
            thread.join()
    return TwinResult(histories, summaries, len(data.x_train))


def _stop(controls: dict[str, TrainControl]) -> None:
    for control in controls.values():
        control.cancel.set()

