"""Range checks for physics parameters that fail with a ``ConfigValueError`` naming the user's config key.

Every physics constructor validates its inputs through these helpers, so that a bad value is reported once, in
the user's terms (``"link.fidelity must be a number in (0.5, 1]; got 0.2"``), before any sampling starts.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from caligo_sweep.errors import ConfigValueError


def _as_real(key: str, value: Any, allowed: str) -> float:
    """Return ``value`` as a finite float, or raise naming ``key`` and the ``allowed`` range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ConfigValueError(key, allowed, value)
    number = float(value)
    if not math.isfinite(number):
        raise ConfigValueError(key, allowed, value)
    return number


def require_in_interval(
    key: str,
    value: Any,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    high_open: bool = False,
    reason: str = "",
) -> float:
    """Check that ``value`` lies in the interval from ``low`` to ``high`` and return it as a float.

    Parameters
    ----------
    key : str
        Dotted config key reported in the error, e.g. ``"link.visibility"``.
    value : Any
        The value given by the user.
    low, high : float
        Interval end points.
    low_open, high_open : bool
        Whether the corresponding end point is excluded.
    reason : str
        Optional short explanation appended to the allowed range in the error message.

    Returns
    -------
    float
        The validated value.

    Raises
    ------
    ConfigValueError
        If ``value`` is not a finite real number inside the interval.
    """
    allowed = f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if reason:
        allowed = f"{allowed} ({reason})"
    number = _as_real(key, value, allowed)
    below = number <= low if low_open else number < low
    above = number >= high if high_open else number > high
    if below or above:
        raise ConfigValueError(key, allowed, value)
    return number


def require_probability(key: str, value: Any) -> float:
    """Check that ``value`` is a probability in [0, 1] and return it as a float."""
    return require_in_interval(key, value, 0.0, 1.0)


def require_non_negative(key: str, value: Any) -> float:
    """Check that ``value`` is a finite number >= 0 and return it as a float."""
    number = _as_real(key, value, "a finite number >= 0")
    if number < 0.0:
        raise ConfigValueError(key, "a finite number >= 0", value)
    return number


def require_positive(key: str, value: Any) -> float:
    """Check that ``value`` is a finite number > 0 and return it as a float."""
    number = _as_real(key, value, "a finite number > 0")
    if number <= 0.0:
        raise ConfigValueError(key, "a finite number > 0", value)
    return number


def require_integer(key: str, value: Any, minimum: int) -> int:
    """Check that ``value`` is an integer >= ``minimum`` (booleans are refused) and return it as an int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or int(value) < minimum:
        raise ConfigValueError(key, f"an integer >= {minimum}", value)
    return int(value)


def require_positive_integer(key: str, value: Any) -> int:
    """Check that ``value`` is an integer >= 1 (booleans are refused) and return it as an int."""
    return require_integer(key, value, 1)


def require_bool(key: str, value: Any) -> bool:
    """Check that ``value`` is a boolean flag and return it."""
    if not isinstance(value, (bool, np.bool_)):
        raise ConfigValueError(key, "true or false", value)
    return bool(value)
