"""Binary Shannon entropy and its inverse on either branch, shared by every layer.

The security bounds (:mod:`caligo_sweep.protocol.security`) and the reconciliation leak and efficiency
(:mod:`caligo_sweep.reconciliation`) use this one ``h``, so ``ec_efficiency`` and the finite-size length charge
the same entropy. Every formula of the noisy-storage model is written in bits, so the logarithm is base 2 throughout.
The inverse is needed on both branches: the lower branch ``[0, 1/2]`` gives the error-rate threshold of Schaffner,
Terhal and Wehner (root of ``h(p) = 1/2``), the upper branch ``[1/2, 1]`` gives their storage-noise threshold
``r_tilde = 2 h^{-1}(1/2) - 1`` [1]_.

References
----------
.. [1] C. Schaffner, B. Terhal, S. Wehner, "Robust cryptography in the noisy-quantum-storage model",
   Quantum Inf. Comput. 9, 963 (2009), arXiv:0807.1333.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import xlogy

#: Bisection steps of the inverse; 2**-80 of the half-unit interval is below the float64 resolution at 1/2.
_BISECTION_STEPS = 80


def binary_entropy(p: ArrayLike) -> np.ndarray | float:
    """Binary Shannon entropy ``h(p) = -p log2 p - (1-p) log2(1-p)`` in bits.

    Parameters
    ----------
    p : array_like
        Probabilities in [0, 1]. ``h(0) = h(1) = 0`` exactly (the ``0 log 0 = 0`` convention).

    Returns
    -------
    numpy.ndarray or float
        Entropy in bits, same shape as ``p``; ``nan`` where ``p`` lies outside [0, 1] or is ``nan``.
    """
    p = np.asarray(p, dtype=np.float64)
    inside = (p >= 0.0) & (p <= 1.0)
    q = np.where(inside, p, 0.5)
    h = -(xlogy(q, q) + xlogy(1.0 - q, 1.0 - q)) / np.log(2.0)
    h = np.where(inside, h, np.nan)
    return float(h) if h.ndim == 0 else h


def inverse_binary_entropy(
    h: ArrayLike, branch: Literal["lower", "upper"] = "lower"
) -> np.ndarray | float:
    """Inverse of the binary entropy on one branch.

    Parameters
    ----------
    h : array_like
        Entropy values in bits, in [0, 1].
    branch : {"lower", "upper"}
        ``"lower"`` returns the solution in [0, 1/2]; ``"upper"`` returns the solution in [1/2, 1], which is one
        minus the lower one.

    Returns
    -------
    numpy.ndarray or float
        ``p`` with ``binary_entropy(p) == h`` on the chosen branch (to float64 resolution), same shape as ``h``;
        ``nan`` where ``h`` lies outside [0, 1].

    Notes
    -----
    Vectorised bisection on [0, 1/2], where ``h`` is strictly increasing. Bisection is chosen over Newton's method
    because the derivative ``log2((1-p)/p)`` diverges at ``p = 0``.
    """
    if branch not in ("lower", "upper"):
        raise ValueError(f"branch must be 'lower' or 'upper'; got {branch!r}")
    target = np.asarray(h, dtype=np.float64)
    inside = (target >= 0.0) & (target <= 1.0)
    low = np.zeros_like(target)
    high = np.full_like(target, 0.5)
    for _ in range(_BISECTION_STEPS):
        middle = 0.5 * (low + high)
        below = binary_entropy(middle) < target
        low = np.where(below, middle, low)
        high = np.where(below, high, middle)
    p = np.where(target <= 0.0, 0.0, high)
    if branch == "upper":
        p = 1.0 - p
    p = np.where(inside, p, np.nan)
    return float(p) if p.ndim == 0 else p
