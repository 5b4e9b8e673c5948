"""Every link model's exact outcome table against an independent QuTiP pipeline, at seeded random parameter points.

The QuTiP side (tests/physics/qutip_reference.py) rebuilds the delivered states from the published formulas, the
memory noise from a Lindblad propagator, gates from Pauli exponentials and gate noise from NetSquid's Pauli channel,
then follows the timeline of :mod:`caligo_sweep.physics.outcomes`: memory noise on both qubits for the herald
delay, Bob's noisy correction, H plus gate noise on each X-measuring side, projective Z readout.
"""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.physics.device import DeviceNoise
from caligo_sweep.physics.heralded import HeraldedDoubleClickLink
from caligo_sweep.physics.links import DepolariseLink, PerfectLink
from caligo_sweep.physics.outcomes import build_physical_model

qutip = pytest.importorskip("qutip")
import qutip_reference as ref  # noqa: E402  (needs qutip)

N_POINTS = 25
TOLERANCE = 1e-9


def _random_device(rng: np.random.Generator) -> tuple[DeviceNoise, float]:
    """A device with T1/T2 comparable to fibre herald delays, and a detector error."""
    T1 = float(rng.choice([0.0, rng.uniform(1e4, 1e6)]))
    T2 = float(rng.choice([0.0, rng.uniform(5e3, 1e6)]))
    if T1 > 0 and T2 > T1:
        T2 = T1 * rng.uniform(0.1, 1.0)
    device = DeviceNoise(T1_ns=T1, T2_ns=T2, single_qubit_gate_depolar_prob=rng.uniform(0.0, 0.2))
    return device, float(rng.choice([0.0, rng.uniform(0.0, 0.1)]))


def _qutip_gate_noise(device: DeviceNoise, detector_error: float) -> float:
    """Seed 002's mapping min(1, 2 e_det), composed with the configured gate noise as two channels in a row."""
    mapped = min(1.0, 2.0 * detector_error)
    return 1 - (1 - device.single_qubit_gate_depolar_prob) * (1 - mapped)


def _qutip_pipeline(branches, herald_delay_ns, device, detector_error):
    """Mixture over (probability, label, state) of memory -> correction, then the measurement table."""
    prob_1q = _qutip_gate_noise(device, detector_error)
    state = 0
    for probability, label, rho in branches:
        for qubit in (0, 1):
            rho = ref.memory(rho, qubit, herald_delay_ns, device.T1_ns, device.T2_ns)
        state = state + probability * ref.corrected(rho, label, prob_1q)
    fidelity = qutip.expect(ref.PHI_PLUS, state)
    return ref.outcome_table(state, prob_1q), fidelity


def _assert_matches(link, device, detector_error, branches, herald_delay_ns):
    model = build_physical_model(link, device, detector_error=detector_error)
    table, fidelity = _qutip_pipeline(branches, herald_delay_ns, device, detector_error)
    np.testing.assert_allclose(model.outcome_probabilities, table, atol=TOLERANCE, rtol=0)
    assert model.fidelity_expected == pytest.approx(fidelity, abs=TOLERANCE)


def test_perfect_link_outcomes_match_qutip():
    rng = np.random.default_rng(101)
    for _ in range(N_POINTS):
        device, detector_error = _random_device(rng)
        link = PerfectLink(state_delay_ns=rng.uniform(0, 1e5))
        _assert_matches(link, device, detector_error, [(1.0, "phi+", ref.PHI_PLUS)], 0.0)


def test_depolarise_link_outcomes_match_qutip():
    rng = np.random.default_rng(202)
    for _ in range(N_POINTS):
        device, detector_error = _random_device(rng)
        fidelity = rng.uniform(0.5 + 1e-9, 1.0)
        p_mixed = 4 * (1 - fidelity) / 3
        werner = (1 - p_mixed) * ref.PHI_PLUS + p_mixed * ref.ID4 / 4
        link = DepolariseLink(fidelity=fidelity, prob_success=rng.uniform(0.01, 1.0), t_cycle_ns=rng.uniform(0, 1e5))
        _assert_matches(link, device, detector_error, [(1.0, "phi+", werner)], 0.0)
        assert build_physical_model(link, device).p_success == link.prob_success


def test_heralded_link_outcomes_match_qutip():
    rng = np.random.default_rng(303)
    for _ in range(N_POINTS):
        device, detector_error = _random_device(rng)
        length_km = rng.uniform(0, 100)
        p_loss_init = rng.uniform(0, 0.5)
        p_loss_length = rng.uniform(0.15, 0.35)
        speed = rng.uniform(1e5, 3e5)
        detector_efficiency = rng.uniform(0.2, 1.0)
        collection_efficiency = rng.uniform(0.5, 1.0)
        dark = float(rng.choice([0.0, rng.uniform(0, 0.2)]))
        visibility = rng.uniform(0, 1)
        emission_fidelity = rng.uniform(0.25, 1.0)
        resolving = bool(rng.integers(2))
        modes = int(rng.integers(1, 6))
        link = HeraldedDoubleClickLink(
            length_km=length_km,
            p_loss_init=p_loss_init,
            p_loss_length_db_per_km=p_loss_length,
            speed_of_light_km_s=speed,
            detector_efficiency=detector_efficiency,
            dark_count_probability=dark,
            visibility=visibility,
            emission_fidelity=emission_fidelity,
            collection_efficiency=collection_efficiency,
            num_resolving=resolving,
            num_multiplexing_modes=modes,
        )
        eta = (1 - p_loss_init) * collection_efficiency * 10 ** (-p_loss_length * length_km / 20) * detector_efficiency
        single_mode, psi_plus, psi_minus = ref.heralded_states(eta, visibility, dark, resolving, emission_fidelity)
        round_trip_ns = length_km / speed * 1e9
        branches = [(0.5, "psi+", psi_plus), (0.5, "psi-", psi_minus)]
        _assert_matches(link, device, detector_error, branches, round_trip_ns)
        model = build_physical_model(link, device, detector_error=detector_error)
        assert model.p_success == pytest.approx(1 - (1 - single_mode) ** modes, abs=1e-15)
        assert model.detection_probability_per_side == pytest.approx(eta, abs=1e-15)
        assert model.cycle_time_ns == pytest.approx(round_trip_ns, rel=1e-12)
        assert model.herald_delay_ns == pytest.approx(round_trip_ns, rel=1e-12)
