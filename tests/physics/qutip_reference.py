"""An independent QuTiP implementation of the stack-runner physics, used only as a cross-check by the tests.

Nothing here calls caligo_sweep: states come from ``qutip.bell_state``, gates from matrix exponentials of Pauli
operators, gate noise from NetSquid's Pauli-channel definition of ``depolarize``, and memory noise from the
exact propagator of a Lindblad master equation (amplitude damping at rate 1/T1 plus pure dephasing completing the
coherence decay to 1/T2), instead of the Kraus composition the package uses.
"""

from __future__ import annotations

import numpy as np
import qutip

SQRT2 = np.sqrt(2.0)
HADAMARD = (qutip.sigmax() + qutip.sigmaz()) / SQRT2
PHI_PLUS = qutip.ket2dm(qutip.bell_state("00"))
PSI_PLUS = qutip.ket2dm(qutip.bell_state("10"))
PSI_MINUS = qutip.ket2dm(qutip.bell_state("11"))
ID4 = qutip.tensor(qutip.qeye(2), qutip.qeye(2))


def embed(op: qutip.Qobj, qubit: int) -> qutip.Qobj:
    """Single-qubit operator on qubit 0 (Alice) or 1 (Bob) of a pair."""
    return qutip.tensor(op, qutip.qeye(2)) if qubit == 0 else qutip.tensor(qutip.qeye(2), op)


def rx(angle: float) -> qutip.Qobj:
    return (-0.5j * angle * qutip.sigmax()).expm()


def rz(angle: float) -> qutip.Qobj:
    return (-0.5j * angle * qutip.sigmaz()).expm()


def gate(rho: qutip.Qobj, unitary: qutip.Qobj, qubit: int) -> qutip.Qobj:
    full = embed(unitary, qubit)
    return full * rho * full.dag()


def depolarise(rho: qutip.Qobj, prob: float, qubit: int) -> qutip.Qobj:
    """NetSquid ``depolarize``: Pauli channel with weights (1 - 3p/4, p/4, p/4, p/4)."""
    paulis = [embed(op, qubit) for op in (qutip.sigmax(), qutip.sigmay(), qutip.sigmaz())]
    return (1 - 0.75 * prob) * rho + 0.25 * prob * sum(p * rho * p for p in paulis)


def noisy_gate(rho: qutip.Qobj, unitary: qutip.Qobj, qubit: int, prob: float) -> qutip.Qobj:
    return depolarise(gate(rho, unitary, qubit), prob, qubit)


def memory(rho: qutip.Qobj, qubit: int, t: float, T1: float, T2: float) -> qutip.Qobj:
    """Lindblad evolution for time t: |1> decays at 1/T1, coherences decay at 1/T2 in total (0 = off)."""
    c_ops = []
    if T1 > 0:
        c_ops.append(np.sqrt(1.0 / T1) * embed(qutip.destroy(2), qubit))
    if T2 > 0:
        pure_dephasing_rate = 1.0 / T2 - (0.5 / T1 if T1 > 0 else 0.0)
        c_ops.append(np.sqrt(pure_dephasing_rate / 2.0) * embed(qutip.sigmaz(), qubit))
    if not c_ops or t == 0:
        return rho
    propagator = (qutip.liouvillian(None, c_ops) * t).expm()
    return propagator(rho)


def outcome_table(rho: qutip.Qobj, prob_1q: float) -> np.ndarray:
    """P[basis_a, basis_b, 2a+b]: X-basis sides get H followed by depolarisation, then projective Z readout."""
    table = np.zeros((2, 2, 4))
    for basis_a in (0, 1):
        for basis_b in (0, 1):
            state = rho
            if basis_a:
                state = noisy_gate(state, HADAMARD, 0, prob_1q)
            if basis_b:
                state = noisy_gate(state, HADAMARD, 1, prob_1q)
            for a in (0, 1):
                for b in (0, 1):
                    proj = qutip.tensor(qutip.ket2dm(qutip.basis(2, a)), qutip.ket2dm(qutip.basis(2, b)))
                    table[basis_a, basis_b, 2 * a + b] = qutip.expect(proj, state)
    return table


def heralded_states(
    eta: float, visibility: float, dark: float, resolving: bool, emission_fidelity: float
) -> tuple[float, qutip.Qobj, qutip.Qobj]:
    """Single-mode success probability and the Psi+ / Psi- delivered states (netsquid-magic double click)."""
    no_dark = (1 - dark) ** (4 if resolving else 2)
    p_true = eta**2 * visibility * no_dark / 2
    p_anti = eta**2 * (1 - visibility) * no_dark / 2
    p_corr = 0.0 if resolving else eta**2 * (1 + visibility) * dark * (1 - dark) ** 2 / 2
    p_one_dark = 2 * eta * (1 - eta) * 2 * dark * (1 - dark) ** (3 if resolving else 2)
    p_two_dark = 4 * (1 - eta) ** 2 * dark**2 * (1 - dark) ** 2
    total = p_true + p_anti + p_corr + p_one_dark + p_two_dark
    q = ((4 * emission_fidelity - 1) / 3) ** 2

    def proj(a: int, b: int) -> qutip.Qobj:
        return qutip.ket2dm(qutip.tensor(qutip.basis(2, a), qutip.basis(2, b)))

    anti = (proj(0, 1) + proj(1, 0)) / 2
    corr = (proj(0, 0) + proj(1, 1)) / 2
    noise = ((p_true + p_anti + p_corr) * (1 - q) + p_one_dark + p_two_dark) * ID4 / 4
    incoherent = p_anti * q * anti + p_corr * q * corr + noise
    return total, (p_true * q * PSI_PLUS + incoherent) / total, (p_true * q * PSI_MINUS + incoherent) / total


def corrected(rho: qutip.Qobj, label: str, prob_1q: float) -> qutip.Qobj:
    """Bob's NetQASM correction: Psi+ -> ROT_X(pi); Psi- -> ROT_X(pi), ROT_Z(pi); each a noisy gate."""
    if label in ("psi+", "psi-"):
        rho = noisy_gate(rho, rx(np.pi), 1, prob_1q)
    if label == "psi-":
        rho = noisy_gate(rho, rz(np.pi), 1, prob_1q)
    return rho
