"""Training in a background QThread: a worker that owns the run, a controller the GUI talks to.

The GUI hands the worker an immutable `RunRequest` (a copy of the graph and the settings), so a
learner can keep editing the canvas while the frozen network trains. The worker builds model and
data itself and reports only small numpy/dict payloads through queued signals, throttled at the
source: scalars at most ~10 times a second, probe snapshots ~2 times a second. Every payload
carries its run id; the controller drops those of runs that are no longer current, so a late
signal from a stopped run never lands in the plots of the next one.

Pause, resume, single steps, learning-rate changes and stop go through the trainer's
`TrainControl` (thread-safe events checked before each batch), so stop takes effect within one
batch, and the thread is always joined: on stop(wait=True), on `shutdown()` and when it ends.
"""

from __future__ import annotations

import math
import traceback
from copy import deepcopy
from dataclasses import dataclass, replace
from time import perf_counter
from typing import Any

import numpy as np
import torch
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from app.core.cancel import Cancelled, call_cancellable
from app.core.datasets import DataBundle
from app.core.experiment import SetupError, load_data, prepare_model
from app.core.graph import Graph
from app.core.probes import Extra, ProbeCallback, Snapshot, epoch_results, snapshot_of
from app.core.project_io import DataConfig, ProjectError, validate_training
from app.core.run_log import RunLog, resolve_root
from app.core.trainer import Callback, TrainConfig, TrainControl, Trainer, TrainSummary
from app.core.weights import Trained, graph_fingerprint, model_with_weights, state_of

SCALAR_INTERVAL_S = 0.1  # ~10 Hz: smooth curves without flooding the GUI's event queue
GUI_LOG_EVERY = 5  # steps between loss readings (one device sync each) in the GUI
PROBE_COUNT = 8  # validation inputs the learner can pick the probe image from
# Status and hint texts in the UI language (the trainer's own messages are English);
# lupdate reads translate("Context", "text").
translate = QCoreApplication.translate


@dataclass(frozen=True)
class RunRequest:
    """Everything a run needs, frozen at the moment the learner pressed Train."""

    run_id: int
    graph: Graph
    data: DataConfig
    training: TrainConfig
    probe_layers: tuple[str, ...] = ()
    probe_index: int = 0
    extras: tuple[tuple[str, Extra], ...] = ()  # lab measurements taken with each snapshot



def probe_inputs(data: DataBundle) -> torch.Tensor:
    """The validation inputs (training ones if there is no validation set) views can show."""
    return data.x_val[:PROBE_COUNT] if len(data.x_val) else data.x_train[:PROBE_COUNT]


def data_payload(run_id: int, data: DataBundle, restored: bool = False) -> dict[str, Any]:
    """What views learn about a run's data (the dataReady signal): names, sizes, probes."""
    labels = data.y_val if len(data.x_val) else data.y_train
    return {"run_id": run_id, "name": data.name, "kind": data.kind, "classes": data.classes,
            "n_train": len(data.x_train), "n_val": len(data.x_val),
            "input_shape": data.input_shape, "probe_x": probe_inputs(data).float().cpu().numpy(),
            "probe_y": labels[:PROBE_COUNT].cpu().numpy(), "restored": restored,
            "mean": data.mean, "std": data.std}  # standardisation: datasets.pixels_of undoes it


def restored_view(graph: Graph, data: DataConfig, trained: Trained, layers: tuple[str, ...],
                  probe_index: int = 0, extras: dict[str, Extra] | None = None,
                  seed: int = 0) -> tuple[dict[str, Any], Snapshot]:
    """The data payload and the snapshot of weights restored with a project (no training), so
    the views show what the trained network sees right after opening. Slow (it loads the
    dataset): run it in the background."""
    bundle = load_data(data, seed)  # the run's seed: the same probe images as in training
    model = model_with_weights(graph, trained)
    snapshot = snapshot_of(model, layers, probe_inputs(bundle), probe_index=probe_index,
                           step=trained.info.steps, epoch=trained.info.epochs, extras=extras)
    return data_payload(0, bundle, restored=True), snapshot


def run_id_of(payload: Any) -> int | None:
    """The run id of a worker payload (a dict with "run_id" or a probe Snapshot)."""
    if isinstance(payload, Snapshot):
        return payload.run_id
    if isinstance(payload, dict):
        return payload.get("run_id")
    return None


class _Relay(Callback):
    """Trainer callback in the worker thread: batches scalars, relays epochs as payloads."""

    def __init__(self, worker: TrainingWorker) -> None:
        self.worker = worker
        self.run_id = worker.request.run_id
        self._points: dict[str, list[float]] = {"steps": [], "loss": [], "acc": [], "lr": []}
        self._latest: dict[str, Any] = {}
        self._last_emit = -math.inf

    def on_log(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        points = self._points
        points["steps"].append(metrics["step"])
        points["loss"].append(metrics["loss"])
        points["acc"].append(math.nan if metrics["acc"] is None else metrics["acc"])
        points["lr"].append(metrics["lr"])
        self._latest = {**metrics, "epochs": trainer.config.epochs,
                        "total_steps": trainer.total_steps}
        # While paused every step is one the learner asked to see: show it at once.
        if perf_counter() - self._last_emit >= SCALAR_INTERVAL_S or trainer.control.pause.is_set():
            self.flush()

    def flush(self) -> None:
        if not self._points["steps"]:
            return
        payload = {"run_id": self.run_id, **self._latest,
                   **{k: np.asarray(v, dtype=np.int64 if k == "steps" else np.float64)
                      for k, v in self._points.items()}}
        for values in self._points.values():
            values.clear()
        self._last_emit = perf_counter()
        self.worker.scalars.emit(payload)

    def on_epoch_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        self.flush()
        self.worker.epochEnded.emit({"run_id": self.run_id, "step": trainer.step,
                                     **epoch_results(trainer, metrics)})

    def on_train_end(self, trainer: Trainer, summary: TrainSummary) -> None:
        self.flush()


class TrainingWorker(QObject):
    """Runs one `RunRequest` in the thread it was moved to; see the module docstring."""

    status = Signal(object)  # {"run_id", "text"}: what the worker is doing before training
    dataReady = Signal(object)  # {"run_id", "classes", "kind", "n_train", ...}
    scalars = Signal(object)  # {"run_id", "steps", "loss", "acc", "lr" arrays + latest metrics}
    snapshot = Signal(object)  # probes.Snapshot
    epochEnded = Signal(object)  # {"run_id", epoch metrics, "confusion", "misclassified", ...}
    # {"run_id", TrainSummary.to_dict(), "state", "dataset", "fingerprint"}: completed or
    # cancelled; "state" holds the final weights as CPU tensors (see weights.Trained.from_payload)
    finished = Signal(object)
    failed = Signal(object)  # {"run_id", "status", "message", "details"}

    def __init__(self, request: RunRequest, control: TrainControl) -> None:
        super().__init__()
        self.request = request
        self.control = control
        self.trainer: Trainer | None = None  # set once training starts (tests read its lr)
        self.probe: ProbeCallback | None = None
        self._probe_layers = request.probe_layers
        self._probe_index = request.probe_index

    def set_probe_layers(self, layers: tuple[str, ...]) -> None:
        """Called from the GUI thread; the next snapshot uses the new layers."""
        self._probe_layers = tuple(layers)
        if self.probe is not None:
            self.probe.set_layers(self._probe_layers)

    def set_probe_index(self, index: int) -> None:
        self._probe_index = index
        if self.probe is not None:
            self.probe.set_probe_index(index)

    @Slot()
    def run(self) -> None:
        try:
            self._run()
        except Cancelled as stage:
            self.finished.emit({"run_id": self.request.run_id,
                                **_stopped_before_training(str(stage)).to_dict()})
        except (SetupError, ProjectError, ValueError) as exc:
            self._fail("failed", str(exc), "")
        except Exception as exc:  # noqa: BLE001 - anything else is reported, never lost
            self._fail("failed", f"{type(exc).__name__}: {exc}", traceback.format_exc())
        finally:
            # Hand this object back to the GUI thread before ours ends, so it can be deleted
            # there, and end our event loop from here (a queued quit could wait forever on a
            # GUI thread that is blocked joining us).
            app = QCoreApplication.instance()
            if app is not None:
                self.moveToThread(app.thread())
            thread = QThread.currentThread()
            thread.quit()

    def _run(self) -> None:
        req = self.request
        validate_training(req.training)
        # A run log is checked first: a missing TensorBoard fails at once, not after loading.
        run_log = (RunLog(resolve_root(req.training.log_dir, req.data.base_dir),
                          graph=req.graph, data=req.data, training=req.training,
                          run_id=req.run_id) if req.training.log_dir else None)
        self.status.emit({"run_id": req.run_id, "text": translate(
            "TrainingWorker", "Loading dataset '{name}'…").format(name=req.data.name)})
        # Loading (or downloading) and building run abandonably, so Stop ends them at once.
        cancel = self.control.cancel
        data = call_cancellable(lambda: load_data(req.data, req.training.seed), cancel,
                                translate("TrainingWorker", "loading the dataset"))
        self.status.emit({"run_id": req.run_id,
                          "text": translate("TrainingWorker", "Building the network…")})
        model = call_cancellable(lambda: prepare_model(req.graph, data, req.training.seed),
                                 cancel, translate("TrainingWorker", "building the network"))
        config = replace(req.training, augment=req.data.augment,
                         log_every=min(req.training.log_every, GUI_LOG_EVERY))
        probe_x = probe_inputs(data)
        self.dataReady.emit(data_payload(req.run_id, data))
        emit = self.snapshot.emit
        if run_log is not None:  # the log takes its images and histograms from the probes
            def emit(snapshot: Snapshot) -> None:
                self.snapshot.emit(snapshot)
                run_log.add_snapshot(snapshot)
        self.probe = ProbeCallback(self._probe_layers, probe_x, emit,
                                   run_id=req.run_id, probe_index=self._probe_index,
                                   extras=dict(req.extras))
        relay = _Relay(self)
        callbacks = [relay, self.probe] + ([run_log] if run_log is not None else [])
        self.trainer = Trainer(model, data, config, loss=model.losses[model.output_ids[0]],
                               callbacks=callbacks, control=self.control)
        self.status.emit({"run_id": req.run_id,
                          "text": translate("TrainingWorker", "Training on {device}…")
                          .format(device=self.trainer.device)})
        summary = self.trainer.fit()
        if summary.status in ("failed", "diverged"):
            details = ("".join(traceback.format_exception(summary.error))
                       if summary.error is not None else "")
            self._fail(summary.status, _with_hint(summary), details)
        else:
            # The final weights travel as CPU copies, so the learner can keep them (weights.py).
            self.finished.emit({"run_id": req.run_id, **summary.to_dict(),
                                "state": state_of(model), "dataset": data.name,
                                "fingerprint": graph_fingerprint(req.graph),
                                "log_path": str(run_log.path) if run_log is not None else ""})

    def _fail(self, status: str, message: str, details: str) -> None:
        self.failed.emit({"run_id": self.request.run_id, "status": status, "message": message,
                          "details": details})


def _stopped_before_training(stage: str) -> TrainSummary:
    """The summary of a run stopped while it was still `stage` (e.g. loading the dataset)."""
    return TrainSummary("cancelled", translate("TrainingWorker",
                                               "Stopped while {stage}; nothing was trained.")
                        .format(stage=stage),
                        math.nan, math.nan, math.nan, 0.0, 0, 0, "", 0.0)


def _with_hint(summary: TrainSummary) -> str:
    """The trainer's message, plus what to do for a layer that raised (OOM and NaN messages
    already say which setting to change)."""
    if summary.status == "failed" and "memory" not in summary.message:
        return summary.message + "\n" + translate("TrainingWorker",
            "Check the settings of the layers involved in the inspector (or lower the batch "
            "size or learning rate), then press Train again.")
    return summary.message


class TrainingController(QObject):
    """The GUI's handle on training: one run at a time, its thread, and its run id.

    Re-emits the current run's payloads (stale ones are dropped) and `stateChanged` with
    "idle", "running", "paused" or "stopping".
    """

    status = Signal(object)
    dataReady = Signal(object)
    scalars = Signal(object)
    snapshot = Signal(object)
    epochEnded = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    stateChanged = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run_id = 0
        self.state = "idle"
        self.worker: TrainingWorker | None = None
        self.control: TrainControl | None = None
        self._thread: QThread | None = None
        self.dropped = 0  # stale payloads ignored (for tests and diagnostics)

    @property
    def is_running(self) -> bool:
        """True from start() until the run's thread has ended (also while paused/stopping)."""
        return self._thread is not None

    def start(self, graph: Graph, data: DataConfig, training: TrainConfig,
              probe_layers: tuple[str, ...] = (), probe_index: int = 0,
              extras: dict[str, Extra] | None = None) -> int:
        """Start a run on copies of the arguments; returns its run id."""
        if self.is_running:
            raise RuntimeError("a training run is already in progress; stop it first")
        self.run_id += 1
        request = RunRequest(self.run_id, graph.copy(), deepcopy(data), deepcopy(training),
                             tuple(probe_layers), probe_index,
                             tuple((extras or {}).items()))
        self.control = TrainControl()
        worker = TrainingWorker(request, self.control)
        thread = QThread()
        thread.setObjectName(f"training-run-{self.run_id}")
        worker.moveToThread(thread)
        queued = Qt.ConnectionType.QueuedConnection
        for source, slot in ((worker.status, self._on_status),
                             (worker.dataReady, self._on_data_ready),
                             (worker.scalars, self._on_scalars),
                             (worker.snapshot, self._on_snapshot),
                             (worker.epochEnded, self._on_epoch_ended),
                             (worker.finished, self._on_finished),
                             (worker.failed, self._on_failed)):
            source.connect(slot, queued)
        thread.started.connect(worker.run)
        thread.finished.connect(self._on_thread_finished, queued)
        self.worker, self._thread = worker, thread
        self._set_state("running")
        thread.start()
        return self.run_id

    def pause(self) -> None:
        if self.control is not None and self.state == "running":
            self.control.pause.set()
            self._set_state("paused")

    def resume(self) -> None:
        if self.control is not None and self.state == "paused":
            self.control.pause.clear()
            self._set_state("running")

    def step(self) -> None:
        """Run exactly one more batch (pauses first when running)."""
        if self.control is None or self.state not in ("running", "paused"):
            return
        self.pause()
        self.control.request_step()

    def set_lr(self, lr: float) -> None:
        if self.control is not None:
            self.control.set_lr(lr)

    def set_probe_layers(self, layers: tuple[str, ...]) -> None:
        if self.worker is not None:
            self.worker.set_probe_layers(tuple(layers))

    def set_probe_index(self, index: int) -> None:
        if self.worker is not None:
            self.worker.set_probe_index(index)

    def stop(self, wait: bool = False) -> None:
        """Stop before the next batch; with `wait`, also join the thread."""
        if self.control is None or not self.is_running:
            return
        self.control.cancel.set()
        self.control.pause.clear()
        self._set_state("stopping")
        if wait:
            self._join()

    def shutdown(self) -> None:
        """Stop and join: for closing the window or quitting while a run is going."""
        self.stop(wait=True)

    def accepts(self, payload: Any) -> bool:
        """True for payloads of the current run; counts and rejects stale ones."""
        if run_id_of(payload) == self.run_id:
            return True
        self.dropped += 1
        return False

    # -- relays (GUI thread) --

    def _relay(self, signal: Signal, payload: Any) -> None:
        if self.accepts(payload):
            signal.emit(payload)

    @Slot(object)
    def _on_status(self, payload: dict) -> None:
        self._relay(self.status, payload)

    @Slot(object)
    def _on_data_ready(self, payload: dict) -> None:
        self._relay(self.dataReady, payload)

    @Slot(object)
    def _on_scalars(self, payload: dict) -> None:
        self._relay(self.scalars, payload)

    @Slot(object)
    def _on_snapshot(self, payload: Snapshot) -> None:
        self._relay(self.snapshot, payload)

    @Slot(object)
    def _on_epoch_ended(self, payload: dict) -> None:
        self._relay(self.epochEnded, payload)

    @Slot(object)
    def _on_finished(self, payload: dict) -> None:
        self._relay(self.finished, payload)

    @Slot(object)
    def _on_failed(self, payload: dict) -> None:
        self._relay(self.failed, payload)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None and self._thread.isFinished():
            self._join()

    def _join(self) -> None:
        thread = self._thread
        if thread is None:
            return
        thread.wait()
        self._thread = None
        self.worker = None
        self._set_state("idle")

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)
