"""Sufficient statistics of a batch of EPR pairs, and their direct (counts-only) sampler.

For i.i.d. pairs whose bases are uniform and independent for both parties, the joint counts per basis pair and
outcome pair together with the total number of attempts are sufficient for every statistic the analysis needs
(sifted length, errors per basis, simulated time). They can be drawn in O(1) work per batch, whatever its size:

* basis-pair counts ``n_ab ~ Multinomial(n, (1/4, 1/4, 1/4, 1/4))``;
* outcome counts given the basis pair ``~ Multinomial(n_ab, outcome_probabilities[a, b])``;
* attempts ``= n + NegativeBinomial(n, p_success)``: the sum of ``n`` geometric attempt counts on {1, 2, ...}.

These are the exact distributions of the model's counts; the draws rely on numpy's multinomial (sequential
binomial) and negative-binomial (gamma-Poisson mixture) samplers, which are exact up to float64 arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from caligo_sweep.physics.checks import require_integer
from caligo_sweep.physics.model import PhysicalModel

#: Shape of the outcome-count table: ``[basis_alice, basis_bob, 2 * bit_alice + bit_bob]``.
COUNTS_SHAPE = (2, 2, 4)


@dataclass(frozen=True)
class PairCounts:
    """Joint outcome counts and attempts of a set of delivered EPR pairs.

    Parameters
    ----------
    outcome_counts : numpy.ndarray
        int64, shape ``(2, 2, 4)``, indexed like ``PhysicalModel.outcome_probabilities``
        (``[basis_alice, basis_bob, 2 * bit_alice + bit_bob]``, basis 0 = Z, 1 = X).
    attempts : int
        Total entanglement attempts spent on these pairs (each pair needs at least one).
    """

    outcome_counts: np.ndarray = field(repr=False)
    attempts: int

    def __post_init__(self) -> None:
        counts = np.array(self.outcome_counts, dtype=np.int64)
        if counts.shape != COUNTS_SHAPE:
            raise ValueError(f"outcome_counts must have shape {COUNTS_SHAPE}; got {counts.shape}")
        if np.any(counts < 0):
            raise ValueError("outcome_counts must be non-negative")
        counts.setflags(write=False)
        object.__setattr__(self, "outcome_counts", counts)
        object.__setattr__(self, "attempts", int(self.attempts))

    @property
    def n_pairs(self) -> int:
        """Number of delivered pairs."""
        return int(self.outcome_counts.sum())

    @property
    def basis_pair_counts(self) -> np.ndarray:
        """Pairs per basis pair, shape ``(2, 2)`` indexed ``[basis_alice, basis_bob]``."""
        return self.outcome_counts.sum(axis=-1)

    @property
    def error_counts(self) -> np.ndarray:
        """Pairs whose two bits differ, per basis pair, shape ``(2, 2)``."""
        return self.outcome_counts[..., 1] + self.outcome_counts[..., 2]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PairCounts):
            return NotImplemented
        return self.attempts == other.attempts and np.array_equal(self.outcome_counts, other.outcome_counts)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking array field: not hashable

    @classmethod
    def merge(cls, parts: Iterable[PairCounts]) -> PairCounts:
        """Sum any number of counts exactly (integer addition: the result does not depend on the order)."""
        total = np.zeros(COUNTS_SHAPE, dtype=np.int64)
        attempts = 0
        for part in parts:
            total += part.outcome_counts
            attempts += part.attempts
        return cls(total, attempts)


def check_n_pairs(n_pairs: int) -> int:
    """Return ``n_pairs`` as int, or raise ConfigValueError (a ValueError) unless it is an integer >= 0."""
    return require_integer("n_pairs", n_pairs, 0)


def sample_attempts(p_success: float, n_pairs: int, rng: np.random.Generator) -> int:
    """Total attempts needed to deliver ``n_pairs`` pairs at per-attempt success probability ``p_success``.

    Each pair needs ``K ~ Geometric(p_success)`` attempts on {1, 2, ...}; the sum of ``n`` of them is
    ``n + NegativeBinomial(n, p_success)`` (failures before the n-th success). No draw is made when
    ``p_success == 1`` or ``n_pairs == 0``.
    """
    if n_pairs == 0 or p_success >= 1.0:
        return n_pairs
    return n_pairs + int(rng.negative_binomial(n_pairs, p_success))


def sample_counts(model: PhysicalModel, n_pairs: int, rng: np.random.Generator) -> PairCounts:
    """Draw the sufficient statistics of ``n_pairs`` i.i.d. pairs of ``model`` in O(1) work.

    Parameters
    ----------
    model : PhysicalModel
        The frozen per-run model (outcome table, success probability).
    n_pairs : int
        Number of delivered pairs, >= 0.
    rng : numpy.random.Generator
        The batch's generator.

    Returns
    -------
    PairCounts
        Outcome counts per basis pair and attempts; distributed exactly as the counts of :func:`sample_bits`.
    """
    n_pairs = check_n_pairs(n_pairs)
    basis_pairs = rng.multinomial(n_pairs, np.full(4, 0.25)).reshape(2, 2)  # [a, b] in C order: index 2a + b
    outcomes = rng.multinomial(basis_pairs, model.outcome_probabilities)
    return PairCounts(outcomes.astype(np.int64), sample_attempts(model.p_success, n_pairs, rng))
