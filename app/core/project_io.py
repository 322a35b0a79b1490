"""Project files: versioned JSON, validated field by field, written atomically.

A learner's project must never be lost or half-written, and a broken or newer file must say
what is wrong instead of crashing the app, so every message names the offending field
(`graph.nodes[3].params.kernel_size`) and what to do about it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from app.core.catalog import CATALOG, spec
from app.core.datasets import AugmentConfig
from app.core.graph import Edge, Graph, Node, valid_node_id
from app.core.trainer import TrainConfig

FORMAT = "netzwerkstatt"
VERSION = 1


class ProjectError(ValueError):
    """A project file that cannot be used; `field` names the bad field when there is one."""

    def __init__(self, message: str, field: str = ""):
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


@dataclass
class DataConfig:
    name: str = "shapes"
    data_dir: str | None = None
    n_train: int | None = None
    n_val: int | None = None
    download: bool = False
    augment: AugmentConfig = field(default_factory=AugmentConfig)


@dataclass
class Project:
    graph: Graph = field(default_factory=Graph)
    data: DataConfig = field(default_factory=DataConfig)
    training: TrainConfig = field(default_factory=TrainConfig)
    name: str = ""
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        training = asdict(self.training)
        training.pop("augment", None)  # augmentation belongs to the data section
        return {
            "format": FORMAT,
            "version": VERSION,
            "name": self.name,
            "description": self.description,
            "graph": self.graph.to_dict(),
            "data": {**{k: v for k, v in asdict(self.data).items() if k != "augment"},
                     "augment": asdict(self.data.augment)},
            "training": training,
        }


# -- validation helpers -----------------------------------------------------------------------


def _expect(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise ProjectError(f"must be {what}, got {json.dumps(value)[:60]}", where)
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _parse_graph(data: Any) -> Graph:
    _expect(data, dict, "graph", "an object with 'nodes' and 'edges'")
    nodes = _expect(data.get("nodes", []), list, "graph.nodes", "a list")
    edges = _expect(data.get("edges", []), list, "graph.edges", "a list")
    g = Graph()
    for i, nd in enumerate(nodes):
        where = f"graph.nodes[{i}]"
        _expect(nd, dict, where, "an object")
        nid = _expect(nd.get("id"), str, f"{where}.id", "a layer name")
        if not valid_node_id(nid):
            raise ProjectError(f"'{nid}' is not a valid layer name (letters, digits, _)",
                               f"{where}.id")
        if nid in g.nodes:
            raise ProjectError(f"duplicate layer name '{nid}'", f"{where}.id")
        type_name = _expect(nd.get("type"), str, f"{where}.type", "a layer type")
        if type_name not in CATALOG:
            raise ProjectError(f"unknown layer type '{type_name}' (known: {', '.join(CATALOG)})",
                               f"{where}.type")
        params = _parse_params(type_name, nd.get("params", {}), f"{where}.params")
        pos = nd.get("pos", [0, 0])
        if not (isinstance(pos, list) and len(pos) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos)):
            raise ProjectError("must be [x, y]", f"{where}.pos")
        g.add_node(Node(nid, type_name, params, (float(pos[0]), float(pos[1]))))
    for i, ed in enumerate(edges):
        where = f"graph.edges[{i}]"
        _expect(ed, dict, where, "an object with 'src' and 'dst'")
        for end in ("src", "dst"):
            if ed.get(end) not in g.nodes:
                raise ProjectError(f"refers to a layer that does not exist: {ed.get(end)!r}",
                                   f"{where}.{end}")
        if Edge(ed["src"], ed["dst"]) in g.edges or ed["src"] == ed["dst"]:
            raise ProjectError("duplicate or self-connecting wire", where)
        g.connect(ed["src"], ed["dst"])
    return g


def _parse_params(type_name: str, raw: Any, where: str) -> dict[str, Any]:
    _expect(raw, dict, where, "an object")
    layer = spec(type_name)
    known = {p.name for p in layer.params}
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in known:
            raise ProjectError(
                f"{type_name} has no parameter '{name}' (it has: {', '.join(known) or 'none'})",
                f"{where}.{name}")
        if isinstance(value, list):
            value = tuple(value)
        problem = layer.param(name).validate(value)
        if problem:
            raise ProjectError(problem, f"{where}.{name}")
        params[name] = value
    return params


def _parse_dataclass(cls: type, raw: Any, where: str, skip: tuple[str, ...] = ()) -> Any:
    """Fill a config dataclass from JSON, checking each field against its default's type."""
    _expect(raw, dict, where, "an object")
    defaults = cls()
    names = {f.name for f in fields(cls)} - set(skip)
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in names:
            raise ProjectError(f"unknown setting (known: {', '.join(sorted(names))})",
                               f"{where}.{key}")
        default = getattr(defaults, key)
        if default is None or value is None:
            kwargs[key] = value
        elif isinstance(default, bool):
            kwargs[key] = _expect(value, bool, f"{where}.{key}", "true or false")
        elif isinstance(default, (int, float)):
            kind = (int, float) if isinstance(default, float) else int
            kwargs[key] = _expect(value, kind, f"{where}.{key}", "a number")
        elif isinstance(default, str):
            kwargs[key] = _expect(value, str, f"{where}.{key}", "a string")
        else:
            kwargs[key] = value
    return cls(**kwargs)


_RANGES = {
    "epochs": (1, 100_000), "batch_size": (1, 65_536), "lr": (1e-8, 100.0),
    "momentum": (0.0, 1.0), "weight_decay": (0.0, 10.0), "log_every": (1, 100_000),
}
_CHOICES = {
    "optimizer": ("sgd", "adam", "adamw"), "schedule": ("none", "step", "cosine"),
    "device": ("auto", "cpu", "cuda", "mps"),
}


def validate_training(cfg: TrainConfig, where: str = "training") -> None:
    """Refuse absurd hyperparameters with the allowed range, before a run starts."""
    for key, (lo, hi) in _RANGES.items():
        value = getattr(cfg, key)
        if not lo <= value <= hi:
            raise ProjectError(f"{value} is outside the sensible range {lo:g} .. {hi:g}",
                               f"{where}.{key}")
    for key, allowed in _CHOICES.items():
        if getattr(cfg, key) not in allowed:
            raise ProjectError(f"must be one of {', '.join(allowed)}", f"{where}.{key}")


def project_from_dict(data: Any) -> Project:
    _expect(data, dict, "file", "a JSON object")
    if data.get("format") != FORMAT:
        raise ProjectError("this is not a Netzwerkstatt project (expected \"format\": "
                           f"\"{FORMAT}\")", "format")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError("must be a positive whole number", "version")
    if version > VERSION:
        raise ProjectError(
            f"the file was saved by a newer Netzwerkstatt (format version {version}); this "
            f"version reads up to {VERSION}. Please update Netzwerkstatt to open it.", "version")
    graph = _parse_graph(data.get("graph", {}))
    raw_data = dict(_expect(data.get("data", {}), dict, "data", "an object"))
    augment = _parse_dataclass(AugmentConfig, raw_data.pop("augment", {}), "data.augment")
    data_cfg = _parse_dataclass(DataConfig, raw_data, "data", skip=("augment",))
    data_cfg.augment = augment
    training = _parse_dataclass(TrainConfig, data.get("training", {}), "training",
                                skip=("augment",))
    validate_training(training)
    return Project(graph, data_cfg, training,
                   name=str(data.get("name", "")), description=str(data.get("description", "")))


def load(path: str | os.PathLike[str]) -> Project:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(f"no such file: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"cannot read {p}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{p.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg}); the file may be damaged") from None
    return project_from_dict(data)


def dumps(project: Project) -> str:
    return json.dumps(project.to_dict(), indent=2, ensure_ascii=False) + "\n"


def save(path: str | os.PathLike[str], project: Project) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    atomic_write_text(Path(path), dumps(project))


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
