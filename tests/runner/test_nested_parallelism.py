"""Inner batches never oversubscribe the cores when the run itself executes inside parallel workers."""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys
import textwrap

import pytest
from joblib import Parallel, delayed

from caligo_sweep.runner import effective_n_jobs, run_pairs
from caligo_sweep.runner import workers as workers_module
from caligo_sweep.runner.workers import available_cores


@pytest.mark.parametrize(
    ("cores", "n_jobs", "outer_jobs", "expected"),
    [(8, 8, 1, 8), (8, 8, 2, 4), (8, 8, 3, 2), (8, -1, 4, 2), (8, 2, 2, 2), (2, 2, 2, 1), (2, 4, 8, 1)],
)
def test_explicit_outer_jobs_cap(monkeypatch, cores, n_jobs, outer_jobs, expected):
    monkeypatch.setattr(workers_module, "available_cores", lambda: cores)
    assert effective_n_jobs(n_jobs, n_batches=100, outer_jobs=outer_jobs) == expected


def test_outer_jobs_cap_never_oversubscribes_and_wastes_no_core(monkeypatch):
    grid = itertools.product((1, 2, 3, 8, 12), (1, 2, 5, 16, -1), (1, 2, 3, 7, 16), (1, 4, 100))
    for cores, n_jobs, outer_jobs, n_batches in grid:
        monkeypatch.setattr(workers_module, "available_cores", lambda cores=cores: cores)
        inner = effective_n_jobs(n_jobs, n_batches=n_batches, outer_jobs=outer_jobs)
        upper = min(cores if n_jobs == -1 else n_jobs, n_batches)  # never more than asked for or than batches
        case = (cores, n_jobs, outer_jobs, n_batches)
        assert 1 <= inner <= upper, case
        assert outer_jobs * inner <= cores or inner == 1, case
        assert inner == upper or outer_jobs * (inner + 1) > cores, case  # one more job would oversubscribe


def test_capped_by_cores_with_a_warning_and_never_more_jobs_than_batches(monkeypatch, caplog):
    monkeypatch.setattr(workers_module, "available_cores", lambda: 2)
    assert effective_n_jobs(-1, n_batches=1000) == 2
    assert effective_n_jobs(1000, n_batches=1000) == 2
    assert "workers.n_jobs=1000 exceeds the 2 available cores; using 2" in caplog.text
    assert effective_n_jobs(4, n_batches=1) == 1


def _inner_jobs(model) -> int:
    out = run_pairs(model, num_pairs=100_000, seed=1, batch_size=10_000, n_jobs=2, progress=False)
    return out.n_jobs_effective


@pytest.mark.parametrize("outer_backend", ["loky", "threading"])
def test_detects_an_outer_joblib_pool(model, outer_backend):
    inner = Parallel(n_jobs=2, backend=outer_backend)(delayed(_inner_jobs)(model) for _ in range(2))
    assert inner == [1, 1]
    assert _inner_jobs(model) == 2  # same call outside any pool


_HYDRA_APP = textwrap.dedent(
    """
    import json, os
    import hydra
    import numpy as np
    from caligo_sweep.physics.model import PhysicalModel
    from caligo_sweep.runner import run_pairs

    @hydra.main(version_base=None, config_path=None)
    def main(cfg):
        model = PhysicalModel("depolarise", 0.5, 10.0, 0.0, np.full((2, 2, 4), 0.25), 0.25)
        out = run_pairs(model, num_pairs=50_000, seed=int(cfg.seed), batch_size=5_000, n_jobs=2, progress=False)
        with open(os.path.join(cfg.result_dir, f"{cfg.seed}.json"), "w") as f:
            json.dump(out.n_jobs_effective, f)

    if __name__ == "__main__":
        main()
    """
)


@pytest.mark.skipif(
    importlib.util.find_spec("hydra_plugins.hydra_joblib_launcher") is None, reason="hydra-joblib-launcher missing"
)
def test_under_hydra_joblib_launcher(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(_HYDRA_APP)
    command = [
        sys.executable, str(app), "-m", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", "+seed=1,2",
        f"+result_dir={tmp_path}", f"hydra.sweep.dir={tmp_path / 'multirun'}",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert [json.loads((tmp_path / f"{seed}.json").read_text()) for seed in (1, 2)] == [1, 1]
