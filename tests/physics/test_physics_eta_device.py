"""eta semantics, automatic link selection, and the detector-error mapping onto device gate noise."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from caligo_sweep.physics.device import (
    DeviceNoise,
    compose_depolar_probs,
    gate_depolar_prob_from_detector_error,
)
from caligo_sweep.physics.eta import apply_eta, select_link_model
from caligo_sweep.physics.heralded import HeraldedDoubleClickLink
from caligo_sweep.physics.links import DepolariseLink
from caligo_sweep.physics.outcomes import build_physical_model

LOSSY = HeraldedDoubleClickLink(
    length_km=20.0,
    p_loss_init=0.1,
    p_loss_length_db_per_km=0.2,
    detector_efficiency=0.8,
    collection_efficiency=0.9,
    dark_count_probability=1e-5,
)
DETECTOR_ERRORS = np.linspace(0.0, 0.5, 11)


def test_eta_none_leaves_the_link_unchanged():
    assert apply_eta(LOSSY, None, "end_to_end") is LOSSY


def test_detector_only_replaces_the_detector_and_keeps_fibre_and_insertion_loss():
    link = apply_eta(LOSSY, 0.5, "detector_only")
    assert link == replace(LOSSY, detector_efficiency=0.5)
    transmission = 10 ** (-0.2 * 10.0 / 10)
    assert link.detection_probability_per_side == pytest.approx(0.9 * 0.9 * transmission * 0.5, rel=1e-14)
    assert link.cycle_time_ns == LOSSY.cycle_time_ns


@pytest.mark.parametrize("eta", [0.05, 0.3, 10 ** (-0.2 * 10.0 / 10)])
def test_end_to_end_makes_eta_the_whole_detection_probability(eta):
    link = apply_eta(LOSSY, eta, "end_to_end")
    assert link.detection_probability_per_side == pytest.approx(eta, rel=1e-14)
    assert (link.detector_efficiency, link.collection_efficiency) == (1.0, 1.0)
    assert (link.length_km, link.cycle_time_ns, link.dark_count_probability) == (
        LOSSY.length_km,
        LOSSY.cycle_time_ns,
        LOSSY.dark_count_probability,
    )


def test_end_to_end_on_a_zero_length_link_puts_all_loss_in_p_loss_init():
    link = apply_eta(HeraldedDoubleClickLink(), 0.25, "end_to_end")
    assert link.p_loss_init == pytest.approx(0.75, abs=1e-15)
    assert build_physical_model(link, DeviceNoise.perfect()).p_success == pytest.approx(0.5 * 0.25**2, rel=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "perfect"),
        ({"eta": 1.0, "length_km": 0.0}, "perfect"),
        ({"fidelity": 0.95}, "depolarise"),
        ({"fidelity": 0.95, "eta": 1.0, "detector_error": 0.01}, "depolarise"),
        ({"detector_error": 0.01}, "depolarise"),
        ({"eta": 0.9}, "heralded"),
        ({"dark_count_probability": 1e-6}, "heralded"),
        ({"length_km": 5.0}, "heralded"),
        ({"fidelity": 0.95, "eta": 0.5, "length_km": 10.0}, "heralded"),
    ],
)
def test_select_link_model_follows_seed_002_rules(kwargs, expected):
    assert select_link_model(**kwargs) == expected


def test_detector_error_mapping_is_twice_e_det_and_composes_with_gate_noise():
    assert [gate_depolar_prob_from_detector_error(e) for e in (0.0, 0.01, 0.25, 0.5)] == [0.0, 0.02, 0.5, 1.0]
    assert compose_depolar_probs(0.1, 0.2) == pytest.approx(1 - 0.9 * 0.8, abs=1e-15)
    device = DeviceNoise(single_qubit_gate_depolar_prob=0.1).with_detector_error(0.05)
    assert device.single_qubit_gate_depolar_prob == pytest.approx(1 - 0.9 * 0.9, abs=1e-15)


def test_detector_error_raises_only_x_basis_qber_on_a_depolarise_link():
    """Each H flips its side's X bit with probability e_det; nothing precedes a Z measurement."""
    link = DepolariseLink(fidelity=0.95, prob_success=1.0, t_cycle_ns=1.0)
    q_link = 2 * (1 - 0.95) / 3
    qber_x = []
    for e_det in DETECTOR_ERRORS:
        model = build_physical_model(link, DeviceNoise.perfect(), detector_error=e_det)
        flip = 2 * e_det * (1 - e_det)
        assert model.qber_z_expected == pytest.approx(q_link, abs=1e-15)
        assert model.qber_x_expected == pytest.approx(q_link * (1 - flip) + (1 - q_link) * flip, abs=1e-14)
        qber_x.append(model.qber_x_expected)
    assert np.all(np.diff(qber_x) > 0)
    assert qber_x[-1] == pytest.approx(0.5, abs=1e-15)


def test_detector_error_raises_both_qbers_on_a_heralded_link():
    """Bob's Bell-state correction gates are noisy too, so the Z basis is affected as well."""
    models = [
        build_physical_model(LOSSY, DeviceNoise.perfect(), detector_error=e_det) for e_det in DETECTOR_ERRORS
    ]
    qber_z = np.array([m.qber_z_expected for m in models])
    qber_x = np.array([m.qber_x_expected for m in models])
    assert np.all(np.diff(qber_z) > 0) and np.all(np.diff(qber_x) > 0)
    small = build_physical_model(LOSSY, DeviceNoise.perfect(), detector_error=1e-4)
    slope = (small.qber_z_expected - models[0].qber_z_expected) / 1e-4
    assert slope == pytest.approx(1.5 * (1 - 2 * models[0].qber_z_expected), rel=1e-3)


def test_default_device_is_generic_qdevice_config_and_perfect_is_noiseless():
    default = DeviceNoise()
    assert (default.T1_ns, default.T2_ns, default.single_qubit_gate_depolar_prob) == (1e10, 1e9, 0.0)
    assert all(value == 0.0 for value in DeviceNoise.perfect().__dict__.values())
