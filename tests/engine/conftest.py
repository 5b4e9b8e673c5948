"""Physical models with genuine outcome tables, built here directly (independent of caligo_sweep.physics)."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.physics.model import PhysicalModel

_HADAMARD = np.array([[1.0, 1.0], [1.0, -1.0]]) / np.sqrt(2.0)
_IDENTITY = np.eye(2)


def werner_table(fidelity: float) -> np.ndarray:
    """Werner pair of fidelity F: matching bases err with QBER = 2 (1 - F) / 3, mismatched bases are uniform."""
    qber = 2.0 * (1.0 - fidelity) / 3.0
    table = np.full((2, 2, 4), 0.25)
    for basis in (0, 1):
        table[basis, basis] = [(1 - qber) / 2, qber / 2, qber / 2, (1 - qber) / 2]
    return table


def damped_table(gamma_alice: float, gamma_bob: float) -> np.ndarray:
    """Phi+ after amplitude damping of strength gamma on each qubit: asymmetric marginals and conditionals."""
    phi_plus = np.array([1.0, 0.0, 0.0, 1.0]) / np.sqrt(2.0)
    rho = np.outer(phi_plus, phi_plus)
    for gamma, qubit in ((gamma_alice, 0), (gamma_bob, 1)):
        kraus = (np.array([[1.0, 0.0], [0.0, np.sqrt(1 - gamma)]]), np.array([[0.0, np.sqrt(gamma)], [0.0, 0.0]]))
        ops = [np.kron(k, _IDENTITY) if qubit == 0 else np.kron(_IDENTITY, k) for k in kraus]
        rho = sum(op @ rho @ op.T for op in ops)
    table = np.empty((2, 2, 4))
    for a in (0, 1):
        for b in (0, 1):
            rotation = np.kron(_HADAMARD if a else _IDENTITY, _HADAMARD if b else _IDENTITY)
            table[a, b] = np.diag(rotation @ rho @ rotation.T)
    return table


def make_model(table: np.ndarray, p_success: float = 0.2, cycle_time_ns: float = 1000.0) -> PhysicalModel:
    return PhysicalModel(
        link_model="test",
        p_success=p_success,
        cycle_time_ns=cycle_time_ns,
        herald_delay_ns=0.0,
        outcome_probabilities=table,
        fidelity_expected=float("nan"),
    )


@pytest.fixture
def werner_model() -> PhysicalModel:
    """Werner pair, F = 0.9 (QBER 1/15), 20 % success per attempt."""
    return make_model(werner_table(0.9))


@pytest.fixture
def damped_model() -> PhysicalModel:
    """Amplitude-damped Phi+ (gamma 0.3 on Alice, 0.1 on Bob): no outcome of any basis pair is symmetric."""
    return make_model(damped_table(0.3, 0.1), p_success=0.05)


@pytest.fixture
def perfect_model() -> PhysicalModel:
    """Noiseless Phi+ delivered at every attempt: matching bases always agree."""
    return make_model(werner_table(1.0), p_success=1.0)
