"""Sifting: keep the rounds in which Alice and Bob measured in the same basis.

Works on the engine's sufficient statistics (counts per basis pair and joint outcome), so a run of any size sifts
in constant time; the bit-materialising path reduces to the same counts first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from caligo_sweep.physics.model import BASIS_X, BASIS_Z, DISAGREEING_OUTCOMES


@dataclass(frozen=True)
class SiftedStatistics:
    """Sizes and error counts of the sifted strings, per basis.

    Parameters
    ----------
    n_sifted_z, n_sifted_x : int
        Rounds in which both parties measured in Z (respectively X).
    n_errors_z, n_errors_x : int
        Of those, the rounds whose bits differ.
    """

    n_sifted_z: int
    n_errors_z: int
    n_sifted_x: int
    n_errors_x: int

    @property
    def n_sifted(self) -> int:
        """All basis-matching rounds."""
        return self.n_sifted_z + self.n_sifted_x

    @property
    def n_errors(self) -> int:
        """All basis-matching rounds whose bits differ."""
        return self.n_errors_z + self.n_errors_x

    @property
    def qber_z(self) -> float:
        """Observed error rate of the Z-sifted string; ``nan`` when it is empty."""
        return _ratio(self.n_errors_z, self.n_sifted_z)

    @property
    def qber_x(self) -> float:
        """Observed error rate of the X-sifted string; ``nan`` when it is empty."""
        return _ratio(self.n_errors_x, self.n_sifted_x)

    @property
    def qber(self) -> float:
        """Observed error rate of the whole sifted string; ``nan`` when it is empty."""
        return _ratio(self.n_errors, self.n_sifted)


def sift_counts(outcome_counts: np.ndarray) -> SiftedStatistics:
    """Sift joint-outcome counts.

    Parameters
    ----------
    outcome_counts : numpy.ndarray
        Integer array of shape ``(2, 2, 4)``: ``[basis_alice, basis_bob, 2 * bit_alice + bit_bob]``.

    Returns
    -------
    SiftedStatistics
        Sifted sizes and error counts per basis.
    """
    counts = np.asarray(outcome_counts)
    if counts.shape != (2, 2, 4):
        raise ValueError(f"outcome_counts must have shape (2, 2, 4); got {counts.shape}")
    z_row = counts[BASIS_Z, BASIS_Z]
    x_row = counts[BASIS_X, BASIS_X]
    return SiftedStatistics(
        n_sifted_z=int(z_row.sum()),
        n_errors_z=int(z_row[list(DISAGREEING_OUTCOMES)].sum()),
        n_sifted_x=int(x_row.sum()),
        n_errors_x=int(x_row[list(DISAGREEING_OUTCOMES)].sum()),
    )


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else float("nan")
