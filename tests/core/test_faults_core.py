"""Faults below the app: the atomic project writer under a full disk, a refused folder and a
kill -9 in the middle of a save, and a gradient that raises in the trainer's backward pass."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import torch
from torch import nn

from app.core import project_io
from app.core.project_io import Project
from app.core.trainer import Trainer
from tests.core.test_trainer import cpu_config, xor_bundle

ROOT = Path(__file__).resolve().parents[2]


def _saved(path: Path, description: str = "first") -> bytes:
    project_io.save(path, Project(description=description))
    return path.read_bytes()


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(("call", "error"), [
    ("fsync", OSError(errno.ENOSPC, "No space left on device")),
    ("replace", PermissionError(errno.EACCES, "Permission denied")),
    ("mkstemp", PermissionError(errno.EACCES, "Permission denied"))])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, call, error):
    path = tmp_path / "mine.json"
    old = _saved(path)

    def fail(*args, **kwargs):
        raise error

    owner = project_io.tempfile if call == "mkstemp" else os
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(owner, call, fail)
        with pytest.raises(OSError) as raised:
            project_io.save(path, Project(description="second"))
    assert raised.value.errno == error.errno  # the caller sees the real reason
    assert path.read_bytes() == old and _leftovers(tmp_path) == []


def test_a_full_disk_mid_write_keeps_the_old_file(tmp_path):
    """The disk fills after part of the text is written (a short write, then ENOSPC)."""
    path = tmp_path / "mine.json"
    old = _saved(path)
    real_open = os.fdopen

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, text):
            self.fh.write(text[: len(text) // 2])
            self.fh.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fdopen", lambda *a, **k: FullDisk(real_open(*a, **k)))
        with pytest.raises(OSError, match="No space left"):
            project_io.save(path, Project(description="second " * 1000))
    assert path.read_bytes() == old and _leftovers(tmp_path) == []
    assert project_io.load(path).description == "first"


def test_saving_keeps_the_files_permissions(tmp_path):
    """The temporary file is private; the saved project must keep the mode it had (a file
    shared in a workshop folder stays readable by the others)."""
    path = tmp_path / "mine.json"
    _saved(path)
    path.chmod(0o644)
    project_io.save(path, Project(description="second"))
    assert path.stat().st_mode & 0o777 == 0o644


# -- kill -9 during a save ----------------------------------------------------------------------

_SAVER = textwrap.dedent("""
    import os, sys, time
    from app.core import project_io
    from app.core.project_io import Project
    path, mode = sys.argv[1], sys.argv[2]
    big = "x" * 4_000_000  # a few MB, so the kill often lands inside a write
    if mode == "at-fsync":  # stop exactly between writing the temp file and renaming it
        def hang(fd):
            print("written", flush=True)
            time.sleep(600)
        os.fsync = hang
    for i in range(1_000_000):
        project_io.save(path, Project(description=f"version {i} " + big))
        if i == 0:
            print("ready", flush=True)
""")


def _saver(path: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _SAVER, str(path), mode], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)


def test_kill_9_during_save_leaves_the_previous_file_intact(tmp_path):
    previous = tmp_path / "previous.json"
    old = _saved(previous)
    looping = tmp_path / "looping.json"
    # Both savers import torch at once (that takes the time), then one hangs in fsync with
    # the new text fully written to its temp file, and one saves over and over.
    hanging, saving = _saver(previous, "at-fsync"), _saver(looping, "loop")
    try:
        assert hanging.stdout.readline() == "written\n"
        hanging.send_signal(signal.SIGKILL)
        assert saving.stdout.readline() == "ready\n"
        time.sleep(0.3)  # several saves in, the kill lands wherever it lands
        saving.send_signal(signal.SIGKILL)
    finally:
        for proc in (hanging, saving):
            proc.kill()
            proc.wait(timeout=30)
    assert hanging.returncode == saving.returncode == -signal.SIGKILL
    assert previous.read_bytes() == old  # the half-done save never touched it
    loaded = project_io.load(looping)  # whichever save finished last, complete
    assert loaded.description.startswith("version ") and len(loaded.description) > 4_000_000


# -- the backward pass ------------------------------------------------------------------------------


class _BrokenGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("no gradient here")


class _Model(nn.Sequential):
    def forward(self, x):
        return _BrokenGradient.apply(super().forward(x))


def test_an_exception_in_backward_says_so_and_the_model_is_untouched():
    model = _Model(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    summary = Trainer(model, xor_bundle(64, 32), cpu_config(epochs=1)).fit()
    assert summary.status == "failed" and summary.steps == 0
    assert summary.message == ("RuntimeError in the backward pass (computing gradients): "
                               "no gradient here")
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
