"""What each augmentation alone does to one sample, for the Augmentation lab.

The preview runs the trainer's own `augment_batch` with only one kind switched on, so what a
learner sees is exactly what the network is trained on; one seed per version makes every
version reproducible (the same seed through `augment_batch` gives the same picture).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

import numpy as np
import torch

from app.core.datasets import AugmentConfig, augment_batch

# The kinds in the order the lab shows them (AugmentConfig field names).
KINDS = ("rotation", "crop", "hflip", "color_jitter", "noise", "elastic")


def single_kind(kind: str, strength: float) -> AugmentConfig:
    """An AugmentConfig with only `kind` on at `strength` (a flip is on for any strength > 0)."""
    if kind not in KINDS:
        raise ValueError(f"unknown augmentation '{kind}' (known: {', '.join(KINDS)})")
    if strength < 0 or not np.isfinite(strength):
        raise ValueError(f"the strength of {kind} must be 0 or more (got {strength})")
    kind_type = {f.name: type(f.default) for f in fields(AugmentConfig)}[kind]
    value = round(strength) if kind_type is int else strength
    return AugmentConfig(**{kind: kind_type(value)})


def augment_versions(image: np.ndarray, kind: str, strength: float,
                     seeds: Sequence[int]) -> np.ndarray:
    """`image` (C, H, W) in [0, 1] augmented by `kind` alone, once per seed: (N, C, H, W)."""
    if image.ndim != 3:
        raise ValueError(f"augmentation needs an image (channels, height, width), got shape "
                         f"{tuple(image.shape)}: choose an image dataset")
    cfg = single_kind(kind, strength)
    x = torch.as_tensor(np.asarray(image, dtype=np.float32))[None]
    out = [augment_batch(x, cfg, torch.Generator().manual_seed(int(seed)))[0] for seed in seeds]
    return torch.stack(out).numpy() if out else np.zeros((0, *image.shape), np.float32)
