"""Experiment presets and launcher integration, end to end through the command line."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import cli_environment


def _row(cwd):
    (path,) = list((cwd / "outputs" / "runs").glob("*/*/result.json"))
    return json.loads(path.read_text())


def test_erven2014_preset_reproduces_the_finite_size_chain(cli):
    result = cli("experiment=erven2014")
    assert result.returncode == 0, result.stderr
    row = _row(cli.cwd)
    # Erven et al. 2014 report m = 1.128e6, m1 = 1.049e6 and ell = 1366; the reconstructed chain gives 1802
    # (nsm_physics.md section 2.6, test vector TV7 accepts 1000..2600).
    assert row["source"] == "pdc" and row["engine"] == "analytic" and row["num_pairs"] == 80_000_000
    assert row["m"] == pytest.approx(1.128e6, rel=1e-3)
    assert row["m1"] == pytest.approx(1.049e6, rel=2e-3)
    assert row["c_bb84"] == pytest.approx(0.497370, abs=1e-5)
    assert row["rate_R"] == pytest.approx(1.63054, abs=1e-4)
    assert row["gamma"] == pytest.approx(0.823183, abs=1e-5)
    assert row["ot_length_bits"] == 1802
    assert row["status"] == "ok" and row["secure"] is True and row["storage_qubits"] == pytest.approx(1.6e5)


@pytest.mark.slow
def test_security_boundary_preset_shows_the_gap(cli):
    result = cli("experiment=security_boundary", "size=smoke")
    assert result.returncode == 0, result.stderr
    (sweep_dir,) = list((cli.cwd / "outputs" / "multiruns").glob("*/*"))
    table = pd.read_parquet(sweep_dir / "results.parquet")
    assert len(table) == 12 and set(table["status"]) <= {"ok", "insecure", "aborted"}
    # aborted only where a frame of I_C really failed (per-frame FER up to 1e-2 at the table's design point)
    assert (table.loc[table["status"] == "aborted", "ec_frame_errors"] > 0).all()
    individual = table["secure_individual_asymptotic"]
    gap = individual & (table["ot_length_bits"] == 0)
    assert gap.any() and (individual & (table["ot_length_bits"] > 0)).any()
    script = Path(__file__).parents[2] / "experiments" / "security_boundary_report.py"
    report = subprocess.run([sys.executable, str(script)], cwd=cli.cwd, env=cli_environment(), capture_output=True,
                            text=True, check=True)  # fmt: skip
    assert "12 runs" in report.stdout and "OT length" in report.stdout


def test_joblib_launcher_caps_the_inner_workers(cli):
    pytest.importorskip("hydra_plugins.hydra_joblib_launcher")
    result = cli(
        "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", "workers.n_jobs=-1", "workers.batch_size=5000",
        "num_pairs=20000", "nsm.r=0.5,0.9", "-m",
    )
    assert result.returncode == 0, result.stderr
    (sweep_dir,) = list((cli.cwd / "outputs" / "multiruns").glob("*/*"))
    table = pd.read_parquet(sweep_dir / "results.parquet")
    from caligo_sweep.runner.workers import available_cores

    assert len(table) == 2
    assert (table["n_jobs_effective"] * 2 <= max(2, available_cores())).all()
