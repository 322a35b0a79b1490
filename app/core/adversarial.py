"""Adversarial examples: tiny, targeted changes of an image that flip a trained network's
decision, and adversarial training, which buys robustness against them.

FGSM (fast gradient sign method) moves every pixel by exactly epsilon in the direction that
raises the loss; PGD (projected gradient descent) takes several smaller such steps and after
each one projects back into the L-inf ball of radius epsilon around the image. Both keep the
image inside the dataset's value range (measured from the data, never assumed to be [0, 1]).
Attacks run in eval mode and differentiate only with respect to the input (the weights are
never changed); adversarial training fine-tunes a copy of the model.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from app.core.datasets import DataBundle
from app.core.inspection import captured, eval_mode
from app.core.trainer import TrainConfig, Trainer

Progress = Callable[[int, int], None]
ValueRange = tuple[float, float]

METHODS = ("fgsm", "pgd")
PGD_STEPS = 10
PGD_STEP_FACTOR = 2.5  # step size = 2.5 * epsilon / steps (Madry et al.): corners are reachable
# Epsilons of the curves, as fractions of the data's value range (0.1 of [0, 1] is 0.1).
EPSILON_FRACTIONS = (0.0, 0.01, 0.02, 0.04, 0.07, 0.1, 0.15, 0.2, 0.3)
BATCH = 256
TOP_K = 3


def data_range(x: torch.Tensor) -> ValueRange:
    """The smallest and largest value of the data: adversarial images must stay inside it."""
    if x.numel() == 0:
        raise ValueError("the dataset has no images to attack")
    lo, hi = float(x.min()), float(x.max())
    if not hi > lo:
        raise ValueError(f"the data range [{lo}, {hi}] is empty: the dataset looks constant")
    return lo, hi


def check_attackable(x: torch.Tensor, task: str = "classification") -> None:
    """Adversarial images need a classifier with float image inputs (channels, height, width)."""
    if task != "classification":
        raise ValueError("adversarial examples need a classification task: choose a dataset "
                         "with classes such as shapes, mnist or cifar10")
    if x.dim() != 4 or not x.is_floating_point():
        raise ValueError(f"adversarial examples need image inputs (channels, height, width), "
                         f"not {tuple(x.shape[1:])} of {x.dtype}: choose an image dataset such "
                         "as shapes, mnist or cifar10")


def _check_epsilon(epsilon: float) -> float:
    if not epsilon >= 0:
        raise ValueError(f"epsilon must be zero or positive (got {epsilon})")
    return float(epsilon)


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters(), torch.zeros(0)).device


def _input_gradient(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """d(summed cross-entropy)/dx, without gradients for any weight (autograd.grad computes
    only what the input needs): the sum keeps each image's gradient independent of the batch."""
    x = x.detach().requires_grad_(True)
    loss = F.cross_entropy(model(x), y, reduction="sum")
    (grad,) = torch.autograd.grad(loss, x)
    return grad


def fgsm(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epsilon: float,
         value_range: ValueRange) -> torch.Tensor:
    """x + epsilon * sign(gradient of the loss), clamped to the value range."""
    epsilon = _check_epsilon(epsilon)
    if epsilon == 0:
        return x.detach().clone()
    with eval_mode(model):
        grad = _input_gradient(model, x, y)
    return (x.detach() + epsilon * grad.sign()).clamp(*value_range)


def pgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epsilon: float,
        value_range: ValueRange, steps: int = PGD_STEPS, step_size: float | None = None,
        random_start: bool = False, generator: torch.Generator | None = None) -> torch.Tensor:
    """`steps` signed-gradient steps of `step_size` (default 2.5 * epsilon / steps), each
    followed by projection onto the epsilon ball around x and the value range. Without a
    random start the result is deterministic, so the slider always shows the same picture."""
    epsilon = _check_epsilon(epsilon)
    if steps < 1:
        raise ValueError(f"PGD needs at least 1 step (got {steps})")
    if epsilon == 0:
        return x.detach().clone()
    alpha = PGD_STEP_FACTOR * epsilon / steps if step_size is None else float(step_size)
    x = x.detach()
    lower, upper = (x - epsilon).clamp_min(value_range[0]), (x + epsilon).clamp_max(value_range[1])
    adv = x.clone()
    if random_start:
        noise = torch.rand(x.shape, generator=generator).to(x.device)
        adv = torch.max(torch.min(x + (2 * noise - 1) * epsilon, upper), lower)
    with eval_mode(model):
        for _ in range(steps):
            grad = _input_gradient(model, adv, y)
            adv = torch.max(torch.min(adv + alpha * grad.sign(), upper), lower)
    return adv


def attack(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epsilon: float,
           value_range: ValueRange, method: str = "fgsm",
           steps: int = PGD_STEPS) -> torch.Tensor:
    """FGSM or PGD by name (the view's choice)."""
    if method == "fgsm":
        return fgsm(model, x, y, epsilon, value_range)
    if method == "pgd":
        return pgd(model, x, y, epsilon, value_range, steps)
    raise ValueError(f"unknown attack '{method}': use one of {', '.join(METHODS)}")


@torch.no_grad()
def losses(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    """Each image's cross-entropy loss (eval mode)."""
    with eval_mode(model):
        return F.cross_entropy(model(x), y, reduction="none").cpu().numpy()


@torch.no_grad()
def top_predictions(model: nn.Module, x: torch.Tensor,
                    k: int = TOP_K) -> tuple[np.ndarray, np.ndarray]:
    """The k most likely classes per image and their softmax confidences, highest first:
    ((N, k) int, (N, k) float)."""
    with eval_mode(model):
        probs = F.softmax(model(x).float(), dim=1)
    values, classes = probs.topk(min(k, probs.shape[1]), dim=1)
    return classes.cpu().numpy(), values.cpu().numpy()


def feature_change(model: nn.Module, layers: Sequence[str], x: torch.Tensor,
                   x_adv: torch.Tensor) -> np.ndarray:
    """Per layer and image, ||f(x_adv) - f(x)|| / ||f(x)|| of the layer's output f:
    (len(layers), N). An image whose feature map is all zero counts as changed by
    ||f(x_adv)|| (relative to nothing, any change is total)."""
    with torch.no_grad(), eval_mode(model), captured(model, layers) as outputs:
        model(x)
        clean = {layer: outputs[layer].flatten(1).float() for layer in layers}
        model(x_adv)
        change = []
        for layer in layers:
            diff = (outputs[layer].flatten(1).float() - clean[layer]).norm(dim=1)
            base = clean[layer].norm(dim=1)
            change.append(torch.where(base > 0, diff / base.clamp_min(1e-12), diff))
    return torch.stack(change).cpu().numpy() if change else np.zeros((0, len(x)))


@dataclass(frozen=True)
class SingleAttack:
    """One attacked image with everything the view shows about it."""

    original: np.ndarray  # (C, H, W)
    adversarial: np.ndarray  # (C, H, W), within the value range
    perturbation: np.ndarray  # adversarial - original, within [-epsilon, epsilon]
    top_original: tuple[np.ndarray, np.ndarray]  # (k,) classes, (k,) confidences
    top_adversarial: tuple[np.ndarray, np.ndarray]
    loss_original: float
    loss_adversarial: float
    feature_change: np.ndarray  # (layers,) relative change of each probe layer's output
    epsilon: float
    method: str


def attack_one(model: nn.Module, image: torch.Tensor, label: int, epsilon: float,
               value_range: ValueRange, method: str = "fgsm", steps: int = PGD_STEPS,
               layers: Sequence[str] = ()) -> SingleAttack:
    """Attack one (C, H, W) image of class `label` (the slider's computation: milliseconds)."""
    device = _device(model)
    x = image.unsqueeze(0).float().to(device)
    check_attackable(x)
    y = torch.tensor([int(label)], device=device)
    adv = attack(model, x, y, epsilon, value_range, method, steps)
    classes, probs = top_predictions(model, torch.cat([x, adv]))
    loss = losses(model, torch.cat([x, adv]), torch.cat([y, y]))
    change = feature_change(model, layers, x, adv)[:, 0] if layers else np.zeros(0)
    x_np, adv_np = x[0].cpu().numpy(), adv[0].cpu().numpy()
    return SingleAttack(x_np, adv_np, adv_np - x_np, (classes[0], probs[0]),
                        (classes[1], probs[1]), float(loss[0]), float(loss[1]),
                        change.astype(np.float32), float(epsilon), method)


@dataclass(frozen=True)
class RobustnessCurve:
    """Validation accuracy and feature-map change against epsilon (absolute, data units)."""

    epsilons: np.ndarray  # (E,)
    accuracy: np.ndarray  # (E,) accuracy on the attacked images
    loss: np.ndarray  # (E,) mean loss on the attacked images
    change: np.ndarray  # (layers, E) mean relative change of each layer's output
    layers: tuple[str, ...]
    n_images: int


def robustness_curve(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                     epsilons: Sequence[float], value_range: ValueRange, *,
                     method: str = "fgsm", steps: int = PGD_STEPS,
                     layers: Sequence[str] = (), batch_size: int = BATCH,
                     progress: Progress | None = None,
                     on_point: Callable[[int, float, float], None] | None = None
                     ) -> RobustnessCurve:
    """Attack all of (x, y) at each epsilon (batched) and measure accuracy, loss and the
    relative change of each layer's feature maps. `progress(done, total)` counts batches and
    may raise to cancel; `on_point(i, epsilon, accuracy)` reports each finished epsilon."""
    check_attackable(x)
    if len(x) == 0:
        raise ValueError("there are no validation images to attack: raise the validation size")
    device = _device(model)
    n_batches = -(-len(x) // batch_size)
    total = n_batches * len(epsilons)
    accuracy = np.zeros(len(epsilons))
    loss = np.zeros(len(epsilons))
    change = np.zeros((len(layers), len(epsilons)))
    for i, epsilon in enumerate(epsilons):
        correct, loss_sum, change_sum = 0, 0.0, np.zeros(len(layers))
        for b, start in enumerate(range(0, len(x), batch_size)):
            xb = x[start:start + batch_size].float().to(device)
            yb = y[start:start + batch_size].to(device)
            adv = attack(model, xb, yb, epsilon, value_range, method, steps)
            with torch.no_grad(), eval_mode(model):
                out = model(adv)
                correct += int((out.argmax(1) == yb).sum())
                loss_sum += float(F.cross_entropy(out, yb, reduction="sum"))
            if layers:
                change_sum += feature_change(model, layers, xb, adv).sum(1)
            if progress is not None:
                progress(i * n_batches + b + 1, total)
        accuracy[i], loss[i] = correct / len(x), loss_sum / len(x)
        change[:, i] = change_sum / len(x)
        if on_point is not None:
            on_point(i, float(epsilon), float(accuracy[i]))
    return RobustnessCurve(np.asarray(epsilons, dtype=float), accuracy, loss, change,
                           tuple(layers), len(x))


@dataclass(frozen=True)
class AdversarialTraining:
    """The fine-tuned (robust) copy and how its training went."""

    model: nn.Module
    epoch_losses: list[float]  # mean training loss (clean + adversarial halves) per epoch
    epsilon: float
    method: str


def adversarial_training(model: nn.Module, data: DataBundle, config: TrainConfig,
                         epsilon: float, *, method: str = "fgsm", steps: int = PGD_STEPS,
                         epochs: int = 3, max_train: int | None = 2000,
                         value_range: ValueRange | None = None,
                         progress: Progress | None = None) -> AdversarialTraining:
    """Fine-tune a copy of `model` for `epochs` on half clean, half adversarial loss
    (Goodfellow et al.: the clean half keeps the ordinary accuracy), attacking each batch
    afresh against the weights as they are now. The project's optimizer, learning rate,
    weight decay, batch size, device and seed are reused through the ordinary `Trainer`
    (only its optimizer and device handling; the loop is here, because each batch needs an
    attack). The original model is never changed."""
    check_attackable(data.x_train, data.task)
    epsilon = _check_epsilon(epsilon)
    if epochs < 1:
        raise ValueError(f"adversarial training needs at least 1 epoch (got {epochs})")
    if method not in METHODS:
        raise ValueError(f"unknown attack '{method}': use one of {', '.join(METHODS)}")
    if value_range is None:
        value_range = data_range(data.x_train)
    if max_train is not None:
        data = replace(data, x_train=data.x_train[:max_train], y_train=data.y_train[:max_train])
    robust = copy.deepcopy(model)
    trainer = Trainer(robust, data, replace(config, epochs=epochs, max_steps=None))
    robust, optimizer, bs = trainer.model, trainer.optimizer, trainer.batch_size
    x, y = trainer.data.x_train, trainer.data.y_train
    batches = len(x) // bs
    generator = torch.Generator().manual_seed(config.seed)
    epoch_losses = []
    robust.train()
    for epoch in range(epochs):
        order = torch.randperm(len(x), generator=generator).to(x.device)
        total = 0.0
        for b in range(batches):
            index = order[b * bs:(b + 1) * bs]
            xb, yb = x[index], y[index]
            adv = attack(robust, xb, yb, epsilon, value_range, method, steps)
            loss = 0.5 * (F.cross_entropy(robust(xb), yb) + F.cross_entropy(robust(adv), yb))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += float(loss.detach())
            if progress is not None:
                progress(epoch * batches + b + 1, epochs * batches)
        epoch_losses.append(total / max(1, batches))
        if not np.isfinite(epoch_losses[-1]):
            raise ValueError("adversarial training diverged (the loss became NaN or infinite): "
                             "lower the learning rate or epsilon")
    robust.eval()
    return AdversarialTraining(robust, epoch_losses, epsilon, method)
