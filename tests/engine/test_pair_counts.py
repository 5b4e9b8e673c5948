"""PairCounts arithmetic and the O(1) counts sampler."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.engine import PairCounts, sample_attempts, sample_counts

_NO_PAIRS = PairCounts(np.zeros((2, 2, 4), dtype=np.int64), 0)


def _random_counts(rng: np.random.Generator) -> PairCounts:
    return PairCounts(rng.integers(0, 1000, size=(2, 2, 4)), int(rng.integers(0, 10**6)))


def test_merge_is_exact_and_order_independent():
    rng = np.random.default_rng(1)
    parts = [_random_counts(rng) for _ in range(20)]
    merged = PairCounts.merge(parts)
    assert merged == PairCounts.merge(reversed(parts))
    assert np.array_equal(merged.outcome_counts, np.sum([p.outcome_counts for p in parts], axis=0))
    assert merged.n_pairs == sum(p.n_pairs for p in parts)
    assert merged.attempts == sum(p.attempts for p in parts)
    assert PairCounts.merge([]) == _NO_PAIRS


def test_views_of_counts():
    counts = PairCounts(np.arange(16).reshape(2, 2, 4), 100)
    assert counts.n_pairs == 120
    assert counts.basis_pair_counts.tolist() == [[6, 22], [38, 54]]
    assert counts.error_counts.tolist() == [[1 + 2, 5 + 6], [9 + 10, 13 + 14]]
    with pytest.raises(ValueError):
        counts.outcome_counts[0, 0, 0] = 5  # frozen


@pytest.mark.parametrize("bad", [np.zeros((2, 4)), -np.ones((2, 2, 4))])
def test_rejects_malformed_counts(bad):
    with pytest.raises(ValueError):
        PairCounts(bad, 0)


def test_sample_counts_totals(werner_model, perfect_model):
    rng = np.random.default_rng(3)
    counts = sample_counts(werner_model, 12345, rng)
    assert counts.n_pairs == 12345 and counts.attempts >= 12345
    perfect = sample_counts(perfect_model, 1000, rng)
    assert perfect.attempts == 1000  # p_success = 1: one attempt per pair
    assert perfect.error_counts[0, 0] == perfect.error_counts[1, 1] == 0
    assert sample_counts(werner_model, 0, rng) == _NO_PAIRS
    with pytest.raises(ValueError, match="n_pairs"):
        sample_counts(werner_model, -1, rng)


@pytest.mark.statistical
def test_sample_counts_follow_the_table(damped_model):
    # Per-cell 5-sigma test: false alarm about 6e-7 per cell, 16 cells.
    n = 4_000_000
    counts = sample_counts(damped_model, n, np.random.default_rng(17))
    basis = counts.basis_pair_counts
    assert np.all(np.abs(basis - n / 4) <= 5 * np.sqrt(n * 0.25 * 0.75))
    table = damped_model.outcome_probabilities
    expected = basis[..., None] * table
    sigma = np.sqrt(basis[..., None] * table * (1 - table))
    assert np.all(np.abs(counts.outcome_counts - expected) <= 5 * sigma + 1e-9)


@pytest.mark.statistical
def test_attempts_are_a_sum_of_geometrics():
    # Sum of n Geometric(p) on {1,2,...}: mean n/p, variance n(1-p)/p^2; 200 batches, 5-sigma on their mean.
    n, p, batches = 1000, 0.01, 200
    rng = np.random.default_rng(8)
    totals = np.array([sample_attempts(p, n, rng) for _ in range(batches)])
    assert abs(totals.mean() - n / p) <= 5 * np.sqrt(n * (1 - p) / p**2 / batches)
    assert sample_attempts(1.0, n, rng) == n
