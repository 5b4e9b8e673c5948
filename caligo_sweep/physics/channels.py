"""Single-qubit noise channels on two-qubit density matrices, with NetSquid's density-matrix semantics.

* Gate noise: NetSquid's ``DepolarNoiseModel(p, time_independent=True)`` depolarises **each qubit of an
  operation independently**, after the gate: ``rho -> (1 - p) rho + p I/2`` on that qubit (``qubitapi.depolarize``:
  Pauli weights ``(1 - 3p/4, p/4, p/4, p/4)``). A gate on one half of a pair therefore leaves the other half alone.
* Memory noise: NetSquid's ``T1T2NoiseModel`` in the density-matrix formalism applies, for an idle time ``t``,
  amplitude damping with ``gamma = 1 - exp(-t/T1)`` (if ``T1 > 0``), then Z dephasing with probability
  ``(1 - d)/2`` where ``d = exp(-t (1/T2 - 1/(2 T1)))`` (or ``exp(-t/T2)`` if ``T1 = 0``) (if ``T2 > 0``). The
  off-diagonal element of the qubit then decays as ``exp(-t/T2)`` overall (``exp(-t/(2 T1))`` if ``T2 = 0``). A
  time constant of 0 switches its part off.

NetSquid's default *ket* formalism replaces amplitude damping by its Pauli twirl. Both give the same Z and X error
rates on a Bell pair, but different single-qubit populations (squid_stack.md section 4.2, test vector TV12); this
module implements the exact density-matrix version.

References
----------
NetSquid 1.1.7, ``netsquid/components/models/qerrormodels.py`` (``DepolarNoiseModel``, ``T1T2NoiseModel``) and
``netsquid/qubits/qubitapi.py`` (``depolarize``, ``amplitude_dampen``); restated in squid_stack.md sections 4.1-4.2.
"""

from __future__ import annotations

import numpy as np

from caligo_sweep.physics.states import ALICE, BOB, IDENTITY_2, PAULI_Z, apply_kraus, apply_unitary


def depolarise(rho: np.ndarray, depolar_prob: float, qubit: int) -> np.ndarray:
    """Depolarise one qubit of a two-qubit state: ``rho -> (1 - p) rho + p (I/2 on qubit, rest unchanged)``.

    Parameters
    ----------
    rho : numpy.ndarray
        4 x 4 density matrix.
    depolar_prob : float
        Depolarising probability ``p`` in [0, 1] (NetSquid ``depolar_rate`` with ``time_independent=True``).
    qubit : int
        0 for Alice's qubit, 1 for Bob's.

    Returns
    -------
    numpy.ndarray
        The new 4 x 4 density matrix.
    """
    if depolar_prob == 0.0:
        return rho
    tensor = rho.reshape(2, 2, 2, 2)  # indices (alice, bob, alice', bob')
    if qubit == ALICE:
        reduced = np.einsum("abac->bc", tensor)  # Bob's reduced state
        replaced = np.kron(IDENTITY_2 / 2.0, reduced)
    elif qubit == BOB:
        reduced = np.einsum("abcb->ac", tensor)  # Alice's reduced state
        replaced = np.kron(reduced, IDENTITY_2 / 2.0)
    else:
        raise ValueError(f"qubit must be {ALICE} (Alice) or {BOB} (Bob); got {qubit!r}")
    return (1.0 - depolar_prob) * rho + depolar_prob * replaced


def noisy_gate(rho: np.ndarray, unitary: np.ndarray, qubit: int, depolar_prob: float) -> np.ndarray:
    """Apply a single-qubit gate on ``qubit`` followed by its depolarising gate noise on that qubit only."""
    return depolarise(apply_unitary(rho, unitary, qubit), depolar_prob, qubit)


def amplitude_damping_kraus(gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """Kraus operators of amplitude damping ``|1> -> |0>`` with probability ``gamma`` (NetSquid ``amplitude_dampen``)."""
    keep = np.array([[1.0, 0.0], [0.0, np.sqrt(1.0 - gamma)]], dtype=np.complex128)
    decay = np.array([[0.0, np.sqrt(gamma)], [0.0, 0.0]], dtype=np.complex128)
    return keep, decay


def dephasing_kraus(prob_z: float) -> tuple[np.ndarray, np.ndarray]:
    """Kraus operators of a Z flip with probability ``prob_z``."""
    return np.sqrt(1.0 - prob_z) * IDENTITY_2, np.sqrt(prob_z) * PAULI_Z


def memory_decoherence(rho: np.ndarray, qubit: int, idle_time_ns: float, T1_ns: float, T2_ns: float) -> np.ndarray:
    """Apply NetSquid's density-matrix T1/T2 memory noise to one qubit that idled for ``idle_time_ns``.

    Parameters
    ----------
    rho : numpy.ndarray
        4 x 4 density matrix.
    qubit : int
        0 for Alice's qubit, 1 for Bob's.
    idle_time_ns : float
        Time since the qubit was last accessed [ns], >= 0.
    T1_ns : float
        Energy relaxation time [ns]; 0 disables amplitude damping.
    T2_ns : float
        Dephasing (Hahn) time [ns]; 0 disables the dephasing step. NetSquid requires ``T2 <= T1`` when both are
        positive (checked by :class:`caligo_sweep.physics.device.DeviceNoise`).

    Returns
    -------
    numpy.ndarray
        The new 4 x 4 density matrix.
    """
    if idle_time_ns == 0.0:
        return rho
    if T1_ns > 0.0:
        gamma = 1.0 - np.exp(-idle_time_ns / T1_ns)
        rho = apply_kraus(rho, amplitude_damping_kraus(gamma), qubit)
    if T2_ns > 0.0:
        rate_per_ns = 1.0 / T2_ns if T1_ns == 0.0 else 1.0 / T2_ns - 1.0 / (2.0 * T1_ns)
        prob_z = (1.0 - np.exp(-idle_time_ns * rate_per_ns)) / 2.0
        rho = apply_kraus(rho, dephasing_kraus(prob_z), qubit)
    return rho
