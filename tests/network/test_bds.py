"""Bell-diagonal closed forms against Bennett et al. 1996, Duer et al. 1999 and a density-matrix computation."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.network.bds import bbpssw, decohere, klein_convolve, pauli_channel_probabilities, swap, werner

FIDELITIES = [0.55, 0.7, 0.8, 0.95, 1.0]


@pytest.mark.parametrize("fidelity", FIDELITIES)
def test_bbpssw_on_werner_matches_bennett(fidelity):
    # Bennett et al., PRL 76, 722 (1996): F' = (F^2 + ((1-F)/3)^2) / N, N = F^2 + 2F(1-F)/3 + 5((1-F)/3)^2 = p_succ.
    q = (1 - fidelity) / 3
    success_bennett = fidelity**2 + 2 * fidelity * (1 - fidelity) / 3 + 5 * q**2
    success, output = bbpssw(werner(fidelity), werner(fidelity), twirl=True)
    assert success == pytest.approx(success_bennett, rel=1e-12)
    assert output[0] == pytest.approx((fidelity**2 + q**2) / success_bennett, rel=1e-12)
    assert output[1:] == pytest.approx([(1 - output[0]) / 3] * 3, rel=1e-12)


def _bell_projectors() -> list[np.ndarray]:
    s = 1 / np.sqrt(2)
    kets = [np.array([s, 0, 0, s]), np.array([s, 0, 0, -s]), np.array([0, s, s, 0]), np.array([0, s, -s, 0])]
    return [np.outer(k, k) for k in kets]


def _density_matrix_bbpssw(kept: np.ndarray, measured: np.ndarray) -> tuple[float, np.ndarray]:
    """Qubits (a1, b1, a2, b2): CNOT a1->a2 and b1->b2, measure a2, b2 in Z, keep equal outcomes."""
    bell = _bell_projectors()
    rho1 = sum(w * p for w, p in zip(kept, bell))
    rho2 = sum(w * p for w, p in zip(measured, bell))
    rho = np.kron(rho1, rho2).reshape([2] * 8)
    # reorder to (a1, a2, b1, b2) so that each CNOT acts on neighbouring qubits
    rho = rho.transpose(0, 2, 1, 3, 4, 6, 5, 7).reshape(16, 16)
    cnot = np.eye(4)[[0, 1, 3, 2]]
    gate = np.kron(cnot, cnot)
    rho = gate @ rho @ gate.T
    success, out = 0.0, np.zeros((4, 4))
    for bit in (0, 1):
        proj2 = np.diag([1.0 if (k & 1) == bit else 0.0 for k in range(2)])
        projector = np.kron(np.kron(np.eye(2), proj2), np.kron(np.eye(2), proj2))
        branch = projector @ rho @ projector
        success += np.trace(branch).real
        reduced = branch.reshape([2] * 8).transpose(0, 2, 1, 3, 4, 6, 5, 7).reshape(4, 4, 4, 4)
        out += np.einsum("ikjk->ij", reduced.reshape(4, 4, 4, 4))
    out /= success
    return success, np.array([np.trace(p @ out).real for p in bell])


@pytest.mark.parametrize("seed", range(4))
def test_bbpssw_on_bell_diagonal_states_matches_density_matrices(seed):
    rng = np.random.default_rng(seed)
    kept, measured = rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4))
    expected_success, expected = _density_matrix_bbpssw(kept, measured)
    success, output = bbpssw(kept, measured)
    assert success == pytest.approx(expected_success, abs=1e-12)
    assert output == pytest.approx(expected, abs=1e-12)


def test_bbpssw_noise_limits():
    kept, measured = werner(0.9), np.array([0.7, 0.1, 0.15, 0.05])
    ideal = bbpssw(kept, measured)
    # both outcomes flipped with certainty: the parity is still read right
    both_flipped = bbpssw(kept, measured, measure_fidelity=0.0)
    assert both_flipped[0] == pytest.approx(ideal[0]) and both_flipped[1] == pytest.approx(ideal[1])
    # gates that always depolarise: accepted half the time, kept pair maximally mixed
    success, output = bbpssw(kept, measured, gate_fidelity=0.0)
    assert success == pytest.approx(0.5) and output == pytest.approx([0.25] * 4)


@pytest.mark.parametrize("f1, f2", [(0.95, 0.95), (0.9, 0.7), (0.6, 1.0)])
def test_swap_of_werner_pairs(f1, f2):
    ideal = swap(werner(f1), werner(f2))
    assert ideal[0] == pytest.approx(f1 * f2 + (1 - f1) * (1 - f2) / 3, rel=1e-12)
    noisy = swap(werner(f1), werner(f2), gate_fidelity=0.99, measure_fidelity=1.0)
    assert noisy[0] == pytest.approx(0.99 * ideal[0] + 0.01 / 4, rel=1e-12)
    # a measurement error on either bit leaves a Werner output's fidelity at (1 - 4/3 * p_flip_any) of its excess
    flip = 0.02
    readout = swap(werner(f1), werner(f2), measure_fidelity=1 - flip)
    p_correct = (1 - flip) ** 2
    assert readout[0] - 0.25 == pytest.approx((ideal[0] - 0.25) * (4 * p_correct - 1) / 3, rel=1e-12)
    assert readout.sum() == pytest.approx(1.0)


def test_depolarising_storage_matches_closed_form():
    coherence, initial = 2.0, 0.95
    for idle in (0.0, 0.001, 0.1, 1.0, 10.0):
        state = decohere(werner(initial), (idle, idle), coherence, (1 / 3, 1 / 3, 1 / 3))
        # each qubit multiplies the Werner parameter by exp(-4 t / 3T)
        assert state[0] == pytest.approx(0.25 + (initial - 0.25) * np.exp(-8 * idle / (3 * coherence)), rel=1e-12)


def test_pauli_channel_matches_sequence_memory_model():
    memory = pytest.importorskip("sequence.components.memory")
    rates = np.array([0.2, 0.5, 0.3])
    coherence, idle = 1.5, 0.4
    ours = pauli_channel_probabilities(idle, coherence, tuple(rates))
    x, y, z = rates / coherence
    theirs = [memory._p_id(x, y, z, idle), memory._p_zerr(x, y, z, idle), memory._p_xerr(x, y, z, idle),
              memory._p_yerr(x, y, z, idle)]
    assert ours == pytest.approx(theirs, abs=1e-14)


def test_klein_convolution_is_pauli_composition():
    x_error, z_error = np.eye(4)[2], np.eye(4)[1]
    assert klein_convolve(x_error, z_error) == pytest.approx(np.eye(4)[3])  # XZ ~ Y
