"""`netzwerkstatt export` and File > Export… as a user drives them, and the exported script run
as a user runs it: `python net.py` and `torchrun --standalone --nproc_per_node 2 net.py`.
(Error cases call the CLI's `main` in-process: the same code, without a Python start-up each.)

Every preset is exported and run under torchrun with two CPU processes (a few seconds each).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from app.cli import main
from app.core import export, presets, project_io, weights
from app.core.builder import build

ROOT = Path(__file__).resolve().parents[2]
TORCHRUN_PRESETS = presets.list_presets()
# Runs the script with the app's packages made unimportable: proof that it stands alone.
NO_APP = ("import runpy, sys; sys.modules['app'] = sys.modules['widgets'] = None; "
          "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")


def env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
            "OMP_NUM_THREADS": "1"}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=300)


def tiny(name: str, folder: Path) -> Path:
    """A preset saved as a project file that trains on a few dozen samples: torchvision sets
    are swapped for offline ones of the same shape (glyphs, or an image folder for CIFAR)."""
    project = presets.load_preset(name)
    data = replace(project.data, n_train=48, n_val=16)
    if project.data.name in ("mnist", "fashion_mnist", "kmnist"):
        data = replace(data, name="glyphs")
    elif project.data.name == "cifar10":
        from PIL import Image

        rng = np.random.default_rng(0)
        for c in range(10):
            (folder / "pictures" / f"class{c}").mkdir(parents=True)
            for i in range(6):
                Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(
                    folder / "pictures" / f"class{c}" / f"{i}.png")
        data = replace(data, name=f"folder:{folder / 'pictures'}", n_train=None, n_val=None)
    project = replace(project, data=data,
                      training=replace(project.training, batch_size=8, epochs=1))
    path = folder / f"{name}.json"
    project_io.save(path, project)
    return path


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def check_weights(project_file: Path, weights_file: Path) -> None:
    """The app's own loader opens the run's weights and they fit the project's network."""
    graph = project_io.load(project_file).graph
    trained = weights.load(weights_file)
    assert trained.fingerprint == weights.graph_fingerprint(graph)
    weights.model_with_weights(graph, trained)


def test_export_py_then_the_script_trains_standalone_without_the_app(tmp_path):
    project_file = tiny("shapes_cnn", tmp_path)
    out = cli("export", str(project_file), "--format", "py", "-o", str(tmp_path / "net.py"))
    assert out.returncode == 0, out.stderr
    assert "net.data.safetensors" in out.stdout and "torchrun" in out.stdout
    run = subprocess.run([sys.executable, "-c", NO_APP, str(tmp_path / "net.py"), "--epochs",
                          "1", "--device", "cpu", "--out", str(tmp_path / "w.safetensors")],
                         cwd=tmp_path, env={**env(), "PYTHONPATH": ""}, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = json_lines(run.stdout)
    assert [r["event"] for r in lines].count("epoch") == 1 and lines[-1]["event"] == "done"
    check_weights(project_file, tmp_path / "w.safetensors")


@pytest.mark.parametrize("name", TORCHRUN_PRESETS)
def test_script_under_torchrun_on_two_cpu_processes(name, tmp_path):
    torchrun = shutil.which("torchrun", path=str(Path(sys.executable).parent))
    assert torchrun, "torchrun comes with torch"
    project_file = tiny(name, tmp_path)
    script = export.write_script(project_io.load(project_file), tmp_path / f"{name}.py")
    run = subprocess.run([torchrun, "--standalone", "--nproc_per_node", "2", str(script),
                          "--epochs", "1", "--device", "cpu", "--out",
                          str(tmp_path / "w.safetensors")], cwd=tmp_path, env=env(),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = json_lines(run.stdout)
    epochs = [r for r in lines if r["event"] == "epoch"]
    assert len(epochs) == 1 and epochs[0]["world_size"] == 2  # logged once, by rank 0
    assert np.isfinite(epochs[0]["train_loss"]) and epochs[0]["val_acc"] is not None
    assert [r["event"] for r in lines].count("done") == 1
    check_weights(project_file, tmp_path / "w.safetensors")


def test_export_onnx_uses_the_saved_weights(tmp_path, capsys):
    pytest.importorskip("onnxruntime")
    import onnxruntime as ort

    project = presets.load_preset("mlp_playground")
    trained = weights.Trained(build(project.graph, seed=5).state_dict(),
                              weights.RunInfo(2, 0.9, 3, 30, "spiral"),
                              weights.graph_fingerprint(project.graph))
    weights.save(tmp_path / "mlp.weights.safetensors", trained)
    project.weights = weights.WeightsRef("mlp.weights.safetensors", trained.info)
    project_io.save(tmp_path / "mlp.json", project)
    assert main(["export", str(tmp_path / "mlp.json"), "--format", "onnx", "-o",
                 str(tmp_path / "mlp.onnx"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["max_difference"] <= 1e-4 and result["note"] is None
    x = torch.rand(4, 2)
    session = ort.InferenceSession(str(tmp_path / "mlp.onnx"),
                                   providers=["CPUExecutionProvider"])
    with torch.no_grad():
        want = weights.model_with_weights(project.graph, trained).eval()(x).numpy()
    np.testing.assert_allclose(session.run(None, {"inp": x.numpy()})[0], want, atol=1e-4)


def test_export_errors_are_one_message_and_json_with_json(tmp_path, capsys):
    assert main(["export", "perceptron", "--format", "safetensors", "-o",
                 str(tmp_path / "w")]) == 1
    err = capsys.readouterr().err
    assert "no trained weights" in err and len(err.strip().splitlines()) == 1
    assert main(["export", str(tmp_path / "missing.json"), "--format", "py", "-o", "x.py",
                 "--json"]) == 1
    assert "cannot open project" in json.loads(capsys.readouterr().out)["error"]
    with pytest.raises(SystemExit) as exit_:
        main(["export", "perceptron", "--format", "keras", "-o", "x"])
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_file_export_menu_writes_a_script(qtbot, tmp_path, monkeypatch):
    from widgets import main_window
    from widgets.main_window import MainWindow

    QFileDialog, QMessageBox = main_window.QFileDialog, main_window.QMessageBox

    def refuse(*args, **kwargs):
        raise AssertionError(f"unexpected modal dialog: {args[1:3]}")

    monkeypatch.setenv("NETZWERKSTATT_HOME", str(tmp_path / "home"))
    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, refuse)  # a modal dialog would hang the test
    monkeypatch.setattr(QFileDialog, "getSaveFileName", refuse)
    window = MainWindow(preset="perceptron")
    qtbot.addWidget(window)
    monkeypatch.setattr(window, "ask_save_changes", lambda: "discard")
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    action = next(a for a in file_menu.actions() if a.text() == "&Export…")
    assert "torchrun" in action.toolTip()
    answers = iter([(str(tmp_path / "p"), "PyTorch training script (*.py)"),
                    (str(tmp_path / "w"), "Trained weights (*.safetensors)")])
    errors = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
        mp.setattr(QMessageBox, "warning", lambda parent, title, text: errors.append(text))
        action.trigger()
        qtbot.waitUntil(lambda: (tmp_path / "p.py").exists(), timeout=30_000)
        assert (tmp_path / "p.data.safetensors").exists()
        qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(),
                        timeout=10_000)
        action.trigger()  # weights before any training: a message, no file
        qtbot.waitUntil(lambda: bool(errors), timeout=30_000)
    assert "no trained weights" in errors[0] and not (tmp_path / "w.weights.safetensors").exists()
