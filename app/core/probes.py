"""Live views into a training network: feature maps, weight/gradient histograms, filters.

What the dashboard shows must be measured, yet measuring must not slow training down. So a
`ProbeCallback` does nothing on ordinary steps: only at the display interval (about twice a
second, plus every epoch end and every single step while paused) it runs one extra forward pass
of a fixed probe image with forward hooks that exist just for that pass, reads the histograms
of weights and of the gradients the last batch left behind, and hands a small numpy `Snapshot`
to `emit`. Everything in a snapshot is a CPU copy, so the receiver (another thread) never
shares memory with tensors the training loop keeps changing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from time import perf_counter
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import nn

from app.core.catalog import spec
from app.core.graph import Graph
from app.core.shapes import ShapeReport
from app.core.trainer import PAD_TOKEN, Callback, Trainer, TrainSummary

MAX_CHANNELS = 16  # feature-map channels per layer in a snapshot (a 4x4 grid)
DISPLAY_INTERVAL_S = 0.5  # ~2 Hz: as fast as a learner can follow feature maps
WEIGHT_BINS = 41  # odd, so that one bin is centred on zero
GRAD_BINS = 36
GRAD_LOG10_RANGE = (-9.0, 0.0)  # gradient magnitudes 1e-9 .. 1 (vanishing .. exploding)
MAX_MISCLASSIFIED = 24

# A measurement a lab view adds to every snapshot: called with the model (in eval mode, without
# gradients, on its training device) and returns a small numpy payload.
Extra = Callable[[nn.Module], Any]


class LayerHist(NamedTuple):
    """Histograms of one layer's weights (linear bins) and gradient magnitudes (log10 bins).

    Gradients are orders of magnitude smaller than weights and shrink as training converges,
    so they get their own fixed log-scale bins; both sets of edges stay fixed for the whole run
    so histograms of different moments can be stacked into a picture over time.
    """

    weight_counts: np.ndarray  # (WEIGHT_BINS,) int64
    grad_counts: np.ndarray  # (GRAD_BINS,) int64; all zero before the first backward pass
    edges: np.ndarray  # (WEIGHT_BINS + 1,) weight bin edges
    grad_edges: np.ndarray  # (GRAD_BINS + 1,) edges in log10(|gradient|)


@dataclass(frozen=True)
class Snapshot:
    """One moment of a run, as plain numpy arrays (safe to send to the GUI thread)."""

    run_id: int
    step: int
    epoch: int
    # layer id -> (C, H, W) float32 activations of the probe image, up to MAX_CHANNELS channels,
    # divided by `scales[layer]` (the layer's largest |value|) so views can use fixed levels.
    feature_maps: dict[str, np.ndarray]
    scales: dict[str, float]
    out_shapes: dict[str, tuple[int, ...]]  # the layer's full output shape (without batch)
    hists: dict[str, LayerHist]
    filters: np.ndarray | None  # (N, C, k, k) weights of the first Conv2d, or None
    filters_layer: str
    probe_index: int
    probe_input: np.ndarray  # the probe pass's input, e.g. (C, H, W) image or (2,) point
    epoch_end: bool = False
    # What lab views asked the run to measure at each snapshot (see ProbeCallback `extras`),
    # e.g. a decision-boundary grid: name -> numpy payload.
    extras: dict[str, Any] = field(default_factory=dict)


# --- choosing what to show ------------------------------------------------------------------------


def choose_probe_layers(graph: Graph, report: ShapeReport) -> list[str]:
    """Up to three layer ids [low, mid, high] spread over the network's depth.

    Candidates are learnable layers with image-like (C, H, W) outputs, where "edges -> parts ->
    objects" can be seen; where there are fewer than three (LeNet, MLPs, LSTMs) the deepest
    hidden learnable layers fill the remaining places. A layer followed only by an activation is replaced by that activation, because
    activations are what the next layer sees.
    """
    try:
        depths = graph.depths()
    except ValueError:  # a cycle: nothing can be probed until the learner removes it
        return []
    learnable = [nid for nid in sorted(depths, key=lambda n: (depths[n], n))
                 if nid in report.nodes and report.nodes[nid].params > 0
                 and report.nodes[nid].out_shape is not None]
    images = [nid for nid in learnable if len(report.nodes[nid].out_shape) == 3]
    heads = {nid for nid in learnable
             if any(graph.nodes[d].type == "Output" for d in graph.outputs_of(nid))}
    hidden = [nid for nid in learnable if nid not in heads and nid not in images]
    # Too few conv layers (LeNet has two): the deepest hidden dense layers show "objects".
    missing = max(0, 3 - len(images))
    candidates = images + (hidden[len(hidden) - missing:] if missing else [])
    candidates = candidates or learnable
    if len(candidates) > 3:
        candidates = [candidates[0], candidates[len(candidates) // 2], candidates[-1]]
    return [_after_activation(graph, nid) for nid in candidates]


def _after_activation(graph: Graph, node_id: str) -> str:
    consumers = graph.outputs_of(node_id)
    if len(consumers) == 1 and spec(graph.nodes[consumers[0]].type).category == "Activation":
        return consumers[0]
    return node_id


# --- histograms -----------------------------------------------------------------------------------


def _weight_tensors(module: nn.Module) -> list[torch.Tensor]:
    """A layer's weight matrices/kernels (not biases or BatchNorm scales)."""
    return [p for p in module.parameters(recurse=False) if p.dim() >= 2]


def _histogram_layers(model: nn.Module) -> dict[str, nn.Module]:
    return {name: m for name, m in model.named_modules() if name and _weight_tensors(m)}


def _flat(tensors: Sequence[torch.Tensor]) -> np.ndarray:
    return torch.cat([t.detach().reshape(-1).float() for t in tensors]).cpu().numpy()


def weight_edges(weights: np.ndarray, bins: int = WEIGHT_BINS) -> np.ndarray:
    """Symmetric bins wide enough for the initial weights to grow by half."""
    limit = 1.5 * float(np.abs(weights).max()) if weights.size else 1.0
    return np.linspace(-limit, limit, bins + 1) if limit > 0 else np.linspace(-1, 1, bins + 1)


GRAD_EDGES = np.linspace(*GRAD_LOG10_RANGE, GRAD_BINS + 1)


def histogram(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts in fixed bins; values outside land in the first/last bin so none are lost."""
    clipped = np.clip(values, edges[0], edges[-1])
    return np.histogram(clipped, bins=edges)[0]


def grad_histogram(grads: np.ndarray) -> np.ndarray:
    """Counts of log10(|gradient|) in GRAD_EDGES (exact zeros count in the lowest bin)."""
    with np.errstate(divide="ignore"):
        magnitudes = np.log10(np.abs(grads))
    return histogram(np.nan_to_num(magnitudes, neginf=GRAD_LOG10_RANGE[0]), GRAD_EDGES)


# --- the callback ---------------------------------------------------------------------------------


class ProbeCallback(Callback):
    """Captures snapshots at display rate for a fixed probe batch; see the module docstring.

    `probe_x` holds a few validation inputs (N first); one of them, `probe_index`, is run
    through the network per capture. `set_layers` and `set_probe_index` may be called from
    another thread: they take effect at the next capture.
    """

    def __init__(self, layers: Sequence[str], probe_x: torch.Tensor,
                 emit: Callable[[Snapshot], None], *, run_id: int = 0,
                 interval_s: float = DISPLAY_INTERVAL_S, probe_index: int = 0,
                 max_channels: int = MAX_CHANNELS,
                 extras: dict[str, Extra] | None = None) -> None:
        if len(probe_x) == 0:
            raise ValueError("the probe batch is empty: pass at least one validation input")
        self.layers = tuple(layers)
        self.probe_x = probe_x
        self.emit = emit
        self.run_id = run_id
        self.interval_s = interval_s
        self.probe_index = min(max(0, probe_index), len(probe_x) - 1)
        self.max_channels = max_channels
        self.extras = dict(extras or {})
        self.captures = 0
        self.capture_seconds = 0.0  # time spent capturing: the overhead probes add
        self._last = -math.inf
        self._captured_step = -1
        self._edges: dict[str, np.ndarray] = {}

    def set_layers(self, layers: Sequence[str]) -> None:
        self.layers = tuple(layers)

    def set_probe_index(self, index: int) -> None:
        self.probe_index = min(max(0, int(index)), len(self.probe_x) - 1)

    # -- Callback hooks --

    def on_train_start(self, trainer: Trainer) -> None:
        self.attach(trainer.model, trainer.device)
        self.capture(trainer)  # the untrained network: the "before" picture

    def on_batch_end(self, trainer: Trainer, step: int, epoch: int, batch: int,
                     batches_per_epoch: int) -> None:
        # A batch that runs while paused is a single step the learner asked to see.
        if perf_counter() - self._last >= self.interval_s or trainer.control.pause.is_set():
            self.capture(trainer)

    def on_epoch_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        self.capture(trainer, epoch_end=True)

    def on_train_end(self, trainer: Trainer, summary: TrainSummary) -> None:
        # The final state, unless it was just captured or the network is broken (a failed or
        # diverged run would only fail or show NaN again).
        if summary.status in ("completed", "cancelled") and self._captured_step != trainer.step:
            self.capture(trainer)

    # -- capturing --

    def attach(self, model: nn.Module, device: torch.device) -> None:
        """Find the layers to histogram and the filters to show, once per model."""
        self.probe_x = self.probe_x.to(device)
        self._hist_layers = _histogram_layers(model)
        self._first_conv = next(((name, m) for name, m in model.named_modules()
                                 if isinstance(m, nn.Conv2d)), None)

    def capture(self, trainer: Trainer, epoch_end: bool = False) -> Snapshot:
        """Take and emit one snapshot now."""
        start = perf_counter()
        snapshot = self.snapshot(trainer.model, trainer.step, trainer.epoch, epoch_end)
        self._last = perf_counter()
        self._captured_step = trainer.step
        self.capture_seconds += self._last - start
        self.captures += 1
        self.emit(snapshot)
        return snapshot

    def snapshot(self, model: nn.Module, step: int, epoch: int,
                 epoch_end: bool = False) -> Snapshot:
        """The snapshot of an attached `model` as it is now (nothing emitted or counted)."""
        maps, scales, shapes = self._feature_maps(model)
        image = self.probe_x[self.probe_index]
        return Snapshot(
            run_id=self.run_id, step=step, epoch=epoch,
            feature_maps=maps, scales=scales, out_shapes=shapes, hists=self._histograms(),
            filters=(self._first_conv[1].weight.detach().float().cpu().numpy().copy()
                     if self._first_conv else None),
            filters_layer=self._first_conv[0] if self._first_conv else "",
            probe_index=self.probe_index,
            probe_input=image.float().cpu().numpy().copy(),
            epoch_end=epoch_end, extras=self._extras(model))

    def _extras(self, model: nn.Module) -> dict[str, Any]:
        """Run the lab views' measurements (eval mode, no gradients, training mode restored)."""
        if not self.extras:
            return {}
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                return {name: measure(model) for name, measure in self.extras.items()}
        finally:
            model.train(was_training)

    def _feature_maps(self, model: nn.Module) -> tuple[dict, dict, dict]:
        """One eval-mode forward pass of the probe image with hooks that live only for it."""
        outputs: dict[str, torch.Tensor] = {}
        modules = dict(model.named_modules())
        handles = []
        for layer in self.layers:
            if layer in modules:  # layers the model dropped (not feeding an output) are skipped
                def hook(_m: nn.Module, _inp: Any, out: Any, layer: str = layer) -> None:
                    outputs[layer] = (out[0] if isinstance(out, tuple) else out).detach()
                handles.append(modules[layer].register_forward_hook(hook))
        was_training = model.training
        model.eval()  # BatchNorm statistics stay untouched, dropout is off
        try:
            with torch.no_grad():
                model(self.probe_x[self.probe_index:self.probe_index + 1])
        finally:
            for handle in handles:
                handle.remove()
            model.train(was_training)
        maps, scales, shapes = {}, {}, {}
        for layer, out in outputs.items():
            sample = out[0]
            shapes[layer] = tuple(sample.shape)
            if sample.dim() == 3:
                sample = sample[:self.max_channels]
            else:  # (features,) or (time, features): one channel of one or T rows
                sample = sample.reshape(1, -1, sample.shape[-1])
            scale = float(sample.abs().max())
            array = sample.float().cpu().numpy()
            maps[layer] = (array / scale if scale > 0 else array.copy()).astype(np.float32)
            scales[layer] = scale
        return maps, scales, shapes

    def _histograms(self) -> dict[str, LayerHist]:
        hists = {}
        for name, module in self._hist_layers.items():
            params = _weight_tensors(module)
            weights = _flat(params)
            edges = self._edges.get(name)
            if edges is None:
                edges = self._edges[name] = weight_edges(weights)
            grads = [p.grad for p in params if p.grad is not None]
            grad_counts = (grad_histogram(_flat(grads)) if grads
                           else np.zeros(GRAD_BINS, dtype=np.int64))
            hists[name] = LayerHist(histogram(weights, edges), grad_counts, edges, GRAD_EDGES)
        return hists


def snapshot_of(model: nn.Module, layers: Sequence[str], probe_x: torch.Tensor, *,
                probe_index: int = 0, run_id: int = 0, step: int = 0,
                epoch: int = 0, extras: dict[str, Extra] | None = None) -> Snapshot:
    """Feature maps and weight histograms of a model without training it, e.g. of weights
    restored with a project; the same code path as the snapshots of a run."""
    probe = ProbeCallback(layers, probe_x, lambda _snapshot: None, run_id=run_id,
                          probe_index=probe_index, extras=extras)
    first = next(iter(model.parameters()), None)
    probe.attach(model, first.device if first is not None else torch.device("cpu"))
    return probe.snapshot(model, step, epoch)


# --- results at epoch end -------------------------------------------------------------------------


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """counts[true, predicted] as an int64 (K, K) matrix."""
    index = np.asarray(y_true, dtype=np.int64) * num_classes + np.asarray(y_pred, dtype=np.int64)
    return np.bincount(index, minlength=num_classes * num_classes).reshape(num_classes,
                                                                          num_classes)


@dataclass(frozen=True)
class Misclassified:
    """Validation samples the network got wrong (the first `limit` of them, in val order)."""

    indices: np.ndarray  # into the validation set
    y_true: np.ndarray
    y_pred: np.ndarray
    images: np.ndarray | None  # (M, C, H, W) float32 for image data, else None


def misclassified(x_val: torch.Tensor, y_true: np.ndarray, y_pred: np.ndarray,
                  limit: int = MAX_MISCLASSIFIED) -> Misclassified:
    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))[:limit]
    images = None
    if x_val.dim() == 4:
        picked = x_val[torch.as_tensor(wrong, dtype=torch.long, device=x_val.device)]
        images = picked.float().cpu().numpy()
    return Misclassified(wrong, np.asarray(y_true)[wrong], np.asarray(y_pred)[wrong], images)


def epoch_results(trainer: Trainer, metrics: dict[str, Any]) -> dict[str, Any]:
    """The epoch's metrics plus, for classification, a confusion matrix and the misclassified
    validation samples, from the validation pass the trainer just made for this epoch."""
    result = dict(metrics)
    data = trainer.data
    predictions = trainer.last_eval["predictions"]
    if data.task != "classification" or len(data.y_val) == 0 or len(predictions) != len(data.y_val):
        return result  # regression, or no validation pass yet
    y_true = data.y_val.cpu().numpy()
    rows = None
    if y_true.ndim == 2:  # token sequences: confuse words, at the non-padding steps
        rows, steps = np.nonzero(y_true != PAD_TOKEN)
        y_true, predictions = y_true[rows, steps], predictions[rows, steps]
    k = max(data.num_classes, int(y_true.max()) + 1, int(predictions.max()) + 1)
    result["confusion"] = confusion_matrix(y_true, predictions, k)
    result["classes"] = tuple(data.classes) or tuple(str(i) for i in range(k))
    wrong = misclassified(data.x_val, y_true, predictions)
    if rows is not None:  # word positions -> the validation phrases they belong to
        wrong = replace(wrong, indices=rows[wrong.indices])
    result["misclassified"] = wrong
    return result


# --- replay history -------------------------------------------------------------------------------


class SnapshotHistory:
    """The snapshots of one run for Replay, bounded to `capacity` items.

    When full, every second snapshot is dropped and from then on only every `stride`-th new one
    is kept, so the history always spans the whole run at an even (coarser) spacing instead of
    forgetting its beginning. Epoch-end snapshots survive the thinning while they fit.
    """

    def __init__(self, capacity: int = 200) -> None:
        if capacity < 2:
            raise ValueError("a replay history needs room for at least 2 snapshots")
        self.capacity = capacity
        self.items: list[Snapshot] = []
        self.stride = 1
        self._seen = 0

    def append(self, snapshot: Snapshot) -> bool:
        """Record `snapshot`; False when the downsampling skipped it."""
        self._seen += 1
        if self._seen % self.stride and not snapshot.epoch_end:
            return False
        self.items.append(snapshot)
        while len(self.items) > self.capacity:
            items = self.items
            keep = [s for i, s in enumerate(items) if i % 2 == 0 or s.epoch_end]
            if len(keep) + 1 >= len(items):  # (nearly) all epoch ends: thin them too
                keep = items[::2]
            if keep[-1] is not items[-1]:
                keep.append(items[-1])  # the newest moment always stays
            self.items = keep
            self.stride *= 2
        return True

    def clear(self) -> None:
        self.items.clear()
        self.stride = 1
        self._seen = 0

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Snapshot:
        return self.items[index]
