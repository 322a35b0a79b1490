"""Trained weights kept with the project: a safetensors file beside the project file.

A learner who trained for ten minutes must be able to close the app and come back to the same
network, and transfer learning and export start from those weights. The file format is
safetensors because it holds only tensors and a few strings: opening a project someone sent
must never run code, so nothing here uses pickle (no `torch.load`). The file's metadata records
which run produced it and a fingerprint of the network's structure, so the app can say when the
network was edited after training; a file whose tensors no longer fit the network is refused
with a message naming the first layer that differs.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file
from torch import nn

from app.core import project_io
from app.core.builder import GraphModel, build
from app.core.catalog import full_params
from app.core.graph import Graph

SUFFIX = ".weights.safetensors"
META_FORMAT = "netzwerkstatt-weights"


class WeightsError(ValueError):
    """Weights that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class RunInfo:
    """Which run the weights come from and how good they were (shown in the model summary)."""

    run: int
    val_acc: float | None  # None for regression or when never measured
    epochs: int  # fully completed epochs
    steps: int
    dataset: str


@dataclass(frozen=True)
class WeightsRef:
    """The project file's pointer to its weights: a file name relative to the project's folder."""

    file: str
    info: RunInfo

    def to_dict(self) -> dict[str, Any]:
        i = self.info
        return {"file": self.file, "run": i.run, "val_acc": i.val_acc, "epochs": i.epochs,
                "steps": i.steps, "dataset": i.dataset}

    def path_beside(self, project_path: Path) -> Path:
        return project_path.parent / self.file


@dataclass(frozen=True, eq=False)
class Trained:
    """A run's final weights (CPU tensors), where they came from, and the network they fit."""

    state: dict[str, torch.Tensor]
    info: RunInfo
    fingerprint: str

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Trained:
        """From the training worker's `finished` payload (see app.training)."""
        return cls(payload["state"],
                   RunInfo(int(payload["run_id"]), payload.get("val_acc"),
                           int(payload.get("epochs", 0)), int(payload.get("steps", 0)),
                           str(payload.get("dataset", ""))),
                   str(payload["fingerprint"]))


def default_file_name(project_path: Path) -> str:
    """`lenet.json` -> `lenet.weights.safetensors`."""
    return project_path.stem + SUFFIX


def graph_fingerprint(graph: Graph) -> str:
    """A hash of what decides the weights' meaning: the layers that feed an Output, their types
    and full parameters, and the wires between them; positions and stray layers do not count."""
    keep = graph.upstream([n.id for n in graph.nodes_of_type("Output")], inclusive=True)
    nodes = sorted((nid, graph.nodes[nid].type, full_params(graph.nodes[nid].type,
                                                            graph.nodes[nid].params))
                   for nid in keep)
    edges = [(e.src, e.dst) for e in graph.edges if e.src in keep and e.dst in keep]
    text = json.dumps({"nodes": nodes, "edges": edges}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# -- the safetensors file -------------------------------------------------------------------------


def save(path: str | os.PathLike[str], trained: Trained) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    i = trained.info
    metadata = {"format": META_FORMAT, "run": str(i.run),
                "val_acc": "" if i.val_acc is None else repr(float(i.val_acc)),
                "epochs": str(i.epochs), "steps": str(i.steps), "dataset": i.dataset,
                "fingerprint": trained.fingerprint}
    tensors = {k: v.detach().to("cpu").contiguous() for k, v in trained.state.items()}
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        save_file(tensors, tmp, metadata=metadata)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: str | os.PathLike[str], info: RunInfo | None = None) -> Trained:
    """Read a weights file with safetensors only; `info` stands in for missing metadata."""
    p = Path(path)
    if not p.is_file():
        raise WeightsError(f"the weights file {p.name} is missing (looked in {p.parent}); "
                           "train again to get new weights")
    try:
        with safe_open(str(p), framework="pt", device="cpu") as fh:
            metadata = fh.metadata() or {}
            names = fh.keys()  # a safe_open handle is not iterable itself
            state = {key: fh.get_tensor(key) for key in names}
    except (SafetensorError, OSError) as exc:
        raise WeightsError(f"{p.name} is not a readable safetensors file ({exc}); it may be "
                           "damaged or of another kind: train again to replace it") from None
    return Trained(state, _info_from(metadata, info, p.name), metadata.get("fingerprint", ""))


def _info_from(meta: dict[str, str], fallback: RunInfo | None, name: str) -> RunInfo:
    if "run" not in meta:
        if fallback is None:
            raise WeightsError(f"{name} does not say which run it comes from (no Netzwerkstatt "
                               "metadata)")
        return fallback
    try:
        acc = float(meta["val_acc"]) if meta.get("val_acc") else None
        return RunInfo(int(meta["run"]), acc if acc is None or math.isfinite(acc) else None,
                       int(meta.get("epochs", 0)), int(meta.get("steps", 0)),
                       meta.get("dataset", ""))
    except ValueError:
        raise WeightsError(f"{name} has damaged metadata: {meta}") from None


# -- fitting weights to a network -----------------------------------------------------------------


def check_fits(expected: dict[str, torch.Size], trained: Trained) -> None:
    """Raise a WeightsError naming the first layer whose tensors differ from the network's."""
    since = f"the network changed since run {trained.info.run} — train again"
    for key, shape in expected.items():
        layer, _, name = key.rpartition(".")
        if key not in trained.state:
            raise WeightsError(f"layer '{layer}' needs {name} {_dims(shape)} but the file has "
                               f"none: {since}")
        got = trained.state[key].shape
        if got != shape:
            raise WeightsError(f"layer '{layer}' expects {name} {_dims(shape)} but the file has "
                               f"{_dims(got)}: {since}")
    extra = sorted(set(trained.state) - set(expected))
    if extra:
        layer = extra[0].rpartition(".")[0]
        raise WeightsError(f"the file has weights for layer '{layer}', which the network does "
                           f"not have: {since}")


def _dims(shape: torch.Size) -> str:
    return "x".join(str(s) for s in shape) or "scalar"


def expected_shapes(graph: Graph) -> dict[str, torch.Size]:
    """The state-dict shapes of `graph`'s model, built on the meta device (no memory, no time)."""
    with torch.device("meta"):
        model = build(graph, seed=None)
    return {k: v.shape for k, v in model.state_dict().items()}


def fits(graph: Graph, trained: Trained) -> None:
    """Check that `trained` loads into `graph`'s network (BuildError/WeightsError if not)."""
    check_fits(expected_shapes(graph), trained)


def restore(project_path: Path, ref: WeightsRef, graph: Graph) -> Trained:
    """The weights a project file points to, checked against its network.

    Raises WeightsError or BuildError; a file without our metadata (written by another tool) is
    judged by its keys and shapes alone, so it counts as fitting the network it loaded into.
    """
    trained = load(ref.path_beside(project_path), ref.info)
    fits(graph, trained)
    if not trained.fingerprint:
        trained = Trained(trained.state, trained.info, graph_fingerprint(graph))
    return trained


def model_with_weights(graph: Graph, trained: Trained) -> GraphModel:
    """Build `graph`'s network and load the trained weights into it (strictly: every tensor)."""
    model = build(graph, seed=None)
    check_fits({k: v.shape for k, v in model.state_dict().items()}, trained)
    model.load_state_dict(trained.state, strict=True)
    return model


def state_of(model: nn.Module) -> dict[str, torch.Tensor]:
    """CPU copies of a model's weights and buffers, safe to hand to another thread."""
    return {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}


# -- the project file's "weights" section ---------------------------------------------------------


def parse_ref(raw: Any, where: str = "weights") -> WeightsRef:
    """Validate the project file's "weights" object; errors name the bad field."""
    if not isinstance(raw, dict):
        raise project_io.ProjectError("must be an object with 'file' and 'run'", where)
    known = {"file", "run", "val_acc", "epochs", "steps", "dataset"}
    for key in raw:
        if key not in known:
            raise project_io.ProjectError(f"unknown setting (known: {', '.join(sorted(known))})",
                                          f"{where}.{key}")
    file = raw.get("file")
    if (not isinstance(file, str) or not file or Path(file).name != file
            or PureWindowsPath(file).name != file or file in (".", "..")):
        raise project_io.ProjectError("must be the name of a file in the project's folder, "
                                      f"e.g. \"net{SUFFIX}\"", f"{where}.file")

    def count(key: str, default: int | None) -> int:
        value = raw.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise project_io.ProjectError("must be a whole number of 0 or more", f"{where}.{key}")
        return value

    acc = raw.get("val_acc")
    if acc is not None and (not isinstance(acc, (int, float)) or isinstance(acc, bool)
                            or not 0.0 <= acc <= 1.0):
        raise project_io.ProjectError("must be an accuracy between 0 and 1, or null",
                                      f"{where}.val_acc")
    dataset = raw.get("dataset", "")
    if not isinstance(dataset, str):
        raise project_io.ProjectError("must be a dataset name", f"{where}.dataset")
    return WeightsRef(file, RunInfo(count("run", None), None if acc is None else float(acc),
                                    count("epochs", 0), count("steps", 0), dataset))
