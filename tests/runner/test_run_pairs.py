"""run_pairs: validation, merging, bits keeping and streaming, progress and log line."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from caligo_sweep.engine import PairBits, PairCounts, sample_bits, sample_counts
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.runner import BatchPlan, batch_seed_sequences, run_pairs
from caligo_sweep.runner import run as run_module

_SMALL = dict(num_pairs=10_000, seed=7, batch_size=3_000, progress=False)


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ({"n_jobs": 0}, "workers.n_jobs"),
        ({"n_jobs": -2}, "workers.n_jobs"),
        ({"n_jobs": 1.5}, "workers.n_jobs"),
        ({"batch_size": 0}, "workers.batch_size"),
        ({"backend": "multiprocessing"}, "workers.backend"),
        ({"sampling": "exact"}, "engine.sampling"),
        ({"sampling": "counts", "keep_bits": True}, "engine.sampling"),
        ({"num_pairs": 0}, "num_pairs"),
        ({"seed": -3}, "seed"),
        ({"outer_jobs": 0}, "outer_jobs"),
    ],
)
def test_invalid_settings_name_their_key(model, override, key):
    with pytest.raises(ConfigValueError) as info:
        run_pairs(model, **{**_SMALL, **override})
    assert info.value.key == key


def test_counts_are_the_merge_of_the_seeded_batches(model):
    out = run_pairs(model, **_SMALL)
    plan = BatchPlan(_SMALL["num_pairs"], _SMALL["batch_size"])
    seeds = batch_seed_sequences(_SMALL["seed"], plan.n_batches)
    expected = PairCounts.merge(sample_counts(model, n, np.random.default_rng(s)) for n, s in zip(plan.sizes, seeds))
    assert out.counts == expected
    assert out.n_batches == 4 and out.counts.n_pairs == 10_000
    assert out.sim_time_ns == out.counts.attempts * model.cycle_time_ns
    assert out.bits is None and out.n_jobs_effective == 1


def test_bits_are_kept_and_streamed_in_batch_order(model):
    streamed: list[PairBits] = []
    out = run_pairs(model, **_SMALL, sampling="bits", keep_bits=True, bits_sink=streamed.append)
    plan = BatchPlan(_SMALL["num_pairs"], _SMALL["batch_size"])
    seeds = batch_seed_sequences(_SMALL["seed"], plan.n_batches)
    expected = [sample_bits(model, n, np.random.default_rng(s)) for n, s in zip(plan.sizes, seeds)]
    assert len(out.bits) == len(streamed) == plan.n_batches
    for kept, sent, ref in zip(out.bits, streamed, expected):
        assert kept is sent
        assert np.array_equal(kept.alice_bits, ref.alice_bits) and np.array_equal(kept.bob_bases, ref.bob_bases)
    assert out.counts == PairCounts.merge(b.counts() for b in expected)


def test_bits_path_without_keeping_returns_counts_only(model):
    reduced = run_pairs(model, **_SMALL, sampling="bits")
    kept = run_pairs(model, **_SMALL, sampling="bits", keep_bits=True)
    assert reduced.bits is None and reduced.counts == kept.counts


def test_log_line_reports_throughput(model, caplog):
    with caplog.at_level(logging.INFO, logger="caligo_sweep.runner"):
        run_pairs(model, **_SMALL)
    (record,) = [r for r in caplog.records if r.name == "caligo_sweep.runner"]
    assert "pairs/s" in record.getMessage() and "10000 pairs" in record.getMessage()


@pytest.mark.parametrize("progress", [True, False])
def test_progress_bar_on_stderr_only_when_enabled(model, capsys, monkeypatch, progress):
    monkeypatch.setattr(run_module, "PROGRESS_DELAY_S", 0.0)  # show at once instead of after a second
    run_pairs(model, **{**_SMALL, "progress": progress})
    captured = capsys.readouterr()
    assert captured.out == ""
    assert ("4/4" in captured.err) is progress
