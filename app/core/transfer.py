"""Transfer learning: reuse the weights of an earlier run on a new task, and measure whether it
pays off against training the same network from scratch.

`load_matching` copies every tensor of the source weights whose name and shape match the
network (the layers keep their names, so `conv1.weight` goes to `conv1`) and reports what it
skipped: typically the output layer, which `experiment.fit_head` resized to the new task's
classes and which therefore starts from fresh random weights.

`compare` trains two copies of the network on the same small subset of the target data, one by
one with epochs streamed to the caller:

- "fine-tune" starts from the source weights; layers frozen on the canvas stay exactly as they
  are (the builder takes them out of the optimizer and keeps them in eval mode);
- "scratch" starts from random weights and trains every layer (nothing frozen).

Both are built from the same graph and seed, so everything that is not transferred (the new
head) starts from identical weights in both, and the difference between the curves is the
transferred knowledge alone. For every layer with weights it also measures how far training
moved them: ||w - w0|| / ||w0|| over the layer's parameters, with w0 where that run started.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import torch
from torch import nn

from app.core.datasets import DataBundle
from app.core.experiment import fit_head, prepare_model
from app.core.graph import Graph
from app.core.trainer import Callback, TrainConfig, TrainControl, Trainer, TrainSummary
from app.core.twin_run import TwinHistory, subset
from app.core.weights import state_of

RUNS = ("fine-tune", "scratch")


class TransferError(ValueError):
    """Source weights that cannot start this network; the message says why and what to do."""


@dataclass(frozen=True)
class LoadReport:
    """Which tensors of the source weights went into the network, and which did not."""

    loaded: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (tensor name in the network, why it was not loaded)
    unused: tuple[str, ...]  # source tensors the network has no place for

    @property
    def skipped_layers(self) -> list[str]:
        """Layers (node ids) with at least one tensor that was not loaded, in network order."""
        return list(dict.fromkeys(name.split(".")[0] for name, _why in self.skipped))

    def describe(self) -> str:
        n = len(self.loaded) + len(self.skipped)
        text = f"loaded {len(self.loaded)} of {n} tensors"
        if self.skipped:
            text += "; fresh random weights for " + ", ".join(
                f"{name} ({why})" for name, why in self.skipped)
        if self.unused:
            text += f"; {len(self.unused)} source tensor(s) unused ({', '.join(self.unused[:3])}"
            text += ", …)" if len(self.unused) > 3 else ")"
        return text


def _dims(shape: torch.Size) -> str:
    return "x".join(str(s) for s in shape) or "scalar"


def load_matching(model: nn.Module, source: dict[str, torch.Tensor]) -> LoadReport:
    """Copy every source tensor whose name and shape match into `model` (in place).

    Raises TransferError when nothing matches: the weights come from another network.
    """
    state = model.state_dict()
    loaded: list[str] = []
    skipped: list[tuple[str, str]] = []
    with torch.no_grad():
        for name, target in state.items():
            if name not in source:
                skipped.append((name, "not in the source weights"))
            elif source[name].shape != target.shape:
                skipped.append((name, f"{_dims(source[name].shape)} in the source, "
                                      f"{_dims(target.shape)} here"))
            else:
                target.copy_(source[name])
                loaded.append(name)
    if state and not loaded:
        raise TransferError("none of the source weights fit this network (no layer has the same "
                            "name and shape): they come from a different network. Train this "
                            "network on the source dataset first, or pick another weights file.")
    unused = tuple(name for name in source if name not in state)
    return LoadReport(tuple(loaded), tuple(skipped), unused)


def movement(start: dict[str, torch.Tensor], end: dict[str, torch.Tensor],
             layers: dict[str, list[str]]) -> dict[str, float]:
    """Relative L2 distance ||w - w0|| / ||w0|| of each layer's parameters (0 = unchanged);
    `layers` maps a layer to its parameter names (buffers such as BatchNorm's running
    statistics or its step counter are not weights and would swamp the measure)."""
    out = {}
    for layer, keys in layers.items():
        w0 = torch.cat([start[k].flatten().double() for k in keys])
        w = torch.cat([end[k].flatten().double() for k in keys])
        out[layer] = float((w - w0).norm() / w0.norm().clamp_min(1e-12))
    return out


def parameter_layers(model: nn.Module) -> dict[str, list[str]]:
    """Layers (node ids) that have parameters, in the model's (topological) order, with the
    state-dict names of their parameters."""
    return {name: [f"{name}.{key}" for key, _param in module.named_parameters()]
            for name, module in model.named_children()
            if any(True for _ in module.parameters())}


@dataclass
class TransferResult:
    histories: dict[str, TwinHistory]
    summaries: dict[str, TrainSummary]
    movement: dict[str, dict[str, float]]  # run -> layer -> relative movement
    layers: list[str]  # layers with weights, network order
    frozen: tuple[str, ...]  # frozen in the fine-tune run
    report: LoadReport
    head_fixes: list[str] = field(default_factory=list)  # what fit_head changed
    n_train: int = 0

    def final(self, run: str) -> dict[str, float]:
        return self.histories[run].final()


class _EpochReporter(Callback):
    """Hands each epoch to the caller; an exception there (a cancelled job) stops the run and
    is raised again by `compare`; `cancel` stops it within a batch."""

    def __init__(self, run: str, on_epoch: Callable[[str, dict[str, Any]], None] | None,
                 control: TrainControl, cancel: threading.Event) -> None:
        self.run, self.on_epoch, self.control, self.cancel = run, on_epoch, control, cancel
        self.history = TwinHistory()
        self.error: BaseException | None = None

    def on_batch_end(self, trainer: Trainer, step: int, epoch: int, batch: int,
                     batches_per_epoch: int) -> None:
        if self.cancel.is_set():
            self.control.cancel.set()

    def on_epoch_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        self.history.add(metrics)
        if self.on_epoch is None:
            return
        try:
            self.on_epoch(self.run, dict(metrics))
        except BaseException as exc:  # noqa: BLE001 - raised again by compare, in its thread
            self.error = exc
            self.control.cancel.set()


def compare(graph: Graph, data: DataBundle, source: dict[str, torch.Tensor],
            config: TrainConfig, n_train: int,
            on_epoch: Callable[[str, dict[str, Any]], None] | None = None,
            cancel: threading.Event | None = None) -> TransferResult:
    """Fine-tune from `source` vs train from scratch, on the first `n_train` samples of `data`.

    The graph's head is resized to `data`'s classes first. `config` gives epochs, batch size,
    optimizer, learning rate, device and seed of both runs. `on_epoch(run, metrics)` is called
    after every epoch (run in RUNS; metrics: epoch, train/val loss and accuracy); an exception
    it raises ends the comparison and is raised here. Raises TransferError when the source
    weights fit no layer, SetupError when the network does not fit the data.
    """
    cancel = cancel or threading.Event()
    target = graph.copy()
    fixes = [fix.label for fix in fit_head(target, data)]
    data = subset(data, n_train)
    plain = target.copy()
    for node in plain.nodes.values():
        node.frozen = False
    models = {"fine-tune": prepare_model(target, data, config.seed),
              "scratch": prepare_model(plain, data, config.seed)}
    report = load_matching(models["fine-tune"], source)
    layers = parameter_layers(models["scratch"])
    frozen = tuple(models["fine-tune"].frozen_ids)
    config = replace(config, max_steps=None)
    histories, summaries, moved = {}, {}, {}
    for run in RUNS:
        model = models[run]
        start = state_of(model)
        control = TrainControl()
        reporter = _EpochReporter(run, on_epoch, control, cancel)
        trainer = Trainer(model, data, config, model.losses[model.output_ids[0]], [reporter],
                          control)
        summaries[run] = trainer.fit()
        if reporter.error is not None:
            raise reporter.error
        if summaries[run].status == "failed":
            raise TransferError(f"the {run} run failed: {summaries[run].message}")
        histories[run] = reporter.history
        moved[run] = movement(start, state_of(model), layers)
        if cancel.is_set():
            break
    return TransferResult(histories, summaries, moved, list(layers), frozen, report, fixes,
                          len(data.x_train))
