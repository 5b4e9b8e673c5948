"""Finite-size statistics of the Erven et al. (2014) analysis: Hoeffding width, round counts, and C_BB84.

With ``n`` rounds the number of rounds in which Bob reports a detection, and the number of those that carried
exactly one photon pair, are only known up to a Hoeffding width. The min-entropy that Bob lacks about Alice's
string then follows from the finite-size BB84 uncertainty relation of Ng, Berta and Wehner, through the constant
C_BB84 of [1]_ Eq. (4).

References
----------
.. [1] C. Erven et al., "An experimental implementation of oblivious transfer in the noisy storage model",
   Nat. Commun. 5, 3418 (2014), arXiv:1308.5098; Eqs. (1), (3), (4).
.. [2] S. Wehner, M. Curty, C. Schaffner, H.-K. Lo, "Implementation of two-party protocols in the noisy-storage
   model", Phys. Rev. A 81, 052336 (2010), arXiv:0911.2302; Eqs. (1)-(2).
.. [3] W. Hoeffding, "Probability inequalities for sums of bounded random variables", J. Am. Stat. Assoc. 58,
   13 (1963).
.. [4] H. S. Ng, S. K. Joshi, C. Ming, C. Kurtsiefer, S. Wehner, "Experimental implementation of bit commitment in
   the noisy-storage model", Nat. Commun. 3, 1326 (2012), supplementary information.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from caligo_sweep.protocol.security.golden_section import maximum_of_unimodal

#: Smallest s searched by the C_BB84 maximisation; the optimum s* ~ sqrt(8 log2(1/(2 eps)) / (ln2 m1)) stays far
#: above this for any m1 below 1e20.
_S_MIN = 1e-12
#: Points of the logarithmic grid that brackets the C_BB84 optimum before the golden-section refinement.
_S_GRID_POINTS = 241
#: Finite-size terms of C_BB84 (config key ``nsm.c_bb84_term``): Erven et al. 2014 ``log2(1/(2 eps))`` and
#: Ng et al. 2012 ``log2(2/eps^2)``.
C_BB84_TERMS = ("erven2014", "ng2012")


def hoeffding_width(n: ArrayLike, eps: float) -> np.ndarray | float:
    """Two-sided Hoeffding half-width ``zeta = sqrt(ln(2/eps) / (2 n))`` of an empirical frequency.

    Parameters
    ----------
    n : array_like
        Number of independent rounds (> 0).
    eps : float
        Failure probability in (0, 1).

    Returns
    -------
    numpy.ndarray or float
        ``zeta`` such that a frequency over ``n`` i.i.d. Bernoulli rounds leaves ``[p - zeta, p + zeta]`` with
        probability at most ``eps`` [3]_.

    Notes
    -----
    Convention: two-sided, natural logarithm, ``ln(2/eps)`` as in Wehner et al. 2010 [2]_. The acceptance window on
    Bob's detection count is two-sided, so the two-sided bound is the one the argument needs. Erven et al. 2014
    print ``ln(1/eps)`` in their Eq. (1), but their reported ``m_1 ~ 1.049e6`` is reproduced by ``ln(2/eps)``
    (1.04915e6; ``ln(1/eps)`` gives 1.05082e6), so this is also the convention their numbers used.
    """
    if not 0.0 < eps < 1.0:
        raise ValueError(f"eps must lie in (0, 1); got {eps!r}")
    n = np.asarray(n, dtype=np.float64)
    zeta = np.sqrt(math.log(2.0 / eps) / (2.0 * n))
    return float(zeta) if zeta.ndim == 0 else zeta


def security_parameter_bits(eps: float) -> float:
    """The security-parameter term ``log2(1/(2 eps))`` [bits] of the min-entropy, C_BB84 and the OT length.

    Parameters
    ----------
    eps : float
        Security parameter in (0, 1/2).

    Returns
    -------
    float
        ``log2(1 / (2 eps))`` [1]_ Eqs. (3)-(4); positive for ``eps < 1/2``.
    """
    return math.log2(1.0 / (2.0 * eps))


def detection_window(n: float, p_noclick_honest: float, eps: float) -> tuple[float, float]:
    """Acceptance window ``[(1 - P^h_noclick - zeta) n, (1 - P^h_noclick + zeta) n]`` for Bob's detection count.

    Parameters
    ----------
    n : float
        Rounds (Erven et al.: photon pairs before loss).
    p_noclick_honest : float
        Probability that honest Bob's detectors stay silent in a valid round, P^h_{B,noclick}.
    eps : float
        Failure probability of the Hoeffding width.

    Returns
    -------
    tuple of float
        Lower and upper accepted number of reported detections. Alice aborts outside it; an honest Bob falls
        outside with probability at most ``eps`` ([1]_ Eq. 1 with the convention of :func:`hoeffding_width`).
    """
    zeta = hoeffding_width(n, eps)
    p_click = 1.0 - p_noclick_honest
    return (p_click - zeta) * n, (p_click + zeta) * n


def c_bb84_finite_size_bits(eps: float, convention: str = "erven2014") -> float:
    """The finite-size term of C_BB84 [bits], divided by ``s m1`` inside the maximisation.

    Parameters
    ----------
    eps : float
        Security parameter in (0, 1/2).
    convention : str
        ``"erven2014"``: ``log2(1/(2 eps))`` ([1]_ Eq. 4, the default); ``"ng2012"``: ``log2(2/eps^2)`` ([4]_,
        the bit-commitment experiment's form of the same uncertainty relation, larger by ``log2(4/eps)``).

    Returns
    -------
    float
        The term in bits.
    """
    if convention == "erven2014":
        return security_parameter_bits(eps)
    if convention == "ng2012":
        return math.log2(2.0 / eps**2)
    raise ValueError(f"C_BB84 convention must be one of {', '.join(C_BB84_TERMS)}; got {convention!r}")


def _bb84_objective(s: float, finite_size_term: float) -> float:
    """``(1/s)[1 + s - log2(1 + 2^s)] - finite_size_term / s``, cancellation-free for small s.

    ``1 + s - log2(1 + 2^s) = s - log2(1 + (2^s - 1)/2)``, and both terms are O(s) with a difference ~ s/2.
    """
    ln2 = math.log(2.0)
    bracket = s - math.log1p(0.5 * math.expm1(s * ln2)) / ln2
    return (bracket - finite_size_term) / s


def _c_bb84_scalar(m1: float, eps: float, convention: str) -> float:
    if not m1 > 0.0:
        return math.nan
    finite_size_term = c_bb84_finite_size_bits(eps, convention) / m1
    grid = np.geomspace(_S_MIN, 1.0, _S_GRID_POINTS)
    values = np.array([_bb84_objective(float(s), finite_size_term) for s in grid])
    best = int(np.argmax(values))
    if best == len(grid) - 1:
        return float(values[best])
    low = math.log(grid[max(best - 1, 0)])
    high = math.log(grid[best + 1])
    refined = maximum_of_unimodal(lambda u: _bb84_objective(math.exp(u), finite_size_term), low, high, 1e-10)
    return max(float(values[best]), refined)


def c_bb84(m1: ArrayLike, eps: float, convention: str = "erven2014") -> np.ndarray | float:
    """Finite-size BB84 min-entropy constant C_BB84 of Erven et al. 2014 Eq. (4), in bits per single-pair round.

    Parameters
    ----------
    m1 : array_like
        Lower bound on the number of single-pair rounds Bob kept (> 0).
    eps : float
        Security parameter in (0, 1/2).
    convention : str
        Finite-size term, see :func:`c_bb84_finite_size_bits` (``"erven2014"`` or ``"ng2012"``).

    Returns
    -------
    numpy.ndarray or float
        ``max_{s in (0, 1]} { (1/s) [1 + s - log2(1 + 2^s)] - log2(1/(2 eps)) / (s m1) }`` [1]_ (or with
        ``log2(2/eps^2)`` under ``"ng2012"``). Tends to 1/2 as
        ``m1 -> infinity`` (optimum s -> 0) and can be negative for very small ``m1``; ``nan`` for ``m1 <= 0``.

    Notes
    -----
    The optimum sits at ``s* ~ sqrt(8 log2(1/(2 eps)) / (ln2 m1))`` (0.0152 for the Erven et al. numbers). It is
    bracketed on a logarithmic grid over [1e-12, 1] and refined by golden-section search in ``ln s``.
    """
    if not 0.0 < eps < 0.5:
        raise ValueError(f"eps must lie in (0, 1/2); got {eps!r}")
    m1 = np.asarray(m1, dtype=np.float64)
    c_bb84_finite_size_bits(eps, convention)  # rejects an unknown convention even for an empty m1
    values = [_c_bb84_scalar(float(x), eps, convention) for x in m1.ravel()]
    result = np.array(values, dtype=np.float64).reshape(m1.shape)
    return float(result) if result.ndim == 0 else result
