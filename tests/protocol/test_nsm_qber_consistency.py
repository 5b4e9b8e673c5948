"""Exact binomial consistency check of the measured error rate against the model prediction."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binom

from caligo_sweep.protocol.security import qber_consistent


@pytest.mark.parametrize(("n", "q"), [(50, 0.02), (1_000, 0.05), (20_000, 0.25), (200_000, 0.011), (7, 0.5)])
@pytest.mark.parametrize("alpha", [1e-6, 1e-3, 0.05])
def test_exact_false_alarm_probability_is_at_most_alpha(n, q, alpha):
    """Summing the binomial pmf over the counts the check flags gives its false-alarm rate exactly."""
    sigma = math.sqrt(n * q * (1.0 - q))
    k = np.arange(max(0, int(n * q - 9 * sigma) - 5), min(n, int(n * q + 9 * sigma) + 5) + 1)
    outside_range = binom.cdf(k[0] - 1, n, q) + binom.sf(k[-1], n, q)
    checks = [qber_consistent(int(x), n, q, alpha) for x in k]
    flagged = np.array([not c.consistent for c in checks])
    false_alarm = binom.pmf(k[flagged], n, q).sum() + outside_range
    assert false_alarm <= alpha
    low, high = checks[0].acceptance_low * n, checks[0].acceptance_high * n
    np.testing.assert_array_equal(flagged, (k < low - 1e-6) | (k > high + 1e-6))


@pytest.mark.statistical
def test_false_alarm_rate_on_seeded_binomial_samples():
    rng = np.random.default_rng(5)
    n, q, alpha, samples = 20_000, 0.03, 0.01, 40_000
    counts = rng.binomial(n, q, size=samples)
    values, multiplicity = np.unique(counts, return_counts=True)
    flagged = sum(m for v, m in zip(values, multiplicity) if not qber_consistent(int(v), n, q, alpha).consistent)
    sigma = math.sqrt(alpha * (1.0 - alpha) / samples)
    assert flagged / samples <= alpha + 5.0 * sigma
    assert flagged > 0  # the test is not vacuous: ~alpha of the honest samples sit in the tails


def test_detects_a_real_mismatch_and_tolerance_shrinks_with_sample_size():
    small = qber_consistent(30, 1_000, 0.02)
    large = qber_consistent(3_000, 100_000, 0.02)
    assert small.consistent and not large.consistent
    assert large.tolerance < small.tolerance / 5.0
    expected_scale = 4.9 * math.sqrt(0.02 * 0.98 / 100_000)
    assert large.tolerance == pytest.approx(expected_scale, rel=0.15)


def test_tolerance_is_measured_on_the_side_of_the_observation():
    above = qber_consistent(25, 1_000, 0.02, 0.05)
    below = qber_consistent(15, 1_000, 0.02, 0.05)
    assert above.tolerance == pytest.approx(above.acceptance_high - 0.02)
    assert below.tolerance == pytest.approx(0.02 - below.acceptance_low)


def test_degenerate_expectations_and_empty_samples():
    assert qber_consistent(0, 100, 0.0).consistent and not qber_consistent(1, 100, 0.0).consistent
    assert qber_consistent(100, 100, 1.0).consistent and not qber_consistent(99, 100, 1.0).consistent
    empty = qber_consistent(0, 0, 0.1)
    assert empty.consistent and math.isnan(empty.qber_measured)


def test_invalid_arguments():
    with pytest.raises(ValueError):
        qber_consistent(5, 4, 0.1)
    with pytest.raises(ValueError):
        qber_consistent(1, 10, 1.5)
    with pytest.raises(ValueError):
        qber_consistent(1, 10, 0.1, false_alarm_rate=0.0)
