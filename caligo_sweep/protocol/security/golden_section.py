"""Maximum of a unimodal function of one variable on an interval, by golden-section search.

Each step keeps the part of the bracket that must hold the maximum and shrinks it by ``1/phi = (sqrt5 - 1)/2``
with one new evaluation [1]_ [2]_. The security bounds maximise concave objectives this way instead of calling
``scipy.optimize.minimize_scalar``, whose package takes about 0.1 s to import (a large part of a small run).

References
----------
.. [1] J. Kiefer, "Sequential minimax search for a maximum", Proc. Am. Math. Soc. 4, 502 (1953).
.. [2] W. H. Press, S. A. Teukolsky, W. T. Vetterling, B. P. Flannery, *Numerical Recipes*, 3rd ed., CUP (2007),
   section 10.2.
"""

from __future__ import annotations

import math
from typing import Callable

_INVERSE_GOLDEN_RATIO = (math.sqrt(5.0) - 1.0) / 2.0


def maximum_of_unimodal(function: Callable[[float], float], low: float, high: float, xatol: float) -> float:
    """Largest value of ``function`` on ``(low, high)``, assumed unimodal there.

    Parameters
    ----------
    function : callable
        Scalar function of one float; evaluated only strictly inside the interval.
    low, high : float
        Interval, ``low < high``.
    xatol : float
        The search stops once the bracket of the maximiser is shorter than this (> 0).

    Returns
    -------
    float
        The largest of the evaluated values: for a concave function, within ``|f''| xatol^2 / 2`` of the maximum.
    """
    if not (low < high and xatol > 0.0):
        raise ValueError(f"need low < high and xatol > 0; got low={low}, high={high}, xatol={xatol}")
    steps = max(0, math.ceil(math.log(xatol / (high - low)) / math.log(_INVERSE_GOLDEN_RATIO)))
    left = high - _INVERSE_GOLDEN_RATIO * (high - low)
    right = low + _INVERSE_GOLDEN_RATIO * (high - low)
    value_left, value_right = function(left), function(right)
    for _ in range(steps):
        if value_left >= value_right:  # the maximiser lies in (low, right)
            high, right, value_right = right, left, value_left
            left = high - _INVERSE_GOLDEN_RATIO * (high - low)
            value_left = function(left)
        else:  # in (left, high)
            low, left, value_left = left, right, value_right
            right = low + _INVERSE_GOLDEN_RATIO * (high - low)
            value_right = function(right)
    return max(value_left, value_right)
