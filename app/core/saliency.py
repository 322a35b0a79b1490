"""Where does the network look? Three measured answers for one image and one class.

- Gradient saliency: |d score / d pixel|, the largest over the colour channels. A pixel whose
  change would move the class score most is bright.
- SmoothGrad: the same, averaged over copies of the image with a little Gaussian noise. Single
  gradients are speckled (ReLU networks are piecewise linear); the average keeps what is stable.
- Grad-CAM: a conv layer's feature maps weighted by how much the class score grows with each
  map (its spatial mean gradient), summed, rectified and scaled up to the input size: coarse,
  but it shows which region the late layers use.

The score is the class's logit (the network's output before softmax), so a class that is
already certain still has a gradient. Every function works on a model in eval mode and leaves
the model as it found it: training mode and `requires_grad` are restored and hooks removed,
even when something fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from app.core.inspection import eval_mode

Progress = Callable[[int, int], None]
Target = int | torch.Tensor

SMOOTH_SAMPLES, SMOOTH_SIGMA = 25, 0.15
SMOOTH_BATCH = 256  # noisy copies per forward pass
MAX_PIXELS = 1_000_000  # per channel, for the drawing colours


def _check_images(x: torch.Tensor) -> None:
    if x.dim() != 4:
        raise ValueError(f"saliency needs a batch of images (N, channels, height, width), not "
                         f"a tensor of shape {tuple(x.shape)}: choose an image dataset such as "
                         "shapes, mnist or cifar10")
    if len(x) == 0:
        raise ValueError("the batch is empty: pass at least one image")


def _logits(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    out = model(x)
    if isinstance(out, (tuple, list)):  # several Output nodes: the first one is explained
        out = out[0]
    if out.dim() != 2:
        raise ValueError(f"the network's output has shape {tuple(out.shape)[1:]} per image, "
                         "not one score per class: saliency needs a classifier")
    return out


def _targets(target: Target, n: int, classes: int, device: torch.device) -> torch.Tensor:
    """The class index per image as a LongTensor (N,), checked against the number of classes."""
    if isinstance(target, torch.Tensor):
        t = target.to(device=device, dtype=torch.long).reshape(-1)
        if len(t) == 1 and n > 1:
            t = t.expand(n)
        if len(t) != n:
            raise ValueError(f"{len(t)} target classes for {n} images: give one per image")
    else:
        t = torch.full((n,), int(target), dtype=torch.long, device=device)
    if len(t) and (int(t.min()) < 0 or int(t.max()) >= classes):
        raise ValueError(f"class {int(t.max()) if int(t.max()) >= classes else int(t.min())} "
                         f"does not exist: the network has {classes} classes "
                         f"(0 to {classes - 1})")
    return t


def _score(model: nn.Module, x: torch.Tensor, target: Target) -> torch.Tensor:
    """The target class's logit per image, (N,)."""
    logits = _logits(model, x)
    t = _targets(target, len(x), logits.shape[1], logits.device)
    return logits.gather(1, t[:, None])[:, 0]


def _input_gradient(model: nn.Module, x: torch.Tensor, target: Target) -> torch.Tensor:
    """d score_target / d x for every image (in eval mode each image's score depends on that
    image alone, so one backward pass of the summed scores gives all of them)."""
    x = x.detach().clone().requires_grad_(True)
    score = _score(model, x, target)
    (grad,) = torch.autograd.grad(score.sum(), x)
    return grad


def gradient_saliency(model: nn.Module, x: torch.Tensor, target: Target) -> np.ndarray:
    """(N, H, W) float32: |d score_target / d x|, the largest over channels, for x (N, C, H, W)."""
    _check_images(x)
    with eval_mode(model, frozen_weights=True):
        grad = _input_gradient(model, x, target)
    return grad.abs().amax(1).float().cpu().numpy()


def smoothgrad(model: nn.Module, x: torch.Tensor, target: Target,
               samples: int = SMOOTH_SAMPLES, sigma: float = SMOOTH_SIGMA,
               generator: torch.Generator | None = None,
               progress: Progress | None = None) -> np.ndarray:
    """(N, H, W) float32: the mean over `samples` noisy copies of |gradient|, largest over
    channels. The noise's standard deviation is `sigma` times each image's value range (so the
    same sigma suits 0..1 images and standardised ones). `progress(done, samples)` may raise to
    cancel. The generator must live on x's device (CPU by default)."""
    _check_images(x)
    if samples < 1:
        raise ValueError(f"SmoothGrad needs at least 1 noisy sample, not {samples}")
    if sigma < 0:
        raise ValueError(f"the noise level sigma must be 0 or more, not {sigma}")
    n = len(x)
    if isinstance(target, torch.Tensor) and target.numel() not in (1, n):
        raise ValueError(f"{target.numel()} target classes for {n} images: give one per image")
    x = x.detach()
    spread = (x.flatten(1).amax(1) - x.flatten(1).amin(1)).clamp_min(1e-12)
    std = (sigma * spread).reshape(n, 1, 1, 1)
    total = torch.zeros_like(x, dtype=torch.float32)
    per_pass = max(1, SMOOTH_BATCH // n)
    done = 0
    with eval_mode(model, frozen_weights=True):
        while done < samples:
            k = min(per_pass, samples - done)
            noise = torch.randn((k, *x.shape), generator=generator, device=x.device,
                                dtype=x.dtype)
            noisy = (x.unsqueeze(0) + noise * std.unsqueeze(0)).reshape(k * n, *x.shape[1:])
            many = isinstance(target, torch.Tensor) and target.numel() > 1
            grad = _input_gradient(model, noisy, target.repeat(k) if many else target)
            total += grad.abs().reshape(k, *x.shape).sum(0).float()
            done += k
            if progress is not None:
                progress(done, samples)
    return (total / samples).amax(1).cpu().numpy()


def _module(model: nn.Module, layer: str) -> nn.Module:
    modules = dict(model.named_modules())
    if not layer or layer not in modules:
        raise ValueError(f"the network has no layer '{layer}': choose one of its conv layers")
    return modules[layer]


def grad_cam(model: nn.Module, x: torch.Tensor, target: Target, layer: str) -> np.ndarray:
    """(N, H, W) float32, >= 0, at the input's height and width: Grad-CAM of `layer`, whose
    output must be feature maps (N, C, h, w)."""
    _check_images(x)
    module = _module(model, layer)
    captured: list[torch.Tensor] = []

    def hook(_m: nn.Module, _inp: object, out: object) -> None:
        captured.append(out[0] if isinstance(out, tuple) else out)

    handle = module.register_forward_hook(hook)
    try:
        with eval_mode(model, frozen_weights=True):
            xg = x.detach().clone().requires_grad_(True)  # so the layer's output has gradients
            score = _score(model, xg, target)
            if not captured:
                raise ValueError(f"layer '{layer}' is not used by the network's forward pass: "
                                 "choose a layer that feeds the Output")
            maps = captured[-1]
            if maps.dim() != 4:
                raise ValueError(f"layer '{layer}' gives {tuple(maps.shape)[1:]}, not feature "
                                 "maps (channels, height, width): Grad-CAM needs a conv layer "
                                 "(or the activation or pooling after one)")
            (grad,) = torch.autograd.grad(score.sum(), maps)
    finally:
        handle.remove()
    weights = grad.mean((2, 3), keepdim=True)
    cam = F.relu((weights * maps.detach()).sum(1, keepdim=True))
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)
    return cam[:, 0].clamp_min(0).float().cpu().numpy()


def default_cam_layer(model: nn.Module, example: torch.Tensor | Sequence[int]) -> str:
    """The layer Grad-CAM uses unless the user picks another: the last conv layer with spatial
    feature maps (more than 1x1), together with the shape-keeping layers right after it
    (BatchNorm, activation), because those are what the head sees. Without a conv layer, the
    last layer with feature maps. `example` is an input batch or the input shape (C, H, W);
    one image is run through the model to find out (eval mode, no gradients)."""
    if isinstance(example, torch.Tensor):
        _check_images(example)
        x = example[:1]
    else:
        shape = tuple(int(s) for s in example)
        if len(shape) != 3:
            raise ValueError(f"Grad-CAM needs an image input (channels, height, width), not "
                             f"{shape}: choose an image dataset")
        first = next(iter(model.parameters()), None)
        x = torch.zeros((1, *shape), device=first.device if first is not None else "cpu")
    seen: list[tuple[str, nn.Module, tuple[int, ...]]] = []
    handles = []
    for name, module in model.named_modules():
        if name and not any(True for _ in module.children()):
            def hook(m: nn.Module, _inp: object, out: object, name: str = name) -> None:
                out = out[0] if isinstance(out, tuple) else out
                if isinstance(out, torch.Tensor):
                    seen.append((name, m, tuple(out.shape)))
            handles.append(module.register_forward_hook(hook))
    try:
        with eval_mode(model), torch.no_grad():
            _logits(model, x)
    finally:
        for handle in handles:
            handle.remove()
    maps = [(name, m, shape) for name, m, shape in seen
            if len(shape) == 4 and shape[2] * shape[3] > 1]
    if not maps:
        raise ValueError("the network has no layer with feature maps (channels, height, "
                         "width) larger than 1x1: Grad-CAM needs a convolutional network")
    convs = [i for i, (_, m, _) in enumerate(maps)
             if any(p.dim() == 4 for p in m.parameters(recurse=False))]
    if not convs:
        return maps[-1][0]
    i = convs[-1]
    while i + 1 < len(maps) and maps[i + 1][2] == maps[i][2] and not any(
            p.dim() == 4 for p in maps[i + 1][1].parameters(recurse=False)):
        i += 1
    return maps[i][0]


# --- everything the Saliency lab view shows for one image ----------------------------------------


@dataclass(frozen=True)
class Explanation:
    """One image explained for one class: the probabilities and the three maps (H, W)."""

    probs: np.ndarray  # (classes,) softmax of the logits
    target: int
    gradient: np.ndarray
    smooth: np.ndarray
    cam: np.ndarray | None  # None without a Grad-CAM layer (a network without conv layers)
    layer: str | None


def probabilities(model: nn.Module, x: torch.Tensor) -> np.ndarray:
    """(N, classes) softmax probabilities in eval mode (training mode restored)."""
    with eval_mode(model), torch.no_grad():
        return torch.softmax(_logits(model, x).float(), 1).cpu().numpy()


def explain(model: nn.Module, image: torch.Tensor, target: int | None, layer: str | None, *,
            samples: int = SMOOTH_SAMPLES, sigma: float = SMOOTH_SIGMA, seed: int = 0,
            progress: Progress | None = None) -> Explanation:
    """All three maps of one (C, H, W) image for class `target` (None: the predicted class);
    no Grad-CAM when `layer` is None. `progress(done, samples + 2)` may raise to cancel."""
    x = image.unsqueeze(0)
    _check_images(x)
    probs = probabilities(model, x)[0]
    chosen = int(probs.argmax()) if target is None else int(target)
    total = samples + 2

    def step(done: int) -> None:
        if progress is not None:
            progress(done, total)

    gradient = gradient_saliency(model, x, chosen)[0]
    step(1)
    cam = None if layer is None else grad_cam(model, x, chosen, layer)[0]
    step(2)
    generator = torch.Generator(device=x.device).manual_seed(seed)
    smooth = smoothgrad(model, x, chosen, samples, sigma, generator,
                        progress=lambda done, _n: step(2 + done))[0]
    return Explanation(probs, chosen, gradient, smooth, cam, layer)


# --- a drawing that looks like the dataset's images ----------------------------------------------


def drawing_colours(x: torch.Tensor, max_images: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel (background, ink) values of images like `x` (N, C, H, W), measured, so a
    drawing on the pad has the value range of the training images whatever their scaling.

    The background is the median pixel (most of a digit or shape image is background); the
    ink is the far tail (0.5 % / 99.5 % quantile) on the side farther from the background:
    white on black for MNIST-like data, dark on light for data drawn the other way round."""
    _check_images(x)
    pixels = x[:max_images].detach().float().transpose(0, 1).reshape(x.shape[1], -1).cpu()
    pixels = pixels[:, ::-(-pixels.shape[1] // MAX_PIXELS)]  # torch.quantile's size limit
    background = pixels.median(1).values
    low, high = torch.quantile(pixels, torch.tensor([0.005, 0.995]), dim=1)
    ink = torch.where(high - background >= background - low, high, low)
    if torch.all(ink == background):
        raise ValueError("the training images are all one value, so there is nothing to "
                         "draw with: choose another dataset")
    return background.numpy().astype(np.float32), ink.numpy().astype(np.float32)


def render_drawing(coverage: np.ndarray, background: np.ndarray, ink: np.ndarray) -> torch.Tensor:
    """A (1, C, H, W) input from a drawing's ink coverage (H, W) in [0, 1]: each pixel mixes
    the dataset's background and ink values by how much of it the brush covered."""
    cover = torch.as_tensor(np.clip(coverage, 0.0, 1.0), dtype=torch.float32)
    bg = torch.as_tensor(background, dtype=torch.float32).reshape(-1, 1, 1)
    fg = torch.as_tensor(ink, dtype=torch.float32).reshape(-1, 1, 1)
    return (bg + cover.unsqueeze(0) * (fg - bg)).unsqueeze(0)
