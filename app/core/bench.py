"""`netzwerkstatt bench`: the app's trainer against a plain PyTorch loop, in one process.

Ratios, not absolute numbers, are what we promise: the same network (copied layer by layer into
an `nn.Sequential`) and the same in-memory tensors run through a minimal hand-written loop and
through the app's Trainer, back to back in alternating order, several times; the median of the
per-pair ratios is reported, which cancels the slow drifts of a shared machine.
Capture overhead compares the Trainer with and without live probes at display rate, in
adjacent pairs; on the CPU it is also given in CPU time (`capture_overhead_cpu`), which leaves
out the time other programs had the cores, and `capture_time_share` is the measured time the
captures took inside the batch loop, as a share of the loop's time (no pairing needed). `amp` and `channels_last` run every loop (the app's
and the hand-written ones alike) with mixed precision / NHWC memory order.
"""

from __future__ import annotations

import copy
import statistics
from collections.abc import Callable
from dataclasses import replace
from time import perf_counter

import torch
from torch import nn

from app.core import presets
from app.core.builder import GraphModel
from app.core.experiment import fit_head, load_data, prepare_model
from app.core.graph import Graph, Node
from app.core.trainer import (
    Precision,
    TrainConfig,
    Trainer,
    mixed_precision,
    plain_loop_samples_per_s,
    plain_step,
    resolve_device,
)


def sequential_twin(model: GraphModel) -> nn.Sequential:
    """The built chain as a hand-assembled nn.Sequential with identical layers and weights."""
    layers = [copy.deepcopy(m) for name, m in model.named_children()]
    return nn.Sequential(*layers)


def run_bench(quick: bool = False, device: str = "auto", data_dir: str | None = None,
              dataset: str = "shapes", log: Callable[[str], None] | None = None,
              amp: bool = False, channels_last: bool = False) -> dict:
    """Measure speed_vs_tensor_loop and capture_overhead for the LeNet preset."""
    say = log or (lambda _msg: None)
    precision = Precision(amp=amp, channels_last=channels_last)
    project = presets.load_preset("lenet")
    data_cfg = replace(project.data, name=dataset, data_dir=data_dir, n_train=4000, n_val=1000)
    data = load_data(data_cfg, seed=0)
    graph = project.graph
    fit_head(graph, data)  # LeNet's 10-class head resized to the dataset's classes
    dev = resolve_device(device)
    repeats = 3 if quick else 7
    epochs = 1 if quick else 2
    config = replace(project.training, epochs=epochs, batch_size=64, device=str(dev),
                     log_every=50)
    modes = [name for name, on in (("AMP", amp), ("channels_last", channels_last)) if on]
    say(f"bench: LeNet on {dataset} ({len(data.x_train)} samples), batch 64, {epochs} epoch(s) "
        f"x {repeats} repeats on {dev}" + (f" with {' and '.join(modes)}" if modes else ""))

    def fresh_model() -> GraphModel:
        return prepare_model(graph, data, seed=0)

    # Warm-up: the first optimizer step imports torch._dynamo and fills allocator caches.
    Trainer(fresh_model(), data, replace(config, max_steps=20), precision=precision).fit()
    plain_runs, app_runs, probe_runs = [], [], []
    speed_ratios, capture_ratios, loader_ratios = [], [], []
    cpu_rates: dict[str, list[float]] = {"app": [], "probed": []}
    capture_shares: list[float] = []

    def trainer_rate(name: str, seed: int, run_epochs: int = epochs) -> float:
        trainer = _trainer(fresh_model(), graph, data,
                           replace(config, seed=seed, epochs=run_epochs), precision,
                           probed=name == "probed")
        summary = trainer.fit()
        cpu_rates[name].append(summary.steps * trainer.batch_size / max(trainer.loop_cpu_s,
                                                                        1e-9))
        if trainer.callbacks and summary.samples_per_s > 0:
            loop_s = summary.steps * trainer.batch_size / summary.samples_per_s
            capture_shares.append(trainer.callbacks[0].loop_capture_seconds / loop_s)
        return summary.samples_per_s

    runners: dict[str, Callable[[int], float]] = {
        "plain": lambda seed: plain_loop_samples_per_s(
            lambda: sequential_twin(fresh_model()), data, batch_size=64, epochs=epochs,
            lr=config.lr, device=dev, seed=seed, precision=precision),
        "loader": lambda seed: dataloader_loop_samples_per_s(
            lambda: sequential_twin(fresh_model()), data, batch_size=64, epochs=epochs,
            lr=config.lr, device=dev, seed=seed, precision=precision),
        "app": lambda seed: trainer_rate("app", seed),
        "probed": lambda seed: trainer_rate("probed", seed),
    }
    for r in range(repeats):
        # Runs go back to back in alternating order, so slow drifts of a shared machine
        # cancel in the per-repeat ratios; the median of those ratios is reported.
        order = (("plain", "app", "probed", "loader") if r % 2 == 0
                 else ("loader", "probed", "app", "plain"))
        rates = {name: runners[name](r) for name in order}
        plain_runs.append(rates["plain"])
        app_runs.append(rates["app"])
        probe_runs.append(rates["probed"])
        speed_ratios.append(rates["app"] / rates["plain"])
        capture_ratios.append(rates["probed"] / rates["app"])
        loader_ratios.append(rates["app"] / rates["loader"])
        say(f"  repeat {r + 1}: plain {rates['plain']:.0f}/s, app {rates['app']:.0f}/s, "
            f"app+capture {rates['probed']:.0f}/s, DataLoader loop {rates['loader']:.0f}/s")
    # The capture overhead is a small difference of two noisy rates: more pairs, of runs
    # long enough to hold several display intervals (a quick epoch may hold none).
    for r in range(repeats, 5 * repeats):
        order = ("app", "probed") if r % 2 == 0 else ("probed", "app")
        rates = {name: trainer_rate(name, r, 2 * epochs) for name in order}
        capture_ratios.append(rates["probed"] / rates["app"])
    cpu_ratios = [p / a for p, a in zip(cpu_rates["probed"], cpu_rates["app"], strict=True)]
    return {
        **shape_inference_ms(),
        "shape_infer_200_ms": shape_infer_cold_ms(200),
        **resnet18_shape_infer_ms(),
        "graph_20000_s": round(graph_load_s(20000), 3),
        "device": str(dev) + (f" ({torch.cuda.get_device_name(dev)})" if dev.type == "cuda" else ""),
        "dataset": dataset,
        "plain_samples_per_s": round(statistics.median(plain_runs), 1),
        "app_samples_per_s": round(statistics.median(app_runs), 1),
        "speed_vs_tensor_loop": round(statistics.median(speed_ratios), 3),
        "speed_vs_dataloader_loop": round(statistics.median(loader_ratios), 3),
        **cold_start_ratio(dataset, data_dir, str(dev), 1 if quick else 3, say, precision),
        "capture_samples_per_s": round(statistics.median(probe_runs), 1),
        "capture_overhead": round(max(0.0, 1.0 - statistics.median(capture_ratios)), 3),
        "capture_pairs": len(capture_ratios),
        "capture_time_share": round(statistics.median(capture_shares), 4),
        **({"capture_overhead_cpu": round(max(0.0, 1.0 - statistics.median(cpu_ratios)), 3)}
           if dev.type == "cpu" else {}),
        "amp": amp,
        "channels_last": channels_last,
        "playground_overhead": playground_overhead(dev, repeats),
        **startup_times(3),
    }


def dataloader_loop_samples_per_s(model_factory: Callable[[], nn.Module], data, batch_size: int,
                                  epochs: int, lr: float, device: str | torch.device,
                                  seed: int = 0, precision: Precision | None = None) -> float:
    """Samples/s of the PyTorch tutorial loop: TensorDataset + DataLoader(shuffle=True), each
    batch moved to the device inside the loop. What a learner would write by hand (with
    autocast and a GradScaler, and channels-last batches, when `precision` asks for them)."""
    from torch.utils.data import DataLoader, TensorDataset

    device = resolve_device(device)
    precision = precision or Precision()
    torch.manual_seed(seed)
    model = model_factory().to(device).train()
    nhwc = torch.channels_last if precision.channels_last else torch.preserve_format
    model = model.to(memory_format=nhwc)
    autocast, scaler = mixed_precision(device, precision.amp)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(data.x_train, data.y_train), batch_size=batch_size,
                        shuffle=True, generator=torch.Generator().manual_seed(seed))
    _sync(device)
    start = perf_counter()
    for _ in range(epochs):
        for x, y in loader:
            plain_step(model, optimizer, x.to(device, memory_format=nhwc), y.to(device),
                       autocast, scaler)
    _sync(device)
    return epochs * len(data.x_train) / (perf_counter() - start)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def first_epoch_s(kind: str, dataset: str, data_dir: str | None, device: str,
                  amp: bool = False, channels_last: bool = False) -> float:
    """Seconds for the first training epoch of LeNet in this process: build the model, then one
    epoch through the app's Trainer (kind "app") or the plain tensor loop ("plain"). Run in a
    fresh interpreter (see `cold_start_ratio`), so lazy imports and first-call costs count."""
    project = presets.load_preset("lenet")
    data = load_data(replace(project.data, name=dataset, data_dir=data_dir, n_train=4000,
                             n_val=1000), seed=0)
    graph = project.graph
    fit_head(graph, data)
    dev = resolve_device(device)
    precision = Precision(amp=amp, channels_last=channels_last)
    config = replace(project.training, epochs=1, batch_size=64, device=str(dev), log_every=50)
    _sync(dev)
    start = perf_counter()
    model = prepare_model(graph, data, seed=0)
    if kind == "app":
        Trainer(model, data, config, precision=precision).fit()
    else:
        plain_loop_samples_per_s(lambda: sequential_twin(model), data, batch_size=64, epochs=1,
                                 lr=config.lr, device=dev, precision=precision)
    _sync(dev)
    return perf_counter() - start


def cold_start_ratio(dataset: str, data_dir: str | None, device: str, repeats: int,
                     say: Callable[[str], None], precision: Precision | None = None) -> dict:
    """First epoch of a fresh process, app / plain loop: median over alternating pairs of
    subprocesses (torch import and data loading happen before the clock starts)."""
    import subprocess
    import sys

    precision = precision or Precision()

    def run(kind: str) -> float:
        code = ("import sys; from app.core.bench import first_epoch_s; "
                f"print(first_epoch_s({kind!r}, {dataset!r}, {data_dir!r}, {device!r}, "
                f"{precision.amp!r}, {precision.channels_last!r}))")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=False, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"cold-start run ({kind}) failed: {done.stderr.strip()[-500:]}")
        return float(done.stdout.strip().splitlines()[-1])

    ratios, app_s, plain_s = [], [], []
    for r in range(repeats):
        order = ("plain", "app") if r % 2 == 0 else ("app", "plain")
        times = {kind: run(kind) for kind in order}
        app_s.append(times["app"])
        plain_s.append(times["plain"])
        ratios.append(times["app"] / times["plain"])
        say(f"  cold start {r + 1}: app first epoch {times['app']:.2f} s, "
            f"plain {times['plain']:.2f} s")
    return {"cold_start_ratio": round(statistics.median(ratios), 3),
            "cold_first_epoch_app_s": round(statistics.median(app_s), 2),
            "cold_first_epoch_plain_s": round(statistics.median(plain_s), 2)}


def playground_overhead(device: torch.device, repeats: int) -> float:
    """Training slowdown from the Playground's live decision boundary (a snapshot extra at
    display rate) for `mlp_playground` on xor: 1 - median(rate with / rate without), both
    runs with the ordinary live probes, in alternating order."""
    from app.core.playground import boundary_extra, bounds_of
    from app.core.probes import ProbeCallback, choose_probe_layers
    from app.core.shapes import infer

    project = presets.load_preset("mlp_playground")
    data = load_data(replace(project.data, name="xor", n_train=4000, n_val=500), seed=0)
    graph = project.graph
    fit_head(graph, data)
    layers = choose_probe_layers(graph, infer(graph))
    extras = {"boundary": boundary_extra(bounds_of(data.x_train.numpy()))}
    config = replace(project.training, epochs=8, batch_size=32, device=str(device),
                     log_every=50)

    def rate(with_boundary: bool, seed: int) -> float:
        probe = ProbeCallback(layers, data.x_val[:8], emit=lambda snapshot: None,
                              extras=extras if with_boundary else None)
        model = prepare_model(graph, data, seed=0)
        return Trainer(model, data, replace(config, seed=seed),
                       callbacks=[probe]).fit().samples_per_s

    ratios = []
    for r in range(repeats):
        order = (True, False) if r % 2 == 0 else (False, True)
        rates = {flag: rate(flag, r) for flag in order}
        ratios.append(rates[True] / rates[False])
    return round(max(0.0, 1.0 - statistics.median(ratios)), 3)


def shape_inference_ms(n_nodes: int = 200, repeats: int = 20) -> dict:
    """Median time to re-infer an n-node chain after one edit (the editor does this per edit)."""
    from time import perf_counter

    from app.core.shapes import infer

    graph = long_chain(n_nodes, (3, 32, 32), (("Conv2d", {"out_channels": 16}),
                                              ("BatchNorm", {}), ("ReLU", {})))
    cold = perf_counter()
    infer(graph)
    cold = perf_counter() - cold
    times = []
    for r in range(repeats):
        graph.nodes["n30"].params["out_channels"] = 8 + r % 2 * 8  # an edit mid-chain
        start = perf_counter()
        infer(graph)
        times.append(perf_counter() - start)
    return {"shape_inference_cold_ms": round(cold * 1000, 1),
            f"shape_inference_{n_nodes}_nodes_ms": round(statistics.median(times) * 1000, 1)}


def shape_infer_cold_ms(n_nodes: int = 200, repeats: int = 5) -> float:
    """Median time to infer an n-node graph of mixed layers from scratch (per-layer cache
    emptied), as when a project is opened: the worst case the editor ever pays."""
    from app.core.shapes import _run_meta, infer

    graph = long_chain(n_nodes, (3, 32, 32), (("Conv2d", {"out_channels": 16}),
                                              ("BatchNorm", {}), ("ReLU", {}),
                                              ("Conv2d", {"out_channels": 8, "groups": 8})))
    times = []
    for _ in range(repeats):
        _run_meta.cache_clear()
        start = perf_counter()
        infer(graph)
        times.append(perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def resnet18_shape_infer_ms(repeats: int = 20) -> dict:
    """Shape inference of the imported torchvision ResNet-18 (71 layers): once cold, then the
    median after an edit of one layer, which is what the editor pays per change."""
    from time import perf_counter

    from app.core.fx_import import import_torchvision
    from app.core.shapes import infer

    graph = import_torchvision("resnet18").graph
    cold = perf_counter()
    report = infer(graph)
    cold = perf_counter() - cold
    if not report.ok:
        raise ValueError(f"the imported ResNet-18 does not infer: {report.errors[0].message}")
    times = []
    for r in range(repeats):
        graph.nodes["layer2_0_conv1"].params["out_channels"] = 128 + r % 2 * 8  # mid-network
        start = perf_counter()
        infer(graph)
        times.append(perf_counter() - start)
    return {"resnet18_shape_infer_cold_ms": round(cold * 1000, 1),
            "resnet18_shape_infer_ms": round(statistics.median(times) * 1000, 1)}


_DENSE_CYCLE = (("Linear", {"out_features": 16}), ("ReLU", {}), ("Dropout", {}))


def long_chain(n_nodes: int, input_shape: tuple[int, ...] = (16,),
               cycle: tuple[tuple[str, dict], ...] = _DENSE_CYCLE) -> Graph:
    """Input -> the `cycle` of layers repeated -> Output: a big graph with few distinct layers."""
    graph = Graph()
    graph.add_node(Node("inp", "Input", {"shape": input_shape}))
    prev = "inp"
    for i in range(n_nodes - 2):
        kind, params = cycle[i % len(cycle)]
        nid = f"n{i}"
        graph.add_node(Node(nid, kind, dict(params)))
        graph.connect(prev, nid)
        prev = nid
    graph.add_node(Node("out", "Output", {"loss": "mse"}))
    graph.connect(prev, "out")
    return graph


def graph_load_s(n_nodes: int, repeats: int = 3) -> float:
    """Median seconds to load an n-node chain project file and infer its shapes.

    The meta-device run per distinct layer configuration is cached, so a warm-up infer keeps
    it out of the figure: what is left is the graph work, which must grow linearly.
    """
    import gc
    import tempfile
    from pathlib import Path
    from time import perf_counter

    from app.core.project_io import Project, load, save
    from app.core.shapes import infer

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chain.json"
        save(path, Project(graph=long_chain(n_nodes)))
        infer(long_chain(8))
        times = []
        for _ in range(repeats):
            gc.collect()
            start = perf_counter()
            infer(load(path).graph)
            times.append(perf_counter() - start)
    return statistics.median(times)


def _trainer(model: GraphModel, graph, data, config: TrainConfig, precision: Precision,
             probed: bool) -> Trainer:
    """The app's Trainer, with the live-capture callback at display rate when `probed`."""
    from app.core.probes import ProbeCallback, choose_probe_layers
    from app.core.shapes import infer

    callbacks = []
    if probed:
        callbacks.append(ProbeCallback(choose_probe_layers(graph, infer(graph)), data.x_val[:8],
                                       emit=lambda snapshot: None))
    return Trainer(model, data, config, callbacks=callbacks, precision=precision)


STARTUP_PROBE_ENV = "NETZWERKSTATT_STARTUP_PROBE"  # read by widgets/startup.py


def startup_times(runs: int = 3) -> dict:
    """`startup_s`: from just before a fresh `netzwerkstatt gui` process is started to its first
    painted window, median of `runs` processes, with the child's own split (Python and the CLI
    up, PySide6 imported, window shown). The child prints its time.time() marks at the first
    frame and quits (widgets/startup.py). A fresh settings folder; the offscreen platform when
    there is no display (then painting is cheaper than on a real screen: `startup_platform`)."""
    import json
    import os
    import subprocess
    import sys
    import tempfile
    import time

    env = dict(os.environ, **{STARTUP_PROBE_ENV: "paint"})
    if not (env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    keys = ("python", "pyside6", "shown", "painted")
    marks: dict[str, list[float]] = {key: [] for key in keys}
    with tempfile.TemporaryDirectory(prefix="netzwerkstatt-startup-") as home:
        env["NETZWERKSTATT_HOME"] = home
        for _ in range(runs):
            start = time.time()
            done = subprocess.run([sys.executable, "-m", "app", "gui"], env=env, text=True,
                                  capture_output=True, check=False, timeout=120)
            lines = done.stdout.strip().splitlines()
            if done.returncode != 0 or not lines:
                raise RuntimeError(f"startup run failed ({done.returncode}): "
                                   f"{done.stderr.strip()[-500:]}")
            child = json.loads(lines[-1])["marks"]
            for key in keys:
                marks[key].append(child[key] - start)
    median = {key: round(statistics.median(values), 3) for key, values in marks.items()}
    return {"startup_s": median["painted"], "startup_python_s": median["python"],
            "startup_pyside6_s": median["pyside6"], "startup_shown_s": median["shown"],
            "startup_platform": env.get("QT_QPA_PLATFORM") or "default"}
