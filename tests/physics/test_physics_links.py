"""Link models: test vectors TV1-TV9 and TV13 of squid_stack.md section 5, closed forms and delivery invariants."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from caligo_sweep.physics.device import DeviceNoise
from caligo_sweep.physics.heralded import HeraldedDoubleClickLink
from caligo_sweep.physics.links import DepolariseLink, PerfectLink
from caligo_sweep.physics.outcomes import application_state, build_physical_model
from caligo_sweep.physics.states import BellIndex, z_basis_probabilities

from tv_precision import assert_printed

PERFECT_DEVICE = DeviceNoise.perfect()
TV1 = HeraldedDoubleClickLink(
    length_km=10.0,
    p_loss_length_db_per_km=0.2,
    detector_efficiency=0.9,
    dark_count_probability=1e-6,
    visibility=0.9,
    emission_fidelity=0.99,
)
TV6 = HeraldedDoubleClickLink(
    length_km=10.0,
    p_loss_length_db_per_km=0.2,
    detector_efficiency=0.5,
    dark_count_probability=1e-4,
    visibility=0.95,
    num_multiplexing_modes=3,
)


def _assert_model(link, *, p_success=None, fidelity=None, qber_z=None, qber_x=None):
    model = build_physical_model(link, PERFECT_DEVICE)
    for value, text in (
        (model.p_success, p_success),
        (model.fidelity_expected, fidelity),
        (model.qber_z_expected, qber_z),
        (model.qber_x_expected, qber_x),
    ):
        if text is not None:
            assert_printed(value, text)
    return model


def test_tv1_heralded_ten_km():
    assert_printed(TV1.detection_probability_per_side, "0.714895")
    events = TV1.events
    for value, text in zip(
        (events.p_t, events.p_f1, events.p_f2, events.p_f3, events.p_f4),
        ("2.299835e-1", "2.555372e-2", "4.855e-7", "8.153e-7", "3.25e-13"),
    ):
        assert_printed(value, text)
    assert_printed(TV1.werner_parameter, "0.973511")
    model = _assert_model(TV1, p_success="0.2555385", fidelity="0.931454", qber_z="0.013248", qber_x="0.061922")
    assert model.cycle_time_ns == pytest.approx(50_000.0, rel=1e-15)
    assert model.herald_delay_ns == pytest.approx(50_000.0, rel=1e-15)
    assert_printed(1 / model.p_success, "3.9133")
    assert_printed(model.cycle_time_ns / model.p_success, "195 665")


def test_tv2_photon_number_resolving():
    link = replace(TV1, num_resolving=True)
    _assert_model(link, p_success="0.2555375", fidelity="0.931456", qber_z="0.013246", qber_x="0.061921")


def test_tv3_ideal_zero_length():
    model = _assert_model(HeraldedDoubleClickLink(), p_success="0.5", fidelity="1", qber_z="0", qber_x="0")
    assert model.cycle_time_ns == 0.0 and model.herald_delay_ns == 0.0


def test_tv4_fifty_km_with_defaults():
    link = HeraldedDoubleClickLink(length_km=50.0)
    assert_printed(link.detection_probability_per_side, "0.237137")
    model = _assert_model(link, p_success="0.02811707", fidelity="1")
    assert model.cycle_time_ns == pytest.approx(250_000.0, rel=1e-15)


def test_tv5_emission_fidelity_only():
    link = HeraldedDoubleClickLink(emission_fidelity=0.95)
    assert_printed(link.werner_parameter, "0.871111")
    model = _assert_model(link, fidelity="0.903333", qber_z="0.064444", qber_x="0.064444")
    assert model.qber_z_expected == pytest.approx((1 - link.werner_parameter) / 2, abs=1e-15)


def test_tv6_multiplexed_lossy_link():
    assert_printed(TV6.detection_probability_per_side, "0.397164")
    assert_printed(TV6.events.total, "0.078965")
    _assert_model(TV6, p_success="0.2186811", fidelity="0.973931", qber_z="0.000801", qber_x="0.025669")


def test_tv7_collection_efficiency_folds_into_initial_loss():
    link = HeraldedDoubleClickLink(collection_efficiency=0.5)
    assert link.effective_p_loss_init == pytest.approx(0.5, abs=1e-15)
    assert_printed(link.detection_probability_per_side, "0.5")
    _assert_model(link, p_success="0.125", fidelity="1")


def test_tv8_depolarise_with_failures():
    link = DepolariseLink(fidelity=0.9, prob_success=0.8, t_cycle_ns=10.0)
    assert_printed(link.prob_max_mixed, "0.133333")
    model = _assert_model(link, qber_z="0.066667", qber_x="0.066667")
    assert_printed(1 / model.p_success, "1.25")
    assert_printed(model.cycle_time_ns / model.p_success, "12.5")


def test_tv9_depolarise_fidelity_095():
    link = DepolariseLink(fidelity=0.95, prob_success=1.0, t_cycle_ns=1000.0)
    assert_printed(link.prob_max_mixed, "0.066667")
    _assert_model(link, qber_z="0.033333", qber_x="0.033333")


def test_tv13_noisy_correction_of_psi_plus():
    device = replace(PERFECT_DEVICE, single_qubit_gate_depolar_prob=0.01)
    psi_plus = next(b for b in TV1.branches if b.bell_index == BellIndex.PSI_PLUS)
    probabilities = z_basis_probabilities(application_state(psi_plus, device, 0.0))
    assert_printed(probabilities[1] + probabilities[2], "0.018115")


@pytest.mark.parametrize("fidelity", [0.5000001, 0.6, 0.75, 0.9, 0.99, 1.0])
def test_depolarise_closed_form_qber(fidelity):
    model = build_physical_model(DepolariseLink(fidelity, 1.0, 1.0), PERFECT_DEVICE)
    assert model.qber_z_expected == pytest.approx(2 * (1 - fidelity) / 3, abs=1e-15)
    assert model.qber_x_expected == pytest.approx(2 * (1 - fidelity) / 3, abs=1e-15)
    assert model.fidelity_expected == pytest.approx(fidelity, abs=1e-15)


def test_heralded_closed_forms_of_section_3_4():
    rng = np.random.default_rng(7)
    for _ in range(20):
        link = _random_heralded_link(rng)
        ev, q = link.events, link.werner_parameter
        mixed = (ev.p_t + ev.p_f1 + ev.p_f2) * (1 - q) + ev.p_f3 + ev.p_f4
        model = build_physical_model(link, PERFECT_DEVICE)
        fidelity = (ev.p_t * q + ev.p_f1 * q / 2 + mixed / 4) / ev.total
        assert model.fidelity_expected == pytest.approx(fidelity, abs=1e-12)
        assert model.qber_z_expected == pytest.approx((ev.p_f2 * q + mixed / 2) / ev.total, abs=1e-12)
        assert model.qber_x_expected == pytest.approx(((ev.p_f1 + ev.p_f2) * q / 2 + mixed / 2) / ev.total, abs=1e-12)
        assert 1 / model.p_success == pytest.approx(1 / (1 - (1 - ev.total) ** link.num_multiplexing_modes))


def test_perfect_link_delivery():
    model = build_physical_model(PerfectLink(), PERFECT_DEVICE)
    assert (model.p_success, model.cycle_time_ns, model.herald_delay_ns) == (1.0, 1000.0, 0.0)
    assert model.qber_expected == pytest.approx(0.0, abs=1e-15)
    assert np.isnan(model.detection_probability_per_side)
    assert PerfectLink.from_length(20.0).state_delay_ns == pytest.approx(1e5, rel=1e-15)


def test_depolarise_from_length_uses_one_way_travel_time():
    link = DepolariseLink.from_length(0.9, 0.5, length_km=40.0, speed_of_light_km_s=2e5)
    assert link.cycle_time_ns == pytest.approx(2e5, rel=1e-15)
    assert link.herald_delay_ns == 0.0


@pytest.mark.parametrize("gate_noise", [0.0, 0.05])
def test_psi_minus_and_psi_plus_corrections_agree_only_without_gate_noise(gate_noise):
    device = DeviceNoise(T1_ns=2e5, T2_ns=1e5, single_qubit_gate_depolar_prob=gate_noise)
    psi_plus, psi_minus = TV1.branches
    state_plus = application_state(psi_plus, device, TV1.herald_delay_ns)
    state_minus = application_state(psi_minus, device, TV1.herald_delay_ns)
    if gate_noise == 0.0:
        np.testing.assert_allclose(state_plus, state_minus, atol=1e-15)
    else:
        assert np.abs(state_plus - state_minus).max() > 1e-3  # Psi- needs one more noisy gate


def test_delivered_branches_are_density_matrices():
    rng = np.random.default_rng(11)
    for _ in range(50):
        link = _random_heralded_link(rng)
        assert sum(b.probability for b in link.branches) == pytest.approx(1.0)
        for branch in link.branches:
            rho = branch.rho
            assert not rho.flags.writeable
            np.testing.assert_allclose(rho, rho.conj().T, atol=1e-15)
            assert np.trace(rho).real == pytest.approx(1.0, abs=1e-12)
            assert np.linalg.eigvalsh(rho).min() > -1e-12


def _random_heralded_link(rng: np.random.Generator) -> HeraldedDoubleClickLink:
    return HeraldedDoubleClickLink(
        length_km=rng.uniform(0, 80),
        p_loss_init=rng.uniform(0, 0.5),
        p_loss_length_db_per_km=rng.uniform(0.15, 0.35),
        detector_efficiency=rng.uniform(0.2, 1.0),
        dark_count_probability=rng.choice([0.0, rng.uniform(0, 0.2)]),
        visibility=rng.uniform(0, 1),
        emission_fidelity=rng.uniform(0.25, 1.0),
        collection_efficiency=rng.uniform(0.5, 1.0),
        num_resolving=bool(rng.integers(2)),
        num_multiplexing_modes=int(rng.integers(1, 6)),
    )
