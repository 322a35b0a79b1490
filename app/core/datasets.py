"""Datasets: built-in offline sets, torchvision wrappers, image folders; batched augmentation.

Every dataset is loaded once into a `DataBundle` of plain tensors (N first) so the trainer can
move it to the device and index batches without any per-sample Python. The built-in sets are
generated from a seed in well under a second, so lessons work offline and reproducibly:

- ``circle``, ``xor``, ``gauss``, ``spiral``: 2-D points (float32 (N, 2), roughly in [-1, 1]),
  two balanced classes, a little noise; the TensorFlow-Playground classics.
- ``shapes``: 1x28x28 grey images of eight line-drawing shapes. The classes differ in how edges
  meet (bars, junctions, corners, curves), so a CNN's low/mid/high feature maps show the
  edge -> part -> object story.
- ``glyphs``: 1x28x28 digits 0-9 drawn like ``shapes`` from jittered strokes and arcs: an
  offline stand-in for MNIST and the target when transfer learning starts from ``shapes``.
- ``sequence``: a waveform-classification task for recurrent nets: x (N, 20, 1) is a noisy
  sine, square or sawtooth wave with random frequency, phase and amplitude; y names the wave.
- ``translation`` (kind "text"): English number words to German ones, whose word order differs;
  x and y are padded token ids (N, 4) and (N, 6), the classes are the German words, and the
  validation phrases are numbers never seen in training (see `app.core.translation`).

torchvision sets (MNIST, Fashion-MNIST, KMNIST, CIFAR-10) are read from torchvision's root layout
under ``data_dir`` (downloaded only on request) and standardised per channel with the constants
their reference pipelines use (`STANDARDISATION`), so a network sees exactly the inputs of a
torchvision tutorial loop; ``folder:/path`` reads an ImageFolder-style directory of your own
pictures. Generated sets and folders stay raw (images in [0, 1]): they have no reference
statistics. A bundle's `mean`/`std` say how it was standardised; `to_pixels` undoes it for
pictures and augmentation.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from app.core import translation


class DatasetError(ValueError):
    """A dataset that cannot be loaded; the message says what is missing, where, and the fix."""


@dataclass(frozen=True)
class AugmentConfig:
    """Per-batch augmentation, applied on the training device (images only)."""

    hflip: bool = False
    rotation: float = 0.0  # max degrees, uniform in [-rotation, rotation]
    crop: int = 0  # pad by `crop` pixels then randomly crop back to size
    color_jitter: float = 0.0  # max relative brightness/contrast change
    noise: float = 0.0  # std of additive Gaussian noise
    elastic: float = 0.0  # typical (RMS) displacement in pixels of a smooth random warp

    @property
    def active(self) -> bool:
        return bool(self.hflip or self.rotation or self.crop or self.color_jitter or self.noise
                    or self.elastic)


@dataclass(frozen=True)
class DataBundle:
    """A whole small dataset held as tensors (N first), ready to be moved to one device."""

    name: str
    kind: str  # "image" | "points" | "sequence" | "text" (token ids)
    task: str  # "classification" | "regression"
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    classes: tuple[str, ...] = ()
    # Per-channel standardisation x = (pixel - mean) / std the images carry; () for raw data.
    mean: tuple[float, ...] = ()
    std: tuple[float, ...] = ()

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    def to_pixels(self, x: torch.Tensor) -> torch.Tensor:
        """Images of this bundle (..., C, H, W) as pixels in [0, 1], e.g. to show them."""
        return to_pixels(x, self.mean, self.std)

    @property
    def input_dtype(self) -> str:
        """"long" for token ids, else "float" (the Input dtype a network needs)."""
        return "float" if self.x_train.is_floating_point() else "long"

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    @property
    def target_shape(self) -> tuple[int, ...]:
        """() for one label per sample; (T,) for a token sequence per sample (translation)."""
        return tuple(self.y_train.shape[1:]) if self.task == "classification" else ()

    def to(self, device: torch.device | str) -> DataBundle:
        return replace(
            self,
            x_train=self.x_train.to(device),
            y_train=self.y_train.to(device),
            x_val=self.x_val.to(device),
            y_val=self.y_val.to(device),
        )


@dataclass(frozen=True)
class DatasetInfo:
    """What a dataset looks like before loading it (for menus, `datasets` CLI and shape checks)."""

    name: str
    kind: str
    description: str
    builtin: bool
    input_shape: tuple[int, ...]
    num_classes: int
    input_dtype: str = "float"  # "long" for token ids
    target_shape: tuple[int, ...] = ()  # (T,): a class label per time step (token sequences)


DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in (
        DatasetInfo("circle", "points", "A disc of points inside a ring: needs a curved boundary.",
                    True, (2,), 2),
        DatasetInfo("xor", "points", "Four quadrants, opposite corners share a class: needs a "
                    "hidden layer.", True, (2,), 2),
        DatasetInfo("gauss", "points", "Two Gaussian blobs: separable by a straight line.",
                    True, (2,), 2),
        DatasetInfo("spiral", "points", "Two interleaved spirals: the hardest 2-D set.",
                    True, (2,), 2),
        DatasetInfo("shapes", "image", "Procedural 28x28 line drawings (bars, crosses, corners, "
                    "square, triangle, circle).", True, (1, 28, 28), 8),
        DatasetInfo("glyphs", "image", "Procedural 28x28 digits 0-9 drawn from jittered strokes "
                    "and arcs (an offline MNIST stand-in).", True, (1, 28, 28), 10),
        DatasetInfo("sequence", "sequence", "Noisy sine, square or sawtooth wave (20 steps): "
                    "name the waveform.", True, (20, 1), 3),
        DatasetInfo("translation", "text", "English number words to German ('twenty one' -> "
                    "'ein und zwanzig'); held-out numbers test the rule.", True,
                    (translation.SOURCE_LEN,), len(translation.TARGET_VOCAB), "long",
                    (translation.TARGET_LEN,)),
        DatasetInfo("mnist", "image", "Handwritten digits 0-9 (torchvision MNIST).",
                    False, (1, 28, 28), 10),
        DatasetInfo("fashion_mnist", "image", "Clothing photos in 10 classes "
                    "(torchvision FashionMNIST).", False, (1, 28, 28), 10),
        DatasetInfo("kmnist", "image", "Handwritten Japanese Hiragana, 10 classes "
                    "(torchvision KMNIST).", False, (1, 28, 28), 10),
        DatasetInfo("cifar10", "image", "Small colour photos in 10 classes "
                    "(torchvision CIFAR-10).", False, (3, 32, 32), 10),
    )
}

FOLDER_PREFIX = "folder:"
DATA_DIR_ENV = "NETZWERKSTATT_DATA_DIR"
_IMAGE_FOLDER_VAL_FRACTION = 0.2

Progress = Callable[[int, int], None]


def default_data_dir() -> Path:
    """Where torchvision sets live when no data_dir is given ($NETZWERKSTATT_DATA_DIR wins)."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else Path.home() / ".cache" / "netzwerkstatt" / "data"


def load(name: str, *, data_dir: str | os.PathLike | None = None, n_train: int | None = None,
         n_val: int | None = None, seed: int = 0, download: bool = False,
         progress: Progress | None = None, size: int = 32, noise: float | None = None,
         val_fraction: float | None = None, sample: int = 0) -> DataBundle:
    """Load dataset `name` as tensors; raise DatasetError with a user-facing fix otherwise.

    `n_train`/`n_val` override the default sizes (built-ins: generated count; torchvision and
    folders: a seeded random subset). `size` is the square edge images from a folder are
    resized to; `progress(done, total)` is called while torchvision sets load.
    Generated sets only (the Playground's controls): `val_fraction` splits their total count
    anew into training and validation points, `sample` > 0 draws another random sample; and
    `noise` is the std of the 2-D point sets' noise (None: each set's own).
    """
    for label, value in (("n_train", n_train), ("n_val", n_val)):
        if value is not None and value < 1:
            raise DatasetError(f"{label} must be at least 1 (got {value})")
    if name == FOLDER_PREFIX:  # the app's "image folder…" before a folder was chosen
        raise DatasetError("no image folder chosen yet: choose the folder (one subfolder per "
                           "class) in the Training tab, or write folder:/path/to/images")
    if name.startswith(FOLDER_PREFIX):
        return _load_image_folder(name[len(FOLDER_PREFIX):], n_train, n_val, seed, size)
    if name in _BUILTINS:
        make, default_train, default_val = _BUILTINS[name]
        n_train, n_val = n_train or default_train, n_val or default_val
        if val_fraction is not None:
            total = n_train + n_val
            n_val = min(total - 1, max(1, round(total * val_fraction)))
            n_train = total - n_val
        options = ({"std": POINT_NOISE[name] if noise is None else noise}
                   if name in POINT_NOISE else {})
        return make(n_train, n_val, seed + _SAMPLE_STRIDE * sample, **options)
    if name in _TORCHVISION:
        root = Path(data_dir) if data_dir is not None else default_data_dir()
        return _load_torchvision(name, root, n_train, n_val, seed, download, progress)
    valid = ", ".join(DATASETS)
    raise DatasetError(f"unknown dataset '{name}'. Valid names: {valid}, "
                       f"or {FOLDER_PREFIX}/path/to/images for your own image folder")


# --- built-in sets ----------------------------------------------------------------------------


def _generator(seed: int, stream: int) -> torch.Generator:
    """Independent streams for train and val, so changing n_train leaves the val set alone."""
    return torch.Generator().manual_seed(seed * 2 + stream)


def _balanced_labels(n: int, num_classes: int, gen: torch.Generator) -> torch.Tensor:
    """Exactly balanced (up to rounding) labels in random order."""
    labels = torch.arange(n, dtype=torch.int64) % num_classes
    return labels[torch.randperm(n, generator=gen)]


_SAMPLE_STRIDE = 1_000_003  # seed offset between the samples a learner re-draws
POINT_NOISE = {"circle": 0.05, "xor": 0.05, "gauss": 0.05, "spiral": 0.03}  # default std


def _builtin(name: str, make: Callable[..., tuple[torch.Tensor, torch.Tensor]],
             kind: str, classes: tuple[str, ...]) -> Callable[..., DataBundle]:
    def build(n_train: int, n_val: int, seed: int, **options: float) -> DataBundle:
        x_train, y_train = make(n_train, _generator(seed, 0), **options)
        x_val, y_val = make(n_val, _generator(seed, 1), **options)
        return DataBundle(name, kind, "classification", x_train, y_train, x_val, y_val, classes)
    return build


def _noisy(points: torch.Tensor, gen: torch.Generator, std: float) -> torch.Tensor:
    return (points + std * torch.randn(points.shape, generator=gen)).float()


def _circle(n: int, gen: torch.Generator, std: float) -> tuple[torch.Tensor, torch.Tensor]:
    y = _balanced_labels(n, 2, gen)
    radius = torch.where(y == 0, 0.5 * torch.rand(n, generator=gen),
                         0.7 + 0.3 * torch.rand(n, generator=gen))
    angle = 2 * math.pi * torch.rand(n, generator=gen)
    points = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], 1)
    return _noisy(points, gen, std), y


def _xor(n: int, gen: torch.Generator, std: float) -> tuple[torch.Tensor, torch.Tensor]:
    # Class 1 = the coordinates have opposite signs; a gap around the axes keeps the noise from
    # making the task ambiguous.
    y = _balanced_labels(n, 2, gen)
    magnitude = 0.1 + 0.9 * torch.rand(n, 2, generator=gen)
    sx = torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0)
    sy = torch.where(y == 1, -sx, sx)
    return _noisy(magnitude * torch.stack([sx, sy], 1), gen, std), y


def _gauss(n: int, gen: torch.Generator, std: float) -> tuple[torch.Tensor, torch.Tensor]:
    y = _balanced_labels(n, 2, gen)
    centre = torch.where(y == 0, 0.5, -0.5).unsqueeze(1).expand(n, 2)
    return _noisy(centre + 0.25 * torch.randn(n, 2, generator=gen), gen, std), y


def _spiral(n: int, gen: torch.Generator, std: float) -> tuple[torch.Tensor, torch.Tensor]:
    y = _balanced_labels(n, 2, gen)
    t = torch.rand(n, generator=gen)
    radius = 0.05 + 0.95 * t
    angle = 1.75 * 2 * math.pi * t + math.pi * y
    points = torch.stack([radius * torch.sin(angle), radius * torch.cos(angle)], 1)
    return _noisy(points, gen, std), y


SHAPE_CLASSES = ("horizontal bar", "vertical bar", "cross", "diagonal cross", "square outline",
                 "triangle outline", "circle outline", "corner")
_CIRCLE_CLASS = SHAPE_CLASSES.index("circle outline")


def _polyline(*points: tuple[float, float], closed: bool = False) -> list[tuple[float, ...]]:
    ends = points[1:] + (points[:1] if closed else ())
    return [(*a, *b) for a, b in zip(points, ends, strict=False)]


# Line segments (x0, y0, x1, y1) of each class in shape-local units (y points down), one row of
# up to four per class; the circle class is drawn from its own distance function instead.
_SHAPE_SEGMENTS = (
    _polyline((-1.0, 0.0), (1.0, 0.0)),
    _polyline((0.0, -1.0), (0.0, 1.0)),
    _polyline((-1.0, 0.0), (1.0, 0.0)) + _polyline((0.0, -1.0), (0.0, 1.0)),
    _polyline((-0.8, -0.8), (0.8, 0.8)) + _polyline((-0.8, 0.8), (0.8, -0.8)),
    _polyline((-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8), closed=True),
    _polyline((0.0, -0.85), (0.9, 0.75), (-0.9, 0.75), closed=True),
    [],
    _polyline((-0.8, -0.8), (-0.8, 0.8), (0.8, 0.8)),
)


def _segment_table(classes: tuple = _SHAPE_SEGMENTS) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in classes)
    table = torch.zeros(len(classes), width, 4)
    mask = torch.zeros(len(classes), width, dtype=torch.bool)
    for c, segments in enumerate(classes):
        for k, segment in enumerate(segments):
            table[c, k] = torch.tensor(segment)
            mask[c, k] = True
    return table, mask


def _render_shapes(labels: torch.Tensor, gen: torch.Generator, size: int = 28,
                   chunk: int = 1024, classes: tuple = _SHAPE_SEGMENTS,
                   circle_class: int | None = _CIRCLE_CLASS, jitter: float = 0.0) -> torch.Tensor:
    """Draw anti-aliased shapes from distance fields on a pixel grid, a chunk of images at once.

    `classes` holds each class's line segments; `jitter` moves every segment end by that
    much (shape-local units, Gaussian), so strokes look hand-drawn."""
    n = labels.numel()
    half = 6.5 + 5.0 * torch.rand(n, generator=gen)  # half extent in pixels
    angle = math.radians(15.0) * (2 * torch.rand(n, generator=gen) - 1)
    mid = (size - 1) / 2
    room = (mid - 1.0 - 1.1 * half).clamp(min=0.0)  # keep the shape inside the frame
    centre = mid + room.unsqueeze(1) * (2 * torch.rand(n, 2, generator=gen) - 1)
    thickness = 1.5 + 1.5 * torch.rand(n, generator=gen)
    brightness = 0.75 + 0.25 * torch.rand(n, generator=gen)
    noise = 0.05 * torch.randn(n, 1, size, size, generator=gen)

    table, mask = _segment_table(classes)
    cos, sin = torch.cos(angle), torch.sin(angle)
    rot = torch.stack([torch.stack([cos, -sin], -1), torch.stack([sin, cos], -1)], -2)  # (n,2,2)
    rows, cols = torch.meshgrid(torch.arange(size, dtype=torch.float32),
                                torch.arange(size, dtype=torch.float32), indexing="ij")
    gx, gy = cols.flatten(), rows.flatten()  # pixel centres, (HW,)

    images = []
    for start in range(0, n, chunk):
        sl = slice(start, start + chunk)
        lab = labels[sl]
        ends = table[lab].view(-1, table.shape[1], 2, 2)  # (m, K, end, xy)
        if jitter:
            ends = ends + jitter * torch.randn(ends.shape, generator=gen)
        ends = torch.einsum("mij,mkej->mkei", rot[sl], ends) * half[sl, None, None, None]
        ends = (ends + centre[sl, None, None, :]).unsqueeze(-1)  # (m, K, end, xy, 1)
        ax, ay = ends[:, :, 0, 0], ends[:, :, 0, 1]  # (m, K, 1)
        abx, aby = ends[:, :, 1, 0] - ax, ends[:, :, 1, 1] - ay
        apx, apy = gx - ax, gy - ay  # (m, K, HW); x and y kept apart: faster than a last dim of 2
        t = ((apx * abx + apy * aby) / (abx * abx + aby * aby).clamp(min=1e-6)).clamp(0, 1)
        dist2 = (apx - t * abx).square() + (apy - t * aby).square()
        dist = dist2.masked_fill(~mask[lab].unsqueeze(-1), math.inf).amin(1).sqrt()  # (m, HW)
        cx, cy = centre[sl, 0, None], centre[sl, 1, None]
        ring = (torch.hypot(gx - cx, gy - cy) - 0.85 * half[sl, None]).abs()
        if circle_class is not None:
            dist = torch.where((lab == circle_class).unsqueeze(1), ring, dist)
        ink = (thickness[sl, None] / 2 + 0.5 - dist).clamp(0, 1) * brightness[sl, None]
        images.append(ink.view(-1, 1, size, size))
    return (torch.cat(images) + noise).clamp(0, 1)


def _shapes(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    y = _balanced_labels(n, len(SHAPE_CLASSES), gen)
    return _render_shapes(y, gen), y


GLYPH_CLASSES = tuple("0123456789")


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float,
         steps: int = 8) -> list[tuple[float, float]]:
    """Points along an elliptic arc (degrees, 0 = right, 90 = down as y points down)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, stop, steps + 1)]


# Digits as a hand would draw them, from straight strokes and arcs (polylines), in the same
# shape-local units as the shapes above: curves, diagonals, corners and crossings like theirs.
_GLYPH_SEGMENTS = (
    _polyline(*_arc(0, 0, 0.55, 0.95, 0, 360, 8)),
    _polyline((-0.35, -0.65), (0.05, -1.0), (0.05, 1.0)),
    _polyline(*_arc(0, -0.45, 0.5, 0.5, 190, 380, 5), (-0.55, 1.0), (0.6, 1.0)),
    _polyline(*_arc(0, -0.5, 0.45, 0.45, 200, 450, 5))
    + _polyline(*_arc(0, 0.45, 0.5, 0.5, 270, 520, 5)),
    _polyline((0.25, 1.0), (0.25, -1.0), (-0.6, 0.35), (0.6, 0.35)),
    _polyline((0.5, -1.0), (-0.45, -1.0), (-0.5, -0.05), *_arc(0, 0.45, 0.5, 0.5, 240, 500, 6)),
    _polyline((0.35, -1.0), (-0.45, 0.2), *_arc(0, 0.5, 0.48, 0.48, 180, 540, 6)),
    _polyline((-0.55, -1.0), (0.6, -1.0), (-0.15, 1.0)),
    _polyline(*_arc(0, -0.52, 0.4, 0.42, 90, 450, 5))
    + _polyline(*_arc(0, 0.48, 0.5, 0.5, -90, 270, 6)),
    _polyline(*_arc(0, -0.45, 0.48, 0.5, 0, 360, 6), (0.3, 1.0)),
)


def _glyphs(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Digits 0-9 drawn from strokes with jittered ends: an offline stand-in for MNIST, and a
    second task for transfer learning from `shapes` (both are made of the same strokes)."""
    y = _balanced_labels(n, len(GLYPH_CLASSES), gen)
    return _render_shapes(y, gen, classes=_GLYPH_SEGMENTS, circle_class=None, jitter=0.08), y


SEQUENCE_CLASSES = ("sine", "square", "sawtooth")
SEQUENCE_LENGTH = 20


def _sequence(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    y = _balanced_labels(n, len(SEQUENCE_CLASSES), gen)
    cycles = 0.06 + 0.09 * torch.rand(n, 1, generator=gen)  # cycles per step: 1.2-3 per window
    phase = torch.rand(n, 1, generator=gen)
    amplitude = 0.5 + 0.5 * torch.rand(n, 1, generator=gen)
    frac = (cycles * torch.arange(SEQUENCE_LENGTH, dtype=torch.float32) + phase) % 1.0
    waves = torch.stack([torch.sin(2 * math.pi * frac),
                         torch.where(frac < 0.5, 1.0, -1.0),
                         2 * frac - 1])  # (3, n, T)
    x = amplitude * waves[y, torch.arange(n)]
    x = x + 0.1 * torch.randn(x.shape, generator=gen)
    return x.unsqueeze(-1).float(), y


def _translation(n_train: int, n_val: int, seed: int) -> DataBundle:
    """Phrase pairs as token ids; `n_val` numbers are held out (see app.core.translation)."""
    try:
        x_train, y_train, x_val, y_val = translation.tensors(n_train, n_val, seed)
    except ValueError as exc:
        raise DatasetError(f"translation: {exc}") from None
    return DataBundle("translation", "text", "classification", x_train, y_train, x_val, y_val,
                      translation.TARGET_VOCAB)


_BUILTINS: dict[str, tuple[Callable[..., DataBundle], int, int]] = {
    "circle": (_builtin("circle", _circle, "points", ("inside", "ring")), 1000, 300),
    "xor": (_builtin("xor", _xor, "points", ("same sign", "opposite sign")), 1000, 300),
    "gauss": (_builtin("gauss", _gauss, "points", ("upper right", "lower left")), 1000, 300),
    "spiral": (_builtin("spiral", _spiral, "points", ("spiral A", "spiral B")), 1000, 300),
    "shapes": (_builtin("shapes", _shapes, "image", SHAPE_CLASSES), 4000, 1000),
    "glyphs": (_builtin("glyphs", _glyphs, "image", GLYPH_CLASSES), 4000, 1000),
    "sequence": (_builtin("sequence", _sequence, "sequence", SEQUENCE_CLASSES), 2000, 500),
    "translation": (_translation, 799, 200),
}


# --- torchvision sets -------------------------------------------------------------------------


@dataclass(frozen=True)
class _TorchvisionSet:
    cls_name: str  # class in torchvision.datasets
    folder: str  # directory under data_dir that torchvision reads
    files: tuple[str, ...]  # files torchvision needs in that directory
    size_hint: str


# Per-channel (mean, std) of each training set's pixels scaled to [0, 1]: what the reference
# pipelines pass to transforms.Normalize after ToTensor. MNIST (0.1307, 0.3081): pytorch/examples
# mnist/main.py. The others are the training sets' measured per-pixel statistics, the values
# torchvision-based code uses: Fashion-MNIST (0.2860, 0.3530); KMNIST (0.1918, 0.3483);
# CIFAR-10 mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, 0.2616) (the per-pixel std, not
# the often copied mean of per-image stds 0.2023, 0.1994, 0.2010).
STANDARDISATION: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "mnist": ((0.1307,), (0.3081,)),
    "fashion_mnist": ((0.2860,), (0.3530,)),
    "kmnist": ((0.1918,), (0.3483,)),
    "cifar10": ((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)),
}


def standardise(x: torch.Tensor, mean: tuple[float, ...], std: tuple[float, ...]) -> torch.Tensor:
    """Pixels in [0, 1] (..., C, H, W) -> (x - mean) / std per channel, the same float32
    operations as torchvision's Normalize; x itself when there are no statistics."""
    if not mean:
        return x
    m = torch.tensor(mean, dtype=x.dtype, device=x.device).view(-1, 1, 1)
    s = torch.tensor(std, dtype=x.dtype, device=x.device).view(-1, 1, 1)
    return (x - m) / s


def to_pixels(x: torch.Tensor, mean: tuple[float, ...], std: tuple[float, ...]) -> torch.Tensor:
    """Undo `standardise`: pixels in [0, 1] (up to rounding); x itself without statistics."""
    if not mean:
        return x
    m = torch.tensor(mean, dtype=x.dtype, device=x.device).view(-1, 1, 1)
    s = torch.tensor(std, dtype=x.dtype, device=x.device).view(-1, 1, 1)
    return x * s + m


def pixels_of(images: np.ndarray, mean: tuple[float, ...] = (),
              std: tuple[float, ...] = ()) -> np.ndarray:
    """`to_pixels` for numpy images (what views receive), clipped to [0, 1] for display."""
    if not mean:
        return images
    pixels = to_pixels(torch.as_tensor(np.asarray(images, np.float32)), tuple(mean), tuple(std))
    return pixels.clamp(0, 1).numpy()


_MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
_TORCHVISION = {
    "mnist": _TorchvisionSet("MNIST", "MNIST/raw", _MNIST_FILES, "about 12 MB"),
    "fashion_mnist": _TorchvisionSet("FashionMNIST", "FashionMNIST/raw", _MNIST_FILES,
                                     "about 30 MB"),
    "kmnist": _TorchvisionSet("KMNIST", "KMNIST/raw", _MNIST_FILES, "about 20 MB"),
    "cifar10": _TorchvisionSet("CIFAR10", "cifar-10-batches-py",
                               ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                                "data_batch_5", "test_batch", "batches.meta"), "about 170 MB"),
}
TORCHVISION_CLASSES = {name: spec.cls_name for name, spec in _TORCHVISION.items()}


def _missing_message(name: str, spec: _TorchvisionSet, root: Path, missing: list[str]) -> str:
    folder = (root / spec.folder).resolve()
    return (f"dataset '{name}' not found: missing {', '.join(missing)} in {folder}\n"
            f"Fix: pass --data-dir pointing to a folder that contains {spec.folder}/ "
            f"(torchvision layout, e.g. DIR/{spec.folder}/{spec.files[0]}), "
            f"or connect to the network and download it ({spec.size_hint}): "
            f"`netzwerkstatt train ... --download` or the Download box in the app.")


def _subset(n_total: int, n: int | None, gen: torch.Generator) -> torch.Tensor | None:
    """Seeded random indices of `n` items, or None for 'all of them in file order'."""
    if n is None or n >= n_total:
        return None
    return torch.randperm(n_total, generator=gen)[:n]


def _as_images(data, targets, index: torch.Tensor | None, mean: tuple[float, ...] = (),
               std: tuple[float, ...] = ()) -> tuple[torch.Tensor, torch.Tensor]:
    """torchvision's raw arrays -> float images (N, C, H, W) and int64 labels: pixels / 255
    (ToTensor), then standardised with `mean`/`std` (Normalize), value for value."""
    x = torch.as_tensor(data)
    y = torch.as_tensor(targets, dtype=torch.int64)
    if index is not None:
        x, y = x[index], y[index]
    x = x.unsqueeze(1) if x.dim() == 3 else x.permute(0, 3, 1, 2)  # MNIST: NHW, CIFAR: NHWC
    return standardise(x.float().div_(255), mean, std).contiguous(), y


def _load_torchvision(name: str, root: Path, n_train: int | None, n_val: int | None, seed: int,
                      download: bool, progress: Progress | None) -> DataBundle:
    import torchvision.datasets  # deferred: importing torchvision costs about a second

    spec = _TORCHVISION[name]
    folder = root / spec.folder
    missing = [f for f in spec.files if not (folder / f).is_file()]
    if missing and not download:
        raise DatasetError(_missing_message(name, spec, root, missing))
    cls = getattr(torchvision.datasets, spec.cls_name)
    report = progress or (lambda done, total: None)
    report(0, 2)
    try:
        train = cls(str(root), train=True, download=download)
        report(1, 2)
        test = cls(str(root), train=False, download=False)
    except (RuntimeError, OSError) as exc:
        if download:
            raise DatasetError(f"could not download dataset '{name}' into {folder.resolve()}: "
                               f"{exc}\n" + _missing_message(name, spec, root, missing)) from exc
        raise DatasetError(f"could not read dataset '{name}' from {folder.resolve()}: {exc}\n"
                           "Fix: delete the damaged files and download them again.") from exc
    mean, std = STANDARDISATION[name]
    x_train, y_train = _as_images(train.data, train.targets,
                                  _subset(len(train.targets), n_train, _generator(seed, 0)),
                                  mean, std)
    x_val, y_val = _as_images(test.data, test.targets,
                              _subset(len(test.targets), n_val, _generator(seed, 1)), mean, std)
    report(2, 2)
    return DataBundle(name, "image", "classification", x_train, y_train, x_val, y_val,
                      tuple(str(c) for c in train.classes), mean, std)


# --- image folders ----------------------------------------------------------------------------


def _load_image_folder(path: str, n_train: int | None, n_val: int | None, seed: int,
                       size: int) -> DataBundle:
    """An ImageFolder directory (one subfolder per class) -> RGB tensors, seeded 80/20 split."""
    from torchvision import transforms
    from torchvision.datasets import ImageFolder

    root = Path(path).expanduser()
    hint = ("Fix: point folder: at a directory with one subfolder per class, each holding "
            "images (.png, .jpg, ...), e.g. DIR/cats/1.png and DIR/dogs/2.png.")
    if not root.is_dir():
        raise DatasetError(f"image folder not found: {root.resolve()}\n{hint}")
    transform = transforms.Compose([transforms.Resize((size, size)), transforms.ToTensor()])
    try:
        folder = ImageFolder(str(root), transform=transform)
    except FileNotFoundError as exc:
        empty = _empty_class_folders(root)
        why = (f"these class folders hold no images: {', '.join(empty)} (add pictures to "
               "them or remove them)" if empty else str(exc))
        raise DatasetError(f"no usable images in {root.resolve()}: {why}\n{hint}") from exc
    if len(folder) < 2:
        raise DatasetError(f"image folder {root.resolve()} has {len(folder)} image(s); at least "
                           f"2 are needed to split off a validation set.\n{hint}")
    # Decoding files is inherently per-image; it happens once, never in the training loop.
    images = torch.stack([_read_image(folder, i) for i in range(len(folder))])
    labels = torch.tensor(folder.targets, dtype=torch.int64)
    n = len(labels)
    n_hold = min(max(1, round(_IMAGE_FOLDER_VAL_FRACTION * n)), n - 1)
    order = torch.randperm(n, generator=_generator(seed, 0))
    train_idx, val_idx = order[n_hold:], order[:n_hold]
    train_idx = train_idx[:n_train] if n_train is not None else train_idx
    val_idx = val_idx[:n_val] if n_val is not None else val_idx
    return DataBundle(f"{FOLDER_PREFIX}{path}", "image", "classification",
                      images[train_idx], labels[train_idx], images[val_idx], labels[val_idx],
                      tuple(folder.classes))


def _empty_class_folders(root: Path) -> list[str]:
    """Class subfolders of `root` without a file ImageFolder would read (as full paths)."""
    from torchvision.datasets.folder import IMG_EXTENSIONS

    def has_image(folder: str) -> bool:
        return any(name.lower().endswith(IMG_EXTENSIONS)
                   for _, _, names in os.walk(folder, followlinks=True) for name in names)

    return [str(entry.resolve()) for entry in sorted(root.iterdir(), key=lambda p: p.name)
            if entry.is_dir() and not has_image(str(entry))]


def _read_image(folder, index: int) -> torch.Tensor:
    """One decoded image of an ImageFolder, or a DatasetError naming the file and the fix."""
    from PIL import Image

    file = folder.samples[index][0]
    try:
        with warnings.catch_warnings():  # PIL only warns up to twice its pixel limit
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return folder[index][0]
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DatasetError(f"image {file} is too large to read safely ({exc})\n"
                           f"Fix: shrink it below {Image.MAX_IMAGE_PIXELS:,} pixels (images are "
                           "resized to a small square anyway) or remove it.") from None
    except (OSError, ValueError, SyntaxError) as exc:  # PIL's errors for damaged files
        raise DatasetError(f"cannot read image {file}: {exc}\n"
                           "Fix: remove or replace the damaged file.") from None


# --- augmentation and preview -----------------------------------------------------------------


def _uniform(shape: tuple[int, ...], low: float, high: float, gen: torch.Generator | None,
             device: torch.device) -> torch.Tensor:
    """Random numbers drawn on the generator's own device, so a CPU generator fixes a GPU run."""
    where = gen.device if gen is not None else device
    return (low + (high - low) * torch.rand(shape, generator=gen, device=where)).to(device)


def augment_batch(x: torch.Tensor, cfg: AugmentConfig, generator: torch.Generator | None = None,
                  mean: tuple[float, ...] = (), std: tuple[float, ...] = ()) -> torch.Tensor:
    """Randomly augment a float image batch (B, C, H, W), each sample differently.

    Standardised images (`mean`/`std` of their bundle) are augmented as pixels in [0, 1] and
    standardised again, as torchvision's transforms run before Normalize: a shift fills with
    black and the result is clipped to valid pixels. Everything is batched tensor work on x's
    device. Anything that is not a 4-D float batch (points, sequences) is returned unchanged,
    as is x when `cfg` is all off. Each kind is its own function so the Augmentation lab shows
    exactly what the trainer does.
    """
    if not cfg.active or x.dim() != 4 or not x.is_floating_point() or x.shape[0] == 0:
        return x
    out = to_pixels(x, mean, std)
    if cfg.hflip:
        out = random_flip(out, generator)
    if cfg.rotation or cfg.crop:
        out = random_affine(out, cfg.rotation, cfg.crop, generator)
    if cfg.elastic:
        out = random_elastic(out, cfg.elastic, generator)
    if cfg.color_jitter:
        out = random_color(out, cfg.color_jitter, generator)
    if cfg.noise:
        out = random_noise(out, cfg.noise, generator)
    return standardise(out.clamp(0, 1), mean, std).to(x.dtype)


def random_flip(x: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    """Mirror each image left-right with probability 1/2."""
    flip = _uniform((x.shape[0],), 0, 1, generator, x.device) < 0.5
    return torch.where(flip[:, None, None, None], x.flip(-1), x)


def random_affine(x: torch.Tensor, rotation: float, crop: int,
                  generator: torch.Generator | None) -> torch.Tensor:
    """Rotate by up to ±`rotation` degrees and shift by up to ±`crop` whole pixels."""
    b, _, h, w = x.shape
    dev = x.device
    angle = torch.deg2rad(_uniform((b,), -rotation, rotation, generator, dev))
    # Whole-pixel shifts with zero fill are exactly "pad by crop, then crop back".
    shift = torch.floor(_uniform((b, 2), -crop, crop + 1, generator, dev)).clamp(-crop, crop)
    cos, sin = torch.cos(angle), torch.sin(angle)
    # Rotation in pixel space, expressed in affine_grid's [-1, 1] coordinates.
    theta = torch.stack([
        torch.stack([cos, -sin * h / w, 2 * shift[:, 0] / w], 1),
        torch.stack([sin * w / h, cos, 2 * shift[:, 1] / h], 1),
    ], 1).to(x.dtype)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def random_elastic(x: torch.Tensor, strength: float,
                   generator: torch.Generator | None) -> torch.Tensor:
    """Warp each image by a smooth random displacement field whose RMS is `strength` pixels.

    The field is white noise blurred by a Gaussian (sigma: an eighth of the image side), so
    neighbouring pixels move together, like a hand that writes the same digit a bit
    differently; strength 0 samples every pixel where it was.
    """
    b, _, h, w = x.shape
    dev = x.device
    where = generator.device if generator is not None else dev
    field = torch.randn((b, 2, h, w), generator=generator, device=where).to(dev)
    sigma = max(h, w) / 8
    # Separable blur as two small matrix products (rows renormalised at the border).
    field = _blur_matrix(h, sigma, field) @ field @ _blur_matrix(w, sigma, field).T
    rms = field.square().mean(dim=(1, 2, 3), keepdim=True).sqrt().clamp_min(1e-12)
    field = field * (strength / rms)
    # Pixel displacements (dx, dy) in grid_sample's [-1, 1] coordinates.
    scale = torch.tensor([2 / w, 2 / h], device=dev, dtype=field.dtype)
    identity = torch.eye(2, 3, device=dev, dtype=x.dtype).expand(b, 2, 3)
    grid = F.affine_grid(identity, list(x.shape), align_corners=False)
    grid = grid + (field.permute(0, 2, 3, 1) * scale).to(x.dtype)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _blur_matrix(n: int, sigma: float, like: torch.Tensor) -> torch.Tensor:
    """(n, n) Gaussian weights that blur along one axis when multiplied in."""
    taps = torch.arange(n, device=like.device, dtype=like.dtype)
    weights = torch.exp(-0.5 * ((taps[:, None] - taps[None, :]) / sigma) ** 2)
    return weights / weights.sum(dim=1, keepdim=True)


def random_color(x: torch.Tensor, amount: float,
                 generator: torch.Generator | None) -> torch.Tensor:
    """Change brightness and contrast by up to ±`amount` (relative)."""
    b, dev = x.shape[0], x.device
    bright = _uniform((b, 1, 1, 1), 1 - amount, 1 + amount, generator, dev)
    contrast = _uniform((b, 1, 1, 1), 1 - amount, 1 + amount, generator, dev)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    return ((x - mean) * contrast + mean) * bright


def random_noise(x: torch.Tensor, std: float, generator: torch.Generator | None) -> torch.Tensor:
    """Add Gaussian noise of standard deviation `std`."""
    where = generator.device if generator is not None else x.device
    return x + std * torch.randn(x.shape, generator=generator, device=where,
                                 dtype=x.dtype).to(x.device)


def sample_images(bundle: DataBundle, n: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A seeded preview of `n` training samples, cycling through the classes so all show up.

    Returns (x, labels) as numpy arrays; for image bundles x is (n, C, H, W) pixels in [0, 1]
    (a standardised set's standardisation undone), ready to show or to augment.
    """
    y = bundle.y_train.cpu()
    order = torch.randperm(len(y), generator=_generator(seed, 0))
    # Rank of every sample within its class in the shuffled order; sorting by (rank, class)
    # interleaves the classes: one of each, then the next of each, ...
    shuffled = y[order]
    first = torch.zeros(len(y), dtype=torch.int64)
    sorted_labels, by_label = torch.sort(shuffled, stable=True)
    starts = torch.searchsorted(sorted_labels, sorted_labels, right=False)
    first[by_label] = torch.arange(len(y)) - starts
    num = max(int(y.max()) + 1, 1) if len(y) else 1
    pick = order[torch.argsort(first * num + shuffled, stable=True)[:n]]
    x = bundle.x_train[pick.to(bundle.x_train.device)].cpu()
    if bundle.kind == "image" and bundle.mean:
        x = bundle.to_pixels(x).clamp(0, 1)
    return x.numpy(), y[pick].numpy()
