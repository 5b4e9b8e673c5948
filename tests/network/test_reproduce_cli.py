"""The reproduction command: strategies its case does not run and runs counted twice are refused before any
simulation; seeds added to an earlier run, or earlier runs pooled alone, give the run of all seeds."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("sequence")

from caligo_sweep.network.reproduce import main  # noqa: E402


def test_unknown_strategy_is_refused_with_the_allowed_names(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--case", "bottleneck", "--strategies", "ACP", "--engine", "model", "--seeds", "1"])
    assert stop.value.code == 2
    message = capsys.readouterr().err.strip().splitlines()[-1]
    assert "--strategies" in message and "['acp', 'odo', 'ucp']" in message and "'ACP'" in message


def test_seeds_added_to_an_earlier_run_pool_to_the_one_run_of_all_seeds(tmp_path, capsys):
    common = ["--case", "bottleneck", "--engine", "model", "--duration-s", "0.6", "--strategies", "acp", "--n-jobs", "1"]
    main(common + ["--seeds", "1", "--out", str(tmp_path / "first")])
    earlier = tmp_path / "first" / "bottleneck_model_requests.csv"
    main(common + ["--seeds", "1", "--first-seed", "1", "--add", str(earlier), "--out", str(tmp_path / "pooled")])
    main(common + ["--seeds", "1", "--first-seed", "1", "--out", str(tmp_path / "second")])
    second = tmp_path / "second" / "bottleneck_model_requests.csv"
    main(common + ["--seeds", "0", "--add", str(earlier), str(second), "--out", str(tmp_path / "pooled_only")])
    main(common + ["--seeds", "2", "--out", str(tmp_path / "whole")])
    pooled, pooled_only, whole = (pd.read_csv(tmp_path / name / "bottleneck_model_summary.csv")
                                  for name in ("pooled", "pooled_only", "whole"))
    assert pooled["seeds"].tolist() == [2]
    pd.testing.assert_frame_equal(pooled, whole)
    pd.testing.assert_frame_equal(pooled_only, whole)
    requests = pd.read_csv(tmp_path / "whole" / "bottleneck_model_requests.csv")
    first_seed = requests[requests["seed"] == 0]
    served = first_seed[first_seed["served"]]
    assert pooled["tts_mean_ms_min"].iloc[0] <= served["tts_ms"].mean() <= pooled["tts_mean_ms_max"].iloc[0]


def test_no_seeds_and_nothing_to_pool_is_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--case", "bottleneck", "--engine", "model", "--seeds", "0"])
    assert stop.value.code == 2 and "--seeds must be >= 1 (or 0 with --add" in capsys.readouterr().err


def test_a_seed_added_twice_is_refused_before_anything_runs(tmp_path):
    earlier = tmp_path / "earlier.csv"
    pd.DataFrame({"strategy": ["ACP"], "seed": [3], "served": [True]}).to_csv(earlier, index=False)
    args = ["--case", "bottleneck", "--engine", "model", "--strategies", "acp", "--seeds", "2", "--first-seed", "2"]
    with pytest.raises(SystemExit, match="ACP seed 3"):
        main(args + ["--add", str(earlier), "--out", str(tmp_path / "never")])
    assert not (tmp_path / "never").exists()
