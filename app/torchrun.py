"""Run an exported training script under torchrun, stream rank 0's metrics, stop every rank.

"Train with torchrun" runs the script `app.core.export.write_script` writes with PyTorch's own
launcher (`python -m torch.distributed.run`, the same as the `torchrun` command), so what the
learner tries here with two CPU processes is exactly what runs on a cluster. Rank 0 prints one
JSON object per line on stdout; each becomes an `event` signal (queued to the GUI thread).

Stopping must leave no process behind. torchrun starts each rank in a session of its own, so
signalling torchrun's process group does not reach the ranks, and a torchrun that dies
abruptly leaves them orphaned. So the watcher thread keeps a record of every process below
torchrun while it runs; Stop sends SIGTERM to torchrun (which then ends its ranks), waits a
grace period, and then SIGKILLs torchrun's group and every recorded rank's group that is still
there. The same sweep runs after any ending, so a crashed launcher leaves no ranks either.
QtCore only (no widgets): the dialog lives in `widgets/torchrun_dialog.py`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

GRACE_S = 5.0  # after SIGTERM, how long torchrun may take to end its ranks before SIGKILL
POLL_S = 0.2  # how often the watcher records the process tree
STDERR_LINES = 60  # lines of stderr kept for the error message
DEFAULT_PORT = 29500


def torchrun_command(script: str | os.PathLike[str], nproc: int, args: Sequence[str] = (), *,
                     python: str = sys.executable) -> list[str]:
    """The local command Start runs: the current Python's torchrun, one machine."""
    if nproc < 1:
        raise ValueError(f"the number of processes must be at least 1, not {nproc}")
    return [python, "-m", "torch.distributed.run", "--standalone",
            f"--nproc_per_node={nproc}", str(script), *args]


def shown_command(script: str, nproc: int, args: Sequence[str] = (), *, nnodes: int = 1,
                  endpoint: str = "", job_id: str = "netzwerkstatt") -> str:
    """The command a learner copies: `torchrun ...` for one machine, or the multi-node form
    (run the same line on every node; `endpoint` is host:port of one of them)."""
    if nnodes <= 1:
        head = ["torchrun", "--standalone", f"--nproc_per_node={nproc}"]
    else:
        host = endpoint or f"NODE0_HOST:{DEFAULT_PORT}"
        head = ["torchrun", f"--nnodes={nnodes}", f"--nproc_per_node={nproc}",
                f"--rdzv-id={job_id}", "--rdzv-backend=c10d", f"--rdzv-endpoint={host}"]
    return shlex.join([*head, script, *args])


# -- the process tree -----------------------------------------------------------------------------


def process_table() -> dict[int, tuple[int, int]]:
    """{pid: (parent pid, process group)} of all processes: /proc on Linux, `ps` elsewhere."""
    table: dict[int, tuple[int, int]] = {}
    proc = Path("/proc")
    if proc.is_dir():
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # the process ended while we looked
                continue
            # "pid (name) state ppid pgrp ...": the name may contain spaces and parentheses
            fields = stat[stat.rindex(")") + 2:].split()
            table[int(entry.name)] = (int(fields[1]), int(fields[2]))
        return table
    out = subprocess.run(["ps", "-A", "-o", "pid=,ppid=,pgid="], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        pid, ppid, pgid = (int(v) for v in line.split())
        table[pid] = (ppid, pgid)
    return table


def descendants(pid: int, table: dict[int, tuple[int, int]] | None = None) -> set[int]:
    """Every process below `pid` (children, their children, ...)."""
    table = process_table() if table is None else table
    children: dict[int, list[int]] = {}
    for child, (parent, _group) in table.items():
        children.setdefault(parent, []).append(child)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie waiting for its parent."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
        return state[state.rindex(")") + 2] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- the job --------------------------------------------------------------------------------------


class TorchrunJob(QObject):
    """One torchrun launch; see the module docstring.

    Signals (emitted from worker threads, delivered queued to this object's thread):
    `event(dict)` for each JSON line of rank 0, `output(str)` for other stdout lines, and
    `finished(dict)` once torchrun and every rank have ended: {"status": "completed" |
    "failed" | "stopped", "exit_code", "message", "stderr_tail", "done": the "done" event or
    None}.
    """

    event = Signal(object)
    output = Signal(str)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.proc: subprocess.Popen | None = None
        self.command: list[str] = []
        self.seen: dict[int, int] = {}  # every process seen below torchrun: pid -> group
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._done: dict[str, Any] | None = None
        self._error: dict[str, Any] | None = None
        self._stopping = threading.Event()
        self._ended = threading.Event()
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self.proc is not None and not self._ended.is_set()

    def start(self, command: Sequence[str], cwd: str | os.PathLike[str],
              env: dict[str, str] | None = None) -> None:
        if self.running:
            raise RuntimeError("torchrun is already running; stop it first")
        self.command = list(command)
        self.seen.clear()
        self._stderr.clear()
        self._done = self._error = None
        self._stopping.clear()
        self._ended.clear()
        environment = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
        try:
            self.proc = subprocess.Popen(
                self.command, cwd=str(cwd), env=environment, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
                start_new_session=True)  # its own process group: Stop reaches the launcher
        except OSError as exc:
            self.proc = None
            self._ended.set()
            raise ValueError(f"could not start torchrun ({exc}); check that PyTorch is "
                             "installed in this Python") from None
        readers = [threading.Thread(target=self._read_stdout, daemon=True,
                                    name="torchrun-stdout"),
                   threading.Thread(target=self._read_stderr, daemon=True,
                                    name="torchrun-stderr")]
        for reader in readers:
            reader.start()
        threading.Thread(target=self._watch, args=(self.proc, readers), daemon=True,
                         name="torchrun-watch").start()

    def stop(self, grace_s: float = GRACE_S) -> None:
        """End torchrun and all ranks (returns at once; `finished` says when it is done)."""
        proc = self.proc
        if proc is None or self._ended.is_set() or self._stopping.is_set():
            return
        self._stopping.set()
        self._record_tree(proc.pid)
        _signal_group(proc.pid, signal.SIGTERM)
        threading.Thread(target=self._kill_after, args=(proc, grace_s), daemon=True,
                         name="torchrun-stop").start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until torchrun and its ranks are gone (for shutdown and tests)."""
        return self._ended.wait(timeout)

    # -- threads --

    def _read_stdout(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                payload = json.loads(line)
            except json.JSONDecodeError:
                payload = None
            if isinstance(payload, dict) and "event" in payload:
                if payload["event"] == "done":
                    self._done = payload
                elif payload["event"] == "error":
                    self._error = payload
                self._emit(self.event, payload)
            else:
                self._emit(self.output, line)

    def _read_stderr(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line.rstrip("\n"))

    def _watch(self, proc: subprocess.Popen, readers: list[threading.Thread]) -> None:
        while proc.poll() is None:
            self._record_tree(proc.pid)
            time.sleep(POLL_S)
        # Ranks a crashed launcher left behind go first: they hold its output pipes open.
        self._sweep(proc.pid)
        for reader in readers:
            reader.join(timeout=5)
        status, message = self._outcome(proc.returncode)
        self._ended.set()
        self._emit(self.finished, {"status": status, "exit_code": proc.returncode,
                                   "message": message, "stderr_tail": "\n".join(self._stderr),
                                   "done": self._done})

    def _emit(self, signal_: Any, payload: Any) -> None:
        """Emit from a worker thread unless this object was deleted (its window closed)."""
        if shiboken6.isValid(self):
            signal_.emit(payload)

    def _kill_after(self, proc: subprocess.Popen, grace_s: float) -> None:
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            _signal_group(proc.pid, _KILL)
        self._sweep(proc.pid)

    def _record_tree(self, pid: int) -> None:
        table = process_table()
        with self._lock:
            for child in descendants(pid, table):
                self.seen[child] = table[child][1]

    def _sweep(self, launcher: int) -> None:
        """SIGKILL what is left of every process seen below torchrun, with its group. A pid is
        only signalled while it still has the group it had, so a reused pid is left alone."""
        with self._lock:
            seen = dict(self.seen)
        table = process_table()
        own = os.getpgrp()
        killed = []
        for pid, group in seen.items():
            if table.get(pid, (0, None))[1] == group and alive(pid):
                if group != own:
                    _signal_group(group, _KILL)
                _signal(pid, _KILL)
                killed.append(pid)
        if alive(launcher):
            _signal_group(launcher, _KILL)
            killed.append(launcher)
        deadline = time.monotonic() + GRACE_S  # SIGKILL is delivered asynchronously:
        while any(alive(pid) for pid in killed) and time.monotonic() < deadline:
            time.sleep(0.02)  # "finished" means every process is gone

    def _outcome(self, code: int) -> tuple[str, str]:
        if self._stopping.is_set() and self._done is None:
            return "stopped", "Stopped: torchrun and all its processes have ended."
        if self._error is not None:
            return "failed", f"Training stopped: {self._error.get('message', '')}"
        if code == 0:
            return "completed", "Finished: " + _describe_done(self._done)
        if self._done is not None:  # trained and saved, but a rank ended badly afterwards
            return "completed", (f"Finished: {_describe_done(self._done)} (but torchrun ended "
                                 f"with exit code {code}: {root_cause(list(self._stderr))})")
        return "failed", (f"torchrun ended with exit code {code}: "
                          f"{root_cause(list(self._stderr))}")


def _describe_done(done: dict[str, Any] | None) -> str:
    if done is None:
        return "the script ended without reporting results."
    acc = done.get("val_acc")
    result = f"validation accuracy {acc:.1%}" if isinstance(acc, (int, float)) else \
        f"validation loss {done.get('val_loss')}"
    return f"{done.get('steps')} steps, {result}; weights in {done.get('weights')}."


_EXCEPTION = re.compile(r"^\s*(?:\[rank\d+\]:\s*)?([A-Za-z_.]*(?:Error|Exception|Interrupt)\b.*)$")


def root_cause(lines: list[str]) -> str:
    """The line of stderr that says what went wrong: the last exception line of a rank's
    traceback (not torchrun's own ChildFailedError), else the last non-empty line."""
    candidates = [m.group(1) for line in lines if (m := _EXCEPTION.match(line))
                  and "ChildFailedError" not in line]
    if candidates:
        return candidates[-1].strip()
    rest = [line.strip() for line in lines if line.strip() and not set(line.strip()) <= {"="}]
    return rest[-1] if rest else "no error message (see the details)"


# Windows has neither process groups to signal nor SIGKILL: there taskkill ends the tree.
_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)


def _signal(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # gone, or pid reused
        os.kill(pid, sig)


def _signal_group(group: int, sig: signal.Signals) -> None:
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(group)], capture_output=True,
                       check=False)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group has ended
        os.killpg(group, sig)
