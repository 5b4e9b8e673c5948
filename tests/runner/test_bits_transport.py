"""Bits handed from loky workers to the parent through shared memory: exact, bounded, cleaned up."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.engine import PACKED_FIELDS, sample_bits
from caligo_sweep.runner import dispatch as dispatch_module
from caligo_sweep.runner import run_pairs
from caligo_sweep.runner import transport

_RUN = dict(num_pairs=100_000, seed=3, batch_size=4_000, sampling="bits", progress=False)


def test_export_then_import_is_the_identity(model, tmp_path):
    bits = sample_bits(model, 1_000, np.random.default_rng(0))
    handle = transport.export_bits(bits, str(tmp_path), index=5)
    back = transport.import_bits(handle)
    assert not list(tmp_path.iterdir())  # the file is gone once read
    assert back.n_pairs == bits.n_pairs and back.attempts == bits.attempts
    for name in PACKED_FIELDS:
        assert np.array_equal(getattr(back, name), getattr(bits, name))


@pytest.mark.parametrize("root_exists", [True, False])
def test_streaming_holds_at_most_one_window_and_cleans_up(model, tmp_path, monkeypatch, root_exists):
    root = tmp_path if root_exists else tmp_path / "missing"
    monkeypatch.setattr(transport, "SHARED_MEMORY_ROOT", str(root))
    monkeypatch.setattr(dispatch_module, "BITS_IN_FLIGHT_BYTES", 1)  # smallest window: 2 batches per worker
    in_flight: list[int] = []
    hand_overs: list[str] = []

    def counting_import(handle):
        hand_overs.append(handle.path)
        return transport.import_bits(handle)

    monkeypatch.setattr(dispatch_module, "import_bits", counting_import)

    def sink(_bits) -> None:
        in_flight.append(sum(1 for _ in root.glob("caligo-sweep-*/*.bits")) if root_exists else 0)

    streamed = run_pairs(model, **_RUN, n_jobs=2, keep_bits=True, bits_sink=sink)
    reference = run_pairs(model, **_RUN, n_jobs=1, keep_bits=True)
    assert len(in_flight) == streamed.n_batches == 25
    assert max(in_flight) <= 2 * 2 - 1  # the batch being consumed has already been read back
    assert len(hand_overs) == (25 if root_exists else 0)  # every batch came through shared memory, or none
    assert all(path.startswith(str(root)) for path in hand_overs)
    assert not list(tmp_path.glob("**/caligo-sweep-*"))
    assert streamed.counts == reference.counts
    assert all(np.array_equal(a.bob_bits, b.bob_bits) for a, b in zip(streamed.bits, reference.bits))


@pytest.mark.filterwarnings("ignore:.*tasks have been successfully executed:UserWarning")  # joblib on abort
def test_a_failing_sink_leaves_no_shared_files(model, tmp_path, monkeypatch):
    monkeypatch.setattr(transport, "SHARED_MEMORY_ROOT", str(tmp_path))

    def sink(_bits) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        run_pairs(model, **_RUN, n_jobs=2, bits_sink=sink)
    assert not list(tmp_path.iterdir())


def _dead_pid() -> int:
    """The id of a process that has ended (a child that exited and was reaped)."""
    import subprocess
    import sys

    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_leftovers_of_ended_processes_are_removed_and_nothing_else(tmp_path):
    import os

    dead, alive = _dead_pid(), os.getpid()
    names = {
        f"caligo-sweep-{dead}-abc": False,  # ours, process gone
        f"joblib_memmapping_folder_{dead}_1a2b_3c4d": False,  # joblib's, process gone
        f"caligo-sweep-{alive}-def": True,  # a running run's
        f"joblib_memmapping_folder_{alive}_5e6f_7a8b": True,
        "someone-elses-folder": True,
        "caligo-sweep-nopid": True,
    }
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "batch-0.bits").write_bytes(b"\0" * 64)
    removed = transport.remove_leftover_folders(str(tmp_path))
    assert sorted(removed) == sorted(str(tmp_path / n) for n, kept in names.items() if not kept)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, kept in names.items() if kept)


@pytest.mark.skipif(not transport.os.access(transport.SHARED_MEMORY_ROOT, transport.os.W_OK), reason="no /dev/shm")
def test_a_killed_run_leaves_shared_folders_that_the_next_run_removes(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import cli_environment

    root = transport.SHARED_MEMORY_ROOT
    run = ["engine.sampling=bits", "workers.n_jobs=2", "workers.batch_size=1000000", "progress=false"]  # bits return
    process = subprocess.Popen([sys.executable, "-m", "caligo_sweep", *run, "num_pairs=1000000000"], cwd=tmp_path,
                               env=cli_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip

    def leftovers() -> list[str]:  # ours and joblib's memmapping folders of the killed run
        prefixes = (f"caligo-sweep-{process.pid}-", f"joblib_memmapping_folder_{process.pid}_")
        return [name for name in os.listdir(root) if name.startswith(prefixes)]

    deadline = time.monotonic() + 120.0
    while not leftovers():  # the run's folder exists while its workers sample
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the run's shared folder did not appear"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert leftovers()  # SIGKILL ran no cleanup
    again = subprocess.run([sys.executable, "-m", "caligo_sweep", *run, "num_pairs=4000000"], cwd=tmp_path,
                           env=cli_environment(), capture_output=True, text=True, timeout=300)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert leftovers() == []
