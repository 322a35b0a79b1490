"""The CLI as a user drives it: real subprocesses, exit codes, no tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_presets_and_datasets_are_listed():
    out = run("presets")
    assert out.returncode == 0
    for name in ("perceptron", "mlp_playground", "lenet", "shapes_cnn", "vgg_small",
                 "resnet_mini", "lstm_sequence"):
        assert name in out.stdout
    out = run("datasets")
    assert out.returncode == 0
    for name in ("circle", "xor", "gauss", "spiral", "shapes", "sequence", "mnist", "cifar10"):
        assert name in out.stdout


def test_check_valid_preset_json():
    out = run("check", "resources/presets/resnet_mini.json", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["ok"] and report["total_params"] > 0
    assert report["nodes"]["b1_add"]["out_shape"] == [16, 28, 28]


def test_check_invalid_graph_exits_1_with_fix(tmp_path):
    data = json.loads((ROOT / "resources/presets/lenet.json").read_text())
    data["graph"]["nodes"] = [n for n in data["graph"]["nodes"] if n["id"] != "flatten"]
    data["graph"]["edges"] = [e for e in data["graph"]["edges"] if "flatten" not in e.values()]
    data["graph"]["edges"].append({"src": "pool2", "dst": "fc1"})
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    out = run("check", str(path))
    assert out.returncode == 1
    assert "insert Flatten before 'fc1'" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("content", ["{not json", '{"format": "netzwerkstatt", "version": 7}', ""])
def test_check_bad_files_exit_1_without_traceback(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    out = run("check", str(path))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and "cannot open project" in out.stderr


def test_unknown_option_and_bad_value_are_usage_errors():
    out = run("train", "lenet", "--epochz", "3")
    assert out.returncode == 2 and "unrecognized arguments" in out.stderr
    out = run("train", "lenet", "--lr", "-1")
    assert out.returncode == 2 and "must be a positive number" in out.stderr


def test_train_json_summary_on_builtin_data():
    out = run("train", "mlp_playground", "--dataset", "xor", "--epochs", "15", "--json",
              "--seed", "1")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    summary = lines[-1]
    assert summary["event"] == "summary"
    for key in ("val_acc", "train_loss", "samples_per_s", "epochs", "device", "seconds"):
        assert key in summary
    assert summary["epochs"] == 15 and summary["device"].startswith("cpu")
    assert summary["val_acc"] > 0.9
    assert any(line["event"] == "epoch" for line in lines[:-1])


def test_train_mnist_offline_gives_clear_message(tmp_path):
    out = run("train", "lenet", "--data-dir", str(tmp_path), "--epochs", "1")
    assert out.returncode == 1
    assert str(tmp_path) in out.stderr and "MNIST" in out.stderr
    assert "Traceback" not in out.stderr


def test_train_network_that_does_not_fit_data():
    out = run("train", "lenet", "--dataset", "xor", "--epochs", "1")
    assert out.returncode == 1
    assert "expects 1x28x28 but the dataset gives 2" in out.stderr


def test_bench_quick_reports_ratios_as_json():
    out = run("bench", "--quick", "--json", "--no-ui")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.splitlines()[-1])
    for key in ("speed_vs_tensor_loop", "capture_overhead", "plain_samples_per_s",
                "app_samples_per_s", "shape_inference_200_nodes_ms"):
        assert key in result
    assert result["plain_samples_per_s"] > 0 and result["app_samples_per_s"] > 0
    assert 0 <= result["capture_overhead"] < 1
