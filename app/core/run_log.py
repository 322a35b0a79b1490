"""Run logs: TensorBoard event files and a small JSON summary per run, and an index of them.

A learner comparing ten variants of a network needs more than the four runs the Curves view
overlays, and a record that outlives the app. With a log folder set, every run writes into its
own subfolder: TensorBoard event files (scalars at every log step, weight and gradient
histograms and low/mid/high feature-map mosaics at the snapshot rate) that `tensorboard
--logdir FOLDER` shows as they are, plus `run.json` (settings, graph fingerprint, final metrics,
the weights file) that the app's Runs list reads without opening the event files.

The logger must not slow training down. It adds no forward passes or hooks of its own: the
images and histograms come from the `Snapshot`s the probes take for the dashboard anyway (see
`add_snapshot`), the scalars are the floats `Trainer._log` has already read, and the events are
written in batches by the training thread (`EventFile`, for why not SummaryWriter's thread).
TensorBoard is an optional extra; without it a run that asks for logs fails at once with a
one-line install hint.
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from app.core.graph import Graph
from app.core.probes import Snapshot
from app.core.project_io import DataConfig, atomic_write_text
from app.core.trainer import Callback, TrainConfig, Trainer, TrainSummary
from app.core.weights import RunInfo, Trained, graph_fingerprint, state_of
from app.core.weights import save as save_weights

SUMMARY_FILE = "run.json"
WEIGHTS_FILE = "weights.safetensors"
FORMAT = "netzwerkstatt-run"
VERSION = 1
INSTALL_HINT = "run logs need TensorBoard: pip install 'netzwerkstatt[logs]' (or tensorboard)"
# Images and histograms are thinned to one snapshot in this many seconds (epoch ends count
# too): a probe snapshot comes about twice a second, which would fill a disk in a long run.
SNAPSHOT_LOG_INTERVAL_S = 2.0
FLUSH_S = 2.0  # buffered events reach the disk at least this often (and at the end)
LEVELS = ("low", "mid", "high")
# The scalars a log holds: tag -> key of the trainer's log metrics / epoch metrics.
STEP_TAGS = {"train/loss": "loss", "train/acc": "acc", "train/lr": "lr",
             "train/samples_per_s": "samples_per_s"}
EPOCH_TAGS = {"epoch/train_loss": "train_loss", "epoch/train_acc": "train_acc",
              "epoch/val_loss": "val_loss", "epoch/val_acc": "val_acc"}


class RunLogError(ValueError):
    """A run log that cannot be written or read; the message says why and what to do."""


class _Tensorboard:
    """The few TensorBoard pieces the log writes with (imported once; ImportError -> hint)."""

    def __init__(self) -> None:
        try:
            from tensorboard.compat.proto.event_pb2 import Event
            from tensorboard.compat.proto.summary_pb2 import Summary
            from tensorboard.summary.writer.record_writer import RecordWriter
            from torch.utils.tensorboard import summary
        except ImportError:  # torch.utils.tensorboard too raises it without tensorboard
            raise RunLogError(INSTALL_HINT) from None
        self.Event, self.Summary, self.RecordWriter = Event, Summary, RecordWriter
        self.image, self.histogram_raw, self.text = (summary.image, summary.histogram_raw,
                                                     summary.text)


class EventFile:
    """A TensorBoard event file written by the training thread itself, in batches.

    SummaryWriter writes from a thread of its own, and its record checksums are pure Python:
    that thread competes with the training thread for the GIL each time a torch op returns,
    which slowed a small MLP by 10-20 %. Buffering the events and writing them every
    FLUSH_S seconds costs the same checksums but no contention.
    """

    def __init__(self, folder: Path, tb: _Tensorboard) -> None:
        self.tb = tb
        name = (f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}."
                f"{os.getpid()}.netzwerkstatt")
        self._records = tb.RecordWriter(open(folder / name, "wb"))  # noqa: SIM115 - kept open
        self._events: list[Any] = [tb.Event(wall_time=time.time(), file_version="brain.Event:2")]
        self._flushed = time.perf_counter()

    def add(self, summary: Any, step: int) -> None:
        self._events.append(self.tb.Event(wall_time=time.time(), step=int(step),
                                          summary=summary))
        if time.perf_counter() - self._flushed >= FLUSH_S:
            self.flush()

    def flush(self) -> None:
        for event in self._events:
            self._records.write(event.SerializeToString())
        self._events.clear()
        self._records.flush()
        self._flushed = time.perf_counter()

    def close(self) -> None:
        self.flush()
        self._records.close()


def _event_accumulator(path: Path) -> Any:
    try:
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    except ImportError:
        raise RunLogError(INSTALL_HINT) from None
    return EventAccumulator(str(path), size_guidance={"scalars": 0, "images": 1,
                                                       "histograms": 1})


def resolve_root(log_dir: str, base_dir: str | os.PathLike[str] | None = None) -> Path:
    """The log folder of a project: a relative `log_dir` points from the project's folder."""
    root = Path(log_dir).expanduser()
    if not root.is_absolute() and base_dir is not None:
        root = Path(base_dir) / root
    return root


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")[:40] or "data"


def _finite(value: Any) -> float | None:
    return float(value) if value is not None and math.isfinite(float(value)) else None


# --- writing -------------------------------------------------------------------------------------


class RunLog(Callback):
    """Trainer callback writing one run's log into a new subfolder of `root`.

    Pass `add_snapshot` the run's probe snapshots (the worker chains it behind the dashboard's
    emit). The folder is created when training starts, not before, so a run that fails while
    loading its data leaves nothing behind.
    """

    def __init__(self, root: str | os.PathLike[str], *, graph: Graph, data: DataConfig,
                 training: TrainConfig, run_id: int = 0, keep_weights: bool = True,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self._tb = _Tensorboard()  # fail before training, with the install hint
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise RunLogError(f"the run log folder {self.root} is a file; choose a folder")
        self.run_id = run_id
        self.keep_weights = keep_weights
        self.fingerprint = graph_fingerprint(graph)
        self.started = clock()
        self.record: dict[str, Any] = {
            "format": FORMAT, "version": VERSION, "run_id": run_id,
            "started": self.started.isoformat(timespec="seconds"), "ended": None,
            "status": "running", "message": "", "dataset": data.name,
            "fingerprint": self.fingerprint, "layers": len(graph.nodes),
            "settings": {"data": _settings(data), "training": _settings(training)},
            "final": {}, "weights": None,
        }
        self.path: Path | None = None
        self.writer: EventFile | None = None
        self.seconds = 0.0  # time spent in this logger: the overhead it adds to the run
        self._last_snapshot = -math.inf
        self._pending: Snapshot | None = None  # the newest snapshot not logged yet

    # -- Callback hooks --

    def on_train_start(self, trainer: Trainer) -> None:
        start = time.perf_counter()
        stamp = self.started.strftime("%Y%m%d-%H%M%S")
        name = f"{stamp}-run{self.run_id}-{_slug(self.record['dataset'])}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            path = self.root / name
            n = 1
            while path.exists():  # two runs in the same second
                n += 1
                path = self.root / f"{name}-{n}"
            path.mkdir()
        except OSError as exc:
            raise RunLogError(f"cannot create the run log folder in {self.root} ({exc}); "
                              "choose another folder") from None
        self.path = path
        self.record["name"] = path.name
        self.record["device"] = str(trainer.device)
        self.writer = EventFile(path, self._tb)
        settings = json.dumps(self.record["settings"], indent=2)
        self.writer.add(self._tb.text("settings", f"```\n{settings}\n```"), 0)
        self._write_summary()
        if self._pending is not None:  # the untrained network, probed before we started
            self._log_snapshot(self._pending)
            self._pending, self._last_snapshot = None, time.perf_counter()
        self.seconds += time.perf_counter() - start

    def on_log(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        start = time.perf_counter()
        self._scalars(STEP_TAGS, metrics, metrics["step"])
        self.seconds += time.perf_counter() - start

    def on_epoch_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        start = time.perf_counter()
        self._scalars({**EPOCH_TAGS, "epoch/epoch": "epoch"}, metrics, trainer.step)
        self.seconds += time.perf_counter() - start

    def _scalars(self, tags: dict[str, str], metrics: dict[str, Any], step: int) -> None:
        """All of a step's scalars as ONE event (TensorBoard reads each value under its tag):
        a quarter of the events `add_scalar` would write, which matters on small networks
        that log a thousand times a second."""
        summary = self._tb.Summary
        values = [summary.Value(tag=tag, simple_value=float(metrics[key]))
                  for tag, key in tags.items()
                  if metrics.get(key) is not None and math.isfinite(metrics[key])]
        if values:
            self.writer.add(summary(value=values), step)

    def on_train_end(self, trainer: Trainer, summary: TrainSummary) -> None:
        if self.path is None:  # the run failed before its folder was made
            return
        start = time.perf_counter()
        try:
            if self._pending is not None:
                self._log_snapshot(self._pending)
                self._pending = None
            if (self.keep_weights and summary.steps > 0
                    and summary.status in ("completed", "cancelled")):
                acc = _finite(summary.val_acc)
                trained = Trained(state_of(trainer.model),
                                  RunInfo(self.run_id, acc, summary.epochs, summary.steps,
                                          self.record["dataset"]), self.fingerprint)
                save_weights(self.path / WEIGHTS_FILE, trained)
                self.record["weights"] = WEIGHTS_FILE
            final = summary.to_dict()
            self.record.update(status=summary.status, message=summary.message,
                               ended=datetime.now().isoformat(timespec="seconds"))
            self.record["final"] = {k: final[k] for k in (
                "val_acc", "val_loss", "train_loss", "epochs", "steps", "samples_per_s",
                "seconds")}
            self._write_summary()
        finally:
            self.writer.close()
            self.seconds += time.perf_counter() - start

    # -- snapshots (images and histograms) --

    def add_snapshot(self, snapshot: Snapshot) -> None:
        """Log a probe snapshot's feature maps and histograms, at most one every
        SNAPSHOT_LOG_INTERVAL_S seconds; a skipped one is kept, so the run's final state is
        logged at its end."""
        now = time.perf_counter()
        if self.writer is None or now - self._last_snapshot < SNAPSHOT_LOG_INTERVAL_S:
            self._pending = snapshot
            return
        self._last_snapshot = now
        self._pending = None
        self._log_snapshot(snapshot)
        self.seconds += time.perf_counter() - now

    def _log_snapshot(self, snapshot: Snapshot) -> None:
        step = snapshot.step
        layers = list(snapshot.feature_maps)
        for i, layer in enumerate(layers):
            level = LEVELS[round(2 * i / (len(layers) - 1))] if len(layers) > 1 else "low"
            image = self._tb.image(f"feature_maps/{level}_{layer}",
                                   mosaic(snapshot.feature_maps[layer]), dataformats="HW")
            self.writer.add(image, step)
        for layer, hist in snapshot.hists.items():
            self._add_hist(f"weights/{layer}", hist.weight_counts, hist.edges, step)
            if hist.grad_counts.any():
                self._add_hist(f"gradients_log10/{layer}", hist.grad_counts, hist.grad_edges,
                               step)

    def _add_hist(self, tag: str, counts: np.ndarray, edges: np.ndarray, step: int) -> None:
        """A histogram the probes already counted, as TensorBoard's raw histogram. TensorBoard
        also wants min, max, sum and sum of squares: they are taken from the occupied bins'
        edges and centres (the values themselves are not kept)."""
        counts = np.asarray(counts, dtype=np.float64)
        used = np.nonzero(counts)[0]
        if not len(used):
            return
        centres = (edges[:-1] + edges[1:]) / 2
        self.writer.add(self._tb.histogram_raw(
            tag, min=float(edges[used[0]]), max=float(edges[used[-1] + 1]),
            num=int(counts.sum()), sum=float((counts * centres).sum()),
            sum_squares=float((counts * centres ** 2).sum()),
            bucket_limits=edges[1:].tolist(), bucket_counts=counts.tolist()), step)

    def _write_summary(self) -> None:
        atomic_write_text(self.path / SUMMARY_FILE, json.dumps(self.record, indent=2))


def _settings(config: Any) -> dict[str, Any]:
    out = asdict(config)
    out.pop("base_dir", None)  # where the project lies, not a setting
    return out


def mosaic(maps: np.ndarray) -> np.ndarray:
    """(C, H, W) maps scaled to [-1, 1] -> one (rows*H, cols*W) float image in [0, 1] with
    one-pixel gaps; all-non-negative maps (after ReLU) use 0..1 directly, others map -1..1."""
    maps = np.asarray(maps, dtype=np.float32)
    c, h, w = maps.shape
    cols = math.ceil(math.sqrt(c))
    rows = math.ceil(c / cols)
    shown = maps if maps.min() >= 0 else (maps + 1) / 2
    out = np.ones((rows * (h + 1) - 1, cols * (w + 1) - 1), dtype=np.float32)
    for i in range(c):
        r, col = divmod(i, cols)
        out[r * (h + 1):r * (h + 1) + h, col * (w + 1):col * (w + 1) + w] = shown[i]
    return np.clip(np.nan_to_num(out, nan=0.0), 0.0, 1.0)  # a diverged layer shows black


# --- reading: the index of past runs --------------------------------------------------------------


@dataclass(frozen=True)
class RunRecord:
    """One past run as the Runs list shows it (from its run.json)."""

    path: Path
    name: str
    started: str
    status: str
    dataset: str
    val_acc: float | None
    val_loss: float | None
    train_loss: float | None
    epochs: int
    steps: int
    fingerprint: str
    weights: Path | None
    run_id: int = 0
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def loss(self) -> float | None:
        """The loss to compare runs by: validation if measured, else training."""
        return self.val_loss if self.val_loss is not None else self.train_loss


def read_record(path: str | os.PathLike[str]) -> RunRecord:
    """The run in folder `path`; RunLogError names the file and the problem."""
    folder = Path(path)
    file = folder / SUMMARY_FILE
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunLogError(f"{file} cannot be read ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise RunLogError(f"{file} is not a Netzwerkstatt run summary")
    final = raw.get("final") if isinstance(raw.get("final"), dict) else {}

    def number(key: str) -> float | None:
        value = final.get(key)
        return _finite(value) if isinstance(value, (int, float)) else None

    def count(value: Any) -> int:
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value or 0
        raise RunLogError(f"{file} is damaged: {value!r} is not a count")

    weights = raw.get("weights")  # a file name in the run's folder, never a path elsewhere
    weights_path = (folder / weights if isinstance(weights, str) and Path(weights).name == weights
                    and (folder / weights).is_file() else None)
    return RunRecord(folder, str(raw.get("name", folder.name)), str(raw.get("started", "")),
                     str(raw.get("status", "")), str(raw.get("dataset", "")),
                     number("val_acc"), number("val_loss"), number("train_loss"),
                     count(final.get("epochs")), count(final.get("steps")),
                     str(raw.get("fingerprint", "")), weights_path,
                     count(raw.get("run_id")), raw)


def list_runs(root: str | os.PathLike[str]) -> tuple[list[RunRecord], list[str]]:
    """The runs logged in `root`, newest first, and one problem line per folder that has a
    damaged summary (so the list can say so instead of hiding it)."""
    root = Path(root)
    if not root.is_dir():
        return [], []
    records, problems = [], []
    for folder in root.iterdir():
        if folder.is_dir() and (folder / SUMMARY_FILE).exists():
            try:
                records.append(read_record(folder))
            except RunLogError as exc:
                problems.append(str(exc))
    records.sort(key=lambda r: (r.started, r.name), reverse=True)
    return records, problems


@dataclass
class LoggedCurves:
    """A logged run's curves, as the Curves view takes them (see widgets/plots/loss_plot.py)."""

    steps: np.ndarray
    loss: np.ndarray
    acc: np.ndarray
    epochs: list[dict[str, Any]]  # {"step", "epoch", "train_loss", ..., "val_acc"}
    counts: dict[str, int]  # tag -> number of scalar events (tests check these)


def read_curves(path: str | os.PathLike[str]) -> LoggedCurves:
    """Read a run's scalars back from its TensorBoard event files."""
    acc_events = _event_accumulator(Path(path))
    acc_events.Reload()
    tags = set(acc_events.Tags().get("scalars", []))
    if "train/loss" not in tags:
        raise RunLogError(f"{path} holds no training curves (no TensorBoard scalars): was the "
                          "run stopped before its first log step?")
    series = {tag: acc_events.Scalars(tag) for tag in tags}
    loss = series["train/loss"]
    steps = np.array([e.step for e in loss], dtype=np.int64)
    acc_by_step = {e.step: e.value for e in series.get("train/acc", [])}
    acc = np.array([acc_by_step.get(int(s), math.nan) for s in steps], dtype=np.float64)
    by_step: dict[int, dict[str, Any]] = {}
    for tag, key in {**EPOCH_TAGS, "epoch/epoch": "epoch"}.items():
        for event in series.get(tag, []):
            by_step.setdefault(event.step, {"step": event.step})[key] = event.value
    epochs = [by_step[s] for s in sorted(by_step)]
    for e in epochs:
        e["epoch"] = int(e.get("epoch", 0))
    return LoggedCurves(steps, np.array([e.value for e in loss], dtype=np.float64), acc,
                        epochs, {tag: len(events) for tag, events in series.items()})
