"""The adversary's noisy memory: classical capacity and strong-converse exponent of the depolarising channel.

The noisy-storage model assumes that every qubit a dishonest party keeps passes through

    N_r(rho) = r rho + (1 - r) I / d,

with ``r`` the *retention* probability (``r = 1``: perfect memory; ``r = 0``: the state is erased) and ``d`` the
dimension of one memory cell. A pure input leaves N_r with eigenvalues ``lambda_1 = r + (1-r)/d`` (once) and
``lambda_2 = (1-r)/d`` (``d - 1`` times); capacity and exponent depend on these two numbers only.

Security rests on the *strong converse* of König, Wehner and Wullschleger [1]_: sending ``S * R`` bits through
``S`` uses of N_r succeeds with probability at most ``2^(-S gamma(R))``, and ``gamma(R) > 0`` for every rate above
the classical capacity ``C_N``.

References
----------
.. [1] R. König, S. Wehner, J. Wullschleger, "Unconditional security from noisy quantum storage",
   IEEE Trans. Inf. Theory 58, 1962 (2012), arXiv:0906.1030; Sec. III.E.
.. [2] C. King, "The capacity of the quantum depolarizing channel", IEEE Trans. Inf. Theory 49, 221 (2003).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import xlogy

from caligo_sweep.physics.checks import require_integer, require_non_negative, require_positive
from caligo_sweep.protocol.security.golden_section import maximum_of_unimodal

#: Absolute tolerance on t = 1/alpha of the golden-section search; the objective is concave and flat at its maximum,
#: so the error of gamma is of the order of the square of this.
_T_TOLERANCE = 1e-10


def _output_eigenvalues(r: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (lambda_1, lambda_2) of N_r applied to a pure state; lambda_2 has multiplicity d - 1."""
    lambda_2 = (1.0 - r) / d
    return r + lambda_2, lambda_2


def storage_capacity(r: ArrayLike, d: int = 2) -> np.ndarray | float:
    """Classical capacity C_N of the d-dimensional depolarising channel N_r, in bits per channel use.

    Parameters
    ----------
    r : array_like
        Retention probability in [0, 1].
    d : int
        Dimension of one memory cell (``d = 2`` for qubits, as in Erven et al. 2014).

    Returns
    -------
    numpy.ndarray or float
        ``C_N = log2 d + lambda_1 log2 lambda_1 + (d-1) lambda_2 log2 lambda_2`` [2]_, which for ``d = 2`` equals
        ``1 - h((1+r)/2)``. Lies in [0, log2 d] and increases with ``r``; ``nan`` for ``r`` outside [0, 1].
    """
    d = require_integer("nsm.memory_dim", d, 2)
    r = np.asarray(r, dtype=np.float64)
    inside = (r >= 0.0) & (r <= 1.0)
    lambda_1, lambda_2 = _output_eigenvalues(np.where(inside, r, 0.0), d)
    capacity = math.log2(d) + (xlogy(lambda_1, lambda_1) + (d - 1) * xlogy(lambda_2, lambda_2)) / math.log(2.0)
    capacity = np.where(inside, np.clip(capacity, 0.0, math.log2(d)), np.nan)
    return float(capacity) if capacity.ndim == 0 else capacity


def retention_after_wait(delta_t_ns: float, memory_time_ns: float) -> float:
    """Retention ``r = exp(-Delta t / T)`` of a memory that depolarises at rate ``1/T`` during the wait.

    Parameters
    ----------
    delta_t_ns : float
        Wait time Delta t [ns], >= 0 (config key ``nsm.delta_t_ns``).
    memory_time_ns : float
        Memory time T [ns] of the adversary's storage, > 0 (config key ``nsm.memory_time_ns``): a stored qubit
        survives the wait undepolarised with probability ``exp(-Delta t / T)``.

    Returns
    -------
    float
        ``r`` in (0, 1]; ``Delta t = 0`` gives ``r = 1``, a perfect memory: without a wait the storage is noiseless
        and Schaffner et al.'s condition ``Q < (1 - r)/2 = 0`` cannot hold.

    Notes
    -----
    Continuous depolarisation at a constant rate composes as ``N_{r1} N_{r2} = N_{r1 r2}``, so the retention after a
    wait is exponential in it. A fixed ``nsm.r`` is instead the retention *after* Delta t, whatever Delta t is.
    """
    wait = require_non_negative("nsm.delta_t_ns", delta_t_ns)
    return math.exp(-wait / require_positive("nsm.memory_time_ns", memory_time_ns))


def _exponent_objective(t: float, rate: float, r: float, d: int) -> float:
    """``(1 - t) (R - log2 d + S_{1/t})`` with ``t = 1/alpha`` in [0, 1], evaluated without overflow.

    Writing S_alpha = log2(lambda_1^alpha + (d-1) lambda_2^alpha) / (1 - alpha) and alpha = 1/t, the Rényi term
    becomes ``(1 - t) S_{1/t} = -log2 lambda_1 - t log2(1 + (d-1) (lambda_2/lambda_1)^(1/t))``. Since
    ``lambda_2 <= lambda_1`` the power never exceeds one, so this log-sum-exp form is exact for any alpha, including
    the limit t -> 0 (alpha -> infinity), where it tends to ``R - log2 d - log2 lambda_1``.
    """
    lambda_1, lambda_2 = _output_eigenvalues(r, d)
    if t <= 0.0 or lambda_2 == 0.0:
        tail = 0.0
    else:
        tail = t * math.log1p((d - 1) * math.exp(math.log(lambda_2 / lambda_1) / t)) / math.log(2.0)
    return (1.0 - t) * (rate - math.log2(d)) - math.log2(lambda_1) - tail


def _strong_converse_exponent_scalar(rate: float, r: float, d: int) -> float:
    if not (0.0 <= r <= 1.0) or math.isnan(rate):
        return math.nan
    if rate <= float(storage_capacity(r, d)):
        return 0.0
    interior = maximum_of_unimodal(lambda t: _exponent_objective(t, rate, r, d), 0.0, 1.0, _T_TOLERANCE)
    alpha_infinity = _exponent_objective(0.0, rate, r, d)
    return max(0.0, interior, alpha_infinity)


def strong_converse_exponent(rate: ArrayLike, r: ArrayLike, d: int = 2) -> np.ndarray | float:
    """Strong-converse exponent gamma(R) of the depolarising channel N_r, in bits per channel use.

    Parameters
    ----------
    rate : array_like
        Rate R in bits per channel use (per *stored* qubit in the Erven et al. bookkeeping).
    r : array_like
        Retention probability in [0, 1]; broadcast against ``rate``.
    d : int
        Dimension of one memory cell.

    Returns
    -------
    numpy.ndarray or float
        ``gamma(R) = sup_{alpha > 1} (alpha - 1)/alpha * (R - log2 d + S_alpha)`` [1]_, with the Rényi output entropy
        ``S_alpha = log2(lambda_1^alpha + (d-1) lambda_2^alpha) / (1 - alpha)``. Zero for ``R <= C_N``; ``nan`` where
        ``r`` lies outside [0, 1] or ``R`` is ``nan``.

    Notes
    -----
    In ``t = 1/alpha`` the objective is concave on [0, 1] (the perspective of a log-sum-exp is convex), equals
    zero at ``t = 1`` (alpha -> 1) and tends to ``R - log2 d - log2 lambda_1`` at ``t = 0`` (alpha -> infinity).
    The supremum is therefore the largest of: a golden-section search over (0, 1), the t -> 0 limit and zero.
    Alpha is never capped: for large R (the Erven et al. 2014 case, R ~ 1.63) the supremum sits at alpha ->
    infinity, and capping alpha at 100 would lower gamma by ~0.006 (~500 bits of OT length).
    """
    d = require_integer("nsm.memory_dim", d, 2)
    rate_b, r_b = np.broadcast_arrays(np.asarray(rate, dtype=np.float64), np.asarray(r, dtype=np.float64))
    gamma = np.array(
        [_strong_converse_exponent_scalar(float(x), float(y), d) for x, y in zip(rate_b.ravel(), r_b.ravel())],
        dtype=np.float64,
    ).reshape(rate_b.shape)
    return float(gamma) if gamma.ndim == 0 else gamma
