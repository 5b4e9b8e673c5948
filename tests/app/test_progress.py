"""Progress bars on a terminal: one over the jobs of a sweep (ok / insecure / failed counts) instead of per-job
lines, one over the batches of a long single run; none with ``progress=false`` or when stderr is not a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

from tests.conftest import cli_environment

SWEEP = ["num_pairs=2000", "workers.batch_size=1000", "nsm.r=0.1,0.5,0.9", "-m"]
#: Two seconds or more of sampling on the bits path (40 batches): past the bar's one-second delay.
LONG_RUN = ["engine.sampling=bits", "reconciliation=model", "num_pairs=4000000000", "workers.batch_size=100000000"]


def _stderr_on_a_terminal(cwd: Path, *args: str) -> tuple[int, str]:
    """Run the command on a pseudo-terminal (stdout and stderr); return its exit code and what the terminal showed."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    command = [sys.executable, "-m", "caligo_sweep", *args]
    process = subprocess.Popen(command, cwd=cwd, env=cli_environment(), stdout=terminal, stderr=terminal)
    os.close(terminal)
    chunks: list[bytes] = []

    def drain() -> None:  # keep reading, or a full terminal buffer would block the program
        while True:
            try:
                data = os.read(controller, 4096)
            except OSError:  # the program closed its side
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    code = process.wait(timeout=300)
    reader.join(timeout=30)
    os.close(controller)
    return code, b"".join(chunks).decode(errors="replace")


def test_a_sweep_on_a_terminal_shows_one_bar_over_jobs_with_status_counts(tmp_path):
    code, shown = _stderr_on_a_terminal(tmp_path, *SWEEP)
    assert code == 0, shown
    assert "sweep: 100%" in shown and "3/3 [" in shown
    assert "ok=" in shown and "insecure=" in shown and "failed=0" in shown
    assert "#1 :" not in shown and "Launching 3 jobs" not in shown and "row written" not in shown  # no per-job lines


def test_no_bar_with_progress_false_or_without_a_terminal(tmp_path, cli):
    code, shown = _stderr_on_a_terminal(tmp_path, *SWEEP, "progress=false")
    assert code == 0, shown
    assert "sweep:" not in shown and "#1 :" in shown
    piped = cli(*SWEEP)
    shown = piped.stdout + piped.stderr
    assert piped.returncode == 0 and "sweep:" not in shown and "#1 :" in shown


def test_a_long_single_run_on_a_terminal_shows_a_bar_over_batches(tmp_path):
    code, shown = _stderr_on_a_terminal(tmp_path, *LONG_RUN)
    assert code == 0, shown
    assert "40/40 [" in shown and "batch/s" in shown
    code, shown = _stderr_on_a_terminal(tmp_path, *LONG_RUN, "progress=false")
    assert code == 0 and "40/40 [" not in shown
