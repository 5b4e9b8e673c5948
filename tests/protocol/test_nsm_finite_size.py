"""Hoeffding width, detection window and C_BB84 (Erven et al. 2014 Eqs. 1, 3, 4; TV4-TV5)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from caligo_sweep.protocol.security import c_bb84, detection_window, hoeffding_width

EPS = 2.5e-7


def test_hoeffding_width_two_sided_convention_tv4():
    assert hoeffding_width(8.0e7, EPS) == pytest.approx(3.1519e-4, rel=1e-4)
    assert hoeffding_width(8.0e7, EPS) == pytest.approx(math.sqrt(math.log(2.0 / EPS) / 1.6e8), rel=1e-15)
    np.testing.assert_allclose(hoeffding_width([100, 400], 0.1), [0.12238734, 0.06119367], rtol=1e-7)
    with pytest.raises(ValueError):
        hoeffding_width(10, 0.0)


def test_detection_window_is_centred_on_expected_detections():
    low, high = detection_window(8.0e7, 0.9858962, EPS)
    centre = (1.0 - 0.9858962) * 8.0e7
    assert (low + high) / 2.0 == pytest.approx(centre, rel=1e-12)
    assert (high - low) / 2.0 == pytest.approx(hoeffding_width(8.0e7, EPS) * 8.0e7, rel=1e-12)


def test_honest_detections_fall_inside_window_tv22():
    """Honest detections ~ Binomial(n, P^h_click); the window is ~24 sigma wide, so no honest abort."""
    rng = np.random.default_rng(20140417)
    n, p_click = 80_000_000, 0.0141038
    detections = rng.binomial(n, p_click, size=2000)
    low, high = detection_window(n, 1.0 - p_click, EPS)
    assert np.all((detections >= low) & (detections <= high))
    assert abs(detections.mean() - n * p_click) < 5.0 * math.sqrt(n * p_click * (1 - p_click) / 2000)


def _c_bb84_brute_force(m1: float, eps: float) -> float:
    s = np.linspace(1e-5, 1.0, 2_000_001)
    values = (1.0 + s - np.log2(1.0 + 2.0**s)) / s - np.log2(1.0 / (2.0 * eps)) / (s * m1)
    return float(values.max())


def test_c_bb84_erven_value_tv5():
    assert c_bb84(1.04915e6, EPS) == pytest.approx(0.497370, abs=1e-6)


@pytest.mark.parametrize("m1", [50.0, 1e3, 1.04915e6, 1e8])
def test_c_bb84_agrees_with_brute_force_grid(m1):
    assert c_bb84(m1, EPS) == pytest.approx(_c_bb84_brute_force(m1, EPS), abs=1e-9)


def test_c_bb84_increases_to_one_half():
    values = c_bb84(np.geomspace(1e2, 1e16, 29), EPS)
    assert np.all(np.diff(values) > 0.0)
    assert values[-1] == pytest.approx(0.5, abs=1e-6)
    assert np.all(values < 0.5)


def test_c_bb84_small_samples_and_bad_input():
    assert c_bb84(10.0, EPS) == pytest.approx(2.0 - math.log2(3.0) - math.log2(1.0 / (2.0 * EPS)) / 10.0)
    assert np.isnan(c_bb84(0.0, EPS)) and np.isnan(c_bb84(-5.0, EPS))
    with pytest.raises(ValueError):
        c_bb84(1e6, 0.5)
