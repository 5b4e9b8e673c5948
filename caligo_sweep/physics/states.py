"""Two-qubit density matrices: Bell states, single-qubit gates and Z-basis readout.

Conventions
-----------
* Qubit 0 is Alice's, qubit 1 is Bob's. A two-qubit operator is ``kron(op_alice, op_bob)`` and the computational
  basis is ordered ``|00>``, ``|01>``, ``|10>``, ``|11>`` (Alice's bit is the more significant one), so the Z-basis outcome
  index is ``2 * bit_alice + bit_bob``, as in :mod:`caligo_sweep.physics.model`.
* Bell states and their indices follow NetSquid's ``BellIndex`` and NetQASM's ``BellState``: PHI_PLUS = 0,
  PSI_PLUS = 1, PSI_MINUS = 2, PHI_MINUS = 3, with ``Psi+ = (|01> + |10>)/sqrt(2)`` and ``Psi- = (|01> - |10>)/sqrt(2)``
  (reference: squid_stack.md sections 1.7 and 3.3).
* Rotations are ``R_n(theta) = exp(-i theta n.sigma / 2)``, NetSquid's ``ROT_X`` / ``ROT_Z``; global phases drop
  out of every density matrix.
"""

from __future__ import annotations

import enum

import numpy as np

#: Qubit index of Alice's half of a pair.
ALICE = 0
#: Qubit index of Bob's half of a pair (the receiving node, which applies the Bell-state correction).
BOB = 1

_SQRT_HALF = 1.0 / np.sqrt(2.0)
IDENTITY_2 = np.eye(2, dtype=np.complex128)
PAULI_X = np.array([[0, 1], [1, 0]], dtype=np.complex128)
PAULI_Z = np.array([[1, 0], [0, -1]], dtype=np.complex128)
HADAMARD = _SQRT_HALF * np.array([[1, 1], [1, -1]], dtype=np.complex128)


def rotation_x(angle_rad: float) -> np.ndarray:
    """Single-qubit rotation about X, ``exp(-i angle X / 2)`` (NetSquid ``ROT_X``)."""
    return np.cos(angle_rad / 2) * IDENTITY_2 - 1j * np.sin(angle_rad / 2) * PAULI_X


def rotation_z(angle_rad: float) -> np.ndarray:
    """Single-qubit rotation about Z, ``exp(-i angle Z / 2)`` (NetSquid ``ROT_Z``)."""
    return np.cos(angle_rad / 2) * IDENTITY_2 - 1j * np.sin(angle_rad / 2) * PAULI_Z


#: ``ROT_X(pi)``, equal to X up to a global phase.
ROT_X_PI = rotation_x(np.pi)
#: ``ROT_Z(pi)``, equal to Z up to a global phase.
ROT_Z_PI = rotation_z(np.pi)


class BellIndex(enum.IntEnum):
    """Bell-state labels reported by the link layer (NetSquid ``BellIndex`` numbering)."""

    PHI_PLUS = 0
    PSI_PLUS = 1
    PSI_MINUS = 2
    PHI_MINUS = 3


_BELL_KETS = {
    BellIndex.PHI_PLUS: _SQRT_HALF * np.array([1, 0, 0, 1], dtype=np.complex128),
    BellIndex.PSI_PLUS: _SQRT_HALF * np.array([0, 1, 1, 0], dtype=np.complex128),
    BellIndex.PSI_MINUS: _SQRT_HALF * np.array([0, 1, -1, 0], dtype=np.complex128),
    BellIndex.PHI_MINUS: _SQRT_HALF * np.array([1, 0, 0, -1], dtype=np.complex128),
}

#: Gates the receiver's NetQASM SDK applies, in order, to turn each label into Phi+ (netqasm 2.0.0,
#: ``_build_cmds_epr_keep_corrections_single_pair``; squid_stack.md section 1.7).
CORRECTION_GATES: dict[BellIndex, tuple[np.ndarray, ...]] = {
    BellIndex.PHI_PLUS: (),
    BellIndex.PSI_PLUS: (ROT_X_PI,),
    BellIndex.PSI_MINUS: (ROT_X_PI, ROT_Z_PI),
    BellIndex.PHI_MINUS: (ROT_Z_PI,),
}


def bell_density_matrix(index: BellIndex) -> np.ndarray:
    """Projector (4 x 4) onto the Bell state ``index``."""
    ket = _BELL_KETS[BellIndex(index)]
    return np.outer(ket, ket.conj())


def maximally_mixed() -> np.ndarray:
    """The two-qubit maximally mixed state I/4."""
    return np.eye(4, dtype=np.complex128) / 4.0


def on_qubit(operator: np.ndarray, qubit: int) -> np.ndarray:
    """Embed a 2 x 2 ``operator`` acting on ``qubit`` (0 = Alice, 1 = Bob) into the 4 x 4 two-qubit space."""
    if qubit == ALICE:
        return np.kron(operator, IDENTITY_2)
    if qubit == BOB:
        return np.kron(IDENTITY_2, operator)
    raise ValueError(f"qubit must be {ALICE} (Alice) or {BOB} (Bob); got {qubit!r}")


def apply_unitary(rho: np.ndarray, unitary: np.ndarray, qubit: int) -> np.ndarray:
    """Return ``U rho U^dagger`` for a single-qubit ``unitary`` acting on ``qubit``."""
    full = on_qubit(unitary, qubit)
    return full @ rho @ full.conj().T


def apply_kraus(rho: np.ndarray, kraus_operators: tuple[np.ndarray, ...], qubit: int) -> np.ndarray:
    """Return ``sum_k K_k rho K_k^dagger`` for single-qubit Kraus operators acting on ``qubit``."""
    result = np.zeros_like(rho, dtype=np.complex128)
    for kraus in kraus_operators:
        full = on_qubit(kraus, qubit)
        result += full @ rho @ full.conj().T
    return result


def fidelity_with_bell(rho: np.ndarray, index: BellIndex = BellIndex.PHI_PLUS) -> float:
    """Fidelity ``<B| rho |B>`` of ``rho`` with the Bell state ``index`` (Phi+ by default)."""
    ket = _BELL_KETS[BellIndex(index)]
    return float(np.real(ket.conj() @ rho @ ket))


def z_basis_probabilities(rho: np.ndarray) -> np.ndarray:
    """Joint Z-measurement outcome probabilities, indexed ``2 * bit_alice + bit_bob`` (the diagonal of ``rho``)."""
    return np.real(np.diag(rho)).copy()
