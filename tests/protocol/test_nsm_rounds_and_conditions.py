"""Rounds before loss, the loss test, the full Schaffner condition, r from the wait and the C_BB84 conventions."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.heralded import HeraldedDoubleClickLink
from caligo_sweep.physics.device import DeviceNoise
from caligo_sweep.physics.outcomes import build_physical_model
from caligo_sweep.protocol.security import (
    NSMParameters,
    SourceStatistics,
    analyse_nsm_security,
    c_bb84,
    epr_link_statistics,
)
from caligo_sweep.protocol.security.storage_channel import retention_after_wait

NSM = NSMParameters(r=0.75, nu=0.002, eps=2.5e-7, ec_efficiency=1.2)


@pytest.mark.parametrize(
    ("n_rounds", "p_click", "nu", "m", "m1", "storage", "window"),
    [
        # zeta = sqrt(ln(2/2.5e-7) / 2e7) = 8.914862e-4; m1 = (0.1 - 3 zeta) 1e7; S = 0.002 * 1e7
        (10_000_000, 0.1, 0.002, 1.0e6, 973_255.41, 20_000.0, (991_085.14, 1_008_914.86)),
        # zeta = sqrt(ln(8e6) / 1.6e7) = 9.967118e-4; m1 = (0.05 - 3 zeta) 8e6; S = 0.01 * 8e6
        (8_000_000, 0.05, 0.01, 4.0e5, 376_078.92, 80_000.0, (392_026.31, 407_973.69)),
    ],
)
def test_lossy_link_rounds_are_emissions(n_rounds, p_click, nu, m, m1, storage, window):
    stats = epr_link_statistics(n_rounds, 0.01, detection_probability=p_click)
    result = analyse_nsm_security(stats, dataclasses.replace(NSM, nu=nu))
    assert result.n_rounds == n_rounds
    assert result.m == pytest.approx(m, rel=1e-12)
    assert result.m1 == pytest.approx(m1, abs=0.01)
    assert result.storage_qubits == pytest.approx(storage, rel=1e-12)
    assert (result.detection_window_low, result.detection_window_high) == pytest.approx(window, abs=0.01)


def test_multiplexed_modes_are_rounds():
    link = HeraldedDoubleClickLink(length_km=10.0, detector_efficiency=0.9, num_multiplexing_modes=4)
    model = build_physical_model(link, DeviceNoise.perfect())
    single_mode = 1.0 - (1.0 - model.p_success) ** 0.25
    assert model.modes_per_attempt == 4
    assert model.detection_probability_per_round == pytest.approx(model.p_success / 4, rel=1e-15)
    assert model.detection_probability_per_round < single_mode  # at most one pair per attempt


def test_lossless_link_reduces_to_the_delivered_pair_chain():
    n = 1_000_000
    default = analyse_nsm_security(epr_link_statistics(n, 0.015), NSM)
    explicit = analyse_nsm_security(epr_link_statistics(n, 0.015, detection_probability=1.0), NSM)
    assert default == explicit
    zeta = math.sqrt(math.log(2 / 2.5e-7) / (2 * n))
    assert (default.m, default.storage_qubits) == (n, 0.002 * n)
    assert default.m1 == pytest.approx((1 - 3 * zeta) * n, rel=1e-14)


def test_loss_test_accepts_the_honest_count_and_rejects_counts_outside_the_window():
    stats = epr_link_statistics(10_000_000, 0.01, detection_probability=0.1)
    honest = analyse_nsm_security(stats, NSM, reported_detections=1_000_000)
    assert honest.loss_test_passed is True and honest.secure and honest.ot_length_bits > 0
    for reported in (math.floor(honest.detection_window_low) - 1, math.ceil(honest.detection_window_high) + 1):
        rejected = analyse_nsm_security(stats, NSM, reported_detections=reported)
        assert rejected.loss_test_passed is False
        assert not rejected.secure and rejected.ot_length_bits == 0
    assert analyse_nsm_security(stats, NSM).loss_test_passed is None


def test_honest_binomial_counts_pass_the_loss_test():
    rng = np.random.default_rng(8)
    n, p = 2_000_000, 0.05
    stats = epr_link_statistics(n, 0.01, detection_probability=p)
    reported = rng.binomial(n, p, size=200)
    passed = [analyse_nsm_security(stats, NSM, reported_detections=int(k)).loss_test_passed for k in reported]
    assert all(passed)  # the window is ~5.6 sigma wide on each side for eps = 2.5e-7


def test_explicit_leak_or_subset_length_replaces_the_estimate():
    stats = epr_link_statistics(1_000_000, 0.02)
    estimate = analyse_nsm_security(stats, NSM)
    h = -(0.02 * math.log2(0.02) + 0.98 * math.log2(0.98))
    assert estimate.ec_leak_bits == pytest.approx(1.2 * h * 500_000, rel=1e-12)
    by_length = analyse_nsm_security(stats, NSM, half_length_bits=400_000)
    assert by_length.ec_leak_bits == pytest.approx(1.2 * h * 400_000, rel=1e-12)
    actual = analyse_nsm_security(stats, NSM, ec_leak_bits=50_000.0)
    assert actual.ec_leak_bits == 50_000.0
    assert actual.ot_length_margin_bits - estimate.ot_length_margin_bits == pytest.approx(
        estimate.ec_leak_bits - 50_000.0, rel=1e-9
    )
    with pytest.raises(ValueError, match="at most one"):
        analyse_nsm_security(stats, NSM, ec_leak_bits=1.0, half_length_bits=1.0)


def test_eleven_percent_decides_where_storage_noise_is_larger():
    stats = SourceStatistics(1e6, 1.0, 0.0, 0.0, qber=0.15)
    result = analyse_nsm_security(stats, dataclasses.replace(NSM, r=0.5))
    assert result.q_storage == 0.25 and result.qber_below_storage_noise
    assert not result.qber_below_stw_limit and not result.individual_secure
    below = analyse_nsm_security(dataclasses.replace(stats, qber=0.10), dataclasses.replace(NSM, r=0.5))
    assert below.individual_secure


def test_retention_follows_the_wait():
    memory_time = 1e9 / math.log(4.0 / 3.0)
    assert retention_after_wait(1e9, memory_time) == pytest.approx(0.75, rel=1e-14)
    assert retention_after_wait(0.0, memory_time) == 1.0
    assert retention_after_wait(2e9, memory_time) == pytest.approx(0.75**2, rel=1e-14)
    with pytest.raises(ConfigValueError, match="nsm.memory_time_ns"):
        retention_after_wait(1e9, 0.0)


def test_absolute_storage_replaces_the_rate_and_both_is_an_error():
    stats = epr_link_statistics(1_000_000, 0.01)
    absolute = NSMParameters(r=0.75, nu=None, eps=2.5e-7, ec_efficiency=1.2, storage_qubits=2_000.0)
    assert analyse_nsm_security(stats, absolute) == analyse_nsm_security(stats, NSM)
    with pytest.raises(ConfigValueError, match="nsm.storage_qubits"):
        NSMParameters(r=0.75, nu=0.002, eps=2.5e-7, ec_efficiency=1.2, storage_qubits=2_000.0)
    with pytest.raises(ConfigValueError, match="nsm.nu"):
        NSMParameters(r=0.75, nu=None, eps=2.5e-7, ec_efficiency=1.2)


def _c_bb84_brute_force(m1: float, term_bits: float) -> float:
    s = np.geomspace(1e-6, 1.0, 2_000_001)
    return float(np.max((1 + s - np.log2(1 + 2**s)) / s - term_bits / (s * m1)))


def test_c_bb84_conventions_match_an_independent_maximisation():
    eps, m1 = 2.5e-7, 1.04915e6
    assert c_bb84(m1, eps) == pytest.approx(_c_bb84_brute_force(m1, math.log2(1 / (2 * eps))), abs=1e-8)
    ng = c_bb84(m1, eps, "ng2012")
    assert ng == pytest.approx(_c_bb84_brute_force(m1, math.log2(2 / eps**2)), abs=1e-8)
    assert ng < c_bb84(m1, eps)
    stats = epr_link_statistics(1_000_000, 0.01)
    erven = analyse_nsm_security(stats, NSM)
    ng_chain = analyse_nsm_security(stats, dataclasses.replace(NSM, c_bb84_term="ng2012"))
    assert ng_chain.ot_length_bits < erven.ot_length_bits
    with pytest.raises(ConfigValueError, match="nsm.c_bb84_term"):
        dataclasses.replace(NSM, c_bb84_term="ng2013")
