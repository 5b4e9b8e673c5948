"""The counts path and the bits path sample the same distribution (statistical, seeded)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from caligo_sweep.engine import PairCounts, sample_bits, sample_counts

#: Significance of the homogeneity tests: a correct engine fails one with probability 1e-4 per seed.
ALPHA = 1e-4


def _both_paths(model, n_batches: int, batch_size: int) -> tuple[PairCounts, PairCounts]:
    seeds = np.random.SeedSequence(20260).spawn(2 * n_batches)
    direct = PairCounts.merge(
        sample_counts(model, batch_size, np.random.default_rng(s)) for s in seeds[:n_batches]
    )
    reduced = PairCounts.merge(
        sample_bits(model, batch_size, np.random.default_rng(s)).counts() for s in seeds[n_batches:]
    )
    return direct, reduced


@pytest.mark.statistical
@pytest.mark.parametrize("model_name", ["werner_model", "damped_model"])
def test_paths_are_indistinguishable(model_name, request):
    model = request.getfixturevalue(model_name)
    direct, reduced = _both_paths(model, n_batches=8, batch_size=250_000)
    n = direct.n_pairs
    assert reduced.n_pairs == n
    # Chi-square homogeneity of the 16 (basis pair, outcome pair) cells between the two paths.
    table = np.vstack([direct.outcome_counts.ravel(), reduced.outcome_counts.ravel()])
    table = table[:, table.sum(axis=0) > 0]  # cells impossible under the model carry no information
    assert chi2_contingency(table).pvalue > ALPHA
    # And each path per cell against the model, 5 sigma.
    for counts in (direct, reduced):
        expected = counts.basis_pair_counts[..., None] * model.outcome_probabilities
        sigma = np.sqrt(expected * (1 - model.outcome_probabilities))
        assert np.all(np.abs(counts.outcome_counts - expected) <= 5 * sigma + 1e-9)
    # Attempts: each total is n + NegBin(n, p); their difference has variance 2 n (1 - p) / p^2.
    p = model.p_success
    assert abs(direct.attempts - reduced.attempts) <= 5 * np.sqrt(2 * n * (1 - p) / p**2)
