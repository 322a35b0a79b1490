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


def _bad_project(tmp_path, kind: str) -> tuple[Path, str]:
    """A shapes_cnn file broken in one of the ways users (and their tools) break files."""
    tree = json.loads((ROOT / "resources/presets/shapes_cnn.json").read_text())
    text = None
    if kind == "deep":
        text = json.dumps(tree).replace('"edges": [', '"edges": [' + "[" * 1000 + "]" * 1000 + ",")
        field = "graph.edges[0]"
    elif kind == "huge_int":
        text = json.dumps(tree).replace('"epochs": 5', '"epochs": ' + "9" * 5000)
        field = "training.epochs"
    elif kind == "list_endpoint":
        tree["graph"]["edges"][2]["src"] = ["conv1"]
        field = "graph.edges[2].src"
    else:  # a null or a string where a number belongs
        section, key, value = {"null_epochs": ("training", "epochs", None),
                               "string_n_train": ("data", "n_train", "100"),
                               "nan_n_train": ("data", "n_train", float("nan")),
                               "null_seed": ("training", "seed", None),
                               "null_name": ("data", "name", None)}[kind]
        tree[section][key] = value
        field = f"{section}.{key}"
    path = tmp_path / f"{kind}.json"
    path.write_text(text if text is not None else json.dumps(tree))
    return path, field


BAD_KINDS = ("deep", "huge_int", "list_endpoint", "null_epochs", "string_n_train",
             "nan_n_train", "null_seed", "null_name")


@pytest.mark.parametrize("kind", BAD_KINDS)
@pytest.mark.parametrize("command", ["check", "train", "gui"])
def test_bad_project_files_exit_1_naming_the_field(tmp_path, capsys, kind, command):
    from app.cli import main

    path, field = _bad_project(tmp_path, kind)
    assert main([command, str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"netzwerkstatt: cannot open project '{path}': {field}")
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["check", "train"])
def test_json_mode_reports_errors_as_one_json_object(tmp_path, capsys, command):
    from app.cli import main

    path, field = _bad_project(tmp_path, "null_epochs")
    assert main([command, str(path), "--json"]) == 1
    out = capsys.readouterr().out
    error = json.loads(out)
    assert error["field"] == field and "must not be null" in error["error"]


def test_train_json_setup_error_is_json(capsys):
    from app.cli import main

    assert main(["train", "lenet", "--dataset", "xor", "--epochs", "1", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)
    assert "does not fit" in error["error"] and error["field"] is None


def test_bench_json_setup_error_is_json(capsys):
    from app.cli import main

    assert main(["bench", "--quick", "--json", "--no-ui", "--dataset", "nonsense"]) == 1
    assert "unknown dataset 'nonsense'" in json.loads(capsys.readouterr().out)["error"]


def test_gui_with_broken_file_is_one_line_not_a_traceback(tmp_path):
    path, field = _bad_project(tmp_path, "deep")
    out = run("gui", str(path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"netzwerkstatt: cannot open project '{path}': {field}")


def test_train_never_creates_the_data_folder_of_a_project(tmp_path):
    """A relative data_dir means the project's folder, and without --download nothing is made
    on disk, even when the file asks for a download."""
    tree = json.loads((ROOT / "resources/presets/lenet.json").read_text())
    tree["data"].update(data_dir="sets/mnist", download=True)
    (tmp_path / "proj").mkdir()
    (tmp_path / "cwd").mkdir()
    path = tmp_path / "proj" / "lenet.json"
    path.write_text(json.dumps(tree))
    out = run("train", str(path), "--epochs", "1", cwd=tmp_path / "cwd")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert str(tmp_path / "proj" / "sets" / "mnist") in out.stderr and "--download" in out.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["cwd", "lenet.json", "proj"]
