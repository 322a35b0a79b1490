"""Soak test (`make soak`, not in CI): train for a long time with every view of the run open
and watch for growth that a short test cannot see.

The default preset trains in the real window (offscreen) while the bottom tabs rotate, so the
dashboard's live views and every lab view take turns being drawn. Every few seconds it records
the process's RSS, the GPU memory torch holds (with CUDA) and how late a 5 ms GUI timer fired
(p99 over that interval, as `widgets.ui_latency` measures it). A run that ends is restarted.
At the end it prints (and writes, with NETZWERKSTATT_SOAK_OUT) JSON with the samples and the
growth from the end of the warm-up to the end.

Settings (environment): NETZWERKSTATT_SOAK_MINUTES (default 30), NETZWERKSTATT_SOAK_INTERVAL_S
(default 5), NETZWERKSTATT_SOAK_OUT (a JSON file to write).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QApplication

# Growth is counted after a warm-up: this share of the samples, and at least one rotation
# through every view (each view's first drawing allocates its plots and caches).
WARM_UP_FRACTION = 0.1


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; 0 elsewhere)."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def gpu_mb() -> dict[str, float] | None:
    import torch

    if not torch.cuda.is_available():
        return None
    return {"allocated": torch.cuda.memory_allocated() / 2**20,
            "reserved": torch.cuda.memory_reserved() / 2**20}


def soak(minutes: float, interval_s: float = 5.0) -> dict:
    """Train with every view open for `minutes`; samples every `interval_s` and the growth."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.core import presets
    from widgets.main_window import MainWindow, freeze_startup_heap
    from widgets.training_dock import attach_training, wait_ms
    from widgets.ui_latency import LatenessProbe

    app = QApplication.instance() or QApplication([])
    window = MainWindow(preset=presets.DEFAULT_PRESET, recover=False)
    window.resize(1280, 800)
    window.show()
    panel = attach_training(window)
    freeze_startup_heap()  # as the app does once its window is built
    window.doc.set_settings("training", {"epochs": 100_000, "max_steps": None})
    tabs = window.bottom_tabs
    views = [tabs.tabText(i) for i in range(tabs.count())]
    probe = LatenessProbe()
    samples: list[dict] = []
    runs, errors = 0, []
    start = time.perf_counter()
    end = start + minutes * 60
    probe.start()
    try:
        while time.perf_counter() < end:
            if not panel.controller.is_running:
                if panel.last_error is not None:
                    errors.append(panel.last_error["message"])
                panel.train()
                runs += 1
            tabs.setCurrentIndex((tabs.currentIndex() + 1) % tabs.count())  # the next view
            probe.late.clear()
            wait_ms(int(interval_s * 1000))
            trainer = panel.controller.worker.trainer if panel.controller.worker else None
            values = probe.values()
            samples.append({"t_s": round(time.perf_counter() - start, 1),
                            "rss_mb": round(rss_mb(), 1), "gpu_mb": gpu_mb(),
                            "ui_p99_ms": round(float(np.percentile(values, 99)), 2),
                            "ui_max_ms": round(float(values.max()), 2),
                            "step": trainer.step if trainer is not None else None,
                            # Replay keeps up to its capacity of snapshots: RSS grows until full
                            "replay_snapshots": len(panel.history.items),
                            "view": tabs.tabText(tabs.currentIndex())})
    finally:
        probe.stop()
        panel.shutdown()
        window.hide()
        window.deleteLater()
        app.processEvents()
    return {"minutes": minutes, "interval_s": interval_s, "runs": runs, "errors": errors,
            "views": views, **growth(samples, warm_up=len(views)),
            "samples": samples}


def growth(samples: list[dict], warm_up: int = 0) -> dict:
    """RSS and GPU growth from the end of the warm-up (at least `warm_up` samples) to the
    end, and the GUI latency."""
    if not samples:
        return {}
    skip = max(warm_up, int(len(samples) * WARM_UP_FRACTION))
    first = samples[min(len(samples) - 1, skip)]
    last = samples[-1]
    hours = max(1e-9, (last["t_s"] - first["t_s"]) / 3600)
    rss = last["rss_mb"] - first["rss_mb"]
    out = {"rss_start_mb": first["rss_mb"], "rss_end_mb": last["rss_mb"],
           "rss_peak_mb": max(s["rss_mb"] for s in samples),
           "rss_growth_mb": round(rss, 1), "rss_growth_mb_per_hour": round(rss / hours, 1),
           "ui_p99_ms_median": float(np.median([s["ui_p99_ms"] for s in samples])),
           "ui_p99_ms_worst": max(s["ui_p99_ms"] for s in samples),
           "steps": last["step"]}
    if first["gpu_mb"] is not None and last["gpu_mb"] is not None:
        out["gpu_growth_mb"] = {k: round(last["gpu_mb"][k] - first["gpu_mb"][k], 1)
                                for k in last["gpu_mb"]}
    return out


def main() -> int:
    minutes = float(os.environ.get("NETZWERKSTATT_SOAK_MINUTES", "30"))
    interval = float(os.environ.get("NETZWERKSTATT_SOAK_INTERVAL_S", "5"))
    result = soak(minutes, interval)
    text = json.dumps(result, indent=1)
    out = os.environ.get("NETZWERKSTATT_SOAK_OUT")
    if out:
        Path(out).write_text(text + "\n")
    summary = {k: v for k, v in result.items() if k != "samples"}
    print(json.dumps(summary, indent=1))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
