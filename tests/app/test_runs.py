"""End to end through the command line: one run, a 9-job sweep, failures as rows, reproducibility."""

import json

import pandas as pd
import pytest

SMALL = ["num_pairs=20000", "workers.batch_size=5000", "progress=false"]


def _single_result(cwd):
    paths = list((cwd / "outputs" / "runs").glob("*/*/result.json"))
    assert len(paths) == 1, paths
    return json.loads(paths[0].read_text())


def test_default_run_writes_a_complete_row(cli):
    result = cli(*SMALL)
    assert result.returncode == 0, result.stderr
    row = _single_result(cli.cwd)
    assert row["status"] in {"ok", "insecure"}
    assert row["link"] == "depolarise" and row["engine"] == "numpy"
    assert row["n_pairs"] == 20000 and row["num_pairs"] == 20000
    assert 0 < row["n_sifted"] < 20000
    assert row["calibration_qber"] <= row["qber_upper"] < 1 and row["qber_consistent"] is True
    assert row["q_storage"] == pytest.approx((1 - row["nsm_r"]) / 2)
    assert row["secure_individual_asymptotic"] == (row["qber_upper"] < min(0.110028, row["q_storage"]))
    assert row["n_rounds"] == row["n_attempts"] == 20000 and row["loss_test_passed"] is True
    assert row["link_fidelity"] == 0.99 and row["timing_compliant"] is True


def test_same_seed_same_row_different_seed_different_row(tmp_path, cli_in):
    rows = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        cwd = tmp_path / name
        cwd.mkdir()
        assert cli_in(cwd, *SMALL, f"seed={seed}").returncode == 0
        rows.append(_single_result(cwd))
    measured = ["n_sifted", "n_errors", "n_attempts", "qber", "qber_upper", "ot_length_bits", "sim_time_ns"]
    assert [rows[0][k] for k in measured] == [rows[1][k] for k in measured]
    assert [rows[0][k] for k in ("n_sifted", "n_errors")] != [rows[2][k] for k in ("n_sifted", "n_errors")]


def test_nine_job_sweep_gathers_table_and_figure(cli):
    result = cli("link=depolarise", "link.fidelity=0.9,0.95,0.99", "nsm.r=0.5,0.7,0.9", *SMALL, "-m")
    assert result.returncode == 0, result.stderr
    (sweep_dir,) = list((cli.cwd / "outputs" / "multiruns").glob("*/*"))
    table = pd.read_parquet(sweep_dir / "results.parquet")
    assert len(table) == 9
    assert sorted(zip(table["link_fidelity"], table["nsm_r"])) == sorted(
        (f, r) for f in (0.9, 0.95, 0.99) for r in (0.5, 0.7, 0.9)
    )
    assert set(table["status"]) <= {"ok", "insecure"}
    assert (pd.read_csv(sweep_dir / "results.csv")["run_id"] == table["run_id"]).all()
    assert (sweep_dir / "figures" / "heatmaps.png").stat().st_size > 10_000 and (sweep_dir / "figures" / "heatmaps.svg").exists()
    # QBER rises as the fidelity falls: Werner pairs have QBER 2(1 - F)/3.
    by_fidelity = table.groupby("link_fidelity")["qber_expected"].first()
    assert by_fidelity.to_dict() == pytest.approx({f: 2 * (1 - f) / 3 for f in (0.9, 0.95, 0.99)})


def test_a_failing_job_leaves_a_failed_row_and_the_table_is_written(cli):
    # Each value is valid against the defaults, but T2 = 1.5e9 > T1 = 1e9 only fails in combination.
    result = cli("device=generic", "device.T1=2e9,1e9", "device.T2=5e8,1.5e9", *SMALL, "-m")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("caligo-sweep: 1 job(s) failed")
    (sweep_dir,) = list((cli.cwd / "outputs" / "multiruns").glob("*/*"))
    table = pd.read_parquet(sweep_dir / "results.parquet")
    assert len(table) == 4
    failed = table[table["status"] == "failed"]
    assert len(failed) == 1
    assert failed["device_T1_ns"].item() == 1e9 and failed["device_T2_ns"].item() == 1.5e9
    assert "device.T2" in failed["error"].item()
    assert table.loc[table["status"] != "failed", "n_pairs"].eq(20000).all()


def test_strict_protocol_aborts_insecure_point_with_row_written(cli):
    result = cli("protocol.strict=true", "link.fidelity=0.8", "nsm.r=0.9", *SMALL)
    assert result.returncode == 3
    assert "aborted" in result.stderr
    row = _single_result(cli.cwd)
    assert row["status"] == "aborted" and row["secure"] is False and row["ot_length_bits"] == 0
    assert "(1-r)/2" in row["reason"] and row["error"] is None
