"""Comparison of a computed number with a value printed in squid_stack.md, to the printed precision."""

from __future__ import annotations


def printed_tolerance(text: str) -> float:
    """Half a unit in the last printed digit of ``text`` (``"0.931454"``, ``"2.299835e-1"``, ``"195 665"``)."""
    mantissa, _, exponent = text.replace(" ", "").lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


def assert_printed(value: float, text: str) -> None:
    """Assert that ``value`` rounds to the printed ``text``."""
    expected = float(text.replace(" ", ""))
    tolerance = printed_tolerance(text) * (1 + 1e-9)
    assert abs(value - expected) <= tolerance, f"{value!r} does not round to the printed {text}"
