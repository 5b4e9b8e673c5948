"""Nothing finished is lost: a stopped sweep writes its table, a broken folder gathers, a resumed sweep completes.

A real sweep is stopped midway with SIGTERM once its first row exists (the file system is polled with a deadline),
then resumed; its table must equal an uninterrupted sweep's row for row (timings aside).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import cli_environment

#: Long enough per job (bits path, about 0.1 - 0.3 s) that a sweep of 8 is still running when its first row exists.
SWEEP = ["engine.sampling=bits", "reconciliation=model", "num_pairs=20000000", "workers.batch_size=2000000",
         "progress=false",
         "nsm.r=0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8", "-m"]  # fmt: skip
#: Columns that measure the machine, not the simulation.
TIMINGS = ["wall_time_s", "pairs_per_second", "ec_mbit_per_s"]
DEADLINE_S = 120.0


def _popen(cwd: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "caligo_sweep", *args]
    return subprocess.Popen(command, cwd=cwd, env=cli_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def _wait_for(path: Path, process: subprocess.Popen) -> None:
    """Poll until ``path`` exists; fail if the process ends first or the deadline passes."""
    deadline = time.monotonic() + DEADLINE_S
    while not path.exists():
        assert process.poll() is None, f"the sweep ended before {path} appeared: {process.communicate()[1]}"
        assert time.monotonic() < deadline, f"{path} did not appear within {DEADLINE_S} s"
        time.sleep(0.02)


#: One job samples for seconds (1e9 pairs on the bits path, about 7 s), so a signal sent once job 0 has started lands
#: while it runs.
LONG_SWEEP = ["engine.sampling=bits", "reconciliation=model", "num_pairs=1000000000", "workers.batch_size=10000000",
              "progress=false", "nsm.r=0.3,0.6", "-m"]  # fmt: skip


def _table(sweep_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(sweep_dir / "results.parquet").drop(columns=TIMINGS)


def test_a_stopped_sweep_writes_its_table_and_resume_completes_it(cli_in, tmp_path):
    (tmp_path / "ref").mkdir()
    (tmp_path / "cut").mkdir()
    reference = cli_in(tmp_path / "ref", *SWEEP, "hydra.sweep.dir=sweep")
    assert reference.returncode == 0, reference.stderr

    process = _popen(tmp_path / "cut", *SWEEP, "hydra.sweep.dir=sweep")
    _wait_for(tmp_path / "cut" / "sweep" / "0" / "result.json", process)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=DEADLINE_S)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert "stopped by SIGTERM" in last and "sweep/results.parquet" in last and "resume=true" in last
    stopped = pd.read_parquet(tmp_path / "cut" / "sweep" / "results.parquet")
    assert list(stopped["run_id"]) == [f"sweep/{i}" for i in range(8)]  # every job has a row, run or not
    assert stopped["status"].iloc[0] in {"ok", "insecure"}
    assert set(stopped["status"]) <= {"ok", "insecure", "interrupted", "not_run"}
    assert stopped["status"].isin(["interrupted", "not_run"]).any()

    resumed = cli_in(tmp_path / "cut", *SWEEP, "hydra.sweep.dir=sweep", "resume=true")
    assert resumed.returncode == 0, resumed.stderr
    pd.testing.assert_frame_equal(_table(tmp_path / "cut" / "sweep"), _table(tmp_path / "ref" / "sweep"))


def test_gather_survives_torn_empty_and_missing_rows_and_resume_repairs_them(main_in, tmp_path):
    sweep = ["num_pairs=2000", "workers.batch_size=1000", "progress=false", "nsm.r=0.2,0.4,0.6,0.8", "-m",
             "hydra.sweep.dir=sweep"]  # fmt: skip
    code, _, err = main_in(tmp_path, *sweep)
    assert code == 0, err
    sweep_dir = tmp_path / "sweep"
    whole = pd.read_parquet(sweep_dir / "results.parquet").drop(columns=TIMINGS)
    (sweep_dir / "0" / "result.json").write_bytes(b"")  # a full disk
    (sweep_dir / "1" / "result.json").write_text('{"run_id": "sweep/1", "sta')  # torn
    (sweep_dir / "2" / "result.json").unlink()  # killed before writing
    shutil.rmtree(sweep_dir / "3")  # never started

    gathered = subprocess.run([sys.executable, "-m", "caligo_sweep.gather", str(sweep_dir)], env=cli_environment(),
                              capture_output=True, text=True, timeout=DEADLINE_S)  # fmt: skip
    assert gathered.returncode == 0, gathered.stderr
    assert "4 rows (ok=0 insecure=0 failed=3 not_run=1)" in gathered.stdout
    table = pd.read_parquet(sweep_dir / "results.parquet")
    assert list(table["status"]) == ["failed", "failed", "failed", "not_run"]
    assert "empty" in table["error"][0] and "torn" in table["error"][1] and "missing" in table["error"][2]
    assert table["overrides"][3].endswith("nsm.r=0.8")

    code, _, err = main_in(tmp_path, *sweep, "resume=true")
    assert code == 0, err
    pd.testing.assert_frame_equal(pd.read_parquet(sweep_dir / "results.parquet").drop(columns=TIMINGS), whole)


@pytest.mark.parametrize("folder", ["missing", "empty", "unrelated", "single_run"])
def test_gather_refuses_what_is_not_a_sweep_folder_and_writes_nothing(main_in, tmp_path, capsys, folder):
    from caligo_sweep.app.gather import main as gather_main

    target = tmp_path / folder
    if folder == "empty":
        target.mkdir()
    elif folder == "unrelated":
        target.mkdir()
        (target / "notes.txt").write_text("mine")
        (target / "data").mkdir()
    elif folder == "single_run":
        assert main_in(tmp_path, "num_pairs=1000", "progress=false", f"hydra.run.dir={target}")[0] == 0
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        gather_main([str(target)])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("caligo-sweep-gather: error: DIR must be a sweep")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("contents", ["empty", "unrelated"])
def test_resume_into_a_folder_without_a_sweep_is_refused_and_changes_nothing(main_in, tmp_path, contents):
    target = tmp_path / "sweep"
    target.mkdir()
    if contents == "unrelated":
        (target / "notes.txt").write_text("mine")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code, _, err = main_in(tmp_path, "num_pairs=1000", "progress=false", "nsm.r=0.2,0.4", "-m",
                           f"hydra.sweep.dir={target}", "resume=true")  # fmt: skip
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "hydra.sweep.dir" in err and "nothing to resume" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_resume_refuses_a_different_sweep_and_a_fresh_sweep_refuses_a_used_folder(main_in, tmp_path):
    base = ["num_pairs=1000", "workers.batch_size=1000", "progress=false", "-m", "hydra.sweep.dir=sweep"]
    assert main_in(tmp_path, *base, "nsm.r=0.2,0.4")[0] == 0
    files = sorted(p for p in (tmp_path / "sweep").rglob("*") if p.is_file())
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    code, _, err = main_in(tmp_path, *base, "nsm.r=0.2,0.5", "resume=true")
    assert code == 2 and "resume=true must repeat the sweep" in err and len(err.strip().splitlines()) == 1
    assert sorted(p for p in (tmp_path / "sweep").rglob("*") if p.is_file()) == files  # multirun.yaml included
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before
    code, _, err = main_in(tmp_path, *base, "nsm.r=0.2,0.4")
    assert code == 2 and "hydra.sweep.dir" in err and "resume=true" in err


def test_a_row_that_cannot_be_written_becomes_a_failed_row_and_the_table_is_still_written(
    main_in, tmp_path, monkeypatch
):
    import errno

    from caligo_sweep.app import job

    real_write = job.write_result_json

    def disk_full_for_job_1(row, run_dir, **kwargs):
        if run_dir.name == "1":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(row, run_dir, **kwargs)

    monkeypatch.setattr(job, "write_result_json", disk_full_for_job_1)
    code, _, err = main_in(tmp_path, "num_pairs=1000", "progress=false", "nsm.nu=0.9", "nsm.r=0.2,0.4,0.6", "-m",
                           "hydra.sweep.dir=sweep")  # fmt: skip
    assert code == 1 and "1 job(s) failed (sweep/1)" in err
    table = pd.read_parquet(tmp_path / "sweep" / "results.parquet")
    assert list(table["status"]) == ["insecure", "failed", "insecure"]
    assert "No space left on device" in table["error"][1]


def test_result_json_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    import errno
    import os

    from caligo_sweep.results import io
    from caligo_sweep.results.row import ResultRow

    path = io.write_result_json(ResultRow(run_id="a/0", status="failed", error="first"), tmp_path)
    with pytest.raises(FileExistsError):
        io.write_result_json(ResultRow(run_id="a/0", status="ok"), tmp_path)

    def full_disk(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(io.os, "fsync", full_disk)
    with pytest.raises(OSError):
        io.write_result_json(ResultRow(run_id="a/0", status="ok"), tmp_path, replace=True)
    assert json.loads(path.read_text())["error"] == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temporary file left behind


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_a_job_runs_stops_it_and_writes_the_table(tmp_path, signum):
    process = _popen(tmp_path, *LONG_SWEEP, "hydra.sweep.dir=sweep")
    _wait_for(tmp_path / "sweep" / "0" / ".hydra" / "overrides.yaml", process)  # written as job 0 starts
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=DEADLINE_S)
    assert process.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr
    assert f"stopped by {signal.Signals(signum).name}" in stderr.strip().splitlines()[-1]
    table = pd.read_parquet(tmp_path / "sweep" / "results.parquet")
    assert list(table["status"]) == ["interrupted", "not_run"]


def _hit_by_sigterm(error_type: type[Exception]) -> None:
    """Deliver SIGTERM here and turn its exception into ``error_type``, as library clean-up code can."""
    try:
        signal.raise_signal(signal.SIGTERM)
    except KeyboardInterrupt:
        raise error_type("'NoneType' object has no attribute '_invalidate_flags_cache'") from None


def test_a_signal_that_library_code_turns_into_another_error_still_stops_the_sweep(main_in, tmp_path, monkeypatch):
    """SIGTERM while job 1 is composed, and omegaconf's clean-up turns the interrupt into AttributeError.

    Reproduces a CI failure: the signal landed inside omegaconf's ``flag_override`` as :class:`CachedSweepConfigs`
    set ``hydra.overrides.task`` for job 1, and the sweep ended with that AttributeError's traceback and no table.
    """
    from caligo_sweep.app.sweep_configs import CachedSweepConfigs

    compose_job = CachedSweepConfigs.load_sweep_config

    def compose_job_hit_by_the_signal(self, master_config, sweep_overrides):
        if (tmp_path / "sweep" / "0" / "result.json").exists():  # composing job 1
            monkeypatch.setattr(CachedSweepConfigs, "load_sweep_config", compose_job)
            _hit_by_sigterm(AttributeError)
        return compose_job(self, master_config, sweep_overrides)

    monkeypatch.setattr(CachedSweepConfigs, "load_sweep_config", compose_job_hit_by_the_signal)
    code, _, err = main_in(tmp_path, "num_pairs=2000", "workers.batch_size=1000", "progress=false",
                           "nsm.r=0.2,0.4,0.6", "-m", "hydra.sweep.dir=sweep")  # fmt: skip
    assert code == 128 + signal.SIGTERM, err
    assert "Traceback" not in err and "stopped by SIGTERM" in err.strip().splitlines()[-1]
    table = pd.read_parquet(tmp_path / "sweep" / "results.parquet")
    assert table["status"].iloc[0] in {"ok", "insecure"}
    assert list(table["status"].iloc[1:]) == ["not_run", "not_run"]


def test_a_signal_turned_into_another_error_inside_a_run_marks_it_interrupted_not_failed(main_in, tmp_path,
                                                                                         monkeypatch):  # fmt: skip
    import dataclasses

    from caligo_sweep.app import kinds

    kind = kinds.get_kind("ot_link")

    def run_hit_by_the_signal(spec, context):
        _hit_by_sigterm(ValueError)

    monkeypatch.setitem(kinds._KINDS, "ot_link", dataclasses.replace(kind, run=run_hit_by_the_signal))
    code, _, err = main_in(tmp_path, "num_pairs=2000", "progress=false", "nsm.r=0.2,0.4", "-m",
                           "hydra.sweep.dir=sweep")  # fmt: skip
    assert code == 128 + signal.SIGTERM, err
    assert "Traceback" not in err and "stopped by SIGTERM" in err.strip().splitlines()[-1]
    table = pd.read_parquet(tmp_path / "sweep" / "results.parquet")
    assert list(table["status"]) == ["interrupted", "not_run"]
