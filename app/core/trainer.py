"""The training loop: whole dataset on the device, callbacks, cancel/pause/step, device choice.

The loop is built to be as fast as a hand-written PyTorch loop over in-memory tensors (the
`bench` command checks the ratio against `plain_loop_samples_per_s`): the data is moved to the
device once, each epoch is a `randperm` sliced into index batches, and per-batch results stay on
the device until the next log interval, so the GPU is synchronised only every `log_every` steps.

Everything a learner can get wrong at run time (a learning rate that makes the loss NaN, a batch
that does not fit in GPU memory, a layer that rejects its input) ends the run with a status and a
message that says what happened and what to change, instead of an exception in a worker thread.
"""

from __future__ import annotations

import contextlib
import math
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from time import perf_counter, process_time
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from app.core.datasets import AugmentConfig, DataBundle, augment_batch
from app.core.inspection import eval_mode

LOSSES = ("cross_entropy", "mse", "bce_with_logits")
OPTIMIZERS = ("adam", "adamw", "sgd")
SCHEDULES = ("none", "step", "cosine")
EVAL_BATCH = 1024  # evaluation has no backward pass, so it can use much larger batches
PAUSE_POLL_S = 0.05


@dataclass
class TrainConfig:
    """Hyperparameters of one run (stored in the project file's "training" section)."""

    epochs: int = 5
    batch_size: int = 64
    lr: float = 1e-3
    optimizer: str = "adam"  # "adam" | "adamw" | "sgd"
    momentum: float = 0.9  # sgd only
    weight_decay: float = 0.0
    schedule: str = "none"  # "none" | "step" (halve every epochs//3) | "cosine" (per step)
    device: str = "auto"  # "auto" | "cpu" | "cuda" | "mps" (or "cuda:1", ...)
    seed: int = 0
    log_every: int = 20  # steps between on_log calls, the only times the device is synchronised
    max_steps: int | None = None  # stop early after this many optimizer steps
    log_dir: str | None = None  # folder for TensorBoard run logs (run_log.py); None: none
    # Slow motion for a class watching on a projector: every step takes at least this many
    # seconds (the loop waits out the rest; Stop still ends it at once). 0: full speed.
    min_step_s: float = 0.0
    augment: AugmentConfig = field(default_factory=AugmentConfig)


@dataclass(frozen=True)
class Precision:
    """How a run computes, chosen per run (bench, CLI) rather than saved with a project.

    `amp`: mixed precision. On CUDA the forward pass runs in float16 under autocast and a
    GradScaler keeps small gradients from underflowing; on the CPU autocast uses bfloat16
    (which needs no scaler, and is only faster on CPUs with bfloat16 instructions). Weights
    and optimizer state stay float32. Apple's MPS is refused with a message.
    `channels_last`: image batches and conv weights in NHWC memory order, which the GPU's
    tensor-core convolutions (and oneDNN on the CPU) prefer; only for (N, C, H, W) inputs.
    """

    amp: bool = False
    channels_last: bool = False


class TrainControl:
    """Thread-safe remote control for a running `Trainer` (the GUI holds one, the loop polls it).

    `cancel` and `pause` are plain Events: set `cancel` to stop before the next batch, set or
    clear `pause` to hold or resume the loop.
    """

    def __init__(self) -> None:
        self.cancel = threading.Event()
        self.pause = threading.Event()
        self._steps = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._lr: float | None = None

    def request_step(self) -> None:
        """While paused, let exactly one more batch run (a no-op when not paused)."""
        if self.pause.is_set():
            self._steps.release()

    def set_lr(self, lr: float) -> None:
        """Set the learning rate of every parameter group before the next batch."""
        with self._lock:
            self._lr = float(lr)

    def _take_lr(self) -> float | None:
        if self._lr is None:  # lock-free fast path: checked before every batch
            return None
        with self._lock:
            lr, self._lr = self._lr, None
        return lr

    def _wait_for_step(self) -> bool:
        """Block while paused; True when a single step was requested, False on resume/cancel."""
        while self.pause.is_set() and not self.cancel.is_set():
            if self._steps.acquire(timeout=PAUSE_POLL_S):
                return True
        return False


class Callback:
    """Hooks called from the training thread; all no-ops. Keep them cheap: they run in the loop."""

    def on_train_start(self, trainer: Trainer) -> None:
        pass

    def on_batch_end(self, trainer: Trainer, step: int, epoch: int, batch: int,
                     batches_per_epoch: int) -> None:
        pass

    def on_log(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        pass

    def on_epoch_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        pass

    def on_train_end(self, trainer: Trainer, summary: TrainSummary) -> None:
        pass


@dataclass
class TrainSummary:
    """How a run ended. Accuracies are NaN for regression; losses are NaN when never measured."""

    status: str  # "completed" | "cancelled" | "diverged" | "failed"
    message: str
    val_acc: float
    val_loss: float
    train_loss: float
    samples_per_s: float
    epochs: int  # fully completed epochs
    steps: int
    device: str
    seconds: float
    error: BaseException | None = None  # the original exception of a "failed" run, for a traceback
    val_exact: float = math.nan  # token sequences: share of validation phrases right throughout

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: without `error`, and NaN/inf as None."""
        out = asdict(self)
        out.pop("error")
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in out.items()}


def resolve_device(name: str | torch.device = "auto") -> torch.device:
    """"auto" -> cuda, else mps, else cpu; an explicit device that is not there is a ValueError."""
    name = str(name).strip().lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda", torch.cuda.current_device())
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ValueError(f"unknown device '{name}': use auto, cpu, cuda or mps") from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError("CUDA was requested but no CUDA GPU is visible to PyTorch; "
                             "use --device cpu or auto")
        count = torch.cuda.device_count()
        index = torch.cuda.current_device() if device.index is None else device.index
        if index >= count:
            raise ValueError(f"CUDA device {index} was requested but PyTorch sees only {count} "
                             f"GPU(s) (cuda:0 .. cuda:{count - 1}); use --device cuda or auto")
        return torch.device("cuda", index)
    if device.type == "mps" and not _mps_available():
        raise ValueError("MPS (Apple GPU) was requested but this PyTorch cannot use it; "
                         "use --device cpu or auto")
    if device.type not in ("cpu", "mps"):
        raise ValueError(f"unsupported device '{name}': use auto, cpu, cuda or mps")
    return device


def device_label(device: torch.device) -> str:
    """"cpu", "mps" or "cuda:0 (NVIDIA H100 ...)" for messages and summaries."""
    if device.type == "cuda":
        return f"{device} ({torch.cuda.get_device_name(device)})"
    return str(device)


def _mps_available() -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


def _sync(device: torch.device) -> None:
    """Wait for queued device work, so timings measure work done rather than work launched."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


class _Stopwatch:
    """Seconds spent inside the batch loop: started and stopped around it, paused while paused.
    `cpu_total` is the process's CPU time over the same spans: on a shared machine it leaves
    out the time other programs had the cores (bench uses it for CPU runs)."""

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.total = 0.0
        self.cpu_total = 0.0
        self._since: float | None = None
        self._cpu_since = 0.0

    def start(self) -> None:
        _sync(self.device)
        self._since = perf_counter()
        self._cpu_since = process_time()

    def stop(self, sync: bool = True) -> None:
        if self._since is not None:
            if sync:
                _sync(self.device)
            self.total += perf_counter() - self._since
            self.cpu_total += process_time() - self._cpu_since
            self._since = None

    def read(self) -> float:
        return self.total + (perf_counter() - self._since if self._since is not None else 0.0)


# --- losses and predictions ---------------------------------------------------------------------


def _as_float_target(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Class labels -> one-hot (or 0/1 for a single output unit); float targets -> out's shape."""
    if not y.is_floating_point():
        if out.dim() == 1 or out.shape[-1] == 1:
            return y.to(out.dtype).view_as(out)
        return F.one_hot(y, out.shape[-1]).to(out.dtype)
    return y.view_as(out) if y.numel() == out.numel() else y


def _mse(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.mse_loss(out, _as_float_target(out, y))


def _bce(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(out, _as_float_target(out, y))


PAD_TOKEN = 0  # in token-sequence targets (N, T), id 0 is padding: never scored or counted


def _is_sequence(out: torch.Tensor, y: torch.Tensor) -> bool:
    """Scores per step (B, T, V) against token ids per step (B, T), as in translation."""
    return out.dim() == 3 and y.dim() == 2 and not y.is_floating_point()


def _cross_entropy(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy per sample, or per token over non-padding steps for sequence targets."""
    if _is_sequence(out, y):
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1),
                               ignore_index=PAD_TOKEN)
    return F.cross_entropy(out, y)


def accuracy_counts(predicted: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """[correct, counted, exact] on the device: samples for class labels; for token sequences
    correct and counted are non-padding tokens and exact counts phrases right in every token."""
    hit = predicted == y
    if y.dim() == 2 and predicted.shape == y.shape:
        real = y != PAD_TOKEN
        hit = hit & real
        return torch.stack([hit.sum(), real.sum(), (hit | ~real).all(1).sum()]).float()
    correct = hit.sum().float()
    return torch.stack([correct, torch.full_like(correct, y.numel()), correct])


_LOSS_FUNCTIONS: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "cross_entropy": _cross_entropy, "mse": _mse, "bce_with_logits": _bce,
}


def loss_function(name: str) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """The loss a run with output loss `name` minimises (lab views evaluate the same one)."""
    if name not in _LOSS_FUNCTIONS:
        raise ValueError(f"unknown loss '{name}': use one of {', '.join(LOSSES)}")
    return _LOSS_FUNCTIONS[name]


def _predictor(loss: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """Outputs -> class indices: argmax, or a threshold for a single output unit."""
    threshold = 0.5 if loss == "mse" else 0.0  # mse regresses 0/1, the others output logits

    def predict(out: torch.Tensor) -> torch.Tensor:
        if out.dim() >= 2 and out.shape[-1] > 1:
            return out.argmax(-1)
        return (out.reshape(-1) > threshold).long()
    return predict


class _Window:
    """Per-batch losses and outputs since the last read, left on the device until then.

    Reading costs one device sync, so it happens at log intervals or once `cap` batches are
    pending. Outputs rather than predictions are kept (no per-batch argmax), and `cap` bounds
    their memory; the first read, after one batch, learns the output size.
    """

    MAX_ELEMENTS = 1 << 22
    MAX_BATCHES = 256

    def __init__(self, predict: Callable[[torch.Tensor], torch.Tensor]) -> None:
        self.predict = predict
        self.losses: list[torch.Tensor] = []
        self.outputs: list[torch.Tensor] = []
        self.labels: list[torch.Tensor] = []
        self.first_step = 1
        self.cap = 1

    def read(self) -> tuple[float, list[float], torch.Tensor]:
        """(sum of batch-mean losses, `accuracy_counts` [correct, counted, exact] (NaN without
        outputs), stacked losses) with one sync."""
        losses = torch.stack(self.losses).float()
        parts = [losses.sum().unsqueeze(0)]
        if self.outputs:
            predicted = self.predict(torch.cat(self.outputs))
            parts.append(accuracy_counts(predicted, torch.cat(self.labels)))
            per_batch = max(1, self.outputs[0].numel())
            self.cap = max(1, min(self.MAX_BATCHES, self.MAX_ELEMENTS // per_batch))
        else:
            self.cap = self.MAX_BATCHES
        values = torch.cat(parts).tolist()
        return values[0], (values[1:] if self.outputs else [math.nan] * 3), losses

    def reset(self, next_step: int) -> None:
        self.losses.clear()
        self.outputs.clear()
        self.labels.clear()
        self.first_step = next_step


class _Stop(Exception):
    """Ends the run early from deep in the loop with a status and message."""

    def __init__(self, status: str, message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --- the trainer --------------------------------------------------------------------------------


class Trainer:
    """Trains `model` on `data` (moved to the device here) with `config`; see `fit`."""

    def __init__(self, model: nn.Module, data: DataBundle, config: TrainConfig | None = None,
                 loss: str = "cross_entropy", callbacks: Iterable[Callback] = (),
                 control: TrainControl | None = None,
                 precision: Precision | None = None) -> None:
        self.config = config = config or TrainConfig()
        if loss not in _LOSS_FUNCTIONS:
            raise ValueError(f"unknown loss '{loss}': use one of {', '.join(LOSSES)}")
        if config.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer '{config.optimizer}': "
                             f"use one of {', '.join(OPTIMIZERS)}")
        if config.schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule '{config.schedule}': "
                             f"use one of {', '.join(SCHEDULES)}")
        if config.epochs < 1 or config.batch_size < 1 or config.log_every < 1:
            raise ValueError("epochs, batch_size and log_every must be at least 1")
        if len(data.x_train) == 0:
            raise ValueError(f"dataset '{data.name}' has no training samples")
        self.device = resolve_device(config.device)
        self.precision = precision = precision or Precision()
        self._autocast, self._scaler = mixed_precision(self.device, precision.amp)
        self.model = model.to(self.device)
        self.data = data.to(self.device)
        if precision.channels_last:
            self.model, self.data = channels_last(self.model, self.data)
        self.loss = loss
        self.classification = data.task == "classification"
        # Token-sequence targets (N, T), as in translation: accuracy counts non-padding tokens,
        # and the metrics add exact match (the share of whole phrases right).
        self.sequence = (self.classification and data.y_train.dim() == 2
                         and not data.y_train.is_floating_point())
        self.callbacks = list(callbacks)
        self.control = control or TrainControl()
        self.optimizer = self._make_optimizer()
        self.batch_size = min(config.batch_size, len(self.data.x_train))
        # Full batches only (a reshuffle each epoch still visits every sample): a last batch of
        # one sample would break BatchNorm, and equal batches make the mean loss a plain mean.
        self.batches_per_epoch = len(self.data.x_train) // self.batch_size
        self.total_steps = self.batches_per_epoch * config.epochs
        if config.max_steps is not None:
            self.total_steps = max(0, min(self.total_steps, config.max_steps))
        self.scheduler = self._make_scheduler()
        self.step = 0
        self.epoch = 0
        self._loss_fn = _LOSS_FUNCTIONS[loss]
        self._predict = _predictor(loss)

    def _make_optimizer(self) -> torch.optim.Optimizer:
        # Frozen layers (requires_grad False, see builder.build) are left out: the optimizer
        # never touches them, not even through weight decay or momentum.
        cfg = self.config
        params = [p for p in self.model.parameters() if p.requires_grad]
        if not params and any(True for _ in self.model.parameters()):
            raise ValueError("every layer with weights is frozen, so there is nothing to "
                             "train: unfreeze at least one layer (click its padlock)")
        if cfg.optimizer == "sgd":
            return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum,
                                   weight_decay=cfg.weight_decay)
        cls = torch.optim.Adam if cfg.optimizer == "adam" else torch.optim.AdamW
        return cls(params, lr=cfg.lr, weight_decay=cfg.weight_decay)

    def _make_scheduler(self) -> torch.optim.lr_scheduler.LRScheduler | None:
        cfg = self.config
        if cfg.schedule == "step":  # stepped at each epoch end
            return torch.optim.lr_scheduler.StepLR(self.optimizer, max(1, cfg.epochs // 3), 0.5)
        if cfg.schedule == "cosine":  # stepped after every batch
            return torch.optim.lr_scheduler.CosineAnnealingLR(self.optimizer,
                                                              max(1, self.total_steps))
        return None

    @property
    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    # --- public API ---

    def fit(self) -> TrainSummary:
        """Train until done, cancelled, diverged or failed; never raises for run-time errors."""
        self._start = start = perf_counter()
        self._paused_s = 0.0
        self._watch = _Stopwatch(self.device)
        self._eval: dict[str, Any] = {"val_loss": math.nan, "val_acc": math.nan,
                                      "predictions": np.zeros(0, int)}
        self._train_loss = math.nan
        self._epochs_done = 0
        status, message, error = "completed", "", None
        try:
            self._run()
        except _Stop as stop:
            status, message = stop.status, stop.message
        except torch.cuda.OutOfMemoryError as exc:
            status, error = "failed", exc
            message = (f"The GPU ran out of memory with batch size {self.config.batch_size}. "
                       f"Lower the batch size (e.g. to {max(1, self.config.batch_size // 2)}), "
                       "use a smaller network or train on the CPU.")
        except Exception as exc:  # noqa: BLE001 - reported via summary.message and .error
            status, error = "failed", exc
            where = _failing_layer(self.model, exc) or type(exc).__name__
            if _in_backward(exc):  # no layer's frame there: say which half of the step failed
                where += " in the backward pass (computing gradients)"
            message = f"{where}: {exc}"
        finally:
            self._watch.stop(sync=False)  # a failed device may not synchronise again
        if error is not None:
            # Keep the traceback for the GUI's log but drop its frames' tensors, so the memory
            # is free for the learner's next attempt.
            traceback.clear_frames(error.__traceback__)
            if self.device.type == "cuda":
                torch.cuda.empty_cache()
        watched = self._watch.total
        summary = TrainSummary(
            status=status, message=message or self._completed_message(status),
            val_acc=float(self._eval["val_acc"]), val_loss=float(self._eval["val_loss"]),
            train_loss=self._train_loss,
            samples_per_s=self.step * self.batch_size / watched if watched > 0 else 0.0,
            epochs=self._epochs_done, steps=self.step, device=device_label(self.device),
            seconds=perf_counter() - start, error=error,
            val_exact=float(self._eval.get("val_exact", math.nan)))
        for cb in self.callbacks:
            cb.on_train_end(self, summary)
        return summary

    @property
    def loop_cpu_s(self) -> float:
        """CPU seconds of this process inside the batch loop of the last `fit` (all threads)."""
        return self._watch.cpu_total

    @property
    def last_eval(self) -> dict[str, Any]:
        """The most recent validation pass (the one behind the last on_epoch_end metrics)."""
        return self._eval

    @torch.no_grad()
    def evaluate(self) -> dict[str, Any]:
        """Validation loss and accuracy, plus predicted classes (outputs for regression).

        val_acc is NaN for regression; predictions are an int array aligned with data.y_val
        ((N, T) token ids for sequence targets, whose val_acc counts non-padding tokens and
        val_exact whole phrases).
        """
        x, y = self.data.x_val, self.data.y_val
        if len(x) == 0:
            return {"val_loss": math.nan, "val_acc": math.nan, "val_exact": math.nan,
                    "predictions": np.zeros(0, int)}
        loss_sum = torch.zeros((), device=self.device)
        outputs = []
        with eval_mode(self.model):
            for i in range(0, len(x), EVAL_BATCH):
                yb = y[i:i + EVAL_BATCH]
                with self._autocast():
                    out = self.model(x[i:i + EVAL_BATCH])
                    batch_loss = self._loss_fn(out, yb)
                loss_sum += batch_loss.float() * len(yb)
                outputs.append(self._predict(out) if self.classification else out.float())
        predicted = torch.cat(outputs)
        val_exact = math.nan
        if self.classification:
            correct, counted, exact = accuracy_counts(predicted, y).tolist()
            val_loss, val_acc = loss_sum.item() / len(y), correct / counted
            if self.sequence:
                val_exact = exact / len(y)
        else:
            val_loss, val_acc = loss_sum.item() / len(y), math.nan
        return {"val_loss": val_loss, "val_acc": val_acc, "val_exact": val_exact,
                "predictions": predicted.cpu().numpy()}

    # --- the loop ---

    def _run(self) -> None:
        cfg, control = self.config, self.control
        torch.manual_seed(cfg.seed)
        generator = torch.Generator(device=self.device).manual_seed(cfg.seed)
        augment = cfg.augment.active and self.data.kind == "image"
        for cb in self.callbacks:
            cb.on_train_start(self)
        # Locals: the hot loop below runs thousands of times per second on small networks.
        model, optimizer, loss_fn = self.model, self.optimizer, self._loss_fn
        x, y, bs, bpe = self.data.x_train, self.data.y_train, self.batch_size, self.batches_per_epoch
        per_step_scheduler = self.scheduler if cfg.schedule == "cosine" else None
        cancelled, paused = control.cancel.is_set, control.pause.is_set
        callbacks, log_every, total = self.callbacks, cfg.log_every, self.total_steps
        window = self._window = _Window(self._predict)
        classification = self.classification
        min_step_s, step_began = cfg.min_step_s, perf_counter()
        autocast, scaler = self._autocast, self._scaler
        for epoch in range(1, cfg.epochs + 1):
            if self.step >= total:
                break
            self.epoch = epoch
            epoch_start = perf_counter()
            # batch-mean losses, correct samples (tokens), batches, counted samples (tokens),
            # exact phrases; and the same since the last on_log
            self._epoch_sums = [0.0, 0.0, 0, 0.0, 0.0]
            self._log_sums = [0.0, 0.0, 0, 0.0, 0.0]
            model.train()
            self._watch.start()
            perm = torch.randperm(len(x), device=self.device, generator=generator)
            batch = 0
            while batch < bpe and self.step < total:
                single = paused() and self._wait_while_paused()
                if cancelled():
                    raise _Stop("cancelled", f"Training was stopped after {self.step} steps.")
                lr = control._take_lr()
                if lr is not None:
                    for group in optimizer.param_groups:
                        group["lr"] = lr
                idx = perm[batch * bs:(batch + 1) * bs]
                xb, yb = x[idx], y[idx]
                if augment:
                    xb = augment_batch(xb, cfg.augment, generator, self.data.mean,
                                       self.data.std)
                with autocast():
                    out = model(xb)
                    loss = loss_fn(out, yb)
                backward_and_step(loss, optimizer, scaler)
                if per_step_scheduler is not None:
                    per_step_scheduler.step()
                batch += 1
                self.step += 1
                window.losses.append(loss.detach())
                if classification:
                    window.outputs.append(out.detach())
                    window.labels.append(yb)
                for cb in callbacks:
                    cb.on_batch_end(self, self.step, epoch, batch, bpe)
                if min_step_s > 0:
                    self._slow_down(min_step_s - (perf_counter() - step_began))
                    step_began = perf_counter()
                if single or self.step % log_every == 0:
                    self._log(batch)
                elif len(window.losses) >= window.cap:
                    self._read_window()
            if window.losses or self._log_sums[2]:
                self._log(batch)
            self._watch.stop()
            if batch == bpe:
                self._end_epoch(epoch, epoch_start)
        if self._epochs_done == 0 or self.step % bpe:  # stopped mid-epoch by max_steps
            self._eval = self.evaluate()
            self._check_val_loss()

    def _slow_down(self, seconds: float) -> None:
        """Slow motion: wait, off the stopwatch (samples/s stays the compute speed; the ETA
        counts the wait), and wake at once on Stop."""
        if seconds > 0:
            self._watch.stop(sync=False)
            self.control.cancel.wait(seconds)
            self._watch.start()

    def _wait_while_paused(self) -> bool:
        """Hold the loop (and its stopwatch) while paused; True if one step was requested."""
        self._watch.stop()
        since = perf_counter()
        try:
            return self.control._wait_for_step()
        finally:
            self._paused_s += perf_counter() - since
            self._watch.start()

    def _read_window(self) -> None:
        """Fold the pending batches into the log and epoch sums; stop if the loss is not finite."""
        window = self._window
        batches = len(window.losses)
        loss_sum, (correct, counted, exact), losses = window.read()
        if not math.isfinite(loss_sum):
            bad = int(torch.nonzero(~torch.isfinite(losses))[0])
            what = "NaN" if math.isnan(losses[bad]) else "infinite"
            raise _Stop("diverged", self._diverged_message(what, window.first_step + bad))
        window.reset(self.step + 1)
        for sums in (self._log_sums, self._epoch_sums):
            sums[0] += loss_sum
            sums[1] += correct
            sums[2] += batches
            sums[3] += counted
            sums[4] += exact
        self._train_loss = self._epoch_sums[0] / self._epoch_sums[2]

    def _log(self, batch: int) -> None:
        """Read the window and call on_log with the means since the last log."""
        if self._window.losses:
            self._read_window()
        loss_sum, correct, batches, counted, exact = self._log_sums
        self._log_sums = [0.0, 0.0, 0, 0.0, 0.0]
        progress = self.step / self.total_steps if self.total_steps else 1.0
        watched = self._watch.read()
        active = perf_counter() - self._start - self._paused_s  # includes evaluation time
        metrics = {
            "step": self.step, "epoch": self.epoch, "batch": batch,
            "batches_per_epoch": self.batches_per_epoch,
            "loss": loss_sum / batches,
            "acc": correct / counted if self.classification else None,
            "lr": self.lr,
            "samples_per_s": self.step * self.batch_size / watched if watched > 0 else 0.0,
            "progress": progress,
            "eta_s": active * (1 - progress) / progress if progress > 0 else math.nan,
        }
        if self.sequence:
            metrics["exact"] = exact / (batches * self.batch_size)
        for cb in self.callbacks:
            cb.on_log(self, metrics)

    def _end_epoch(self, epoch: int, epoch_start: float) -> None:
        self._eval = self.evaluate()
        self._check_val_loss()
        self._epochs_done = epoch
        loss_sum, correct, batches, counted, exact = self._epoch_sums
        metrics = {
            "epoch": epoch, "train_loss": loss_sum / batches,
            "train_acc": correct / counted if self.classification else math.nan,
            "val_loss": self._eval["val_loss"], "val_acc": self._eval["val_acc"],
            "seconds": perf_counter() - epoch_start,
        }
        if self.sequence:
            metrics["train_exact"] = exact / (batches * self.batch_size)
            metrics["val_exact"] = self._eval["val_exact"]
        if self.scheduler is not None and self.config.schedule == "step":
            self.scheduler.step()
        for cb in self.callbacks:
            cb.on_epoch_end(self, metrics)

    def _check_val_loss(self) -> None:
        if not math.isfinite(self._eval["val_loss"]):
            what = "NaN" if math.isnan(self._eval["val_loss"]) else "infinite"
            raise _Stop("diverged", self._diverged_message(f"{what} on the validation set",
                                                           self.step))

    def _diverged_message(self, what: str, step: int) -> str:
        epoch = (step - 1) // self.batches_per_epoch + 1
        lr = self.lr
        head = f"The loss became {what} at step {step} (epoch {epoch}). "
        if lr > 1e-3:
            return head + (f"The learning rate ({lr:g}) is probably too high for this network: "
                           f"lower it (e.g. to {min(1e-3, lr / 100):g}) or add BatchNorm.")
        return head + (f"The learning rate ({lr:g}) is already small, so look for a layer or "
                       "input values that explode: add BatchNorm, normalise the data, or lower "
                       f"the learning rate further (e.g. to {lr / 10:g}).")

    def _completed_message(self, status: str) -> str:
        if status != "completed":
            return ""
        acc = self._eval["val_acc"]
        result = (f"validation accuracy {acc:.1%}" if math.isfinite(acc)
                  else f"validation loss {self._eval['val_loss']:.4g}")
        if self.sequence:
            result = (f"validation token accuracy {acc:.1%}, exact match "
                      f"{self._eval['val_exact']:.1%}")
        return f"Finished {self.step} steps ({self._epochs_done} epochs): {result}."


def mixed_precision(device: torch.device, amp: bool) -> tuple[
        Callable[[], contextlib.AbstractContextManager], torch.amp.GradScaler | None]:
    """(a factory of the autocast context each step's forward pass and loss run in, the
    GradScaler its backward pass goes through or None): no-ops without `amp`. float16
    gradients can underflow to zero, so on CUDA the scaler multiplies the loss first."""
    if not amp:
        return contextlib.nullcontext, None
    if device.type == "cuda":
        return (lambda: torch.autocast("cuda", dtype=torch.float16)), torch.amp.GradScaler("cuda")
    if device.type == "cpu":
        return (lambda: torch.autocast("cpu", dtype=torch.bfloat16)), None
    raise ValueError(f"mixed precision (AMP) works on CUDA GPUs and on the CPU, not on "
                     f"{device.type}: train without --amp or choose --device cuda or cpu")


def channels_last(model: nn.Module, data: DataBundle) -> tuple[nn.Module, DataBundle]:
    """The model's 4-D weights and the image tensors in channels-last (NHWC) memory order."""
    if data.x_train.dim() != 4:
        raise ValueError(f"channels_last is a memory order for image batches (N, C, H, W), but "
                         f"dataset '{data.name}' has inputs of shape "
                         f"{tuple(data.x_train.shape[1:])}: train without --channels-last")
    nhwc = torch.channels_last
    return (model.to(memory_format=nhwc),
            replace(data, x_train=data.x_train.contiguous(memory_format=nhwc),
                    x_val=data.x_val.contiguous(memory_format=nhwc)))


def _in_backward(exc: BaseException) -> bool:
    """True when `exc` was raised inside autograd's backward (a custom Function's gradient)."""
    return any(frame.f_code.co_name == "backward" and "torch" in frame.f_code.co_filename
               for frame, _ in traceback.walk_tb(exc.__traceback__))


def _failing_layer(model: nn.Module, exc: BaseException) -> str:
    """'conv2 (Conv2d)' for the innermost named submodule of `model` in the traceback, or ''."""
    names = {id(m): name for name, m in model.named_modules() if name}
    found = ""
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        module = frame.f_locals.get("self")
        if module is not None and id(module) in names:
            found = f"{names[id(module)]} ({type(module).__name__})"
    return found


def plain_loop_samples_per_s(model_factory: Callable[[], nn.Module], data: DataBundle,
                             batch_size: int, epochs: int, lr: float,
                             device: str | torch.device, seed: int = 0,
                             precision: Precision | None = None) -> float:
    """Samples/s of a minimal hand-written loop: the baseline the Trainer is measured against.

    Same work as `Trainer.fit` with Adam and cross-entropy: data already on the device, a seeded
    randperm per epoch sliced into full batches, timed from the first shuffle to the last step.
    With a `precision`, the loop a learner would write for it: autocast (plus a GradScaler on
    CUDA) and/or channels-last model and data.
    """
    device = resolve_device(device)
    precision = precision or Precision()
    torch.manual_seed(seed)
    model = model_factory().to(device).train()
    data = data.to(device)
    if precision.channels_last:
        model, data = channels_last(model, data)
    x, y = data.x_train, data.y_train
    autocast, scaler = mixed_precision(device, precision.amp)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator(device=device).manual_seed(seed)
    n = len(x)
    bs = min(batch_size, n)
    steps = n // bs
    _sync(device)
    start = perf_counter()
    for _ in range(epochs):
        perm = torch.randperm(n, device=device, generator=generator)
        for i in range(steps):
            idx = perm[i * bs:(i + 1) * bs]
            plain_step(model, optimizer, x[idx], y[idx], autocast, scaler)
    _sync(device)
    return epochs * steps * bs / (perf_counter() - start)


def plain_step(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor,
               y: torch.Tensor, autocast, scaler) -> None:
    """One step of the hand-written baseline loops (the bench's too): forward under `autocast`,
    cross-entropy, backward and step, through the GradScaler when there is one."""
    with autocast():
        loss = F.cross_entropy(model(x), y)
    backward_and_step(loss, optimizer, scaler)


def backward_and_step(loss: torch.Tensor, optimizer: torch.optim.Optimizer, scaler) -> None:
    """Clear the gradients, backpropagate `loss` and step: through the GradScaler when there is
    one (mixed precision on CUDA), which skips the step when the scaled gradients overflowed."""
    optimizer.zero_grad(set_to_none=True)
    if scaler is None:
        loss.backward()
        optimizer.step()
    else:
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
