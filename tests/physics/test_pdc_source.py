"""Tests of the Erven et al. 2014 PDC source model (nsm_physics.md section 2.3, test vectors TV1-TV2)."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.pdc_source import PDCSource, pair_number_distribution



def test_pair_number_distribution_tv1():
    expected = [0.99996855074, 3.1448516393e-5, 7.4178021592e-10]
    np.testing.assert_allclose(pair_number_distribution(3.145e-5, [0, 1, 2]), expected, rtol=1e-9)


def test_pair_number_distribution_is_normalised_with_mean_mu():
    k = np.arange(400)
    p = pair_number_distribution(0.7, k)
    assert p.sum() == pytest.approx(1.0, abs=1e-13)
    assert np.sum(k * p) == pytest.approx(0.7, rel=1e-12)


def test_erven_conditional_probabilities_tv2(erven_source_parameters):
    source = PDCSource(**erven_source_parameters)
    assert source.p_bob_noclick_dishonest == pytest.approx(0.0597889, abs=1e-6)
    assert source.p_single_given_valid == pytest.approx(0.9401672, abs=1e-6)
    assert source.sent_given_valid[2] == pytest.approx(4.391e-5, rel=1e-3)
    assert source.p_bob_noclick_honest == pytest.approx(0.9858962, abs=1e-6)
    assert source.p_bob_click_honest == pytest.approx(0.0141038, abs=1e-6)
    assert source.qber_expected == pytest.approx(0.0093010, abs=1e-6)


def test_valid_round_weights_match_explicit_detector_sum():
    """A_k from the closed form equals the exactly-one-click probability summed over Alice's (k-j, j) splits."""
    source = PDCSource(mu=0.4, eta=0.3, e_det=0.02, p_dark=1e-3)
    miss, dark = 1.0 - source.eta, source.p_dark
    k_max = source.sent_given_valid.size - 1
    weights = []
    for k in range(k_max + 1):
        one_click = 0.0
        for j in range(k + 1):
            silent_1 = miss ** (k - j) * (1.0 - dark)
            silent_2 = miss**j * (1.0 - dark)
            one_click += ((1.0 - silent_1) * silent_2 + silent_1 * (1.0 - silent_2)) / (k + 1)
        weights.append(pair_number_distribution(source.mu, k) * one_click)
    weights = np.array(weights)
    np.testing.assert_allclose(source.sent_given_valid, weights / weights.sum(), rtol=1e-9, atol=1e-300)


def test_truncation_tolerance_against_long_sum():
    """Cutting the pair-number sum early changes no probability by more than the documented 1e-15 tolerance."""
    source = PDCSource(mu=0.5, eta=0.3, e_det=0.01, p_dark=1e-6)
    probs = source.sent_given_valid
    assert probs[-1] < 1e-15
    k = np.arange(300)
    miss = (1.0 - source.eta) ** k
    inner = source.p_dark * miss + (np.cumsum(miss) - miss - k * miss) / (k + 1.0)
    reference = pair_number_distribution(source.mu, k) * inner
    reference /= reference.sum()
    np.testing.assert_allclose(probs, reference[: probs.size], rtol=1e-13)
    assert reference[probs.size :].sum() < 1e-15


def test_without_dark_counts_errors_equal_e_det_and_no_empty_rounds():
    source = PDCSource(mu=0.01, eta=0.2, e_det=0.03, p_dark=0.0)
    assert source.p_bob_noclick_dishonest == 0.0
    assert source.qber_expected == pytest.approx(0.03, rel=1e-12)


def test_more_loss_means_more_dark_count_rounds_and_more_errors(erven_source_parameters):
    low_loss = PDCSource(mu=3.145e-5, eta=0.25, e_det=0.0093, p_dark=1.5e-8)
    high_loss = PDCSource(**erven_source_parameters)
    assert high_loss.p_bob_noclick_dishonest > low_loss.p_bob_noclick_dishonest
    assert high_loss.qber_expected > low_loss.qber_expected > 0.0093


@pytest.mark.parametrize(
    ("field", "value"),
    [("mu", 0.0), ("mu", -1.0), ("eta", 0.0), ("eta", 1.5), ("e_det", 0.6), ("p_dark", 1.0), ("p_dark", -0.1)],
)
def test_invalid_parameters_name_the_config_key(erven_source_parameters, field, value):
    parameters = dict(erven_source_parameters, **{field: value})
    with pytest.raises(ConfigValueError, match=f"source.{field}"):
        PDCSource(**parameters)
