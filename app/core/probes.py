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
from app.core.datasets import pixels_of
from app.core.graph import Graph
from app.core.inspection import captured, eval_mode
from app.core.shapes import ShapeReport
from app.core.trainer import PAD_TOKEN, Callback, Trainer, TrainSummary

MAX_CHANNELS = 16  # feature-map channels per layer in a snapshot (a 4x4 grid)
DISPLAY_INTERVAL_S = 0.5  # ~2 Hz: as fast as a learner can follow feature maps
# Captures during training take at most this share of the time: a network whose capture is slow
# (big layers to histogram, a costly lab extra) is captured less often than DISPLAY_INTERVAL_S.
MAX_CAPTURE_SHARE = 0.01
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


def weight_edges(abs_max: float, bins: int = WEIGHT_BINS) -> np.ndarray:
    """Symmetric bins wide enough for initial weights of largest magnitude `abs_max` to grow
    by half."""
    limit = 1.5 * abs_max
    return np.linspace(-limit, limit, bins + 1) if limit > 0 else np.linspace(-1, 1, bins + 1)


GRAD_EDGES = np.linspace(*GRAD_LOG10_RANGE, GRAD_BINS + 1)


def bin_counts(values: torch.Tensor, low: float, high: float, bins: int) -> torch.Tensor:
    """int64 counts of `values` in `bins` equal bins over [low, high], computed on the values'
    own device (a capture on the GPU moves only the counts); values outside land in the
    first/last bin so none are lost, NaN is left out."""
    scaled = (values.detach().reshape(-1).float() - low) * (bins / (high - low))
    index = scaled.floor_().clamp_(0, bins - 1)
    index = torch.where(torch.isnan(index), bins, index).long()  # NaN: an extra, dropped bin
    return torch.bincount(index, minlength=bins + 1)[:bins]


def grad_bin_counts(grads: torch.Tensor) -> torch.Tensor:
    """Counts of log10(|gradient|) in GRAD_EDGES on the gradients' device (exact zeros count
    in the lowest bin)."""
    magnitudes = torch.nan_to_num(torch.log10(grads.detach().float().abs()),
                                  neginf=GRAD_LOG10_RANGE[0])
    return bin_counts(magnitudes, *GRAD_LOG10_RANGE, GRAD_BINS)


def histogram(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """`bin_counts` for numpy values and evenly spaced `edges`."""
    return bin_counts(torch.as_tensor(values), float(edges[0]), float(edges[-1]),
                      len(edges) - 1).numpy()


def grad_histogram(grads: np.ndarray) -> np.ndarray:
    """`grad_bin_counts` for numpy gradients."""
    return grad_bin_counts(torch.as_tensor(grads)).numpy()


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
        self.capture_seconds = 0.0  # time spent capturing
        self.loop_capture_seconds = 0.0  # of it, inside the batch loop: what slows training
        self._last = -math.inf
        self._gap = interval_s  # seconds between captures: interval_s, longer if they are slow
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
        if perf_counter() - self._last >= self._gap or trainer.control.pause.is_set():
            before = self.capture_seconds
            self.capture(trainer)
            self.loop_capture_seconds += self.capture_seconds - before

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
        cost = self._last - start
        self.capture_seconds += cost
        # interval_s 0 (capture every step) is for tests and debugging: no throttling then.
        self._gap = max(self.interval_s, cost / MAX_CAPTURE_SHARE) if self.interval_s else 0.0
        self.captures += 1
        self.emit(snapshot)
        return snapshot

    def snapshot(self, model: nn.Module, step: int, epoch: int,
                 epoch_end: bool = False) -> Snapshot:
        """The snapshot of an attached `model` as it is now (nothing emitted or counted).

        Everything is computed where the model lives (histograms too) and reaches the CPU in
        two copies, one of floats and one of counts, so a GPU run waits for its device once
        per capture and never moves whole weight tensors.
        """
        index = self.probe_index
        outputs = self._forward(model, index)
        floats: dict[str, torch.Tensor] = {}  # name -> tensor, flattened into one copy
        shapes: dict[str, tuple[int, ...]] = {}
        for layer, out in outputs.items():
            sample = out.detach()[0]
            shapes[layer] = tuple(sample.shape)
            if sample.dim() == 3:
                sample = sample[:self.max_channels]
            else:  # (features,) or (time, features): one channel of one or T rows
                sample = sample.reshape(1, -1, sample.shape[-1])
            floats[f"map/{layer}"] = sample
            floats[f"scale/{layer}"] = sample.abs().max()
        if self._first_conv:
            floats["filters"] = self._first_conv[1].weight.detach()
        floats["input"] = self.probe_x[index]
        host = _to_host(floats, torch.float32)
        counts = _to_host(self._histogram_counts(), torch.int64)
        maps, scales = {}, {}
        for layer in outputs:
            scale = float(host[f"scale/{layer}"])
            array = host[f"map/{layer}"]
            maps[layer] = array / np.float32(scale) if scale > 0 else array
            scales[layer] = scale
        hists = {name: LayerHist(counts[f"w/{name}"], counts[f"g/{name}"], self._edges[name],
                                 GRAD_EDGES) for name in self._hist_layers}
        return Snapshot(
            run_id=self.run_id, step=step, epoch=epoch,
            feature_maps=maps, scales=scales, out_shapes=shapes, hists=hists,
            filters=host.get("filters"),
            filters_layer=self._first_conv[0] if self._first_conv else "",
            probe_index=index, probe_input=host["input"],
            epoch_end=epoch_end, extras=self._extras(model))

    def _extras(self, model: nn.Module) -> dict[str, Any]:
        """Run the lab views' measurements (eval mode, no gradients, training mode restored)."""
        if not self.extras:
            return {}
        with eval_mode(model), torch.no_grad():
            return {name: measure(model) for name, measure in self.extras.items()}

    def _forward(self, model: nn.Module, index: int) -> dict[str, torch.Tensor]:
        """The probe layers' outputs for probe image `index`: one eval-mode forward pass (dropout
        off, BatchNorm statistics untouched) with hooks that live only for it. Layers the
        model dropped (not feeding an output) are skipped."""
        with eval_mode(model), torch.no_grad(), \
                captured(model, self.layers, skip_missing=True) as outputs:
            model(self.probe_x[index:index + 1])
        return outputs

    def _histogram_counts(self) -> dict[str, torch.Tensor]:
        """Weight and gradient counts per layer on the model's device ("w/name", "g/name").
        The weight bins are fixed at the first capture, from the weights as they were then."""
        params = {name: _weight_tensors(module) for name, module in self._hist_layers.items()}
        new = [name for name in params if name not in self._edges]
        if new:  # one read of the largest |weight| of every new layer
            peaks = torch.stack([_abs_max(params[name]) for name in new]).tolist()
            self._edges.update({name: weight_edges(peak)
                                for name, peak in zip(new, peaks, strict=True)})
        counts = {}
        for name, tensors in params.items():
            edges = self._edges[name]
            low, high = float(edges[0]), float(edges[-1])
            counts[f"w/{name}"] = sum(bin_counts(t, low, high, WEIGHT_BINS) for t in tensors)
            grads = [grad_bin_counts(t.grad) for t in tensors if t.grad is not None]
            counts[f"g/{name}"] = (sum(grads) if grads else torch.zeros(
                GRAD_BINS, dtype=torch.int64, device=tensors[0].device))
        return counts


def _abs_max(tensors: Sequence[torch.Tensor]) -> torch.Tensor:
    """The largest |value| over `tensors` as a 0-dim float tensor on their device (0 if empty)."""
    peaks = [t.detach().abs().max().float() for t in tensors if t.numel()]
    return torch.stack(peaks).max() if peaks else torch.zeros((), device=tensors[0].device)


def _to_host(tensors: dict[str, torch.Tensor], dtype: torch.dtype) -> dict[str, np.ndarray]:
    """CPU numpy copies of `tensors` (same shapes, `dtype`) made with a single device copy:
    the tensors are flattened into one buffer, moved once and split again."""
    if not tensors:
        return {}
    flat = torch.cat([t.detach().reshape(-1).to(dtype) for t in tensors.values()])
    host = flat.cpu().numpy()
    out, at = {}, 0
    for name, t in tensors.items():
        out[name] = host[at:at + t.numel()].reshape(t.shape)
        at += t.numel()
    return out


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
    images: np.ndarray | None  # (M, C, H, W) float32 pixels in [0, 1] for images, else None


def misclassified(x_val: torch.Tensor, y_true: np.ndarray, y_pred: np.ndarray,
                  limit: int = MAX_MISCLASSIFIED, mean: tuple[float, ...] = (),
                  std: tuple[float, ...] = ()) -> Misclassified:
    """The first `limit` wrong predictions; images as pixels for the gallery (a standardised
    set's `mean`/`std` undone)."""
    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))[:limit]
    images = None
    if x_val.dim() == 4:
        picked = x_val[torch.as_tensor(wrong, dtype=torch.long, device=x_val.device)]
        images = pixels_of(picked.float().cpu().numpy(), mean, std)
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
    wrong = misclassified(data.x_val, y_true, predictions, mean=data.mean, std=data.std)
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
