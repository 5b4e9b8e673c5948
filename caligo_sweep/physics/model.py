"""The frozen physical model of one run: what the engine samples and what the analysis expects.

Everything stochastic that the engine draws per EPR pair is fixed here once per run: the per-attempt success
probability, the attempt (cycle) time, and the exact joint distribution of the two measurement outcomes for each of
the four basis pairs. Analytic expectations are read off the same table, so expectation and sample can never come
from different models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Basis index of the computational (Z) basis.
BASIS_Z = 0
#: Basis index of the Hadamard (X) basis.
BASIS_X = 1
#: Joint-outcome indices ``2 * bit_alice + bit_bob`` at which Alice's and Bob's bits differ (outcomes 01 and 10).
DISAGREEING_OUTCOMES = (1, 2)


@dataclass(frozen=True)
class PhysicalModel:
    """Per-run physics as seen by the application layer of both nodes.

    Parameters
    ----------
    link_model : str
        Name of the link model that produced the pairs (``"perfect"``, ``"depolarise"``, ``"heralded"``).
    p_success : float
        Probability that one entanglement attempt succeeds, in (0, 1].
    cycle_time_ns : float
        Duration of one attempt [ns]; a pair that needs K attempts is delivered after ``K * cycle_time_ns``.
    herald_delay_ns : float
        Time [ns] the delivered qubits wait in memory before the application may act on them (the heralding
        signal's travel time); T1/T2 noise acts during it.
    outcome_probabilities : numpy.ndarray
        Shape ``(2, 2, 4)``: entry ``[basis_alice, basis_bob, 2 * bit_alice + bit_bob]`` is the exact probability
        of that joint outcome given the basis pair, including every link, gate and memory channel. Each
        ``[a, b, :]`` row sums to one.
    fidelity_expected : float
        Fidelity with Phi+ of the pair the application sees (after the receiver's Pauli correction and memory
        noise, before any measurement gate).
    detection_probability_per_side : float
        Probability that a photon emitted at one side is detected (heralded links); ``nan`` for other links.
    modes_per_attempt : int
        Modes tried per attempt (``link.num_multiplexing_modes``; 1 for other links); each mode is one round Alice
        sends in the security analysis, and one attempt delivers at most one pair.
    """

    link_model: str
    p_success: float
    cycle_time_ns: float
    herald_delay_ns: float
    outcome_probabilities: np.ndarray = field(repr=False)
    fidelity_expected: float
    detection_probability_per_side: float = float("nan")
    modes_per_attempt: int = 1

    def __post_init__(self) -> None:
        table = np.array(self.outcome_probabilities, dtype=np.float64)
        if table.shape != (2, 2, 4):
            raise ValueError(f"outcome_probabilities must have shape (2, 2, 4); got {table.shape}")
        if np.any(table < -1e-12) or not np.allclose(table.sum(axis=-1), 1.0, atol=1e-12):
            raise ValueError("each outcome_probabilities[a, b, :] must be a probability vector")
        table = np.clip(table, 0.0, 1.0)
        table /= table.sum(axis=-1, keepdims=True)
        table.setflags(write=False)
        object.__setattr__(self, "outcome_probabilities", table)

    @property
    def detection_probability_per_round(self) -> float:
        """Probability that one round (one mode of one attempt) delivers a pair, ``p_success / modes_per_attempt``."""
        return self.p_success / self.modes_per_attempt

    @property
    def qber_z_expected(self) -> float:
        """Probability that the bits differ when both parties measure in Z."""
        return float(self.outcome_probabilities[BASIS_Z, BASIS_Z, list(DISAGREEING_OUTCOMES)].sum())

    @property
    def qber_x_expected(self) -> float:
        """Probability that the bits differ when both parties measure in X."""
        return float(self.outcome_probabilities[BASIS_X, BASIS_X, list(DISAGREEING_OUTCOMES)].sum())

    @property
    def qber_expected(self) -> float:
        """Error rate of the sifted string: Z and X matches are equally likely under uniform bases."""
        return 0.5 * (self.qber_z_expected + self.qber_x_expected)
