"""Single-qubit gates and noise channels on two-qubit states: QuTiP cross-check and test vectors TV10-TV12."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.physics.channels import depolarise, memory_decoherence, noisy_gate
from caligo_sweep.physics.outcomes import outcome_table
from caligo_sweep.physics.states import (
    ALICE,
    BOB,
    HADAMARD,
    BellIndex,
    apply_unitary,
    bell_density_matrix,
    fidelity_with_bell,
    rotation_x,
    rotation_z,
    z_basis_probabilities,
)

from tv_precision import assert_printed

qutip = pytest.importorskip("qutip")
import qutip_reference as ref  # noqa: E402  (needs qutip)

RNG_SEED = 20240611
N_POINTS = 40
TOLERANCE = 1e-9


def _random_states(rng: np.random.Generator, count: int):
    for _ in range(count):
        state = qutip.rand_dm([2, 2], seed=int(rng.integers(2**31)))
        yield state, state.full()


@pytest.mark.parametrize("qubit", [ALICE, BOB])
def test_depolarise_matches_netsquid_pauli_channel(qubit):
    rng = np.random.default_rng(RNG_SEED)
    for state, matrix in _random_states(rng, N_POINTS):
        prob = rng.uniform(0.0, 1.0)
        expected = ref.depolarise(state, prob, qubit).full()
        np.testing.assert_allclose(depolarise(matrix, prob, qubit), expected, atol=TOLERANCE, rtol=0)


@pytest.mark.parametrize("qubit", [ALICE, BOB])
def test_gates_match_qutip(qubit):
    rng = np.random.default_rng(RNG_SEED + 1)
    for state, matrix in _random_states(rng, N_POINTS):
        angle = rng.uniform(-2 * np.pi, 2 * np.pi)
        prob = rng.uniform(0.0, 0.3)
        for ours, theirs in ((rotation_x(angle), ref.rx(angle)), (rotation_z(angle), ref.rz(angle))):
            np.testing.assert_allclose(
                apply_unitary(matrix, ours, qubit), ref.gate(state, theirs, qubit).full(), atol=TOLERANCE, rtol=0
            )
        np.testing.assert_allclose(
            noisy_gate(matrix, HADAMARD, qubit, prob),
            ref.noisy_gate(state, ref.HADAMARD, qubit, prob).full(),
            atol=TOLERANCE,
            rtol=0,
        )


@pytest.mark.parametrize("qubit", [ALICE, BOB])
def test_memory_decoherence_matches_lindblad_evolution(qubit):
    rng = np.random.default_rng(RNG_SEED + 2)
    for index, (state, matrix) in enumerate(_random_states(rng, N_POINTS)):
        T1 = rng.uniform(1e3, 1e6)
        T2 = rng.uniform(0.05, 1.0) * T1
        if index % 4 == 1:
            T1 = 0.0  # dephasing only
        elif index % 4 == 2:
            T2 = 0.0  # amplitude damping only
        idle = rng.uniform(0.0, 2.0) * max(T1, T2)
        expected = ref.memory(state, qubit, idle, T1, T2).full()
        np.testing.assert_allclose(
            memory_decoherence(matrix, qubit, idle, T1, T2), expected, atol=TOLERANCE, rtol=0
        )


def test_memory_off_when_both_times_are_zero():
    rho = bell_density_matrix(BellIndex.PHI_PLUS)
    np.testing.assert_array_equal(memory_decoherence(rho, BOB, 1e9, 0.0, 0.0), rho)


def test_coherence_decays_as_exp_minus_t_over_T2():
    rho = np.full((4, 4), 0.25, dtype=complex)  # |+>|+>
    out = memory_decoherence(rho, ALICE, 300.0, 1000.0, 400.0)
    reduced = np.einsum("abcb->ac", out.reshape(2, 2, 2, 2))
    assert reduced[0, 1].real == pytest.approx(0.5 * np.exp(-300.0 / 400.0), abs=1e-14)
    assert reduced[1, 1].real == pytest.approx(0.5 * np.exp(-300.0 / 1000.0), abs=1e-14)


def test_tv10_phi_plus_with_memory_noise_on_bob():
    rho = memory_decoherence(bell_density_matrix(BellIndex.PHI_PLUS), BOB, 1e4, 1e6, 1e5)
    table = outcome_table(rho, 0.0)
    assert_printed(fidelity_with_bell(rho), "0.949931")
    assert_printed(table[0, 0, 1] + table[0, 0, 2], "0.004975")
    assert_printed(table[1, 1, 1] + table[1, 1, 2], "0.047581")


def test_tv11_hadamard_gate_noise_on_both_sides():
    table = outcome_table(bell_density_matrix(BellIndex.PHI_PLUS), 0.01)
    assert_printed(table[1, 1, 1] + table[1, 1, 2], "0.009950")
    e = 0.01 / 2
    assert table[1, 1, 1] + table[1, 1, 2] == pytest.approx(2 * e * (1 - e), abs=1e-15)


def test_tv12_single_qubit_population_in_density_matrix_formalism():
    excited_alice = np.zeros((4, 4), dtype=complex)
    excited_alice[2, 2] = 1.0  # |1>_A |0>_B
    probabilities = z_basis_probabilities(memory_decoherence(excited_alice, ALICE, 50.0, 100.0, 50.0))
    assert_printed(probabilities[2] + probabilities[3], "0.606531")
