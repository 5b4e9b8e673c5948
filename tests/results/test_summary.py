"""The console's answer: one line per run, a short summary per sweep."""

from pathlib import Path

import pandas as pd

from caligo_sweep.results.summary import format_count, format_run_line, format_sweep_summary


def test_a_secure_run_says_how_many_bits_from_how_many_pairs_and_the_qber_margin():
    row = {"status": "ok", "num_pairs": 10**6, "ot_length_bits": 85389, "qber": 0.006661, "qber_upper": 0.0072198,
           "q_storage": 0.125}
    assert format_run_line(row) == (
        "secure: 85,389 OT bits from 10^6 pairs (QBER 0.67 %, calibrated upper bound 0.72 %; "
        "limit min(11.00 %, (1-r)/2 = 12.50 %))"
    )  # h^-1(1/2) = 0.110028 (Schaffner et al. 2009, Cor. 7) is the binding limit at r = 0.75


def test_insecure_aborted_and_failed_runs_say_why():
    row = {"status": "insecure", "num_pairs": 20000, "ot_length_bits": 0, "qber": 0.01, "qber_upper": 0.02,
           "q_storage": 0.005, "reason": "insecure: Q_channel upper bound not strictly below (1-r)/2 = 0.005"}
    line = format_run_line(row)
    assert line.startswith("insecure: no OT from 20,000 pairs") and line.endswith("(1-r)/2 = 0.005")
    assert format_run_line({**row, "status": "aborted"}).startswith("aborted (protocol.strict), insecure: ")
    assert format_run_line({"status": "failed", "error": "ValueError: x"}) == "failed: ValueError: x"


def test_pair_counts_read_as_people_write_them():
    assert [format_count(n) for n in (20000, 10**6, 8e7, 123456)] == ["20,000", "10^6", "8x10^7", "1.23x10^5"]


def test_sweep_summary_counts_statuses_names_the_best_point_and_the_files():
    table = pd.DataFrame({
        "run_id": ["0", "1", "2"], "status": ["ok", "insecure", "failed"], "nsm_r": [0.3, 0.9, 0.5],
        "num_pairs": [10**6] * 3, "ot_length_bits": pd.array([500, 0, None], dtype="Int64"),
        "qber": [0.01, 0.01, None], "qber_upper": [0.011, 0.011, None], "q_storage": [0.35, 0.05, None],
        "reason": [None, "insecure: finite-size OT length is not positive", None], "error": [None, None, "boom"],
    })
    sweep = Path("outputs/multiruns/d/t")
    text = format_sweep_summary(table, sweep, [sweep / "figures/heatmaps.png", sweep / "figures/heatmaps.svg"])
    assert "Sweep of 3 runs" in text and "  ok            1" in text and "  failed        1" in text
    assert "Best point: secure: 500 OT bits" in text and "at nsm_r=0.3" in text
    assert "Failed jobs: 2" in text and "results.parquet" in text and "heatmaps.{png,svg}" in text
