"""Capacity and strong-converse exponent of the depolarising memory (nsm_physics.md sections 5.2-5.3, TV9-TV14)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from caligo_sweep.protocol.security import binary_entropy, storage_capacity, strong_converse_exponent


def test_capacity_qubit_tv9():
    r = [0.25, 0.5, 0.75, 0.9, 1.0]
    expected = [0.045566, 0.188722, 0.456436, 0.713603, 1.0]
    np.testing.assert_allclose(storage_capacity(r), expected, atol=1e-6)


def test_capacity_qutrit_tv10():
    np.testing.assert_allclose(storage_capacity([0.5, 0.75], d=3), [0.333333, 0.768273], atol=1e-6)


def test_qubit_capacity_equals_one_minus_entropy():
    r = np.linspace(0.0, 1.0, 101)
    np.testing.assert_allclose(storage_capacity(r), 1.0 - binary_entropy((1.0 + r) / 2.0), atol=1e-14)


@pytest.mark.parametrize("d", [2, 3, 5])
def test_capacity_bounded_and_increasing(d):
    capacity = storage_capacity(np.linspace(0.0, 1.0, 201), d=d)
    assert capacity[0] == pytest.approx(0.0, abs=1e-14)
    assert capacity[-1] == pytest.approx(np.log2(d), abs=1e-14)
    assert np.all((capacity >= 0.0) & (capacity <= np.log2(d)))
    assert np.all(np.diff(capacity) > 0.0)


def test_capacity_out_of_range_is_nan():
    assert np.isnan(storage_capacity(1.2))
    with pytest.raises(ValueError):
        storage_capacity(0.5, d=1)


@pytest.mark.parametrize(("d", "expected"), [(2, 0.779944), (3, 0.611065)])
def test_kww_threshold_retention_tv11(d, expected):
    r_star = brentq(lambda r: storage_capacity(r, d) - 0.5, 0.0, 1.0, xtol=1e-14)
    assert r_star == pytest.approx(expected, abs=1e-6)


def test_strong_converse_exponent_tv13():
    rate = [0.5, 1.0, 1.63054, 3.0, 0.5]
    r = [0.5, 0.75, 0.75, 0.75, 0.9]
    expected = [0.089428, 0.192645, 0.823185, 2.192645, 0.0]
    np.testing.assert_allclose(strong_converse_exponent(rate, r), expected, atol=1e-6)


def test_kww_min_entropy_rate_tv14():
    """lambda = nu gamma((1/2 - delta)/nu) with nu = 1, delta = 0.01."""
    r = [0.0, 0.1, 0.3, 0.5, 0.7, 0.75, 0.78]
    expected = [0.49000, 0.38532, 0.21274, 0.08473, 0.00818, 0.00092, 0.0]
    np.testing.assert_allclose(strong_converse_exponent(0.49, r), expected, atol=5e-6)


def test_exponent_vanishes_at_and_below_capacity():
    for r in np.linspace(0.0, 1.0, 11):
        capacity = storage_capacity(r)
        rates = capacity * np.array([0.0, 0.3, 0.9, 1.0])
        assert np.all(strong_converse_exponent(rates, r) == 0.0)
        assert strong_converse_exponent(capacity + 1e-3, r) > 0.0


def test_exponent_limits_for_perfect_and_erasing_memory():
    rate = np.array([1.5, 2.0, 7.0])
    np.testing.assert_allclose(strong_converse_exponent(rate, 1.0), rate - 1.0, atol=1e-12)
    np.testing.assert_allclose(strong_converse_exponent(rate, 0.0), rate, atol=1e-12)


def _gamma_on_alpha_grid(rate: float, r: float) -> float:
    """Independent reference: qubit form of Lupo et al. 2023 Eq. 16 on a dense alpha grid plus alpha = infinity."""
    alpha = np.geomspace(1.0 + 1e-9, 1e7, 400_001)
    log_sum = np.logaddexp(alpha * np.log(1.0 + r), alpha * np.log(1.0 - r)) / np.log(2.0)
    on_grid = np.max(1.0 + ((alpha - 1.0) * (rate - 1.0) - log_sum) / alpha)
    at_infinity = rate - np.log2(1.0 + r)
    return max(0.0, on_grid, at_infinity)


@pytest.mark.parametrize(("rate", "r"), [(0.5, 0.5), (1.0, 0.75), (1.63054, 0.75), (0.8, 0.8), (0.3, 0.2)])
def test_exponent_agrees_with_brute_force_alpha_grid(rate, r):
    assert strong_converse_exponent(rate, r) == pytest.approx(_gamma_on_alpha_grid(rate, r), abs=1e-7)


def test_exponent_stable_when_supremum_is_at_infinite_alpha():
    """Huge rates and almost-noiseless memories put the optimum at alpha -> infinity; no overflow, no nan."""
    rate = np.array([10.0, 1e3, 1e6])
    for r in (0.75, 1.0 - 1e-12):
        gamma = strong_converse_exponent(rate, r)
        lambda_1 = r + (1.0 - r) / 2.0
        np.testing.assert_allclose(gamma, rate - 1.0 - np.log2(lambda_1), rtol=1e-12)
    assert np.all(np.isfinite(strong_converse_exponent(rate, 0.75, d=7)))


def test_exponent_increasing_and_convex_in_rate():
    rate = np.linspace(0.0, 4.0, 81)
    gamma = strong_converse_exponent(rate, 0.6)
    assert np.all(np.diff(gamma) >= -1e-12)
    assert np.all(np.diff(gamma, 2) >= -1e-7)


def test_exponent_broadcasts_and_propagates_nan():
    gamma = strong_converse_exponent(np.array([[1.0], [2.0]]), np.array([0.5, 0.75]))
    assert gamma.shape == (2, 2)
    assert np.isnan(strong_converse_exponent(np.nan, 0.5))
    assert np.isnan(strong_converse_exponent(1.0, 1.5))
