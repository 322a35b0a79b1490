"""Export (issue 11): the standalone training script, ONNX, TorchScript and weights.

Every preset is exported, its script is imported and trained for one epoch on tiny data, and
its network is compared with the app's; ONNX and TorchScript files are read back and run.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import pickle
import struct
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from app.core import export, presets, weights
from app.core.builder import build
from app.core.datasets import AugmentConfig
from app.core.export import ExportError, write_script
from app.core.graph import Node
from app.core.project_io import Project

PRESETS = presets.list_presets()
ALLOWED_IMPORTS = set(sys.stdlib_module_names) | {"torch", "torchvision", "numpy",
                                                  "safetensors"}
MNIST_LIKE = {"mnist": "MNIST", "fashion_mnist": "FashionMNIST", "kmnist": "KMNIST"}


@pytest.fixture(autouse=True)
def _one_thread(one_torch_thread):
    """Tiny networks: one thread is fastest and leaves a core for the rest of the machine."""


def _write_idx(path: Path, array: np.ndarray, magic: int) -> None:
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def tiny_data(project: Project, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The project on a few dozen samples: generated sets shrink, torchvision sets are faked
    in torchvision's own file layout under `folder`."""
    name = project.data.name
    rng = np.random.default_rng(0)
    data = replace(project.data, n_train=48, n_val=16)
    if name in MNIST_LIKE:
        raw = folder / MNIST_LIKE[name] / "raw"
        raw.mkdir(parents=True)
        for prefix, n in (("train", 48), ("t10k", 16)):
            _write_idx(raw / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)),
                       2051)
            _write_idx(raw / f"{prefix}-labels-idx1-ubyte", np.arange(n) % 10, 2049)
        data = replace(data, data_dir=str(folder))
    elif name == "cifar10":
        import torchvision.datasets.cifar

        # Fake batches cannot match torchvision's md5 sums; the script reads them in-process.
        monkeypatch.setattr(torchvision.datasets.cifar, "check_integrity", lambda *a, **k: True)
        batches = folder / "cifar-10-batches-py"
        batches.mkdir(parents=True)
        for batch in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
            pixels = rng.integers(0, 256, (10, 3 * 32 * 32), dtype=np.uint8)
            (batches / batch).write_bytes(pickle.dumps({"data": pixels,
                                                        "labels": list(range(10))}))
        (batches / "batches.meta").write_bytes(
            pickle.dumps({"label_names": [str(i) for i in range(10)]}))
        data = replace(data, data_dir=str(folder))
    training = replace(project.training, epochs=1, batch_size=16, device="cpu")
    return replace(project, data=data, training=training)


def import_script(path: Path):
    """The exported script as a module (its `main` does not run on import)."""
    spec = importlib.util.spec_from_file_location(f"exported_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as Python's import does (dataclasses look it up)
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def run_script(module, capsys, monkeypatch, *args: str) -> list[dict]:
    """Run the script's main as `python script.py ARGS` would; its JSON lines."""
    for var in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(var, raising=False)
    capsys.readouterr()
    assert module.main(list(args)) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


# -- the training script ---------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_exports_a_script_that_is_the_app_model_and_trains(
        name, tmp_path, capsys, monkeypatch):
    project = tiny_data(presets.load_preset(name), tmp_path / "data", monkeypatch)
    script = write_script(project, tmp_path / f"{name}.py")
    assert imported_packages(script) <= ALLOWED_IMPORTS  # never app or widgets
    module = import_script(script)

    # Same seed, same initial weights; same weights, same outputs (to 1e-5).
    app_model = build(project.graph, seed=project.training.seed).eval()
    torch.manual_seed(project.training.seed)
    net = module.Net().eval()
    mine, theirs = net.state_dict(), app_model.state_dict()
    assert list(mine) == list(theirs)
    assert all(torch.equal(mine[k], theirs[k]) for k in mine)
    other = build(project.graph, seed=7).state_dict()  # and any other weights
    net.load_state_dict(other)
    app_model.load_state_dict(other)
    x = export.example_inputs(project.graph, app_model, batch=4)
    with torch.no_grad():
        assert torch.allclose(net(*x), app_model(*x), atol=1e-5, rtol=0)

    out = tmp_path / "run.weights.safetensors"
    lines = run_script(module, capsys, monkeypatch, "--epochs", "1", "--device", "cpu",
                       "--out", str(out), "--log-every", "1")
    epochs = [r for r in lines if r["event"] == "epoch"]
    assert len(epochs) == 1 and epochs[0]["world_size"] == 1
    assert np.isfinite(epochs[0]["train_loss"]) and 0 <= epochs[0]["val_acc"] <= 1
    assert epochs[0]["samples_per_s"] > 0
    assert [r["step"] for r in lines if r["event"] == "log"] == list(
        range(1, lines[-1]["steps"] + 1))
    assert lines[-1]["event"] == "done" and lines[-1]["weights"] == str(out)

    # The app opens the weights the script wrote, and they are trained (not the start).
    trained = weights.load(out)
    assert trained.fingerprint == weights.graph_fingerprint(project.graph)
    assert trained.info.epochs == 1 and trained.info.dataset == project.data.name
    model = weights.model_with_weights(project.graph, trained)
    changed = [k for k, v in model.state_dict().items()
               if v.is_floating_point() and not torch.equal(v, theirs[k])]
    assert changed


def test_generated_data_file_is_what_the_app_trains_on(tmp_path):
    from safetensors.torch import load_file

    from app.core.experiment import load_data

    project = presets.load_preset("mlp_playground")
    project = replace(project, data=replace(project.data, n_train=40, n_val=10, noise=0.2))
    write_script(project, tmp_path / "net.py", data_path=tmp_path / "sets" / "spiral.st")
    tensors = load_file(tmp_path / "sets" / "spiral.st")
    bundle = load_data(project.data, project.training.seed)
    assert torch.equal(tensors["x_train"], bundle.x_train)
    assert torch.equal(tensors["y_val"], bundle.y_val)
    assert "sets/spiral.st" in (tmp_path / "net.py").read_text()
    assert export.data_file_for(project, tmp_path / "a.py") == tmp_path / "a.data.safetensors"


def test_script_writes_skip_connections_and_settings_as_code(tmp_path):
    text = write_script(presets.load_preset("resnet_mini"), tmp_path / "r.py").read_text()
    assert "self.stem = nn.Conv2d(in_channels=1, out_channels=16, kernel_size=3, padding=1)" \
        in text
    assert "b1_add = self.b1_add(b1_bn2, relu0)  # -> 16x28x28; Add merges b1_bn2 and relu0" \
        in text
    assert "torch.optim.Adam(params, lr=lr, weight_decay=0.0)" in text
    assert "LR = 0.002" in text and "import app" not in text


def test_augmentation_frozen_layers_sgd_and_cosine_schedule(tmp_path, capsys, monkeypatch):
    project = tiny_data(presets.load_preset("shapes_cnn"), tmp_path, monkeypatch)
    project.graph.nodes["conv1"].frozen = True
    project = replace(
        project,
        data=replace(project.data, augment=AugmentConfig(hflip=True, rotation=10, crop=2,
                                                         color_jitter=0.2, noise=0.05,
                                                         elastic=1.0)),
        training=replace(project.training, optimizer="sgd", momentum=0.5,
                         schedule="cosine", epochs=2, lr=0.05))
    script = write_script(project, tmp_path / "aug.py")
    text = script.read_text()
    assert "AUGMENT = AugmentConfig(hflip=True" in text and "FROZEN = ('conv1',)" in text
    assert "CosineAnnealingLR" in text and "torch.optim.SGD(params, lr=lr, momentum=0.5" in text
    out = tmp_path / "w.safetensors"
    lines = run_script(import_script(script), capsys, monkeypatch, "--out", str(out),
                       "--log-every", "1")
    logs = [r for r in lines if r["event"] == "log"]
    assert logs[-1]["lr"] < logs[0]["lr"]  # cosine decay
    state = weights.load(out).state
    start = build(project.graph, seed=project.training.seed).state_dict()
    assert torch.equal(state["conv1.weight"], start["conv1.weight"])  # frozen
    assert not torch.equal(state["conv2.weight"], start["conv2.weight"])


def test_script_needs_one_input_and_one_output():
    project = presets.load_preset("perceptron")
    project.graph.add_node(Node("out2", "Output"))
    project.graph.connect("neuron", "out2")
    with pytest.raises(ExportError, match="one Input and one Output"):
        write_script(project, Path("unused.py"))


def test_broken_network_is_refused_with_the_builders_message(tmp_path):
    project = presets.load_preset("perceptron")
    project.graph.disconnect("inp", "neuron")
    with pytest.raises(ExportError, match="cannot be built"):
        write_script(project, tmp_path / "x.py")
    assert not (tmp_path / "x.py").exists()


# -- ONNX and TorchScript --------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
def test_onnx_passes_the_checker_and_matches_torch_in_onnxruntime(name, tmp_path):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    project = presets.load_preset(name)
    out = tmp_path / f"{name}.onnx"
    recurrent = any(n.type in ("LSTM", "GRU") for n in project.graph.nodes.values())
    try:
        diff = export.export_onnx(project, out)
    except ExportError as exc:  # allowed for recurrent networks only, and it must say why
        assert recurrent and "ONNX export failed" in str(exc), exc
        return
    assert diff <= 1e-4
    onnx.checker.check_model(onnx.load(str(out)), full_check=True)
    model = build(project.graph, seed=project.training.seed).eval()
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    x = export.example_inputs(project.graph, model, batch=7, seed=3)
    got = session.run(None, {i.name: t.numpy() for i, t in zip(session.get_inputs(), x,
                                                                strict=True)})[0]
    with torch.no_grad():
        want = model(*x).numpy()
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, atol=1e-4, rtol=0)


@pytest.mark.filterwarnings("ignore::FutureWarning")  # torch.jit.load is deprecated in torch
def test_onnx_and_torchscript_carry_the_trained_weights(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    project = presets.load_preset("resnet_mini")
    trained = weights.Trained(build(project.graph, seed=11).state_dict(),
                              weights.RunInfo(3, 0.5, 1, 10, "shapes"),
                              weights.graph_fingerprint(project.graph))
    model = weights.model_with_weights(project.graph, trained).eval()
    x = export.example_inputs(project.graph, model, batch=2, seed=5)
    with torch.no_grad():
        want = model(*x)
    export.export_onnx(project, tmp_path / "m.onnx", trained)
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    np.testing.assert_allclose(session.run(None, {"inp": x[0].numpy()})[0], want.numpy(),
                               atol=1e-4, rtol=0)
    assert export.export_torchscript(project, tmp_path / "m.pt", trained) <= 1e-5
    loaded = torch.jit.load(str(tmp_path / "m.pt"))
    with torch.no_grad():
        assert torch.allclose(loaded(*x), want, atol=1e-5, rtol=0)
    path = export.export(project, tmp_path / "w.safetensors", "safetensors", trained)
    assert torch.equal(weights.load(path).state["fc.weight"], trained.state["fc.weight"])


@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("name", ["translation", "mlp_playground"])
def test_torchscript_loads_and_matches(name, tmp_path):
    project = presets.load_preset(name)
    assert export.export_torchscript(project, tmp_path / "m.pt") <= 1e-5
    model = build(project.graph, seed=project.training.seed).eval()
    x = export.example_inputs(project.graph, model, batch=3, seed=9)
    with torch.no_grad():
        assert torch.allclose(torch.jit.load(str(tmp_path / "m.pt"))(*x), model(*x), atol=1e-5)


def test_missing_onnx_gives_the_install_hint(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError
    with pytest.raises(ExportError) as err:
        export.export_onnx(presets.load_preset("perceptron"), tmp_path / "p.onnx")
    assert "pip install netzwerkstatt[export]" in str(err.value)
    assert len(str(err.value).splitlines()) == 1 and not (tmp_path / "p.onnx").exists()


def test_weights_need_a_trained_run_and_formats_are_named(tmp_path):
    project = presets.load_preset("perceptron")
    with pytest.raises(ExportError, match="no trained weights"):
        export.export(project, tmp_path / "w.safetensors", "safetensors")
    with pytest.raises(ExportError, match="py, onnx, torchscript, safetensors"):
        export.export(project, tmp_path / "w.x", "keras")
    assert export.with_suffix(Path("net"), "onnx") == Path("net.onnx")
    assert export.with_suffix(Path("net.txt"), "py") == Path("net.txt")


def _one_layer_network(layer_type: str) -> Project:
    """Input -> the layer (twice fed for merges) -> Flatten -> Linear -> Output, with an input
    the layer accepts: wired from the catalog's own description of the layer."""
    from app.core.catalog import spec
    from app.core.graph import Graph
    from app.core.project_io import DataConfig

    layer = spec(layer_type)
    shape = {"image": (2, 8, 8), "sequence": (5, 3)}.get(layer.input_kind, (6,))
    dtype = "long" if layer.input_dtype == "long" else "float"
    params = {p.name: (-1,) for p in layer.params if p.kind == "shape"}
    g = Graph()
    g.add_node(Node("inp", "Input", {"shape": shape, "dtype": dtype}))
    g.add_node(Node("layer", layer_type, params))
    feeds = ["inp"]
    if layer.min_inputs >= 2:
        feeds = [f"branch{i}" for i in range(layer.min_inputs)]
        for f in feeds:
            g.add_node(Node(f, "ReLU"))
            g.connect("inp", f)
    for f in feeds:
        g.connect(f, "layer")
    for nid, kind, p in (("flat", "Flatten", {}), ("head", "Linear", {"out_features": 3}),
                         ("out", "Output", {})):
        g.add_node(Node(nid, kind, p))
    g.connect("layer", "flat")
    g.connect("flat", "head")
    g.connect("head", "out")
    return Project(g, DataConfig(name="circle", n_train=8, n_val=4), name=layer_type)


def _catalog_types() -> list[str]:
    from app.core.catalog import CATALOG

    return [t for t in CATALOG if t not in ("Input", "Output")]


@pytest.mark.parametrize("layer_type", _catalog_types())
def test_every_catalog_layer_is_written_as_code_that_computes_the_same(layer_type, tmp_path):
    project = _one_layer_network(layer_type)
    module = import_script(write_script(project, tmp_path / "one.py"))
    app_model = build(project.graph, seed=3).eval()
    net = module.Net().eval()
    net.load_state_dict(app_model.state_dict())
    x = export.example_inputs(project.graph, app_model, batch=3)
    with torch.no_grad():
        assert torch.allclose(net(*x), app_model(*x), atol=1e-5, rtol=0)


def test_input_features_and_frozen_layers_are_written_out(tmp_path):
    project = presets.load_preset("perceptron")
    project.graph.nodes["inp"].params["features"] = True
    module = import_script(write_script(project, tmp_path / "f.py"))
    assert "self.inp = PlaneFeatures()" in (tmp_path / "f.py").read_text()
    app_model = build(project.graph, seed=0).eval()
    net = module.Net().eval()
    net.load_state_dict(app_model.state_dict())
    x = torch.rand(4, 2)
    with torch.no_grad():
        assert torch.allclose(net(x), app_model(x), atol=1e-6)


def test_image_folder_script_reads_the_same_split_as_the_app(tmp_path):
    from PIL import Image

    from app.core.experiment import load_data

    rng = np.random.default_rng(1)
    for c in ("cats", "dogs"):
        (tmp_path / "pics" / c).mkdir(parents=True)
        for i in range(5):
            Image.fromarray(rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)).save(
                tmp_path / "pics" / c / f"{i}.png")
    project = presets.load_preset("vgg_small")
    project = replace(project, data=replace(project.data, name=f"folder:{tmp_path / 'pics'}",
                                            n_train=None, n_val=None))
    module = import_script(write_script(project, tmp_path / "v.py"))
    x_train, y_train, x_val, y_val = module.load_data(None)  # the project's folder by default
    bundle = load_data(project.data, project.training.seed)
    assert torch.equal(x_train, bundle.x_train) and torch.equal(y_val, bundle.y_val)


def test_script_starts_from_given_weights_and_leaves_the_catalog_classes_alone(
        tmp_path, capsys, monkeypatch):
    from torch import nn

    from app.core import catalog

    before = (nn.Linear.__init__, "__init__" in vars(catalog.OutputHead))
    project = tiny_data(presets.load_preset("perceptron"), tmp_path, monkeypatch)
    module = import_script(write_script(project, tmp_path / "p.py"))
    assert (nn.Linear.__init__, "__init__" in vars(catalog.OutputHead)) == before
    start = weights.Trained(build(project.graph, seed=5).state_dict(),
                            weights.RunInfo(1, None, 1, 1, "gauss"), "")
    weights.save(tmp_path / "start.safetensors", start)
    run_script(module, capsys, monkeypatch, "--weights", str(tmp_path / "start.safetensors"),
               "--lr", "1e-12", "--out", str(tmp_path / "end.safetensors"))
    end = weights.load(tmp_path / "end.safetensors").state
    assert torch.allclose(end["neuron.weight"], start.state["neuron.weight"], atol=1e-6)
