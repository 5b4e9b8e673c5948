"""Hydra's sweep syntax and plugins work end to end: glob(), range(), the Optuna sweeper with an objective, and the
submitit launcher; each sweep ends in one table."""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest
import yaml

TINY = ["num_pairs=2000", "workers.batch_size=1000", "progress=false"]


def _needs(module: str):
    return pytest.mark.skipif(importlib.util.find_spec(module) is None, reason=f"{module} not installed")


def test_glob_and_range_sweeps_expand_to_one_job_per_value(main_in, tmp_path):
    code, _, err = main_in(tmp_path, *TINY, "link=glob(*,exclude=auto)", "nsm.r=range(0.25,0.8,0.25)", "-m",
                           "hydra.sweep.dir=sweep")  # fmt: skip
    assert code == 0, err
    table = pd.read_parquet(tmp_path / "sweep" / "results.parquet")
    assert sorted(zip(table["link"], table["nsm_r"])) == sorted(
        (link, r) for link in ("depolarise", "heralded", "perfect") for r in (0.25, 0.5, 0.75)
    )


def test_a_job_returns_the_objective_column(main_in, tmp_path, monkeypatch):
    from caligo_sweep.app import job

    returned = []
    real_run_job = job.run_job
    monkeypatch.setattr(job, "run_job", lambda cfg: returned.append(real_run_job(cfg)) or returned[-1])
    code, _, err = main_in(tmp_path, *TINY, "objective=ot_length_bits", "nsm.r=0.1,0.9", "-m", "hydra.sweep.dir=s")
    assert code == 0, err
    table = pd.read_parquet(tmp_path / "s" / "results.parquet")
    assert returned == [float(v) for v in table["ot_length_bits"]]


@_needs("hydra_plugins.hydra_optuna_sweeper")
def test_optuna_searches_an_interval_for_the_largest_ot_length(main_in, tmp_path):
    code, _, err = main_in(
        tmp_path, "link=heralded", "link.length=interval(0,40)", "num_pairs=200000", "workers.batch_size=100000",
        "progress=false", "hydra/sweeper=optuna", "hydra.sweeper.n_trials=3", "hydra.sweeper.direction=maximize",
        "hydra.sweeper.sampler.seed=7", "objective=ot_length_bits", "-m", "hydra.sweep.dir=opt",
    )
    assert code == 0, err
    table = pd.read_parquet(tmp_path / "opt" / "results.parquet")
    assert len(table) == 3 and table["link_length_km"].between(0, 40).all()
    best = yaml.safe_load((tmp_path / "opt" / "optimization_results.yaml").read_text())
    assert best["best_value"] == table["ot_length_bits"].max()


@_needs("hydra_plugins.hydra_submitit_launcher")
def test_submitit_local_launcher_runs_the_jobs_and_the_table_is_gathered(cli):
    result = cli(*TINY, "hydra/launcher=submitit_local", "hydra.launcher.timeout_min=5", "nsm.r=0.3,0.7", "-m",
                 "hydra.sweep.dir=sub")  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = pd.read_parquet(cli.cwd / "sub" / "results.parquet")
    assert list(table["nsm_r"]) == [0.3, 0.7] and set(table["status"]) <= {"ok", "insecure"}
