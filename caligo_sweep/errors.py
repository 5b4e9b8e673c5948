"""Exceptions shared by every layer of caligo_sweep.

Every user-facing failure is one of these types, so the command line can turn it into a single readable line
instead of a traceback.
"""

from __future__ import annotations

from typing import Any


class CaligoError(Exception):
    """Base class of all errors raised deliberately by caligo_sweep."""


class ConfigValueError(CaligoError, ValueError):
    """A configuration value lies outside its allowed range.

    Parameters
    ----------
    key : str
        Dotted config key, e.g. ``"nsm.r"``.
    allowed : str
        Human-readable allowed range, e.g. ``"a number in [0, 1]"``.
    value : Any
        The offending value as given by the user.
    """

    def __init__(self, key: str, allowed: str, value: Any) -> None:
        self.key = key
        self.allowed = allowed
        self.value = value
        super().__init__(f"{key} must be {allowed}; got {value!r}")


class TimingViolation(CaligoError):
    """Bases were revealed before the noisy-storage wait time Delta t had elapsed (strict mode)."""

