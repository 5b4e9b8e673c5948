"""Sifting of joint-outcome counts and the Clopper-Pearson upper bound on Q_channel."""

import numpy as np
import pytest
from scipy.stats import binom

from caligo_sweep.protocol.estimation import qber_upper_bound
from caligo_sweep.protocol.sifting import sift_counts


def test_sift_counts_keeps_matching_bases_and_counts_disagreements():
    counts = np.zeros((2, 2, 4), dtype=np.int64)
    counts[0, 0] = [40, 3, 2, 55]  # Z/Z: 5 errors in 100
    counts[1, 1] = [30, 1, 9, 60]  # X/X: 10 errors in 100
    counts[0, 1] = [25, 25, 25, 25]  # mismatched bases never count
    counts[1, 0] = [10, 90, 0, 0]
    sifted = sift_counts(counts)
    assert (sifted.n_sifted_z, sifted.n_errors_z, sifted.n_sifted_x, sifted.n_errors_x) == (100, 5, 100, 10)
    assert sifted.qber_z == pytest.approx(0.05)
    assert sifted.qber_x == pytest.approx(0.10)
    assert sifted.qber == pytest.approx(0.075)


def test_empty_basis_gives_nan_rate():
    sifted = sift_counts(np.zeros((2, 2, 4), dtype=np.int64))
    assert np.isnan(sifted.qber) and sifted.n_sifted == 0


@pytest.mark.parametrize("n_errors,n_sifted,eps", [(0, 1000, 1e-3), (13, 500, 1e-6), (250, 1000, 0.05)])
def test_upper_bound_is_the_exact_clopper_pearson_limit(n_errors, n_sifted, eps):
    upper = qber_upper_bound(n_errors, n_sifted, eps)
    # At the bound, seeing n_errors or fewer has probability exactly eps; just below it, more than eps.
    assert binom.cdf(n_errors, n_sifted, upper) == pytest.approx(eps, rel=1e-6)
    assert binom.cdf(n_errors, n_sifted, upper * 0.999) > eps
    hoeffding = n_errors / n_sifted + np.sqrt(np.log(1 / eps) / (2 * n_sifted))
    assert n_errors / n_sifted < upper <= hoeffding


@pytest.mark.statistical
def test_upper_bound_covers_the_true_rate_with_the_stated_confidence():
    rng = np.random.default_rng(7)
    true_qber, n_sifted, eps, trials = 0.03, 2000, 0.05, 4000
    errors = rng.binomial(n_sifted, true_qber, size=trials)
    misses = sum(qber_upper_bound(int(k), n_sifted, eps) < true_qber for k in errors)
    # misses ~ Binomial(trials, <= eps): the bound is conservative, so allow up to mean + 5 sigma.
    assert misses <= trials * eps + 5 * np.sqrt(trials * eps * (1 - eps))


def test_upper_bound_rejects_bad_arguments():
    with pytest.raises(ValueError, match="eps"):
        qber_upper_bound(1, 10, 0.0)
    with pytest.raises(ValueError, match="n_errors"):
        qber_upper_bound(11, 10, 0.1)
    assert qber_upper_bound(10, 10, 0.1) == 1.0
