"""`netzwerkstatt train` run options: a project's slow-motion setting (a classroom projector
setting) is ignored on the command line unless --slow-motion asks for it, and --amp /
--channels-last train the same project with mixed precision / NHWC memory order.
(In-process through cli.main: a subprocess per case would mostly measure torch's import.)"""

import json
from dataclasses import replace

import pytest

from app import cli
from app.core import presets
from app.core.project_io import save

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def slow_project(tmp_path, seconds):
    project = presets.load_preset("mlp_playground")
    project = replace(project, training=replace(project.training, min_step_s=seconds))
    path = tmp_path / "slow.json"
    save(path, project)
    return str(path)


def train(capsys, *args):
    code = cli.main(["train", *args, "--epochs", "1", "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out.strip().splitlines()[-1]), err


def test_slow_motion_of_a_project_is_ignored_unless_asked(tmp_path, capsys):
    path = slow_project(tmp_path, 2.0)
    code, summary, err = train(capsys, path, "--max-steps", "4", "--n-train", "128")
    # 4 steps at 2 s each would take 8 s: full speed instead, and a line that says so.
    assert code == 0 and summary["status"] == "completed" and summary["seconds"] < 4
    assert "ignoring the project's slow motion (2 s per step)" in err and "--slow-motion" in err
    path = slow_project(tmp_path, 0.4)
    code, summary, err = train(capsys, path, "--max-steps", "3", "--n-train", "128",
                               "--slow-motion")
    assert code == 0 and summary["seconds"] >= 1.1 and "ignoring" not in err


def test_amp_and_channels_last_on_the_cpu(capsys):
    code, summary, _ = train(capsys, "shapes_cnn", "--device", "cpu", "--max-steps", "3",
                             "--n-train", "128", "--amp", "--channels-last")
    assert code == 0 and summary["status"] == "completed"
    code, error, _ = train(capsys, "mlp_playground", "--device", "cpu", "--max-steps", "2",
                           "--channels-last")
    assert code == cli.EXIT_ERROR and "train without --channels-last" in error["error"]
