"""Inside an LSTM: its gates and states at every time step, computed from its own weights.

`nn.LSTM` only returns the hidden states of its last layer and the final (h, c); the gates that
make an LSTM interesting never leave its fused kernel. So `unroll_lstm` recomputes the layer
step by step from `weight_ih_l{k}`, `weight_hh_l{k}` and the biases (PyTorch's gate order is
i, f, g, o):

    i = σ(W_ii x + b_ii + W_hi h + b_hi)    input gate: how much new content is written
    f = σ(W_if x + b_if + W_hf h + b_hf)    forget gate: how much of the old cell is kept
    g = tanh(W_ig x + b_ig + W_hg h + b_hg) the candidate content
    o = σ(W_io x + b_io + W_ho h + b_ho)    output gate: how much of the cell is shown
    c' = f * c + i * g,   h' = o * tanh(c')

Its last layer's h equals the module's output (tests hold it to 1e-5), which is what makes the
pictures honest. `trace_model` runs a whole built network on one input with forward pre-hooks
that catch what each LSTM receives (its input and any initial state), then unrolls each one.
Dropout between stacked layers only acts in training mode, so the unrolled stack is the
evaluation-mode network, the one that makes predictions.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import numpy as np
import torch
from torch import nn

from app.core.inspection import eval_mode

QUANTITIES = ("h", "c", "i", "f", "g", "o")
BUDGET = 0.03  # the live measurement may take at most this share of the training time


@dataclass(frozen=True)
class Unrolled:
    """Every layer's states and gates at every step, as tensors (layers, N, T, hidden)."""

    h: torch.Tensor
    c: torch.Tensor
    i: torch.Tensor
    f: torch.Tensor
    g: torch.Tensor
    o: torch.Tensor

    @property
    def output(self) -> torch.Tensor:
        """What `nn.LSTM` returns as its output: the last layer's h, (N, T, hidden)."""
        return self.h[-1]

    @property
    def final(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(h_n, c_n) as `nn.LSTM` returns them: (layers, N, hidden) each."""
        return self.h[:, :, -1], self.c[:, :, -1]


def _check_supported(lstm: nn.LSTM) -> None:
    if not isinstance(lstm, nn.LSTM):
        raise ValueError(f"only LSTM layers have input, forget and output gates, not "
                         f"{type(lstm).__name__}: choose an LSTM node")
    if lstm.bidirectional:
        raise ValueError("a bidirectional LSTM reads the sequence twice: unrolling it is not "
                         "supported, use a one-directional LSTM")
    if lstm.proj_size:
        raise ValueError("an LSTM with a projection (proj_size) is not supported: set "
                         "proj_size to 0")


def unroll_lstm(lstm: nn.LSTM, x: torch.Tensor,
                hx: tuple[torch.Tensor, torch.Tensor] | None = None) -> Unrolled:
    """Recompute `lstm(x, hx)` step by step (see the module docstring), without gradients.

    `x` is (N, T, F) for batch_first layers, (T, N, F) otherwise, or an unbatched (T, F);
    `hx` is the optional initial (h0, c0), each (layers, N, hidden) or (layers, hidden)."""
    _check_supported(lstm)
    if x.dim() not in (2, 3):
        raise ValueError(f"an LSTM reads (time, features) sequences, not an input of shape "
                         f"{tuple(x.shape)}")
    unbatched = x.dim() == 2
    if unbatched:
        x = x.unsqueeze(0)
        hx = None if hx is None else (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
    elif not lstm.batch_first:
        x = x.transpose(0, 1)
    if x.shape[-1] != lstm.input_size:
        raise ValueError(f"the LSTM expects {lstm.input_size} features per step but got "
                         f"{x.shape[-1]}")
    n, steps, hidden, layers = x.shape[0], x.shape[1], lstm.hidden_size, lstm.num_layers
    weight = lstm.weight_ih_l0
    x = x.to(dtype=weight.dtype, device=weight.device)
    if hx is None:
        h0 = torch.zeros(layers, n, hidden, dtype=weight.dtype, device=weight.device)
        c0 = torch.zeros_like(h0)
    else:
        h0, c0 = (t.to(dtype=weight.dtype, device=weight.device) for t in hx)
    per_layer: dict[str, list[torch.Tensor]] = {name: [] for name in QUANTITIES}
    with torch.no_grad():
        seq = x
        for k in range(layers):
            w_ih, w_hh = getattr(lstm, f"weight_ih_l{k}"), getattr(lstm, f"weight_hh_l{k}")
            from_input = seq @ w_ih.T  # every step's input part at once: (N, T, 4H)
            if lstm.bias:
                from_input = from_input + (getattr(lstm, f"bias_ih_l{k}")
                                           + getattr(lstm, f"bias_hh_l{k}"))
            h, c = h0[k], c0[k]
            steps_out: list[torch.Tensor] = []  # (N, 6H) per step: h, c, i, f, g, o
            for t in range(steps):
                pre = from_input[:, t] + h @ w_hh.T
                gates = pre.sigmoid()
                i, f, o = gates[:, :hidden], gates[:, hidden:2 * hidden], gates[:, 3 * hidden:]
                g = pre[:, 2 * hidden:3 * hidden].tanh()
                c = f * c + i * g
                h = o * c.tanh()
                steps_out.append(torch.cat((h, c, i, f, g, o), 1))
            layer = torch.stack(steps_out, 1)  # (N, T, 6H)
            for j, name in enumerate(QUANTITIES):
                per_layer[name].append(layer[..., j * hidden:(j + 1) * hidden])
            seq = per_layer["h"][-1]
    out = {name: torch.stack(values) for name, values in per_layer.items()}
    return Unrolled(**out)


# --- a whole network -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LSTMTrace:
    """One LSTM node on one input: each quantity as (layers, time, hidden) float32 numpy, and
    `x`, what the node reads at each step (time, features): a word's embedding, a wave's value
    or, in a decoder, the encoder's summary repeated."""

    node: str
    x: np.ndarray
    h: np.ndarray
    c: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray

    def get(self, quantity: str) -> np.ndarray:
        if quantity not in QUANTITIES:
            raise ValueError(f"unknown quantity '{quantity}' (known: {', '.join(QUANTITIES)})")
        return getattr(self, quantity)

    @property
    def steps(self) -> int:
        return self.h.shape[1]


@dataclass(frozen=True)
class ModelTrace:
    """Every LSTM node of a network on one input, and the network's output for it."""

    traces: dict[str, LSTMTrace]
    output: np.ndarray  # the first output head's result for the input, without batch axis
    label: str = ""  # what the input was (a phrase, "validation sample 3"), for the view


def lstm_nodes(model: nn.Module) -> dict[str, nn.LSTM]:
    """The network's LSTM layers by node id (the catalog's Recurrent node keeps its nn.LSTM
    as `<node>.rnn`), in the order the network was built."""
    found = {}
    for name, module in model.named_modules():
        if isinstance(module, nn.LSTM) and name:
            found[name.split(".")[0]] = module
    return found


@contextmanager
def _inputs_of(lstms: dict[str, nn.LSTM]) -> Iterator[dict[str, tuple[Any, ...]]]:
    """What each LSTM is called with during forward passes inside the block: (x, hx)."""
    seen: dict[str, tuple[Any, ...]] = {}
    handles = []
    for node, lstm in lstms.items():
        def hook(_m: nn.Module, args: tuple, kwargs: dict, node: str = node) -> None:
            x = args[0] if args else kwargs.get("input")
            hx = args[1] if len(args) > 1 else kwargs.get("hx")
            seen[node] = (x, hx)
        handles.append(lstm.register_forward_pre_hook(hook, with_kwargs=True))
    try:
        yield seen
    finally:
        for handle in handles:
            handle.remove()


def _sample(tensor: torch.Tensor, lstm: nn.LSTM) -> torch.Tensor:
    """The first sequence of what an LSTM was called with, as (time, features)."""
    if tensor.dim() == 2:
        return tensor
    return tensor[0] if lstm.batch_first else tensor[:, 0]


def trace_model(model: nn.Module, x: torch.Tensor | np.ndarray,
                nodes: Sequence[str] | None = None, *, label: str = "") -> ModelTrace:
    """Run `model` on the single input `x` (no batch axis; evaluation mode, no gradients, the
    mode restored afterwards) and unroll each LSTM node in `nodes` (default: all of them)."""
    lstms = lstm_nodes(model)
    if not lstms:
        raise ValueError("the network has no LSTM layer: add an LSTM node between the input "
                         "and the output")
    if nodes is not None:
        missing = [n for n in nodes if n not in lstms]
        if missing:
            raise ValueError(f"'{missing[0]}' is not an LSTM of this network (its LSTMs: "
                             f"{', '.join(lstms)})")
        lstms = {n: lstms[n] for n in nodes}
    first = next(iter(model.parameters()))
    batch = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x)
    if not batch.is_floating_point():
        batch = batch.long()  # token ids (e.g. for an Embedding) stay integers
    batch = batch.unsqueeze(0).to(first.device)
    with eval_mode(model), torch.no_grad(), _inputs_of(lstms) as seen:
        result = model(batch)
        traces = {}
        for node, lstm in lstms.items():
            if node not in seen:
                raise ValueError(f"the LSTM '{node}' was not used for this input")
            seq, hx = seen[node]
            if isinstance(seq, nn.utils.rnn.PackedSequence):
                raise ValueError(f"the LSTM '{node}' reads a packed sequence: this view "
                                 "needs a plain (batch, time, features) tensor")
            unrolled = unroll_lstm(lstm, seq, hx)
            traces[node] = LSTMTrace(node, _sample(seq, lstm).float().cpu().numpy(), **{
                name: getattr(unrolled, name)[:, 0].float().cpu().numpy()
                for name in QUANTITIES})
    head = result[0] if isinstance(result, tuple) else result
    return ModelTrace(traces, head[0].float().cpu().numpy(), label)


# --- live, while a run trains ---------------------------------------------------------------------


class LiveTrace:
    """A snapshot measurement (`probes.Extra`): the chosen input's trace on the training
    model. The view may change the input from another thread with `choose`; a measurement
    that would take more than `budget` of the time since the previous one is skipped (None),
    so the run never slows by more than a few per cent."""

    def __init__(self, budget: float = BUDGET, clock: Callable[[], float] = perf_counter) -> None:
        self.budget = budget
        self.clock = clock
        self._lock = threading.Lock()
        self._input: tuple[np.ndarray, str] | None = None
        self._kind: tuple[tuple[int, ...], str] | None = None  # shape and dtype kind of inputs
        self._last_end = -math.inf
        self._cost = 0.0
        self.skipped = 0
        self.measured = 0
        self.seconds = 0.0  # total time spent measuring (the overhead it adds)

    def choose(self, x: np.ndarray | None, label: str = "") -> None:
        """The input to measure from the next snapshot on (None: measure nothing). An input
        unlike the first one (another dataset was chosen meanwhile) raises ValueError: the
        training model could not read it, and the run must not fail because of a view."""
        x = None if x is None else np.array(x, copy=True)
        with self._lock:
            if x is not None and self._kind is not None and (x.shape, x.dtype.kind) != self._kind:
                raise ValueError(f"this run reads inputs of shape {self._kind[0]}, but "
                                 f"'{label}' has shape {x.shape}: it can be shown after the run")
            if x is not None and self._kind is None:
                self._kind = (x.shape, x.dtype.kind)
            self._input = None if x is None else (x, label)

    def __call__(self, model: nn.Module) -> ModelTrace | None:
        with self._lock:
            chosen = self._input
        if chosen is None or not lstm_nodes(model):
            return None
        start = self.clock()
        if self._cost > 0 and (start - self._last_end) * self.budget < self._cost:
            self.skipped += 1
            return None
        result = trace_model(model, chosen[0], label=chosen[1])
        self._last_end = self.clock()
        cost = self._last_end - start
        self.seconds += cost
        self.measured += 1
        # The first call pays one-time costs (allocations, 5-10x slower): it sets no estimate.
        if self.measured > 1:
            self._cost = cost if self._cost == 0 else min(cost, 2 * self._cost)
        return result
