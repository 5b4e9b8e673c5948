"""The finite-size NSM chain (nsm_physics.md section 9) on the Erven et al. 2014 point and its properties (TV3-TV8)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.optimize import brentq

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.pdc_source import PDCSource
from caligo_sweep.protocol.security import (
    NSMParameters,
    SourceStatistics,
    analyse_nsm_security,
    epr_link_statistics,
    pdc_statistics,
)

ERVEN_N = 8.00e7
ERVEN_NSM = NSMParameters(r=0.75, nu=0.002, eps=2.5e-7, ec_efficiency=1.491)


@pytest.fixture
def erven(erven_source_parameters):
    """``erven(**source_changes)`` analyses the Erven et al. 2014 point, with some source parameters changed."""

    def _analyse(**source_changes: float):
        source = PDCSource(**dict(erven_source_parameters, **source_changes))
        return analyse_nsm_security(pdc_statistics(source, ERVEN_N), ERVEN_NSM)

    return _analyse


def test_erven_counts_tv3_tv4(erven):
    result = erven()
    assert result.m == pytest.approx(1.12831e6, rel=1e-5)
    assert result.m == pytest.approx(1.128e6, rel=1e-3)
    assert result.hoeffding_width == pytest.approx(3.1519e-4, rel=1e-4)
    assert result.m1 == pytest.approx(1.04915e6, rel=1e-5)
    assert result.m1 == pytest.approx(1.049e6, rel=2e-3)
    assert result.storage_qubits == pytest.approx(1.6e5)


def test_erven_storage_condition_tv6(erven):
    result = erven()
    assert result.c_bb84 == pytest.approx(0.497370, abs=1e-6)
    assert result.storage_capacity * result.storage_qubits == pytest.approx(73_029.7, abs=0.1)
    assert result.min_entropy_bits == pytest.approx(260_886, abs=1.0)
    assert result.single_pairs_ok and result.storage_bound_ok


def test_erven_ot_length_tv7(erven):
    result = erven()
    assert result.rate_R == pytest.approx(1.63054, abs=1e-5)
    assert result.gamma == pytest.approx(0.823183, abs=1e-6)
    assert result.ec_leak_bits == pytest.approx(64_031, abs=1.0)
    assert result.ot_length_margin_bits == pytest.approx(1_802.6, abs=0.5)
    assert result.ot_length_bits == math.floor(result.ot_length_margin_bits)
    assert 1_000 <= result.ot_length_bits <= 2_600  # paper: 1,366 (see nsm_physics.md 2.6)
    assert result.secure and result.length_positive


@pytest.mark.parametrize(("eta", "self_computed", "paper"), [(0.015, 0.00962, 0.00954), (0.25, 0.02383, 0.0238)])
def test_error_rate_thresholds_tv8(erven, eta, self_computed, paper):
    threshold = brentq(lambda e: erven(eta=eta, e_det=e).ot_length_margin_bits, 0.001, 0.05, xtol=1e-9)
    assert threshold == pytest.approx(self_computed, abs=1e-5)
    assert threshold == pytest.approx(paper, abs=2e-4)
    assert erven(eta=eta, e_det=threshold * 0.999).secure
    insecure = erven(eta=eta, e_det=threshold * 1.001)
    assert not insecure.secure and insecure.ot_length_bits == 0 and not insecure.length_positive


def test_length_non_increasing_in_qber():
    nsm = NSMParameters(r=0.75, nu=0.01, eps=1e-6, ec_efficiency=1.2)
    qber = np.linspace(0.0, 0.06, 61)
    results = [analyse_nsm_security(epr_link_statistics(2_000_000, q), nsm) for q in qber]
    lengths = np.array([res.ot_length_bits for res in results])
    margins = np.array([res.ot_length_margin_bits for res in results])
    assert lengths[0] > 0 and lengths[-1] == 0
    assert np.all(np.diff(lengths) <= 0)
    assert np.all(np.diff(margins) < 0)


def test_length_non_increasing_in_retention():
    stats = epr_link_statistics(2_000_000, 0.02)
    r = np.linspace(0.0, 1.0, 41)
    results = [analyse_nsm_security(stats, NSMParameters(r=x, nu=0.3, eps=1e-6, ec_efficiency=1.2)) for x in r]
    lengths = np.array([res.ot_length_bits for res in results])
    assert lengths[0] > 0 and lengths[-1] == 0
    assert np.all(np.diff(lengths) <= 0)
    assert [res.storage_bound_ok for res in results][-1] is False


def test_epr_link_mapping():
    n = 1_000_000
    stats = epr_link_statistics(n, 0.015)
    assert (stats.p_single_given_valid, stats.p_noclick_honest, stats.p_noclick_dishonest) == (1.0, 0.0, 0.0)
    result = analyse_nsm_security(stats, NSMParameters(r=0.75, nu=0.05, eps=2.5e-7, ec_efficiency=1.2))
    assert result.m == n
    assert result.m1 == pytest.approx((1.0 - 3.0 * result.hoeffding_width) * n, rel=1e-14)
    assert result.qber == 0.015
    with pytest.raises(ValueError):
        epr_link_statistics(0, 0.01)


def test_too_few_rounds_fails_check_a_and_yields_nothing():
    result = analyse_nsm_security(epr_link_statistics(20, 0.0), NSMParameters(0.5, 0.1, 2.5e-7, 1.0))
    assert result.m1 < 0 and not result.single_pairs_ok
    assert not result.storage_bound_ok and not result.secure and result.ot_length_bits == 0
    assert math.isnan(result.c_bb84) and math.isnan(result.ot_length_margin_bits)


def test_large_noiseless_memory_fails_check_b():
    result = analyse_nsm_security(epr_link_statistics(10**6, 0.0), NSMParameters(1.0, 0.5, 2.5e-7, 1.0))
    assert result.single_pairs_ok and not result.storage_bound_ok
    assert result.gamma == 0.0 and result.ot_length_bits == 0 and not result.secure
    assert not result.kww_capacity_ok


def test_zero_storage_is_the_limit_of_small_storage():
    stats = epr_link_statistics(10**6, 0.02)
    nsm = NSMParameters(r=0.75, nu=0.0, eps=2.5e-7, ec_efficiency=1.2)
    at_zero = analyse_nsm_security(stats, nsm)
    tiny = analyse_nsm_security(stats, dataclasses.replace(nsm, nu=1e-7))
    assert at_zero.rate_R == math.inf and at_zero.storage_bound_ok
    assert at_zero.ot_length_margin_bits == pytest.approx(tiny.ot_length_margin_bits, abs=0.1)


def test_asymptotic_flags_are_reported_separately():
    stats = SourceStatistics(1e6, 1.0, 0.0, 0.0, qber=0.06)
    result = analyse_nsm_security(stats, NSMParameters(r=0.9, nu=0.001, eps=1e-6, ec_efficiency=1.0))
    assert result.q_storage == pytest.approx(0.05)
    assert result.qber_below_stw_limit and not result.qber_below_storage_noise
    assert result.capacity_rate == pytest.approx(0.713603e-3, rel=1e-5) and result.kww_capacity_ok


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("r", 1.5, "nsm.r"),
        ("nu", -0.1, "nsm.nu"),
        ("eps", 0.0, "nsm.eps"),
        ("eps", 0.5, "nsm.eps"),
        ("ec_efficiency", 0.9, "reconciliation.efficiency"),
        ("memory_dim", 1, "nsm.memory_dim"),
        ("memory_dim", 2.5, "nsm.memory_dim"),
    ],
)
def test_invalid_nsm_parameters_name_the_config_key(field, value, key):
    parameters = dict(r=0.75, nu=0.002, eps=2.5e-7, ec_efficiency=1.491)
    parameters[field] = value
    with pytest.raises(ConfigValueError, match=key):
        NSMParameters(**parameters)


def test_invalid_source_statistics_are_rejected():
    with pytest.raises(ValueError, match="n_rounds"):
        SourceStatistics(0.0, 1.0, 0.0, 0.0, 0.01)
    with pytest.raises(ValueError, match="qber"):
        SourceStatistics(10.0, 1.0, 0.0, 0.0, 1.2)
