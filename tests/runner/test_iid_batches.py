"""The pairs of a parallel run are i.i.d. across batch boundaries (seed 000, section 7.5.5, made rigorous).

Every check is a seeded hypothesis test at significance ``ALPHA``: for a correct engine and a seed drawn at random,
each fails with probability ``ALPHA`` (5-sigma checks: about 6e-7), so this file's false-alarm rate is at most
``6 * ALPHA`` = 0.6 %; with the fixed seeds below the outcome is reproducible. That n_jobs = 1 and parallel runs are
identical is tested in test_parallel_determinism.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from caligo_sweep.engine import PairBits
from caligo_sweep.runner import run_pairs

ALPHA = 1e-3
BATCH = 1_000


def _parallel_bits(model, num_pairs: int, batch_size: int, seed: int) -> list[PairBits]:
    out = run_pairs(
        model, num_pairs=num_pairs, seed=seed, batch_size=batch_size, n_jobs=2, sampling="bits", keep_bits=True,
        progress=False,
    )  # fmt: skip
    return out.bits


def _independence_pvalue(first: np.ndarray, second: np.ndarray) -> float:
    """Chi-square test of independence of two binary sequences (2 x 2 contingency table)."""
    table = np.zeros((2, 2), dtype=np.int64)
    np.add.at(table, (first, second), 1)
    return chi2_contingency(table, correction=False).pvalue


@pytest.mark.statistical
def test_consecutive_bases_are_independent_across_batch_boundaries(model):
    batches = _parallel_bits(model, num_pairs=1_000_000, batch_size=BATCH, seed=101)
    pairs = PairBits.concatenate(batches).unpack()
    for name in ("alice_bases", "bob_bases"):
        bases = pairs[name]
        last_of_batch = bases[BATCH - 1 : -1 : BATCH]
        first_of_next = bases[BATCH::BATCH]
        assert _independence_pvalue(last_of_batch, first_of_next) > ALPHA, name  # the 999 boundaries
        assert _independence_pvalue(bases[:-1], bases[1:]) > ALPHA, name  # every consecutive pair


@pytest.mark.statistical
def test_batches_are_not_copies_of_each_other(model):
    # A seeding bug that hands several batches the same stream passes marginal tests; count agreements instead.
    batches = _parallel_bits(model, num_pairs=400_000, batch_size=BATCH, seed=102)
    unpacked = [b.unpack()["alice_bits"] for b in batches]
    agreements = sum(int(np.sum(a == b)) for a, b in zip(unpacked[:-1], unpacked[1:]))
    n = BATCH * (len(unpacked) - 1)
    assert abs(agreements - n / 2) <= 5 * np.sqrt(n / 4)


@pytest.mark.statistical
def test_error_counts_are_homogeneous_across_batches(model):
    batches = _parallel_bits(model, num_pairs=4_000_000, batch_size=100_000, seed=103)
    counts = [b.counts() for b in batches]
    matched = np.array([c.basis_pair_counts[0, 0] + c.basis_pair_counts[1, 1] for c in counts])
    errors = np.array([c.error_counts[0, 0] + c.error_counts[1, 1] for c in counts])
    table = np.column_stack([errors, matched - errors])  # 40 batches x (error, no error)
    assert chi2_contingency(table).pvalue > ALPHA
    basis_table = np.array([c.basis_pair_counts.ravel() for c in counts])  # 40 batches x 4 basis pairs
    assert chi2_contingency(basis_table).pvalue > ALPHA
