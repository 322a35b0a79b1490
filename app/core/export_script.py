"""Generate the standalone training script of a project (`export --format py`).

The script must be the network on the canvas, not a look-alike, so nothing in it is written by
hand per layer type: the model class comes from the model `builder.build` makes (its fx graph
gives the forward, the catalog factories' own constructor calls give each layer's line), and
the catalog's own modules, the losses, the accuracy count, augmentation and dataset helpers are
copied from their source here. A layer type added to the catalog exports without a change to
this file. The result is checked before it is written: its `Net` must have exactly the app
model's weight names and shapes, so weights trained by the script open in the app.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import json
import re
import sys
import textwrap
import threading
import types
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from torch import nn

from app.core import datasets, trainer, weights
from app.core.builder import GraphModel, build
from app.core.experiment import SetupError, load_data
from app.core.project_io import Project, atomic_write_text
from app.core.shapes import ShapeReport, fmt_shape, infer


class ScriptError(ValueError):
    """The project cannot be written as a script; the message says why and what to change."""


# -- recording how the catalog constructs each layer ---------------------------------------------

_RECORD_LOCK = threading.Lock()
Calls = dict[int, tuple[type, inspect.BoundArguments]]


@contextlib.contextmanager
def _recording_init(classes: set[type]) -> Iterator[Calls]:
    """While active, each construction of one of `classes` records its class and arguments.

    The catalog's factories call `nn.Conv2d(...)` or `Recurrent(...)`; recording those calls
    reuses exactly what they pass instead of re-deriving every layer type's arguments here.
    The dict keeps construction order, which is the order the seeded weights were drawn in.
    """
    calls: Calls = {}
    patched: list[tuple[type, Any]] = []

    def recorder(cls: type, original: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(original)

        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            if type(self) is cls and id(self) not in calls:
                calls[id(self)] = (cls, signature.bind(self, *args, **kwargs))
            original(self, *args, **kwargs)
        return init

    with _RECORD_LOCK:
        try:
            for cls in classes:
                patched.append((cls, cls.__dict__.get("__init__")))
                cls.__init__ = recorder(cls, cls.__init__)
            yield calls
        finally:
            for cls, own in reversed(patched):
                if own is None:
                    del cls.__init__
                else:
                    cls.__init__ = own


def _literal(value: Any, layer: str) -> str:
    text = repr(value)
    try:
        ok = ast.literal_eval(text) == value
    except (ValueError, SyntaxError):
        ok = False
    if not ok:
        raise ScriptError(f"layer '{layer}' is built with {value!r}, which cannot be written "
                          "into a script")
    return text


def _class_name(cls: type) -> str:
    """`nn.Conv2d` for torch.nn layers, the bare name for classes the script defines."""
    if getattr(nn, cls.__name__, None) is cls:
        return f"nn.{cls.__name__}"
    if cls.__module__.split(".")[0] == "torch":
        raise ScriptError(f"{cls.__module__}.{cls.__name__} is not part of torch.nn, so the "
                          "script cannot name it")
    return cls.__name__


def _constructor(layer: str, cls: type, bound: inspect.BoundArguments) -> str:
    """`nn.Conv2d(in_channels=1, out_channels=6, kernel_size=5, padding=2)`: keywords, and
    arguments equal to their default left out."""
    parts = []
    for name, value in list(bound.arguments.items())[1:]:  # [0] is self
        param = bound.signature.parameters[name]
        if param.kind is param.VAR_POSITIONAL:
            parts += [_literal(v, layer) for v in value]
        elif param.kind is param.VAR_KEYWORD:
            parts += [f"{k}={_literal(v, layer)}" for k, v in value.items()]
        elif (param.default is not param.empty and type(param.default) is type(value)
              and param.default == value):
            continue
        elif param.kind is param.POSITIONAL_ONLY:
            parts.append(_literal(value, layer))
        else:
            parts.append(f"{name}={_literal(value, layer)}")
    return f"{_class_name(cls)}({', '.join(parts)})"


def _custom_classes(model: nn.Module) -> list[type]:
    """Module classes the script must define itself (not torch's), bases before subclasses."""
    found: list[type] = []

    def add(cls: type) -> None:
        if cls in found or cls.__module__.split(".")[0] == "torch":
            return
        for base in cls.__bases__:
            if issubclass(base, nn.Module):
                add(base)
        found.append(cls)

    for module in model.modules():
        if module is not model:
            add(type(module))
    return found


def doc_text(text: str) -> str:
    """`text` as it may stand inside a triple-quoted docstring of the script: backslashes,
    quotes and control characters escaped, so a project's name or description (from a file
    someone sent) stays text in the script, never code that runs when it is checked."""
    out = []
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch != "\n" and (ord(ch) < 32 or ord(ch) == 127):
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def _source(*objects: Any) -> str:
    return "\n\n\n".join(textwrap.dedent(inspect.getsource(o)).strip() for o in objects)


# -- the network as code -------------------------------------------------------------------------


def model_code(project: Project) -> tuple[str, GraphModel]:
    """Source of the `Net` class (and the layer classes it needs), and the app model it mirrors
    (built on the meta device: structure only)."""
    graph = project.graph
    report = infer(graph)
    with torch.device("meta"):
        probe = build(graph, seed=None, report=report)
    with _recording_init({type(m) for m in probe.children()}) as calls, torch.device("meta"):
        model = build(graph, seed=None, report=report)
    order = list(calls)
    children = sorted(model.named_children(), key=lambda kv: order.index(id(kv[1]))
                      if id(kv[1]) in calls else -1)
    init_lines = []
    for name, module in children:
        if id(module) not in calls:
            raise ScriptError(f"layer '{name}' was not built by its catalog factory")
        cls, bound = calls[id(module)]
        init_lines.append(f"self.{name} = {_constructor(name, cls, bound)}")
    classes = _custom_classes(model)
    parts = [_source(*classes)] if classes else []
    parts.append(_net_class(project, model, report, init_lines))
    return "\n\n\n".join(parts), model


def _net_class(project: Project, model: GraphModel, report: ShapeReport,
               init_lines: list[str]) -> str:
    graph = project.graph
    inputs = list(model.input_ids)
    body: list[str] = []
    returns: list[str] = []
    for node in model.graph.nodes:
        if node.op == "placeholder":
            continue
        if node.op == "output":
            outs = node.args[0] if isinstance(node.args[0], tuple) else (node.args[0],)
            returns = [str(o.target) for o in outs]
            continue
        if node.op != "call_module":
            raise ScriptError(f"the model contains a step the script cannot write ({node.op})")
        target = str(node.target)
        args = [str(a.target) for a in node.args]
        line = f"{target} = self.{target}({', '.join(args)})"
        shape = report.nodes.get(target)
        notes = []
        if shape is not None and shape.out_shape is not None:
            notes.append(f"-> {fmt_shape(shape.out_shape)}")
        if len(args) > 1:
            notes.append(f"{graph.nodes[target].type} merges {' and '.join(args)}")
        if target in model.losses:
            notes.append(f"output, trained with {model.losses[target]}")
        body.append(line + (f"  # {'; '.join(notes)}" if notes else ""))
    frozen = list(model.frozen_ids)
    lines = [
        "class Net(nn.Module):",
        f'    """{doc_text(project.name or "The network")}, layer by layer as on the Netzwerkstatt '
        'canvas.',
        "",
        "    Attribute names are the layer names, so the weights' names match the app's.",
        '    """',
        "",
        "    def __init__(self) -> None:",
        "        super().__init__()",
        *[f"        {line}" for line in init_lines],
    ]
    if frozen:
        lines += ["        for name in FROZEN:  # frozen layers keep their weights",
                  "            self.get_submodule(name).requires_grad_(False)",
                  "",
                  "    def train(self, mode: bool = True) -> Net:",
                  '        """Frozen layers stay in eval mode (BatchNorm keeps its statistics)."""',
                  "        super().train(mode)",
                  "        for name in FROZEN:",
                  "            self.get_submodule(name).eval()",
                  "        return self"]
    lines += ["", f"    def forward(self, {', '.join(inputs)}) -> torch.Tensor:",
              *[f"        {line}" for line in body],
              f"        return {', '.join(returns)}"]
    return "\n".join(lines)


# -- the data ------------------------------------------------------------------------------------

_TORCHVISION_HELPERS = (datasets._generator, datasets._subset, datasets.standardise,
                        datasets._as_images)


def _data_code(project: Project, data_file: str | None) -> tuple[str, str]:
    """(source of `load_data(data_dir)`, the default --data-dir) for the project's dataset."""
    cfg = project.data.resolved()
    name = cfg.name
    if data_file is not None:  # a generated set, written beside the script
        return (DATA_FILE_LOADER.replace("@DATA_FILE@", repr(data_file)), "None")
    if name.startswith(datasets.FOLDER_PREFIX):
        folder = name[len(datasets.FOLDER_PREFIX):]
        code = (_source(datasets._generator) + "\n\n\n"
                + FOLDER_LOADER.replace("@N_TRAIN@", repr(cfg.n_train))
                .replace("@N_VAL@", repr(cfg.n_val)))
        return code, repr(folder)
    tv = datasets._TORCHVISION[name]
    root = cfg.data_dir or str(datasets.default_data_dir())
    code = (_source(*_TORCHVISION_HELPERS) + "\n\n\n"
            + TORCHVISION_LOADER.replace("@CLASS@", tv.cls_name).replace("@FOLDER@", tv.folder)
            .replace("@N_TRAIN@", repr(cfg.n_train)).replace("@N_VAL@", repr(cfg.n_val)))
    return code, repr(root)


def write_data_file(project: Project, path: Path) -> None:
    """The generated dataset of `project` (exactly what the app trains on) as safetensors."""
    from safetensors.torch import save_file

    try:
        bundle = load_data(project.data, project.training.seed)
    except SetupError as exc:
        raise ScriptError(str(exc)) from None
    tensors = {"x_train": bundle.x_train, "y_train": bundle.y_train,
               "x_val": bundle.x_val, "y_val": bundle.y_val}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(path),
              metadata={"dataset": bundle.name, "classes": json.dumps(list(bundle.classes))})


# -- the whole script ----------------------------------------------------------------------------


def _loss_code(loss: str) -> str:
    helpers = {"cross_entropy": (trainer._is_sequence, trainer._cross_entropy),
               "mse": (trainer._as_float_target, trainer._mse),
               "bce_with_logits": (trainer._as_float_target, trainer._bce)}[loss]
    return (f"PAD_TOKEN = {trainer.PAD_TOKEN}  # token id 0 pads phrases: never scored\n\n\n"
            + _source(*helpers, trainer.accuracy_counts, trainer._predictor)
            + f"\n\n\nloss_fn = {helpers[-1].__name__}\npredict = _predictor({loss!r})")


def _augment_code(project: Project) -> str:
    aug = project.data.augment
    if not aug.active:
        return "AUGMENT = None  # the project trains without augmentation"
    funcs = (datasets._uniform, datasets.random_flip, datasets.random_affine,
             datasets.random_elastic, datasets._blur_matrix, datasets.random_color,
             datasets.random_noise, datasets.to_pixels, datasets.augment_batch)
    if project.data.name not in datasets.STANDARDISATION:  # standardise comes with the data
        funcs = (datasets.standardise, *funcs)
    settings = ", ".join(f"{k}={v!r}" for k, v in asdict(aug).items())
    return (_source(datasets.AugmentConfig, *funcs)
            + f"\n\n\nAUGMENT = AugmentConfig({settings})")


def _optimizer_code(project: Project) -> str:
    t = project.training
    if t.optimizer == "sgd":
        return (f"torch.optim.SGD(params, lr=lr, momentum={t.momentum!r}, "
                f"weight_decay={t.weight_decay!r})")
    cls = "Adam" if t.optimizer == "adam" else "AdamW"
    return f"torch.optim.{cls}(params, lr=lr, weight_decay={t.weight_decay!r})"


def _scheduler_code(project: Project) -> tuple[str, str, str]:
    """(creation, per-step line, per-epoch line) for the project's learning-rate schedule."""
    schedule = project.training.schedule
    if schedule == "step":
        return ("torch.optim.lr_scheduler.StepLR(optimizer, max(1, args.epochs // 3), 0.5)"
                "  # halve every third",
                "", "scheduler.step()")
    if schedule == "cosine":
        return ("torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, "
                "max(1, args.epochs * batches))", "scheduler.step()", "")
    return "None  # constant learning rate", "", ""


def script_text(project: Project, script_name: str, data_file: str | None) -> tuple[str, GraphModel]:
    """The whole script for `project`; `data_file` names its data file (generated sets)."""
    if len(project.graph.nodes_of_type("Output")) != 1 or \
            len(project.graph.nodes_of_type("Input")) != 1:
        raise ScriptError("the training script handles networks with one Input and one Output "
                          "layer, as the app's trainer does; remove the extra ones")
    net, model = model_code(project)
    loss = model.losses[model.output_ids[0]]
    data_code, default_dir = _data_code(project, data_file)
    create, per_step, per_epoch = _scheduler_code(project)
    t = project.training
    stem = Path(script_name).stem
    frozen = list(model.frozen_ids)
    fills = {
        "@TITLE@": doc_text(project.name or stem),
        "@DESCRIPTION@": doc_text(textwrap.fill(project.description, 96)),
        "@SCRIPT@": doc_text(script_name),
        "@LAYER_CODE@": net,
        "@FROZEN@": f"FROZEN = {tuple(frozen)!r}  # layers that keep their weights\n\n\n"
                    if frozen else "",
        "@LOSS_CODE@": _loss_code(loss),
        "@AUGMENT_CODE@": _augment_code(project),
        "@DATA_CODE@": data_code,
        "@DATASET@": repr(project.data.name),
        "@MEAN@": repr(datasets.STANDARDISATION.get(project.data.name, ((), ()))[0]),
        "@STD@": repr(datasets.STANDARDISATION.get(project.data.name, ((), ()))[1]),
        "@DEFAULT_DATA_DIR@": default_dir,
        "@CLASSIFICATION@": repr(True),
        "@EPOCHS@": repr(t.epochs),
        "@BATCH_SIZE@": repr(t.batch_size),
        "@LR@": repr(t.lr),
        "@SEED@": repr(t.seed),
        "@DEVICE@": repr(t.device if t.device in ("auto", "cpu", "cuda", "mps") else "auto"),
        "@OUT@": repr(f"{stem}_trained{weights.SUFFIX}"),
        "@OPTIMIZER@": _optimizer_code(project),
        "@SCHEDULER@": create,
        "@STEP_SCHEDULE@": per_step,
        "@EPOCH_SCHEDULE@": per_epoch,
        "@META_FORMAT@": repr(weights.META_FORMAT),
        "@FINGERPRINT@": repr(weights.graph_fingerprint(project.graph)),
        "@OPTIMIZER_NAME@": t.optimizer,
    }
    text = "\n".join(line for line in SCRIPT.splitlines()  # drop unused schedule hooks
                     if line.strip() not in {k for k, v in fills.items() if not v})
    # One pass: a filled-in value (a project name that reads "@LAYER_CODE@") is never filled.
    text = re.sub(r"@[A-Z_]+@", lambda m: fills.get(m.group(), m.group()), text)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n", model


def check_script(text: str, model: GraphModel, name: str) -> None:
    """Run the script's definitions (not its main) and compare `Net` with the app's model."""
    module = types.ModuleType("netzwerkstatt_export_check")  # dataclasses look it up
    module.__file__ = name
    sys.modules[module.__name__] = module
    try:
        exec(compile(text, name, "exec"), module.__dict__)  # noqa: S102 - our generated code
        with torch.device("meta"):
            net = module.Net()
    except Exception as exc:  # noqa: BLE001 - any failure means the export is broken
        raise ScriptError(f"the generated script does not work ({type(exc).__name__}: {exc}); "
                          "please report this with the project file") from exc
    finally:
        del sys.modules[module.__name__]
    mine = {k: tuple(v.shape) for k, v in net.state_dict().items()}
    app = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    if mine != app:
        diff = sorted(set(mine.items()) ^ set(app.items()))
        raise ScriptError(f"the script's network differs from the app's ({diff[:3]}); please "
                          "report this with the project file")


def data_file_path(project: Project, out: Path, data_path: Path | None = None) -> Path | None:
    """Where the script's data file goes: only generated sets have one (default: beside it)."""
    if project.data.name not in datasets._BUILTINS:
        return None
    return Path(data_path) if data_path else out.with_name(out.stem + ".data.safetensors")


def write(project: Project, out: Path, data_path: Path | None = None) -> Path:
    """Write the script (and a generated dataset's file); see `app.core.export.write_script`."""
    out = Path(out)
    data_path = data_file_path(project, out, data_path)
    generated = data_path is not None
    data_file = None
    if data_path is not None:
        try:
            data_file = str(data_path.resolve().relative_to(out.resolve().parent))
        except ValueError:
            data_file = str(data_path.resolve())
    elif project.data.name not in datasets._TORCHVISION and \
            not project.data.name.startswith(datasets.FOLDER_PREFIX):
        raise ScriptError(f"unknown dataset '{project.data.name}': choose a dataset the app "
                          "knows before exporting")
    text, model = script_text(project, out.name, data_file)
    check_script(text, model, out.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    if generated:
        write_data_file(project, data_path)
    atomic_write_text(out, text)
    out.chmod(out.stat().st_mode | 0o111)  # executable: it starts with #!/usr/bin/env python3
    return out


# -- templates -----------------------------------------------------------------------------------

DATA_FILE_LOADER = '''\
DATA_FILE = @DATA_FILE@  # written by Netzwerkstatt beside this script


def load_data(data_dir: str | None) -> tuple[torch.Tensor, ...]:
    """x_train, y_train, x_val, y_val: the generated dataset exactly as the app trained on it."""
    folder = Path(data_dir) if data_dir else Path(__file__).resolve().parent
    path = folder / DATA_FILE
    if not path.is_file():
        raise SystemExit(f"data file {path} not found: keep it beside the script or pass "
                         "--data-dir with the folder that holds it")
    tensors = load_file(str(path))
    return tensors["x_train"], tensors["y_train"], tensors["x_val"], tensors["y_val"]'''

TORCHVISION_LOADER = '''\
N_TRAIN, N_VAL = @N_TRAIN@, @N_VAL@  # random subsets as in the project (None: all)


def load_data(data_dir: str | None) -> tuple[torch.Tensor, ...]:
    """x_train, y_train, x_val, y_val of torchvision's @CLASS@ under --data-dir."""
    import torchvision.datasets

    root = Path(data_dir or DEFAULT_DATA_DIR)
    try:
        train = torchvision.datasets.@CLASS@(str(root), train=True, download=False)
        test = torchvision.datasets.@CLASS@(str(root), train=False, download=False)
    except (RuntimeError, OSError) as exc:
        raise SystemExit(f"{exc}\\nPass --data-dir with a folder that holds @FOLDER@/ "
                         "(torchvision's layout), or download it once with torchvision.") from None
    x_train, y_train = _as_images(train.data, train.targets,
                                  _subset(len(train.targets), N_TRAIN, _generator(SEED, 0)),
                                  MEAN, STD)
    x_val, y_val = _as_images(test.data, test.targets,
                              _subset(len(test.targets), N_VAL, _generator(SEED, 1)), MEAN, STD)
    return x_train, y_train, x_val, y_val'''

FOLDER_LOADER = '''\
N_TRAIN, N_VAL = @N_TRAIN@, @N_VAL@  # subsets as in the project (None: all)


def load_data(data_dir: str | None) -> tuple[torch.Tensor, ...]:
    """An image folder (one subfolder per class), resized to 32x32, split 80/20 as in the app."""
    from torchvision import transforms
    from torchvision.datasets import ImageFolder

    folder = ImageFolder(data_dir or DEFAULT_DATA_DIR, transform=transforms.Compose(
        [transforms.Resize((32, 32)), transforms.ToTensor()]))
    images = torch.stack([folder[i][0] for i in range(len(folder))])
    labels = torch.tensor(folder.targets, dtype=torch.int64)
    n = len(labels)
    n_hold = min(max(1, round(0.2 * n)), n - 1)
    order = torch.randperm(n, generator=_generator(SEED, 0))
    train_idx, val_idx = order[n_hold:][:N_TRAIN], order[:n_hold][:N_VAL]
    return images[train_idx], labels[train_idx], images[val_idx], labels[val_idx]'''

SCRIPT = '''\
#!/usr/bin/env python3
"""@TITLE@: a standalone PyTorch training script exported from Netzwerkstatt.

@DESCRIPTION@

It needs only torch, torchvision (for torchvision datasets), numpy and safetensors.

Run it on one machine, or on several processes with PyTorch's own distributed engine:

    python @SCRIPT@ --epochs 5 --device auto
    torchrun --standalone --nproc_per_node 4 @SCRIPT@          # 4 GPUs (or CPU processes)
    torchrun --nnodes 2 --nproc_per_node 8 --rdzv-backend c10d \\
        --rdzv-endpoint HOST:29500 @SCRIPT@                       # on each of 2 machines

Options: --data-dir DIR (dataset folder), --epochs N, --batch-size N (per process), --lr X,
--device auto|cpu|cuda|mps, --out FILE (weights), --weights FILE (start from these weights),
--seed N, --log-every N.

Under torchrun every process trains on its own share of each epoch (DistributedSampler) and
DistributedDataParallel averages the gradients (backend nccl on GPUs, gloo on CPUs). Only
rank 0 prints, one JSON object per line on stdout:
    {"event": "log", "step", "epoch", "batch", "batches_per_epoch", "loss", "acc", "lr",
     "samples_per_s", "progress"}                                  every --log-every steps
    {"event": "epoch", "epoch", "train_loss", "train_acc", "val_loss", "val_acc",
     "samples_per_s", "seconds", "world_size"}                     after every epoch
    {"event": "done", "weights", "epochs", "steps", "val_acc", "val_loss", "seconds"}
Values that are not finite are null. The weights are saved as safetensors under the app's
layer names, so Netzwerkstatt can open them again.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler

# -- the project's settings (command-line options override the first ones) -----------------------

EPOCHS = @EPOCHS@
BATCH_SIZE = @BATCH_SIZE@  # per process
LR = @LR@
DEVICE = @DEVICE@
SEED = @SEED@
OUT = @OUT@
DATASET = @DATASET@
# Per-channel standardisation of the images, (pixels - MEAN) / STD as torchvision's Normalize
# (empty: the data is used as it is)
MEAN, STD = @MEAN@, @STD@
DEFAULT_DATA_DIR = @DEFAULT_DATA_DIR@
CLASSIFICATION = @CLASSIFICATION@


# -- the network ---------------------------------------------------------------------------------

@FROZEN@@LAYER_CODE@


# -- loss and accuracy, as the app's trainer computes them ---------------------------------------

@LOSS_CODE@


# -- data ----------------------------------------------------------------------------------------

@DATA_CODE@


@AUGMENT_CODE@


# -- training ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=None, help="folder with the dataset")
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="per process")
    p.add_argument("--lr", type=float, default=LR, help="learning rate")
    p.add_argument("--device", default=DEVICE, help="auto, cpu, cuda or mps")
    p.add_argument("--out", default=None, help=f"weights file to write (default: {OUT} beside "
                   "this script)")
    p.add_argument("--weights", default=None, help="start from these weights (safetensors)")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--log-every", type=int, default=20, help="steps between log lines")
    args = p.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1 or args.log_every < 1 or not args.lr > 0:
        p.error("--epochs, --batch-size and --log-every must be at least 1, --lr positive")
    return args


def pick_device(name: str, local_rank: int) -> torch.device:
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else (
            "mps" if torch.backends.mps.is_available() else "cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise SystemExit("--device cuda was requested but PyTorch sees no CUDA GPU; "
                             "use --device cpu")
        device = torch.device("cuda", local_rank % torch.cuda.device_count())
        torch.cuda.set_device(device)
        return device
    return torch.device(name)


def emit(record: dict) -> None:
    """One JSON line on stdout (NaN and infinity become null)."""
    clean = {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
             for k, v in record.items()}
    print(json.dumps(clean), flush=True)


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, rank: int,
             world: int) -> tuple[float, float]:
    """Validation loss and accuracy; each process scores every world-th sample, then they add."""
    was_training = model.training
    model.eval()
    xs, ys = x[rank::world], y[rank::world]
    sums = torch.zeros(3, device=x.device)  # loss * samples, correct, counted
    for i in range(0, len(xs), 1024):
        out, yb = model(xs[i:i + 1024]), ys[i:i + 1024]
        sums[0] += loss_fn(out, yb).float() * len(yb)
        if CLASSIFICATION:
            sums[1:] += accuracy_counts(predict(out), yb)[:2]
    model.train(was_training)
    if world > 1:
        dist.all_reduce(sums)
    loss = sums[0].item() / max(1, len(y))
    return loss, (sums[1] / sums[2]).item() if CLASSIFICATION and sums[2] > 0 else math.nan


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = pick_device(args.device, local_rank)
    if world > 1:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    try:
        return train(args, device, rank, world)
    finally:
        if world > 1:
            dist.destroy_process_group()


def train(args: argparse.Namespace, device: torch.device, rank: int, world: int) -> int:
    torch.manual_seed(args.seed)  # the same seed gives the app's initial weights
    model = Net()
    if args.weights:
        model.load_state_dict(load_file(args.weights), strict=True)
    model.to(device)
    x_train, y_train, x_val, y_val = (t.to(device) for t in load_data(args.data_dir))
    net = model
    if world > 1:
        net = DistributedDataParallel(model, device_ids=[device] if device.type == "cuda" else None)
    params = [p for p in model.parameters() if p.requires_grad]
    lr = args.lr
    optimizer = @OPTIMIZER@
    # Each process takes its own share of a fresh shuffle every epoch; full batches only, the
    # same number on every process (DDP needs that), as the app's trainer does.
    sampler = DistributedSampler(range(len(x_train)), num_replicas=world, rank=rank,
                                 shuffle=True, seed=args.seed, drop_last=True)
    batch_size = min(args.batch_size, len(sampler))
    batches = len(sampler) // batch_size
    if batches == 0:
        raise SystemExit(f"{len(x_train)} training samples are too few for {world} processes")
    scheduler = @SCHEDULER@
    generator = torch.Generator(device=device).manual_seed(args.seed + rank)
    total = args.epochs * batches
    step, train_seconds, start = 0, 0.0, time.perf_counter()
    val_loss = val_acc = math.nan
    for epoch in range(1, args.epochs + 1):
        sampler.set_epoch(epoch)
        order = torch.tensor(list(sampler), device=device)
        net.train()
        sums = torch.zeros(3, device=device)  # summed batch losses, correct, counted
        since = time.perf_counter()
        for batch in range(1, batches + 1):
            idx = order[(batch - 1) * batch_size:batch * batch_size]
            xb, yb = x_train[idx], y_train[idx]
            if AUGMENT is not None:
                xb = augment_batch(xb, AUGMENT, generator, MEAN, STD)
            out = net(xb)
            loss = loss_fn(out, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            @STEP_SCHEDULE@
            step += 1
            sums[0] += loss.detach().float()
            if CLASSIFICATION:
                sums[1:] += accuracy_counts(predict(out.detach()), yb)[:2]
            if rank == 0 and step % args.log_every == 0:
                seconds = train_seconds + time.perf_counter() - since
                acc = (accuracy_counts(predict(out.detach()), yb)[:2].tolist()
                       if CLASSIFICATION else None)
                emit({"event": "log", "step": step, "epoch": epoch, "batch": batch,
                      "batches_per_epoch": batches, "loss": loss.item(),
                      "acc": acc[0] / acc[1] if acc and acc[1] else None,
                      "lr": optimizer.param_groups[0]["lr"],
                      "samples_per_s": step * batch_size * world / max(seconds, 1e-9),
                      "progress": step / total})
        if world > 1:
            dist.all_reduce(sums)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        seconds = time.perf_counter() - since
        train_seconds += seconds
        train_loss = sums[0].item() / (batches * world)
        if not math.isfinite(train_loss):
            if rank == 0:
                emit({"event": "error", "epoch": epoch, "message":
                      f"the loss became {train_loss} in epoch {epoch}: lower the learning "
                      f"rate (now {lr:g})"})
            return 1
        val_loss, val_acc = evaluate(model, x_val, y_val, rank, world)
        @EPOCH_SCHEDULE@
        if rank == 0:
            emit({"event": "epoch", "epoch": epoch, "train_loss": train_loss,
                  "train_acc": (sums[1] / sums[2]).item() if CLASSIFICATION else math.nan,
                  "val_loss": val_loss, "val_acc": val_acc,
                  "samples_per_s": batches * batch_size * world / max(seconds, 1e-9),
                  "seconds": seconds, "world_size": world})
    if rank == 0:
        out = Path(args.out) if args.out else Path(__file__).resolve().parent / OUT
        save_weights(model, out, {"epochs": args.epochs, "steps": step, "val_acc": val_acc})
        emit({"event": "done", "weights": str(out), "epochs": args.epochs, "steps": step,
              "val_acc": val_acc, "val_loss": val_loss,
              "seconds": time.perf_counter() - start})
    if world > 1:
        dist.barrier()  # no process leaves while rank 0 still writes the weights
    return 0


def save_weights(model: nn.Module, path: Path, run: dict) -> None:
    """safetensors with Netzwerkstatt's metadata, written via a temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    acc = run["val_acc"]
    metadata = {"format": @META_FORMAT@, "run": "0",
                "val_acc": repr(float(acc)) if math.isfinite(acc) else "",
                "epochs": str(run["epochs"]), "steps": str(run["steps"]), "dataset": DATASET,
                "fingerprint": @FINGERPRINT@}
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    tmp = path.with_name(path.name + ".tmp")
    save_file(tensors, str(tmp), metadata=metadata)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
'''
