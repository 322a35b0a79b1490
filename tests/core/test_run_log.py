"""Run logs: a short real run writes TensorBoard events that TensorBoard reads back, a run.json
the index lists, and weights that fit the network again."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import numpy as np
import pytest

pytest.importorskip("tensorboard")

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402

from app.core import datasets, presets, run_log  # noqa: E402
from app.core.experiment import prepare_model  # noqa: E402
from app.core.probes import ProbeCallback, choose_probe_layers  # noqa: E402
from app.core.project_io import DataConfig  # noqa: E402
from app.core.shapes import infer  # noqa: E402
from app.core.trainer import Callback, TrainConfig, Trainer  # noqa: E402
from app.core.weights import fits, graph_fingerprint  # noqa: E402
from app.core.weights import load as load_weights  # noqa: E402

CONFIG = TrainConfig(epochs=2, batch_size=16, lr=3e-3, device="cpu", seed=0, log_every=2)


class _CountLogs(Callback):
    def __init__(self) -> None:
        self.steps: list[int] = []

    def on_log(self, trainer, metrics) -> None:
        self.steps.append(metrics["step"])


@pytest.fixture(scope="module")
def logged_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("logs")
    project = presets.load_preset("shapes_cnn")
    graph = project.graph
    data_cfg = DataConfig(name="shapes", n_train=96, n_val=48)
    data = datasets.load("shapes", n_train=96, n_val=48, seed=0)
    model = prepare_model(graph, data, 0)
    log = run_log.RunLog(root, graph=graph, data=data_cfg, training=CONFIG, run_id=7)
    layers = choose_probe_layers(graph, infer(graph))
    probe = ProbeCallback(layers, data.x_val[:4], log.add_snapshot, run_id=7)
    counter = _CountLogs()
    summary = Trainer(model, data, CONFIG, callbacks=[counter, probe, log]).fit()
    return root, log, summary, counter, graph, layers


def test_events_read_back_with_the_right_counts(logged_run):
    _root, log, summary, counter, _graph, layers = logged_run
    assert summary.status == "completed"
    events = EventAccumulator(str(log.path), size_guidance={"scalars": 0})
    events.Reload()
    tags = events.Tags()
    assert len(events.Scalars("train/loss")) == len(counter.steps) > 2
    assert [e.step for e in events.Scalars("train/loss")] == counter.steps
    assert len(events.Scalars("epoch/val_acc")) == CONFIG.epochs
    # low/mid/high feature maps of the probe layers, weight and gradient histograms
    images = tags["images"]
    assert {t.split("/")[1].split("_")[0] for t in images} == {"low", "mid", "high"}
    assert all(any(t.endswith(layer) for t in images) for layer in layers)
    assert any(t.startswith("weights/") for t in tags["histograms"])
    assert any(t.startswith("gradients_log10/") for t in tags["histograms"])
    pictures = EventAccumulator(str(log.path), size_guidance={"images": 0})
    pictures.Reload()
    steps = [e.step for e in pictures.Images(images[0])]
    assert steps[0] == 0 and steps[-1] == summary.steps  # untrained and final state


def test_summary_and_weights(logged_run):
    root, log, summary, _counter, graph, _layers = logged_run
    record = json.loads((log.path / run_log.SUMMARY_FILE).read_text())
    assert record["status"] == "completed"
    assert record["fingerprint"] == graph_fingerprint(graph)
    assert record["settings"]["training"]["epochs"] == CONFIG.epochs
    assert record["final"]["val_acc"] == pytest.approx(summary.val_acc)
    trained = load_weights(log.path / record["weights"])
    fits(graph, trained)  # the saved weights load into the same network
    assert trained.info.run == 7 and trained.fingerprint == record["fingerprint"]
    runs, problems = run_log.list_runs(root)
    assert problems == [] and [r.path for r in runs] == [log.path]
    assert runs[0].dataset == "shapes" and runs[0].weights == log.path / run_log.WEIGHTS_FILE


def test_curves_read_back(logged_run):
    _root, log, summary, counter, _graph, _layers = logged_run
    curves = run_log.read_curves(log.path)
    assert curves.steps.tolist() == counter.steps
    assert curves.counts["train/loss"] == len(counter.steps)
    assert np.isfinite(curves.loss).all() and np.isfinite(curves.acc).all()
    assert [e["epoch"] for e in curves.epochs] == [1, 2]
    assert curves.epochs[-1]["val_acc"] == pytest.approx(summary.val_acc, abs=1e-6)


def test_damaged_summary_is_reported(tmp_path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / run_log.SUMMARY_FILE).write_text("{not json")
    runs, problems = run_log.list_runs(tmp_path)
    assert runs == [] and len(problems) == 1 and "broken" in problems[0]


def test_missing_tensorboard_gives_the_install_hint(tmp_path):
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, "torch.utils.tensorboard", None)
        with pytest.raises(run_log.RunLogError, match=r"pip install 'netzwerkstatt\[logs\]'"):
            run_log.RunLog(tmp_path, graph=presets.load_preset("shapes_cnn").graph,
                           data=DataConfig(), training=CONFIG)
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_relative_folder_points_from_the_project(tmp_path):
    assert run_log.resolve_root("runs", tmp_path) == tmp_path / "runs"
    assert run_log.resolve_root(str(tmp_path / "abs"), "/elsewhere") == tmp_path / "abs"


def test_mosaic_layout():
    maps = np.stack([np.full((3, 4), v, np.float32) for v in (0.0, 0.5, 1.0)])
    image = run_log.mosaic(maps)
    assert image.shape == (2 * 4 - 1, 2 * 5 - 1)  # 2x2 grid of 3x4 tiles with 1-pixel gaps
    assert image[0, 0] == 0.0 and image[0, 5] == 0.5 and image[4, 0] == 1.0


def test_two_runs_in_one_second_get_their_own_folders(tmp_path):
    graph = presets.load_preset("shapes_cnn").graph
    moment = datetime(2026, 1, 2, 3, 4, 5)
    data = datasets.load("shapes", n_train=32, n_val=16, seed=0)
    paths = []
    for _ in range(2):
        log = run_log.RunLog(tmp_path, graph=graph, data=DataConfig(), training=CONFIG,
                             clock=lambda: moment, keep_weights=False)
        cfg = TrainConfig(epochs=1, batch_size=16, device="cpu")
        Trainer(prepare_model(graph, data, 0), data, cfg, callbacks=[log]).fit()
        paths.append(log.path)
    assert paths[0] != paths[1] and all(p.parent == tmp_path for p in paths)
    assert run_log.read_record(paths[1]).weights is None
