"""Life cycle: many start/stop cycles in a row leak no thread and little memory, and closing
the window while training or while a lab computation runs ends every worker cleanly."""

from __future__ import annotations

import gc
import os
import threading

import pytest
from PySide6.QtCore import QThread

from tests.widgets.training_helpers import click, open_lab_view, tiny_panel, wait_idle, wait_step
from widgets.lab.overfitting import OverfittingView
from widgets.training_dock import attach_training

pytestmark = pytest.mark.usefixtures("one_torch_thread")

CYCLES = 50
WARM_UP = 10  # allocator pools, torch's and Qt's caches settle in the first runs
# Generous: measured 60-90 MB over 40 cycles on a 2-core machine, of which the kept weights
# are 16 MB and Python holds nothing else per run (a gc census: one Trained per cycle); the rest
# is native memory (allocator arenas, Qt) that a leak of a run's model or data would dwarf.
RSS_SLACK_MB = 100


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def qthreads() -> int:
    gc.collect()
    return sum(isinstance(o, QThread) for o in gc.get_objects())


def workers() -> list[str]:
    return sorted(t.name for t in threading.enumerate() if t is not threading.main_thread())


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="RSS read from /proc")
def test_fifty_start_stop_cycles_leak_no_threads_and_little_memory(qtbot, window):
    panel = tiny_panel(window, epochs=1000)
    threads, qthread_objects = workers(), qthreads()
    rss = []
    for cycle in range(CYCLES):
        click(qtbot, panel.controls.train_button)
        wait_step(qtbot, panel, 1)
        trainer = panel.controller.worker.trainer
        click(qtbot, panel.controls.stop_button)
        at_stop = trainer.step
        wait_idle(qtbot, panel, timeout=10_000)
        assert trainer.step <= at_stop + 1, cycle  # within one batch
        assert panel.last_summary["status"] == "cancelled", panel.last_error
        if cycle in (WARM_UP - 1, CYCLES - 1):
            gc.collect()
            rss.append(rss_mb())
    assert panel.controller.run_id == CYCLES
    qtbot.waitUntil(lambda: workers() == threads, timeout=5000)  # every thread ended
    assert qthreads() == qthread_objects  # and every run's QThread object is gone
    # Each stopped run's weights are kept as an undo step ("Keep weights of run N"): that much
    # growth is the undo history; anything beyond it would be a leak.
    kept_mb = (CYCLES - WARM_UP) * sum(t.numel() * t.element_size()
                                      for t in window.doc.trained.state.values()) / 2**20
    growth = rss[1] - rss[0]
    print(f"RSS after {WARM_UP} cycles {rss[0]:.0f} MB, after {CYCLES} {rss[1]:.0f} MB "
          f"(+{growth:.1f} MB over {CYCLES - WARM_UP} cycles; kept weights {kept_mb:.1f} MB)")
    assert growth < kept_mb + RSS_SLACK_MB
    window.doc.set_settings("training", {"epochs": 1})  # and it still trains to the end
    click(qtbot, panel.controls.train_button)
    wait_idle(qtbot, panel)
    assert panel.last_summary["status"] == "completed"


def test_closing_the_window_while_a_lab_job_runs_ends_it(qtbot, window):
    window.doc.set_settings("data", {"name": "shapes", "n_val": 64})
    panel = attach_training(window)
    open_lab_view(window, OverfittingView.TITLE)
    view = panel.view(OverfittingView)
    view.subset_slider.setValue(32)
    view.epochs_spin.setValue(500)  # far longer than the test
    streamed = []
    view.job.partial.connect(streamed.append)
    before = workers()
    click(qtbot, view.run_button)
    qtbot.waitUntil(lambda: len(streamed) >= 2, timeout=30_000)
    assert "netzwerkstatt-job" in workers()
    assert window.close()
    qtbot.waitUntil(lambda: workers() == before, timeout=10_000)  # the job saw its cancel
    qtbot.waitUntil(lambda: not view.job.running, timeout=5000)
    assert view.result is None and "Cancelled" in view.problem.text()


def test_closing_the_window_while_paused_and_while_starting(qtbot, window):
    """Closing at any moment: right after Train (still loading) and while paused."""
    panel = tiny_panel(window, epochs=1000)
    threads = workers()
    click(qtbot, panel.controls.train_button)  # no event processed yet: still setting up
    thread = panel.controller._thread
    assert window.close() and thread.isFinished() and not panel.controller.is_running
    window.show()
    click(qtbot, panel.controls.train_button)
    wait_step(qtbot, panel, 1)
    click(qtbot, panel.controls.pause_button)
    thread = panel.controller._thread
    assert window.close() and thread.isFinished() and not panel.controller.is_running
    assert panel.last_summary is None or panel.last_summary["status"] == "cancelled"
    qtbot.waitUntil(lambda: workers() == threads, timeout=5000)
