"""Command line: the composition root (the only place in app/ that may import widgets).

Every command turns bad input into a one-paragraph message on stderr and exit code 1 (2 for
usage errors, as argparse does) — never a traceback — so the CLI is safe in workshops and CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

EXIT_ERROR = 1


class CliError(Exception):
    """A user-facing failure: printed without traceback; `field` names a bad project field."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


# -- argument helpers ----------------------------------------------------------------------------


def _int_at_least(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value
    return parse


_positive_int = _int_at_least(1)
_non_negative_int = _int_at_least(0)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, got '{text}'") from None
    if w < 320 or h < 240 or w > 7680 or h > 4320:
        raise argparse.ArgumentTypeError(f"size {w}x{h} is outside 320x240 .. 7680x4320")
    return w, h


def _load_project(ref: str):
    """A path to a project file, or the name of a built-in preset."""
    from app.core import presets
    from app.core.project_io import ProjectError, load

    path = Path(ref)
    if not path.exists() and ref in presets.list_presets():
        return presets.load_preset(ref)
    try:
        return load(path)
    except ProjectError as exc:
        hint = ""
        if not path.exists():
            hint = f"\n(built-in presets: {', '.join(presets.list_presets())})"
        raise CliError(f"cannot open project '{ref}': {exc}{hint}", exc.field) from None


def _absolute(path: str) -> str:
    """A path typed on the command line means the current folder, not the project's."""
    return str(Path(path).expanduser().resolve())


# -- commands ----------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from app.core.experiment import dataset_fit
    from app.core.shapes import fmt_shape, infer

    project = _load_project(args.file)
    report = infer(project.graph)
    fit_issues, data_note = dataset_fit(project.graph, report, project.data.name)
    issues = report.issues + fit_issues
    ok = not any(i.severity == "error" for i in issues)
    if args.json:
        print(json.dumps({
            "ok": ok,
            "total_params": report.total_params,
            "nodes": {nid: {"type": project.graph.nodes[nid].type,
                            "out_shape": list(ns.out_shape) if ns.out_shape else None,
                            "params": ns.params} for nid, ns in report.nodes.items()},
            "issues": [{"node": i.node_id, "severity": i.severity, "message": i.message,
                        "fix": i.fix.label if i.fix else None} for i in issues],
            "data_note": data_note or None,
        }, indent=2))
    else:
        print(f"{'layer':<16} {'type':<18} {'output':<14} {'params':>10}")
        for nid, ns in report.nodes.items():
            print(f"{nid:<16} {project.graph.nodes[nid].type:<18} "
                  f"{fmt_shape(ns.out_shape):<14} {ns.params:>10,}")
        print(f"total parameters: {report.total_params:,}")
        if data_note:
            print(f"note: {data_note}")
        for issue in issues:
            where = f"[{issue.node_id}] " if issue.node_id else ""
            fix = f" (fix: {issue.fix.label})" if issue.fix else ""
            print(f"{issue.severity}: {where}{issue.message}{fix}", file=sys.stderr)
        print("OK: the network is valid" if ok else "INVALID: see the errors above",
              file=sys.stdout if ok else sys.stderr)
    return 0 if ok else EXIT_ERROR


def _apply_overrides(project, args: argparse.Namespace):
    training = project.training
    for key in ("epochs", "batch_size", "lr", "device", "seed"):
        value = getattr(args, key, None)
        if value is not None:
            training = replace(training, **{key: value})
    if getattr(args, "max_steps", None):
        training = replace(training, max_steps=args.max_steps)
    from app.core.datasets import FOLDER_PREFIX

    # Only --download may fetch data (and create folders), never a flag saved in the file.
    data = replace(project.data, download=bool(args.download))
    if args.dataset:
        name = args.dataset
        if name.startswith(FOLDER_PREFIX) and len(name) > len(FOLDER_PREFIX):
            name = FOLDER_PREFIX + _absolute(name[len(FOLDER_PREFIX):])
        data = replace(data, name=name, n_train=None, n_val=None)
    if args.data_dir:
        data = replace(data, data_dir=_absolute(args.data_dir))
    if args.n_train:
        data = replace(data, n_train=args.n_train)
    return replace(project, training=training, data=data)


def cmd_train(args: argparse.Namespace) -> int:
    from app.core.experiment import SetupError, fit_head, load_data, prepare
    from app.core.project_io import ProjectError, validate_data, validate_training
    from app.core.trainer import Callback, Precision, Trainer

    project = _apply_overrides(_load_project(args.file), args)
    slow = project.training.min_step_s
    if slow > 0 and not args.slow_motion:  # a classroom setting saved in the project
        print(f"note: ignoring the project's slow motion ({slow:g} s per step); "
              "pass --slow-motion to keep it", file=sys.stderr)
        project = replace(project, training=replace(project.training, min_step_s=0.0))
    try:
        validate_training(project.training)
        validate_data(project.data)
        data = load_data(project.data, project.training.seed)
        if args.dataset:  # switching datasets: resize the classifier head to its classes
            for fix in fit_head(project.graph, data):
                print(f"note: {fix.label} to fit dataset '{data.name}'", file=sys.stderr)
        prepared = prepare(project, data=data)
    except ProjectError as exc:
        raise CliError(str(exc), exc.field) from None
    except (SetupError, ValueError) as exc:
        raise CliError(str(exc)) from None

    class Printer(Callback):
        def on_log(self, trainer: Any, m: dict) -> None:
            if args.json:
                print(json.dumps({"event": "log", **_jsonable(m)}), flush=True)
            else:
                acc = f" acc {m['acc']:.3f}" if m.get("acc") is not None else ""
                print(f"\repoch {m['epoch']} batch {m['batch']}/{m['batches_per_epoch']} "
                      f"loss {m['loss']:.4f}{acc} {m['samples_per_s']:.0f} samples/s "
                      f"ETA {m.get('eta_s', 0):.0f}s   ", end="", flush=True)

        def on_epoch_end(self, trainer: Any, m: dict) -> None:
            if args.json:
                print(json.dumps({"event": "epoch", **_jsonable(m)}), flush=True)
            else:
                exact = (f" (tokens), val exact match {m['val_exact']:.4f}"
                         if "val_exact" in m else "")
                print(f"\repoch {m['epoch']}: train loss {m['train_loss']:.4f}, "
                      f"val loss {m['val_loss']:.4f}, val acc {m['val_acc']:.4f}{exact}"
                      + " " * 20, flush=True)

    try:
        trainer = Trainer(prepared.model, prepared.data, prepared.config, loss=prepared.loss,
                          callbacks=[Printer()],
                          precision=Precision(amp=args.amp, channels_last=args.channels_last))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    summary = trainer.fit()
    out = summary.to_dict()
    if args.json:
        print(json.dumps({"event": "summary", **_jsonable(out)}), flush=True)
    else:
        exact = (f" (tokens), val exact match {summary.val_exact:.4f}"
                 if trainer.sequence else "")
        print(f"\n{summary.status}: val acc {summary.val_acc:.4f}{exact}, train loss "
              f"{summary.train_loss:.4f}, {summary.samples_per_s:.0f} samples/s on "
              f"{summary.device}, {summary.seconds:.1f}s")
    if summary.status in ("diverged", "failed"):
        print(summary.message, file=sys.stderr)
        return EXIT_ERROR
    return 0


def _jsonable(d: dict) -> dict:
    return {k: (v if isinstance(v, (int, float, str, bool, type(None))) else str(v))
            for k, v in d.items()}


def cmd_export(args: argparse.Namespace) -> int:
    from app.core import export, weights
    from app.core.builder import BuildError

    project = _load_project(args.file)
    out = Path(args.output)
    trained, note = None, ""
    if args.format != "py":
        if project.weights is not None and Path(args.file).exists():
            try:
                trained = weights.restore(Path(args.file), project.weights, project.graph)
            except (weights.WeightsError, BuildError) as exc:
                raise CliError(f"cannot use the project's weights: {exc}") from None
        elif args.format != "safetensors":
            note = "the project has no trained weights: exported with its initial weights"
    diff = None
    try:
        if args.format == "onnx":
            diff = export.export_onnx(project, out, trained)
        elif args.format == "torchscript":
            diff = export.export_torchscript(project, out, trained)
        else:
            export.export(project, out, args.format, trained)
    except export.ExportError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    data_file = None
    if args.format == "py" and export.data_file_for(project, out) is not None:
        data_file = str(export.data_file_for(project, out))
    if args.json:
        print(json.dumps({"ok": True, "format": args.format, "output": str(out),
                          "data_file": data_file, "max_difference": diff,
                          "note": note or None}))
    else:
        if note:
            print(f"note: {note}", file=sys.stderr)
        print(f"exported {out}" + (f" and its data {data_file}" if data_file else "")
              + (f" (checked: outputs match PyTorch to {diff:.1g})" if diff is not None else ""))
        if args.format == "py":
            print(f"train it with: python {out}   or: torchrun --standalone "
                  f"--nproc_per_node 2 {out}")
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    from app.core import presets

    for name in presets.list_presets():
        project = presets.load_preset(name)
        print(f"{name:<16} {project.data.name:<14} {project.description}")
    return 0


def cmd_datasets(args: argparse.Namespace) -> int:
    from app.core.datasets import DATASETS

    for info in DATASETS.values():
        where = "built-in" if info.builtin else "torchvision (--data-dir or download)"
        shape = "x".join(str(s) for s in info.input_shape)
        print(f"{info.name:<14} {shape:<10} {info.num_classes:>3} classes  {where:<38} "
              f"{info.description}")
    return 0


def _download_hosts(name: str) -> list[str]:
    """The servers torchvision downloads dataset `name` from (its mirrors, or its one URL)."""
    from urllib.parse import urlsplit

    import torchvision.datasets

    from app.core.datasets import TORCHVISION_CLASSES

    cls = getattr(torchvision.datasets, TORCHVISION_CLASSES[name])
    urls = list(getattr(cls, "mirrors", None) or [getattr(cls, "url", "")])
    return [host for host in (urlsplit(u).hostname for u in urls) if host]


def _unreachable(hosts: list[str]) -> str:
    """'' when one of `hosts` has an address (we are online), else why none has."""
    import socket

    problem = "no download server is known"
    for host in hosts:
        try:
            socket.getaddrinfo(host, 443)
            return ""
        except OSError as exc:
            problem = f"cannot resolve {host} ({exc.strerror or exc})"
    return problem


def cmd_fetch_data(args: argparse.Namespace) -> int:
    """Download torchvision datasets into one folder (e.g. a USB stick for an offline workshop)."""
    from app.core.datasets import DATASETS, DatasetError, load

    names = list(dict.fromkeys(args.names))
    fetchable = [n for n, info in DATASETS.items() if not info.builtin]
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise CliError(f"unknown dataset {', '.join(unknown)}; datasets to fetch: "
                       f"{', '.join(fetchable)} (the others are built in and work offline)")
    for name in names:
        if DATASETS[name].builtin:
            print(f"{name}: built in, works offline; nothing to fetch")
    names = [n for n in names if not DATASETS[n].builtin]
    target = Path(_absolute(args.to))
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create the folder {target}: {exc.strerror or exc}") from None
    failed: list[str] = []
    for i, name in enumerate(names, 1):
        print(f"[{i}/{len(names)}] {name}: {DATASETS[name].description}", flush=True)
        try:
            bundle = load(name, data_dir=target)  # already there: read it, nothing downloaded
            how = "already there"
        except DatasetError:
            offline = _unreachable(_download_hosts(name))
            if offline:
                print(f"{name}: not downloaded: there is no internet connection here "
                      f"({offline})", file=sys.stderr)
                failed.append(name)
                continue
            try:  # torchvision draws a progress bar per file on the terminal
                bundle = load(name, data_dir=target, download=True)
            except DatasetError as exc:
                print(f"{name}: {exc}", file=sys.stderr)
                failed.append(name)
                continue
            how = "downloaded"
        print(f"{name}: {how}, {len(bundle.y_train):,} training and {len(bundle.y_val):,} "
              f"test images in {target}", flush=True)
    if failed:
        raise CliError(
            f"could not fetch {', '.join(failed)}. Fix: run `netzwerkstatt fetch-data "
            f"{' '.join(failed)} --to DIR` on a computer that is online, copy DIR (e.g. on a "
            f"USB stick) and use it here with --data-dir DIR or NETZWERKSTATT_DATA_DIR=DIR")
    print(f"done: use the data with --data-dir {target} or NETZWERKSTATT_DATA_DIR={target}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from app.core.bench import run_bench

    data_dir = _absolute(args.data_dir) if args.data_dir else None
    try:
        result = run_bench(quick=args.quick, device=args.device, data_dir=data_dir,
                           dataset=args.dataset, log=None if args.json else print,
                           amp=args.amp, channels_last=args.channels_last)
    except ValueError as exc:  # SetupError, DatasetError: a dataset or device that cannot work
        raise CliError(str(exc)) from None
    if not args.no_ui:
        from widgets.ui_latency import measure_ui_latency_cli

        result.update(measure_ui_latency_cli(quick=args.quick))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<28} {value}")
    return 0


def _need_display() -> None:
    """Fail early with advice instead of Qt's cryptic platform-plugin abort."""
    from app.display import display_problem

    problem = display_problem()
    if problem:
        raise CliError(problem)


def cmd_gui(args: argparse.Namespace) -> int:
    if args.file is not None:  # a broken file is reported here, before any window exists
        from app.core.project_io import ProjectError, load

        try:
            load(args.file)
        except ProjectError as exc:
            raise CliError(f"cannot open project '{args.file}': {exc}", exc.field) from None
    _need_display()
    # First, so its first time mark (the split of bench's startup_s) precedes QtWidgets.
    import widgets.startup  # noqa: F401
    from widgets.app_main import run_gui

    return run_gui(args.file, lang=args.lang)


def cmd_import_torchvision(args: argparse.Namespace) -> int:
    """A torchvision architecture as a new project (traced with torch.fx, never downloaded)."""
    from app.core.datasets import DATASETS
    from app.core.fx_import import FxImportError, torchvision_project
    from app.core.project_io import save

    size, classes, dataset = args.input_size, args.num_classes, "folder:images"
    if args.dataset:
        info = DATASETS.get(args.dataset)
        if info is None:
            raise CliError(f"unknown dataset '{args.dataset}'; known: {', '.join(DATASETS)}")
        shape = tuple(info.input_shape)
        if len(shape) != 3 or shape[0] != 3 or shape[1] != shape[2]:
            raise CliError(f"dataset '{args.dataset}' has {'x'.join(map(str, shape))} samples, "
                           "but torchvision architectures read square RGB images (3xNxN): "
                           "choose e.g. cifar10")
        size, classes, dataset = size or shape[1], classes or info.num_classes, args.dataset
    try:
        project, imported = torchvision_project(args.name, classes or 1000, size or 224, dataset)
        save(args.output, project)
    except FxImportError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc}") from None
    groups = len(imported.group_kinds)
    print(f"imported {args.name}: {len(project.graph.nodes)} layers in {groups} groups, "
          f"{imported.param_count:,} parameters -> {args.output}")
    from app.core.shapes import infer

    report = infer(project.graph)
    if not report.ok:  # e.g. AlexNet's pooling runs out of pixels on 32x32 images
        print(f"warning: the network does not fit {size or 224}x{size or 224} images: "
              f"{report.errors[0].message}; try a larger --input-size", file=sys.stderr)
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from widgets.screenshot import render_screenshot

    try:
        path = render_screenshot(args.file, view=args.view, out_png=args.output, size=args.size,
                                 dataset=args.dataset, train_steps=args.train_steps,
                                 lang=args.lang)
    except (ValueError, OSError) as exc:
        raise CliError(str(exc)) from None
    print(f"saved {path}")
    return 0


# -- parser ---------------------------------------------------------------------------------------


def _add_lang(p: argparse.ArgumentParser) -> None:
    from app.i18n import LANGUAGES

    p.add_argument("--lang", choices=LANGUAGES,
                   help="UI language (default: the one chosen in View > Language, else the "
                        "system's: German or English)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netzwerkstatt",
        description="Assemble neural networks, train them and watch them learn.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the app (default)")
    p.add_argument("file", nargs="?", help="project file to open")
    _add_lang(p)
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("check", help="infer shapes and report problems")
    p.add_argument("file", help="project file or preset name")
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("train", help="train a project without a window")
    p.add_argument("file", help="project file or preset name")
    p.add_argument("--dataset", help="dataset name (see `netzwerkstatt datasets`)")
    p.add_argument("--data-dir", help="folder with torchvision-layout data, e.g. DIR/MNIST/raw")
    p.add_argument("--n-train", type=_positive_int, help="use a random subset of N training samples")
    p.add_argument("--download", action="store_true",
                   help="download a missing torchvision dataset into --data-dir (needs network)")
    p.add_argument("--epochs", type=_positive_int)
    p.add_argument("--batch-size", type=_positive_int)
    p.add_argument("--lr", type=_positive_float, help="learning rate")
    p.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"))
    p.add_argument("--seed", type=_non_negative_int)
    p.add_argument("--max-steps", type=_positive_int, help="stop after N optimizer steps")
    p.add_argument("--slow-motion", action="store_true",
                   help="keep the project's slow-motion speed (seconds per step); by default "
                        "the command line trains at full speed")
    p.add_argument("--amp", action="store_true",
                   help="mixed precision: float16 + GradScaler on CUDA, bfloat16 on the CPU")
    p.add_argument("--channels-last", action="store_true",
                   help="NHWC memory order for the conv weights and image batches")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("export", help="export as a PyTorch script, ONNX, TorchScript or "
                       "safetensors weights")
    p.add_argument("file", help="project file or preset name")
    p.add_argument("--format", required=True, choices=("py", "onnx", "torchscript", "safetensors"),
                   help="py: standalone training script (also under torchrun); onnx and "
                   "torchscript: the network with its weights; safetensors: the trained weights")
    p.add_argument("-o", "--output", required=True, help="file to write")
    p.add_argument("--json", action="store_true", help="machine-readable result")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("presets", help="list the built-in example networks")
    p.set_defaults(func=cmd_presets)

    p = sub.add_parser("datasets", help="list the datasets")
    p.set_defaults(func=cmd_datasets)

    p = sub.add_parser("fetch-data", help="download torchvision datasets into a folder, e.g. a "
                       "USB stick for an offline workshop")
    p.add_argument("names", nargs="+", metavar="NAME",
                   help="datasets to fetch: mnist, fashion_mnist, kmnist, cifar10")
    p.add_argument("--to", required=True, metavar="DIR",
                   help="folder to put them in (torchvision layout, read with --data-dir DIR)")
    p.set_defaults(func=cmd_fetch_data)

    p = sub.add_parser("bench", help="measure training speed against plain PyTorch loops")
    p.add_argument("--quick", action="store_true", help="short run (about a minute)")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"))
    p.add_argument("--dataset", default="shapes", help="dataset for the LeNet comparison")
    p.add_argument("--data-dir", help="folder with torchvision-layout data (for --dataset mnist)")
    p.add_argument("--no-ui", action="store_true", help="skip the GUI latency measurement")
    p.add_argument("--amp", action="store_true",
                   help="mixed precision in every loop: float16 + GradScaler on CUDA, "
                        "bfloat16 on the CPU")
    p.add_argument("--channels-last", action="store_true",
                   help="NHWC memory order for the conv weights and image batches")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("import-torchvision",
                       help="turn a torchvision architecture into a project (via torch.fx)")
    p.add_argument("name", help="resnet18, vgg11, mobilenet_v3_small, alexnet, ...")
    p.add_argument("-o", "--output", required=True, help="project file to write")
    p.add_argument("--num-classes", type=_positive_int,
                   help="classes of the head (1000, or the --dataset's)")
    p.add_argument("--input-size", type=_int_at_least(16),
                   help="image side in pixels (224, or the --dataset's)")
    p.add_argument("--dataset", help="train on this dataset (square RGB images, e.g. cifar10)")
    p.set_defaults(func=cmd_import_torchvision)

    p = sub.add_parser("screenshot", help="render the real window to a PNG")
    p.add_argument("file", nargs="?", help="project file or preset name")
    p.add_argument("--view", default="editor",
                   help="editor, training, or a lab view (playground, augmentation, ...)")
    p.add_argument("-o", "--output", required=True, help="PNG file to write")
    p.add_argument("--size", type=_size, default=(1280, 800), help="WIDTHxHEIGHT (1280x800)")
    p.add_argument("--dataset", help="dataset for --view training")
    p.add_argument("--train-steps", type=_non_negative_int, default=150,
                   help="training steps before the picture (--view training)")
    _add_lang(p)
    p.set_defaults(func=cmd_screenshot)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or [])])
    try:
        return args.func(args)
    except CliError as exc:
        if getattr(args, "json", False):  # scripts read one JSON object, never plain text
            print(json.dumps({"error": str(exc), "field": exc.field or None}))
        else:
            print(f"netzwerkstatt: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("netzwerkstatt: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
