"""Asymptotic security conditions: Schaffner-Terhal-Wehner (individual attacks) and König-Wehner-Wullschleger.

These are the large-n conditions quoted in the noisy-storage literature; they complement, and do not replace, the
finite-size analysis in :mod:`caligo_sweep.protocol.security.analysis`.

* Individual-storage attacks [1]_ (Corollary 7): OT is possible for large n iff
  ``h(Q) < 1/2`` when ``r < r_tilde`` and ``h(Q) < h((1+r)/2)`` when ``r >= r_tilde``, with
  ``r_tilde = 2 h^{-1}(1/2) - 1`` (upper branch). In error rates: ``Q < 0.110028`` and, for ``r >= r_tilde``,
  ``Q < (1 - r)/2`` *strictly* -- the channel must be less noisy than the memory, whose depolarisation flips a
  stored BB84 qubit with probability ``(1 - r)/2``. For ``r < r_tilde`` one has ``(1 - r)/2 > 0.110028``, so both
  statements together are equivalent to ``Q < min(0.110028, (1 - r)/2)``.
* General attacks, storage of ``nu`` qubits per transmitted qubit [2]_ (Corollary I.2): ``C_N nu < 1/2``.

References
----------
.. [1] C. Schaffner, B. Terhal, S. Wehner, "Robust cryptography in the noisy-quantum-storage model",
   Quantum Inf. Comput. 9, 963 (2009), arXiv:0807.1333; Theorem 5, Corollary 7.
.. [2] R. König, S. Wehner, J. Wullschleger, "Unconditional security from noisy quantum storage",
   IEEE Trans. Inf. Theory 58, 1962 (2012), arXiv:0906.1030; Corollary I.2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from caligo_sweep.entropy import inverse_binary_entropy
from caligo_sweep.protocol.security.storage_channel import storage_capacity

#: Largest tolerable error rate against individual-storage attacks: the root of h(p) = 1/2 on [0, 1/2] (0.110028).
STW_QBER_LIMIT: float = float(inverse_binary_entropy(0.5, branch="lower"))
#: Storage retention above which the optimal individual attack stores the qubit, 2 h^{-1}(1/2) - 1 on the upper
#: branch (0.779944); equal to 1 - 2 * STW_QBER_LIMIT.
STW_R_TILDE: float = 2.0 * float(inverse_binary_entropy(0.5, branch="upper")) - 1.0


def q_storage(r: ArrayLike) -> np.ndarray | float:
    """Bit-flip probability ``(1 - r)/2`` that the depolarising memory N_r induces on a stored BB84 qubit.

    Parameters
    ----------
    r : array_like
        Retention probability in [0, 1].

    Returns
    -------
    numpy.ndarray or float
        ``(1 - r) / 2``, the "storage noise" against which the channel error rate is compared.
    """
    q = (1.0 - np.asarray(r, dtype=np.float64)) / 2.0
    return float(q) if q.ndim == 0 else q


@dataclass(frozen=True)
class IndividualAttackConditions:
    """Schaffner-Terhal-Wehner 2009 conditions against individual-storage attacks, evaluated at one point.

    Attributes
    ----------
    qber : float
        Channel error rate the conditions were evaluated on (callers pass a finite-size upper bound).
    q_storage : float
        ``(1 - r)/2``.
    qber_below_limit : bool
        ``qber < STW_QBER_LIMIT`` (0.110028).
    qber_below_storage_noise : bool
        ``qber < q_storage`` strictly ("channel noise strictly less than storage noise"). OT is possible against
        individual attacks iff both conditions hold; for ``r < STW_R_TILDE`` the second is implied by the first.
    """

    qber: float
    q_storage: float
    qber_below_limit: bool
    qber_below_storage_noise: bool

    @property
    def secure(self) -> bool:
        """Corollary 7 in full: ``qber < min(STW_QBER_LIMIT, q_storage)``."""
        return self.qber_below_limit and self.qber_below_storage_noise


def individual_attack_conditions(qber: float, r: float) -> IndividualAttackConditions:
    """Evaluate the Schaffner-Terhal-Wehner 2009 individual-attack conditions.

    Parameters
    ----------
    qber : float
        Channel bit-error rate in [0, 1] (use an upper confidence bound, not the point estimate).
    r : float
        Storage retention probability in [0, 1].

    Returns
    -------
    IndividualAttackConditions
        The two conditions as separate booleans.
    """
    storage_noise = float(q_storage(r))
    return IndividualAttackConditions(
        qber=float(qber),
        q_storage=storage_noise,
        qber_below_limit=bool(qber < STW_QBER_LIMIT),
        qber_below_storage_noise=bool(qber < storage_noise),
    )


def capacity_rate(r: ArrayLike, nu: ArrayLike, d: int = 2) -> np.ndarray | float:
    """Storable classical information per transmitted qubit, ``C_N * nu`` [bits].

    Parameters
    ----------
    r : array_like
        Retention probability in [0, 1].
    nu : array_like
        Storage rate: storable qubits per transmitted qubit, in [0, 1].
    d : int
        Dimension of one memory cell.

    Returns
    -------
    numpy.ndarray or float
        ``C_N(r, d) * nu``; the König-Wehner-Wullschleger condition is ``capacity_rate < 1/2``.
    """
    rate = storage_capacity(r, d) * np.asarray(nu, dtype=np.float64)
    return float(rate) if np.ndim(rate) == 0 else rate


def kww_capacity_secure(r: float, nu: float, d: int = 2) -> bool:
    """König-Wehner-Wullschleger 2012 asymptotic condition ``C_N * nu < 1/2`` (strict)."""
    return bool(capacity_rate(r, nu, d) < 0.5)
