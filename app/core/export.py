"""Export a project for use outside the app: a PyTorch training script, ONNX, TorchScript,
safetensors weights.

A learner who outgrows the app keeps their network: the script trains it with plain PyTorch on
one machine or, under `torchrun`, on many GPUs with DistributedDataParallel, and the weights it
writes open in the app again. ONNX and TorchScript carry the trained network to other runtimes;
they are checked against the torch model before this module reports success.
"""

from __future__ import annotations

import inspect
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch

from app.core import weights as weights_io
from app.core.builder import BuildError, GraphModel, build
from app.core.catalog import full_params
from app.core.export_script import ScriptError, data_file_path, write
from app.core.graph import Graph
from app.core.project_io import Project

FORMATS = ("py", "onnx", "torchscript", "safetensors")
SUFFIXES = {"py": ".py", "onnx": ".onnx", "torchscript": ".pt",
            "safetensors": weights_io.SUFFIX}
INSTALL_HINT = "pip install netzwerkstatt[export]"
ONNX_OPSET = 17
TOLERANCE = {"onnx": 1e-4, "torchscript": 1e-5}


class ExportError(ValueError):
    """An export that cannot be done; the message names the problem and the fix."""


def write_script(project: Project, out: Path, *, data_path: Path | None = None) -> Path:
    """Write `project` as one standalone PyTorch training script; returns `out`.

    The script imports only torch, torchvision (torchvision datasets), numpy and safetensors.
    A generated dataset (shapes, circle, sequence, translation, ...) is written as safetensors
    to `data_path` (default: `<out stem>.data.safetensors` beside the script) and read from
    there; torchvision sets and image folders are read from `--data-dir`.

    Command line of the script (defaults are the project's settings):
      --data-dir DIR    folder of the data file, the torchvision root or the image folder
      --epochs N        --batch-size N (per process)      --lr X     --seed N
      --device D        auto | cpu | cuda | mps (under torchrun: cuda:LOCAL_RANK)
      --out FILE        weights to write (default `<out stem>_trained.weights.safetensors`
                        beside the script)
      --weights FILE    start from these weights (safetensors, the app's layer names)
      --log-every N     steps between "log" lines (default 20)
    It runs as `python OUT.py` or under `torchrun --standalone --nproc_per_node N OUT.py`
    (DistributedDataParallel + DistributedSampler; nccl on CUDA, gloo on CPU).

    Log format: rank 0 alone prints one JSON object per line on stdout (NaN/inf as null):
      {"event": "log", "step", "epoch", "batch", "batches_per_epoch", "loss", "acc", "lr",
       "samples_per_s", "progress"}                       every --log-every steps
      {"event": "epoch", "epoch": 1, "train_loss", "train_acc", "val_loss", "val_acc",
       "samples_per_s", "seconds", "world_size"}          after each epoch
      {"event": "done", "weights": PATH, "epochs", "steps", "val_acc", "val_loss", "seconds"}
      {"event": "error", "epoch", "message"}              loss not finite (exit code 1)
    Messages for people (bad data folder, ...) go to stderr, with a non-zero exit code.

    Weights: a safetensors file whose tensor names are the app's (`conv1.weight`,
    `lstm.rnn.weight_ih_l0`, ...) with the app's metadata (format, run, val_acc, epochs, steps,
    dataset, fingerprint), so `app.core.weights.load` + `model_with_weights` open it.
    Raises ExportError when the network cannot be built or written.
    """
    try:
        return write(project, Path(out), data_path)
    except (ScriptError, BuildError) as exc:
        raise ExportError(str(exc)) from None


def with_suffix(path: Path, fmt: str) -> Path:
    """`net` -> `net.onnx`: a name typed without an extension gets the format's."""
    path = Path(path)
    return path if path.suffix else path.with_name(path.name + SUFFIXES[fmt])


def data_file_for(project: Project, out: Path) -> Path | None:
    """The data file `write_script(project, out)` writes beside the script, if any."""
    return data_file_path(project, Path(out))


# -- the trained model ---------------------------------------------------------------------------


def export_model(project: Project, trained: weights_io.Trained | None) -> GraphModel:
    """The project's model in eval mode: with `trained` weights, else the seeded start weights."""
    try:
        if trained is not None:
            model = weights_io.model_with_weights(project.graph, trained)
        else:
            model = build(project.graph, seed=project.training.seed)
    except (BuildError, weights_io.WeightsError) as exc:
        raise ExportError(str(exc)) from None
    return model.eval()


def example_inputs(graph: Graph, model: GraphModel, batch: int = 2,
                   seed: int = 0) -> tuple[torch.Tensor, ...]:
    """A seeded batch for each Input: floats in [0, 1), or token ids every Embedding accepts."""
    gen = torch.Generator().manual_seed(seed)
    out = []
    for nid in model.input_ids:
        params = full_params("Input", graph.nodes[nid].params)
        shape = (batch, *params["shape"])
        if params["dtype"] == "long":
            vocab = min((full_params("Embedding", n.params)["num_embeddings"]
                         for n in graph.nodes.values() if n.type == "Embedding"), default=2)
            out.append(torch.randint(0, vocab, shape, generator=gen))
        else:
            out.append(torch.rand(shape, generator=gen))
    return tuple(out)


@contextmanager
def _quiet_exporters() -> Iterator[None]:
    """Hide torch's exporter chatter: TorchScript's deprecation notes, and the LSTM batch-size
    warning (the export is checked at another batch size instead)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        yield


@contextmanager
def _atomic(out: Path) -> Iterator[Path]:
    """A temporary path beside `out` that replaces it only when the block succeeds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _largest_difference(a: tuple[torch.Tensor, ...], b: list) -> float:
    return max(float((torch.as_tensor(x).float() - torch.as_tensor(y).float()).abs().max())
               for x, y in zip(a, b, strict=True))


def _as_tuple(out: torch.Tensor | tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
    return out if isinstance(out, tuple) else (out,)


# -- ONNX ----------------------------------------------------------------------------------------


# The TorchScript-based exporter: it needs no onnxscript, and handles the catalog's modules
# with *inputs (Add, Concat). torch >= 2.5 asks for it by name; older torch has only it.
_TORCHSCRIPT_EXPORTER = ({"dynamo": False}
                         if "dynamo" in inspect.signature(torch.onnx.export).parameters else {})


def _onnx_modules():
    try:
        import onnx
        import onnxruntime
    except ImportError as exc:
        raise ExportError(f"ONNX export needs the optional packages onnx and onnxruntime "
                          f"({exc.name} is missing): {INSTALL_HINT}") from None
    return onnx, onnxruntime


def export_onnx(project: Project, out: Path,
                trained: weights_io.Trained | None = None) -> float:
    """Write an ONNX model (batch size free) and check it: `onnx.checker`, then onnxruntime must
    give the torch model's outputs to 1e-4. Returns the largest difference measured."""
    onnx, ort = _onnx_modules()
    model = export_model(project, trained)
    example = example_inputs(project.graph, model, batch=3)
    names_in = list(model.input_ids)
    names_out = list(model.output_ids)
    axes = {n: {0: "batch"} for n in names_in + names_out}
    out = Path(out)
    with _atomic(out) as tmp, _quiet_exporters():
        try:
            with torch.no_grad():
                torch.onnx.export(model, example, str(tmp), input_names=names_in,
                                  output_names=names_out, dynamic_axes=axes,
                                  opset_version=ONNX_OPSET, **_TORCHSCRIPT_EXPORTER)
            proto = onnx.load(str(tmp))
            onnx.checker.check_model(proto, full_check=True)
        except Exception as exc:  # noqa: BLE001 - the exporter raises many kinds; all are fatal
            raise ExportError(_onnx_failure(project.graph, exc)) from exc
        session = ort.InferenceSession(str(tmp), providers=["CPUExecutionProvider"])
        check = example_inputs(project.graph, model, batch=5, seed=1)  # another batch size
        got = session.run(names_out, {n: x.numpy() for n, x in zip(names_in, check, strict=True)})
        with torch.no_grad():
            want = _as_tuple(model(*check))
        diff = _largest_difference(want, got)
        if not diff <= TOLERANCE["onnx"]:
            raise ExportError(f"the ONNX model's outputs differ from PyTorch's by {diff:.2g} "
                              f"(more than {TOLERANCE['onnx']:g}); the file was not written")
    return diff


def _onnx_failure(graph: Graph, exc: BaseException) -> str:
    kinds = sorted({n.type for n in graph.nodes.values()})
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (f"ONNX export failed ({type(exc).__name__}: {first[:300]}). The network uses "
            f"{', '.join(kinds)}; export it as a PyTorch script (--format py) or TorchScript "
            "(--format torchscript) instead")


# -- TorchScript and weights ---------------------------------------------------------------------


def export_torchscript(project: Project, out: Path,
                       trained: weights_io.Trained | None = None) -> float:
    """Write a traced TorchScript module (load with `torch.jit.load`) and check that it gives
    the model's outputs for a batch of another size. Returns the largest difference."""
    model = export_model(project, trained)
    example = example_inputs(project.graph, model, batch=3)
    out = Path(out)
    with _atomic(out) as tmp, _quiet_exporters():
        try:
            with torch.no_grad():
                traced = torch.jit.trace(model, example, check_trace=True)
            traced.save(str(tmp))
            loaded = torch.jit.load(str(tmp))
            check = example_inputs(project.graph, model, batch=5, seed=1)
            with torch.no_grad():
                diff = _largest_difference(_as_tuple(model(*check)),
                                           list(_as_tuple(loaded(*check))))
        except Exception as exc:  # noqa: BLE001 - tracing raises many kinds; all are fatal
            raise ExportError(f"TorchScript export failed ({type(exc).__name__}: {exc}); "
                              "export a PyTorch script (--format py) instead") from exc
        if not diff <= TOLERANCE["torchscript"]:
            raise ExportError(f"the TorchScript model's outputs differ by {diff:.2g}; the file "
                              "was not written")
    return diff


def export_weights(project: Project, out: Path, trained: weights_io.Trained | None) -> Path:
    """The trained weights as safetensors (the app's names and metadata)."""
    if trained is None:
        raise ExportError("the project has no trained weights yet: train it (and save), then "
                          "export the weights")
    try:
        weights_io.fits(project.graph, trained)
    except (BuildError, weights_io.WeightsError) as exc:
        raise ExportError(str(exc)) from None
    weights_io.save(out, trained)
    return Path(out)


def export(project: Project, out: Path, fmt: str,
           trained: weights_io.Trained | None = None) -> Path:
    """Export in `fmt` (one of FORMATS) to `out`; raises ExportError with a readable message."""
    out = Path(out)
    if fmt == "py":
        return write_script(project, out)
    if fmt == "onnx":
        export_onnx(project, out, trained)
    elif fmt == "torchscript":
        export_torchscript(project, out, trained)
    elif fmt == "safetensors":
        export_weights(project, out, trained)
    else:
        raise ExportError(f"unknown export format '{fmt}': use one of {', '.join(FORMATS)}")
    return out
