"""Project files: versioned JSON, validated field by field, written atomically.

A learner's project must never be lost or half-written, and a broken or newer file must say
what is wrong instead of crashing the app, so every message names the offending field
(`graph.nodes[3].params.kernel_size`) and what to do about it.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any

from app.core.catalog import CATALOG, spec
from app.core.datasets import DATASETS, FOLDER_PREFIX, AugmentConfig
from app.core.gc_pause import gc_paused
from app.core.graph import Graph, Node, node_id_problem
from app.core.trainer import OPTIMIZERS, SCHEDULES, TrainConfig

if TYPE_CHECKING:
    from app.core.weights import WeightsRef

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
    # Generated sets only (the Playground's controls; see app.core.datasets.load): the 2-D
    # point sets' noise (None: each set's own), the validation share of all points (None: the
    # set's default split) and which random sample is drawn (0: the usual one).
    noise: float | None = None
    val_fraction: float | None = None
    sample: int = 0
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    # The folder of the project file this came from: relative paths are resolved against it.
    # Not saved, so a relative `data_dir` stays relative when the project is written again.
    base_dir: str | None = field(default=None, compare=False, repr=False)

    def resolved(self) -> DataConfig:
        """A copy whose data folder and `folder:` path are absolute (relative to the project)."""
        base = Path(self.base_dir) if self.base_dir else Path.cwd()

        def absolute(path: str) -> str:
            p = Path(path).expanduser()
            return str(p) if p.is_absolute() else os.path.normpath(base / p)

        name = self.name
        if name.startswith(FOLDER_PREFIX):
            name = FOLDER_PREFIX + absolute(name[len(FOLDER_PREFIX):])
        data_dir = absolute(self.data_dir) if self.data_dir else self.data_dir
        return replace(self, name=name, data_dir=data_dir)

    def rebased(self, folder: str | os.PathLike[str]) -> DataConfig:
        """The same data for a project file that now lives in `folder` (Save As elsewhere):
        relative paths are rewritten so they still point at the same place."""
        new = Path(folder).resolve()
        old = Path(self.base_dir) if self.base_dir else Path.cwd()

        def moved(path: str) -> str:
            p = Path(path).expanduser()
            return path if p.is_absolute() else os.path.relpath(old / p, new)

        name = self.name
        if name.startswith(FOLDER_PREFIX) and name != FOLDER_PREFIX:
            name = FOLDER_PREFIX + moved(name[len(FOLDER_PREFIX):])
        data_dir = moved(self.data_dir) if self.data_dir else self.data_dir
        return replace(self, name=name, data_dir=data_dir, base_dir=str(new))


@dataclass
class Project:
    graph: Graph = field(default_factory=Graph)
    data: DataConfig = field(default_factory=DataConfig)
    training: TrainConfig = field(default_factory=TrainConfig)
    name: str = ""
    description: str = ""
    weights: WeightsRef | None = None  # trained weights beside the file (app.core.weights)
    # What loading left out of the file for safety, one sentence each (shown when it opens).
    notes: list[str] = field(default_factory=list, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        training = asdict(self.training)
        training.pop("augment", None)  # augmentation belongs to the data section
        data = {k: v for k, v in asdict(self.data).items() if k not in ("augment", "base_dir")}
        return {
            "format": FORMAT,
            "version": VERSION,
            "name": self.name,
            "description": self.description,
            "graph": self.graph.to_dict(),
            "data": {**data, "augment": asdict(self.data.augment)},
            "training": training,
            **({"weights": self.weights.to_dict()} if self.weights is not None else {}),
        }


# -- validation helpers -----------------------------------------------------------------------


def _describe(value: Any) -> str:
    """A short, safe description of a JSON value for messages (never dumps a whole subtree)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _HugeInt):
        return f"a number with {value.digits} digits"
    if isinstance(value, int):
        text = str(value)
        return text if len(text) <= 20 else f"a number with {len(text)} digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value[:40] + ("..." if len(value) > 40 else ""), ensure_ascii=False)
    return "a list" if isinstance(value, list) else "an object"


def _expect(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise ProjectError(f"must be {what}, got {_describe(value)}", where)
    return value


def _parse_graph(data: Any) -> Graph:
    _expect(data, dict, "graph", "an object with 'nodes' and 'edges'")
    nodes = _expect(data.get("nodes", []), list, "graph.nodes", "a list")
    edges = _expect(data.get("edges", []), list, "graph.edges", "a list")
    g = Graph()
    for i, nd in enumerate(nodes):
        where = f"graph.nodes[{i}]"
        _expect(nd, dict, where, "an object")
        nid = _expect(nd.get("id"), str, f"{where}.id", "a layer name")
        if problem := node_id_problem(nid):
            raise ProjectError(problem, f"{where}.id")
        if nid in g.nodes:
            raise ProjectError(f"duplicate layer name '{nid}'", f"{where}.id")
        type_name = _expect(nd.get("type"), str, f"{where}.type", "a layer type")
        if type_name not in CATALOG:
            raise ProjectError(f"unknown layer type {_describe(type_name)} "
                               f"(known: {', '.join(CATALOG)})", f"{where}.type")
        params = _parse_params(type_name, nd.get("params", {}), f"{where}.params")
        pos = nd.get("pos", [0, 0])
        if not (isinstance(pos, list) and len(pos) == 2
                and all(_is_number(v) and abs(v) <= MAX_POS for v in pos)):
            raise ProjectError(f"must be [x, y] with each between -{MAX_POS:g} and {MAX_POS:g}",
                               f"{where}.pos")
        frozen = _expect(nd.get("frozen", False), bool, f"{where}.frozen", "true or false")
        group = _expect(nd.get("group", ""), str, f"{where}.group", "a group name (text)")
        if len(group) > MAX_GROUP_NAME:
            raise ProjectError(f"a group name has at most {MAX_GROUP_NAME} characters; "
                               "shorten it",
                               f"{where}.group")
        g.add_node(Node(nid, type_name, params, (float(pos[0]), float(pos[1])), frozen, group))
    for i, ed in enumerate(edges):
        where = f"graph.edges[{i}]"
        _expect(ed, dict, where, "an object with 'src' and 'dst'")
        for end in ("src", "dst"):
            layer = _expect(ed.get(end), str, f"{where}.{end}", "the name of a layer")
            if layer not in g.nodes:
                raise ProjectError(f"refers to a layer that does not exist: {_describe(layer)}",
                                   f"{where}.{end}")
        if g.has_edge(ed["src"], ed["dst"]) or ed["src"] == ed["dst"]:
            raise ProjectError("duplicate or self-connecting wire; delete it", where)
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
        if isinstance(value, (dict, tuple)) and layer.param(name).kind != "shape":
            problem = f"{name} must be a single value, got {_describe(value)}"
        else:
            problem = layer.param(name).validate(value)
        if problem:
            raise ProjectError(problem, f"{where}.{name}")
        params[name] = value
    return params


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Rule:
    """What one setting may hold: its type, range or choices, and whether null is allowed."""

    kind: str  # "int" | "float" | "bool" | "str" | "choice"
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    nullable: bool = False

    def check(self, value: Any, where: str) -> None:
        if value is None:
            if not self.nullable:
                raise ProjectError(f"must not be null; write {self.expected()}", where)
            return
        ok = {"int": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "float": _is_number, "bool": lambda v: isinstance(v, bool),
              "str": lambda v: isinstance(v, str) and v.strip() != "",
              "choice": lambda v: isinstance(v, str) and v in self.choices}[self.kind](value)
        if not ok:
            raise ProjectError(f"must be {self.expected()}, got {_describe(value)}", where)
        if self.lo is not None and not (self.lo <= value <= self.hi):  # False for NaN too
            raise ProjectError(f"{_describe(value)} is outside the sensible range "
                               f"{_fmt(self.lo)} .. {_fmt(self.hi)}; write a value in it", where)

    def expected(self) -> str:
        what = {"int": "a whole number", "float": "a number", "bool": "true or false",
                "str": "a non-empty text",
                "choice": f"one of {', '.join(self.choices)}"}[self.kind]
        if self.lo is not None:
            what += f" from {_fmt(self.lo)} to {_fmt(self.hi)}"
        return what + (" (or null)" if self.nullable else "")


def _fmt(bound: float) -> str:
    return f"{bound:,}" if isinstance(bound, int) else f"{bound:g}"


MAX_GROUP_NAME = 200  # groups are named after module paths ("layer1_0")
MAX_POS = 1e6  # canvas coordinates: far beyond any real layout, far below float trouble
MAX_SAMPLES = 1_000_000

TRAINING_RULES = {
    "epochs": Rule("int", 1, 100_000), "batch_size": Rule("int", 1, 65_536),
    "lr": Rule("float", 1e-8, 100.0), "optimizer": Rule("choice", choices=OPTIMIZERS),
    "momentum": Rule("float", 0.0, 1.0), "weight_decay": Rule("float", 0.0, 10.0),
    "schedule": Rule("choice", choices=SCHEDULES),
    "device": Rule("choice", choices=("auto", "cpu", "cuda", "mps")),
    "seed": Rule("int", 0, 2**32 - 1), "log_every": Rule("int", 1, 100_000),
    "max_steps": Rule("int", 1, 10**9, nullable=True),
    "log_dir": Rule("str", nullable=True),
    "min_step_s": Rule("float", 0.0, 10.0),
}
DATA_RULES = {
    "name": Rule("str"), "data_dir": Rule("str", nullable=True),
    "n_train": Rule("int", 1, MAX_SAMPLES, nullable=True),
    "n_val": Rule("int", 1, MAX_SAMPLES, nullable=True), "download": Rule("bool"),
    "noise": Rule("float", 0.0, 1.0, nullable=True),
    "val_fraction": Rule("float", 0.05, 0.9, nullable=True),
    "sample": Rule("int", 0, 1_000_000),
}
AUGMENT_RULES = {
    "hflip": Rule("bool"), "rotation": Rule("float", 0.0, 180.0), "crop": Rule("int", 0, 32),
    "color_jitter": Rule("float", 0.0, 1.0), "noise": Rule("float", 0.0, 1.0),
    "elastic": Rule("float", 0.0, 10.0),
}


def _check_rules(obj: Any, rules: dict[str, Rule], where: str) -> None:
    for key, rule in rules.items():
        rule.check(getattr(obj, key), f"{where}.{key}")


def _parse_section(cls: type, raw: Any, rules: dict[str, Rule], where: str) -> Any:
    """Fill a config dataclass from JSON: unknown keys are refused, every value is checked."""
    _expect(raw, dict, where, "an object")
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in rules:
            raise ProjectError(f"unknown setting (known: {', '.join(sorted(rules))})",
                               f"{where}.{key}")
        rules[key].check(value, f"{where}.{key}")
        kwargs[key] = value
    return cls(**kwargs)


def validate_training(cfg: TrainConfig, where: str = "training") -> None:
    """Refuse absurd hyperparameters with the allowed range, before a run starts."""
    _check_rules(cfg, TRAINING_RULES, where)


def validate_data(cfg: DataConfig, where: str = "data") -> None:
    """Refuse data settings that could not be loaded (a dataset name is checked when loading)."""
    _check_rules(cfg, DATA_RULES, where)
    _check_rules(cfg.augment, AUGMENT_RULES, f"{where}.augment")
    if cfg.name not in DATASETS and not cfg.name.startswith(FOLDER_PREFIX):
        raise ProjectError(f"unknown dataset {_describe(cfg.name)}; use one of "
                           f"{', '.join(DATASETS)} or {FOLDER_PREFIX}path/to/images",
                           f"{where}.name")


def escapes_folder(path: str, folder: str | os.PathLike[str] | None) -> str | None:
    """Why `path`, read from a file in `folder` (None: the working folder), leads out of that
    folder, or None when it stays inside.

    Absolute paths (also ``~`` and Windows drives), ``..`` that climbs out and symbolic links
    that point elsewhere all count: a file someone sent must never make the app write where
    the user did not choose.
    """
    if (Path(path).expanduser().is_absolute() or PureWindowsPath(path).drive
            or PureWindowsPath(path).root):
        return f"'{path}' is an absolute path"
    base = Path(folder).resolve() if folder is not None else Path.cwd().resolve()
    normal = os.path.normpath(path.replace("\\", "/"))
    if normal == os.pardir or normal.startswith(os.pardir + os.sep):
        return f"'{path}' climbs out of the project's folder with '..'"
    real = (base / normal).resolve()  # follows the symbolic links that exist
    if not real.is_relative_to(base):
        return f"'{path}' leads out of the project's folder through a symbolic link (to {real})"
    return None


def log_dir_for(training: TrainConfig, folder: str | os.PathLike[str]) -> TrainConfig:
    """`training` for a project file saved in `folder`: an absolute run log folder inside it
    becomes relative (one elsewhere stays as chosen, and opening the file leaves it off)."""
    if training.log_dir is None or not Path(training.log_dir).expanduser().is_absolute():
        return training
    here, logs = Path(folder).resolve(), Path(training.log_dir).expanduser().resolve()
    if logs.is_relative_to(here):
        return replace(training, log_dir=str(logs.relative_to(here)))
    return training


def _confine_writes(data_cfg: DataConfig, training: TrainConfig,
                    base_dir: str | os.PathLike[str] | None) -> tuple[TrainConfig, list[str]]:
    """Drop the settings of a project file that would make the app write outside the file's
    folder (run logs, a download into a data folder elsewhere); a note says what and why.
    Reading data from anywhere stays allowed: it runs no code and changes nothing."""
    notes = []
    if training.log_dir is not None and (why := escapes_folder(training.log_dir, base_dir)):
        notes.append(f"training.log_dir: {why}, and a project file may only keep run logs "
                     "inside its own folder, so run logs are off; choose the run log folder "
                     "in the Training tab to log again.")
        training = replace(training, log_dir=None)
    if data_cfg.download and data_cfg.data_dir is not None and (
            why := escapes_folder(data_cfg.data_dir, base_dir)):
        notes.append(f"data.download: {why}, and a project file may only download data into "
                     "its own folder, so nothing is downloaded; tick Download in the Training "
                     "tab to fetch the data there.")
        data_cfg.download = False
    return training, notes


def project_from_dict(data: Any, base_dir: str | os.PathLike[str] | None = None) -> Project:
    """Validate parsed JSON field by field; `base_dir` is where relative paths point from."""
    _check_tree(data)
    _expect(data, dict, "file", "a JSON object")
    if data.get("format") != FORMAT:
        raise ProjectError("this is not a Netzwerkstatt project (expected \"format\": "
                           f"\"{FORMAT}\")", "format")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError(f"must be a positive whole number, got {_describe(version)}",
                           "version")
    if version > VERSION:
        raise ProjectError(
            f"the file was saved by a newer Netzwerkstatt (format version {_describe(version)}); "
            f"this version reads up to {VERSION}. Please update Netzwerkstatt to open it.",
            "version")
    for key in ("name", "description"):
        _expect(data.get(key, ""), str, key, "a text")
    graph = _parse_graph(data.get("graph", {}))
    raw_data = dict(_expect(data.get("data", {}), dict, "data", "an object"))
    augment = _parse_section(AugmentConfig, raw_data.pop("augment", {}), AUGMENT_RULES,
                             "data.augment")
    data_cfg = _parse_section(DataConfig, raw_data, DATA_RULES, "data")
    data_cfg.augment = augment
    data_cfg.base_dir = str(base_dir) if base_dir is not None else None
    validate_data(data_cfg)
    training = _parse_section(TrainConfig, data.get("training", {}), TRAINING_RULES,
                              "training")
    training, notes = _confine_writes(data_cfg, training, base_dir)
    # Imported here: app.core.weights uses ProjectError for its field-named messages.
    from app.core.weights import parse_ref

    weights = parse_ref(data["weights"]) if data.get("weights") is not None else None
    return Project(graph, data_cfg, training, name=data.get("name", ""),
                   description=data.get("description", ""), weights=weights, notes=notes)


# -- reading the file -------------------------------------------------------------------------

MAX_FILE_BYTES = 32 * 1024 * 1024  # a project with thousands of layers is well below 1 MB
MAX_DEPTH = 16  # a valid file nests 7 levels deep (graph.nodes[0].params.shape[0])


@dataclass(frozen=True)
class _HugeInt:
    """Stands in for an integer literal too long for Python's int(), so its field is named."""

    digits: int


def _parse_int(text: str) -> int | _HugeInt:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= 100 else _HugeInt(digits)


def _check_tree(data: Any) -> None:
    """Refuse too-deep nesting, NaN/Infinity and over-long numbers anywhere, naming the field.

    Field paths are only spelled out for containers and for a bad value: a 20,000-layer file
    has a few hundred thousand scalars, and naming each would dominate the load time.
    """
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ProjectError(f"nested more than {MAX_DEPTH} levels deep; a project file "
                               "never is: the file is damaged or not a project", where or "file")
        items = (value.items() if isinstance(value, dict)
                 else enumerate(value) if isinstance(value, list) else ())
        for key, item in items:
            if isinstance(item, (dict, list)):
                stack.append((item, _child(where, key), depth + 1))
            elif isinstance(item, _HugeInt):
                raise ProjectError(f"{_describe(item)} is far too large; write a sensible value",
                                   _child(where, key))
            elif isinstance(item, float) and not math.isfinite(item):
                raise ProjectError(f"{item!r} is not allowed; write a finite number",
                                   _child(where, key))


def _child(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else str(key)


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')


def _deep_path(text: str) -> str:
    """The field where `text` first nests deeper than MAX_DEPTH (for files json cannot parse)."""
    frames: list[list[Any]] = []  # [kind, key or index, expecting a key]
    for token in _TOKEN.finditer(text):
        tok = token.group()
        if tok in "{[":
            if len(frames) >= MAX_DEPTH:
                break
            frames.append(["{", "", True] if tok == "{" else ["[", 0, False])
        elif tok in "}]" and frames:
            frames.pop()
        elif tok == "," and frames:
            if frames[-1][0] == "[":
                frames[-1][1] += 1
            else:
                frames[-1][2] = True
        elif tok == ":" and frames:
            frames[-1][2] = False
        elif tok.startswith('"') and frames and frames[-1][2]:
            frames[-1][1] = tok[1:-1]
    path = ""
    for kind, key, _ in frames:
        path += f"[{key}]" if kind == "[" else (f".{key}" if path else key)
    return path or "file"


def load(path: str | os.PathLike[str]) -> Project:
    """Read and validate a project file; any problem is a ProjectError, never another error."""
    with gc_paused():
        return _load(Path(path))


def _load(p: Path) -> Project:
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise ProjectError(f"{p.name} is {p.stat().st_size / 2**20:.0f} MB; a project file "
                               f"is far smaller (limit {MAX_FILE_BYTES // 2**20} MB). Is this "
                               "really a Netzwerkstatt project?")
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(f"no such file: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"cannot read {p}: {exc}") from None
    try:
        data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{p.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg}); the file may be damaged") from None
    except RecursionError:
        raise ProjectError(f"nested more than {MAX_DEPTH} levels deep; a project file never "
                           "is: the file is damaged or not a project", _deep_path(text)) from None
    return project_from_dict(data, base_dir=p.resolve().parent)


def dumps(project: Project) -> str:
    return json.dumps(project.to_dict(), indent=2, ensure_ascii=False) + "\n"


def save(path: str | os.PathLike[str], project: Project) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    atomic_write_text(Path(path), dumps(project))


@cache
def _new_file_mode() -> int:
    """0666 less the process's umask, as open() would create the file (read once, restored)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp's file is private (0600): give it the mode the saved file had or a new one gets
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _new_file_mode())
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
