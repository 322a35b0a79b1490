"""Looking inside a model without changing it: evaluation mode and captured layer outputs.

Every lab measurement (probes, saliency, attacks, activation maximisation, the loss landscape,
the LSTM unroll, the Playground boundary) runs the learner's network in eval mode, so dropout is
off and BatchNorm statistics stay untouched, and must hand the network back exactly as it was,
also when the measurement fails or is cancelled. These two context managers are the one place
that does it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import torch
from torch import nn


@contextmanager
def eval_mode(model: nn.Module, frozen_weights: bool = False) -> Iterator[nn.Module]:
    """`model` in eval mode inside the block; its training mode is restored afterwards.

    `frozen_weights`: also switch off gradients of the trainable weights for the block (when
    only the input needs gradients: faster, and no weight's `.grad` is touched); the same
    weights get `requires_grad` back afterwards, frozen layers stay frozen.
    """
    was_training = model.training
    params = [p for p in model.parameters() if p.requires_grad] if frozen_weights else []
    model.eval()
    for p in params:
        p.requires_grad_(False)
    try:
        yield model
    finally:
        for p in params:
            p.requires_grad_(True)
        model.train(was_training)


def named_layers(model: nn.Module, layers: Sequence[str],
                 skip_missing: bool = False) -> dict[str, nn.Module]:
    """The submodules called `layers`; a missing name is a ValueError unless `skip_missing`
    (a layer the built model dropped because it feeds no Output)."""
    found = dict(model.named_modules())
    missing = [name for name in layers if name not in found or not name]
    if missing and not skip_missing:
        raise ValueError(f"the network has no layer '{missing[0]}' (it may not feed an "
                         "Output): choose another layer")
    return {name: found[name] for name in layers if name in found and name}


@contextmanager
def captured(model: nn.Module, layers: Sequence[str], *, before_relu: bool = False,
             skip_missing: bool = False) -> Iterator[dict[str, torch.Tensor]]:
    """Outputs of `layers` (first element of a tuple output) during forward passes inside the
    block, by name; the forward hooks never outlive it.

    `before_relu`: for a ReLU layer, its input instead (activation maximisation climbs through
    it). `skip_missing`: see `named_layers`. The tensors are not detached: under
    `torch.no_grad()` they carry no graph, otherwise gradients can flow through them.
    """
    outputs: dict[str, torch.Tensor] = {}
    handles = []
    try:
        for name, module in named_layers(model, layers, skip_missing).items():
            pre = before_relu and isinstance(module, nn.ReLU)

            def hook(_m: nn.Module, inp: tuple, out: object, name: str = name,
                     pre: bool = pre) -> None:
                out = inp[0] if pre else out
                outputs[name] = out[0] if isinstance(out, tuple) else out
            handles.append(module.register_forward_hook(hook))
        yield outputs
    finally:
        for handle in handles:
            handle.remove()
