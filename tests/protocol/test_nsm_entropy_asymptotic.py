"""Binary entropy, its inverse, and the asymptotic STW / KWW conditions (nsm_physics.md sections 4-5, TV12)."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.protocol.security import (
    STW_QBER_LIMIT,
    STW_R_TILDE,
    binary_entropy,
    capacity_rate,
    individual_attack_conditions,
    inverse_binary_entropy,
    kww_capacity_secure,
    q_storage,
)


def test_binary_entropy_values_and_endpoints():
    assert binary_entropy(0.0) == 0.0
    assert binary_entropy(1.0) == 0.0
    assert binary_entropy(0.5) == pytest.approx(1.0, abs=1e-15)
    assert binary_entropy(0.11) == pytest.approx(0.499915958, abs=1e-9)
    assert np.isnan(binary_entropy(-0.1)) and np.isnan(binary_entropy(1.1))
    np.testing.assert_allclose(binary_entropy([0.2, 0.8]), [0.7219280949] * 2, atol=1e-10)


def test_erven_syndrome_size_tv21():
    assert 1.491 * binary_entropy(0.0093) * 600_000 == pytest.approx(68_093, abs=1.0)


@pytest.mark.parametrize("branch", ["lower", "upper"])
def test_inverse_round_trips_on_its_branch(branch):
    h = np.linspace(0.0, 1.0, 1001)
    p = inverse_binary_entropy(h, branch=branch)
    np.testing.assert_allclose(binary_entropy(p), h, atol=1e-12)
    if branch == "lower":
        assert np.all((p >= 0.0) & (p <= 0.5))
    else:
        assert np.all((p >= 0.5) & (p <= 1.0))


def test_inverse_rejects_bad_input():
    assert np.isnan(inverse_binary_entropy(1.5))
    with pytest.raises(ValueError):
        inverse_binary_entropy(0.5, branch="middle")


def test_stw_thresholds_tv12():
    assert STW_QBER_LIMIT == pytest.approx(0.110028, abs=1e-6)
    assert STW_R_TILDE == pytest.approx(0.779944, abs=1e-6)
    assert inverse_binary_entropy(0.5, branch="upper") == pytest.approx(0.889972, abs=1e-6)
    assert STW_R_TILDE == pytest.approx(1.0 - 2.0 * STW_QBER_LIMIT, abs=1e-15)


def test_q_storage_is_half_the_depolarisation():
    np.testing.assert_allclose(q_storage([0.0, 0.75, 1.0]), [0.5, 0.125, 0.0])


def _both_conditions_hold(qber: float, r: float) -> bool:
    conditions = individual_attack_conditions(qber, r)
    return conditions.qber_below_limit and conditions.qber_below_storage_noise


def test_storage_noise_condition_is_strict():
    at_bound = individual_attack_conditions(qber=0.05, r=0.9)
    assert 0.9 >= STW_R_TILDE
    assert at_bound.qber_below_limit and not at_bound.qber_below_storage_noise and not _both_conditions_hold(0.05, 0.9)
    below = individual_attack_conditions(qber=0.0499, r=0.9)
    assert _both_conditions_hold(0.0499, 0.9) and below.q_storage == pytest.approx(0.05)


def test_eleven_percent_limit_binds_below_r_tilde():
    assert _both_conditions_hold(0.11, 0.5)
    failing = individual_attack_conditions(qber=0.1101, r=0.5)
    assert not 0.5 >= STW_R_TILDE
    assert failing.qber_below_storage_noise and not failing.qber_below_limit and not _both_conditions_hold(0.1101, 0.5)


def test_individual_conditions_equal_min_of_both_thresholds():
    for r in np.linspace(0.0, 1.0, 41):
        bound = min(STW_QBER_LIMIT, (1.0 - r) / 2.0)
        for qber in (bound - 1e-9, bound + 1e-9):
            assert _both_conditions_hold(qber, r) == (qber < bound)


def test_kww_capacity_condition():
    assert capacity_rate(0.75, 0.002) == pytest.approx(0.4564356 * 0.002, rel=1e-6)
    assert kww_capacity_secure(0.77, 1.0) and not kww_capacity_secure(0.79, 1.0)
    assert kww_capacity_secure(1.0, 0.4999) and not kww_capacity_secure(1.0, 0.5)
