"""Worker processes end with their parent, even when the parent is killed with SIGKILL (no cleanup code runs)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import cli_environment

DEADLINE_S = 60.0
_LONG_RUN = textwrap.dedent(
    """
    from caligo_sweep.physics.links import DepolariseLink
    from caligo_sweep.physics.device import DeviceNoise
    from caligo_sweep.physics.outcomes import build_physical_model
    from caligo_sweep.runner import run_pairs

    model = build_physical_model(DepolariseLink(fidelity=0.95, prob_success=1.0, t_cycle_ns=1000.0), DeviceNoise())
    run_pairs(model, num_pairs=10**13, seed=1, batch_size=2**20, n_jobs=2, sampling="bits", progress=False)
    """
)


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    children.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return children


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _is_worker(pid: int) -> bool:
    """A loky process: a batch worker or loky's resource tracker."""
    return b"loky" in _cmdline(pid)


def _is_batch_worker(pid: int) -> bool:
    return b"popen_loky_posix" in _cmdline(pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the guard is Linux-only")
def test_loky_workers_end_when_their_parent_is_killed(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", _LONG_RUN], cwd=tmp_path, env=cli_environment())
    try:
        deadline = time.monotonic() + DEADLINE_S
        workers: list[int] = []
        while not any(_is_batch_worker(pid) for pid in workers):
            assert parent.poll() is None and time.monotonic() < deadline, "no loky workers appeared"
            workers = [pid for pid in _children(parent.pid) if _is_worker(pid)]
            time.sleep(0.05)
        time.sleep(0.5)  # let the worker take a batch (the guard is set by a worker's first batch)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=DEADLINE_S)
        deadline = time.monotonic() + DEADLINE_S
        while any(_alive(pid) for pid in workers):
            assert time.monotonic() < deadline, f"workers {[p for p in workers if _alive(p)]} outlived their parent"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()
