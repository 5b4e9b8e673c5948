"""Bell-diagonal states (BDS): time-dependent Pauli decoherence, entanglement swapping and BBPSSW purification.

A two-qubit Bell-diagonal state is the vector of its four Bell-basis weights in the order
``(Phi+, Phi-, Psi+, Psi-)``, i.e. the pair ``Phi+`` hit by a Pauli ``(I, Z, X, Y)`` on one qubit; the first weight is
the fidelity to ``Phi+``. This is SeQUeNCe's ``BellDiagonalState`` order, so the vectors are stored unchanged in its
``QuantumManagerBellDiagonal``.

Labelling ``I, Z, X, Y`` by the two bits ``00, 01, 10, 11`` makes Pauli composition (up to phase) a bitwise XOR, so
every Pauli-frame operation on BDS is a convolution over the Klein four-group (:func:`klein_convolve`):

* a Pauli channel on either qubit of a pair convolves the pair's weights with the channel's Pauli probabilities;
* Bell-measurement swapping of two pairs convolves their weights (output fidelity ``sum_k a_k b_k``, Duer, Briegel,
  Cirac, Zoller, Phys. Rev. A 59, 169 (1999));
* BBPSSW purification (bilateral CNOT, target measured in Z, keep on equal outcomes; Bennett et al., Phys. Rev. Lett.
  76, 722 (1996); Deutsch et al., Phys. Rev. Lett. 77, 2818 (1996) without the local rotations) has the closed form
  of :func:`bbpssw`.
"""

from __future__ import annotations

import numpy as np

_XOR_TABLE = np.array([[i ^ j for j in range(4)] for i in range(4)])


def werner(fidelity: float) -> np.ndarray:
    """Werner state of fidelity ``fidelity`` as a BDS vector ``(F, (1-F)/3, (1-F)/3, (1-F)/3)``."""
    rest = (1.0 - fidelity) / 3.0
    return np.array([fidelity, rest, rest, rest])


def klein_convolve(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Convolution of two Pauli distributions over the Klein four-group: ``out[k] = sum_i first[i] second[i XOR k]``."""
    return np.asarray(second)[_XOR_TABLE] @ np.asarray(first)


def pauli_channel_probabilities(
    idle_time_s: float, coherence_time_s: float, pauli_errors: tuple[float, float, float]
) -> np.ndarray:
    """Probabilities ``(p_I, p_Z, p_X, p_Y)`` of a single-qubit Pauli channel after ``idle_time_s`` of storage.

    The qubit undergoes X, Y, Z flips as independent Poisson processes of rates ``p_X / T``, ``p_Y / T``,
    ``p_Z / T`` (``T`` = ``coherence_time_s``, ``(p_X, p_Y, p_Z)`` = ``pauli_errors``). Each Pauli expectation value
    then decays with the rates of the two flips that anticommute with it: ``lambda_X = exp(-2 (r_Y + r_Z) t)`` and
    cyclically, and the Pauli probabilities follow from the transfer eigenvalues,
    ``p_I = (1 + lambda_X + lambda_Y + lambda_Z) / 4``, ``p_X = (1 + lambda_X - lambda_Y - lambda_Z) / 4``, etc.

    Parameters
    ----------
    idle_time_s : float
        Storage time in seconds (>= 0).
    coherence_time_s : float
        Memory coherence time ``T`` in seconds (> 0).
    pauli_errors : tuple of float
        Relative weights ``(p_X, p_Y, p_Z)`` of the three flips, summing to one.

    Returns
    -------
    numpy.ndarray
        Probabilities in the BDS order ``(I, Z, X, Y)``.
    """
    rate_x, rate_y, rate_z = (weight / coherence_time_s for weight in pauli_errors)
    lambda_x = np.exp(-2.0 * (rate_y + rate_z) * idle_time_s)
    lambda_y = np.exp(-2.0 * (rate_x + rate_z) * idle_time_s)
    lambda_z = np.exp(-2.0 * (rate_x + rate_y) * idle_time_s)
    return np.array(
        [
            (1.0 + lambda_x + lambda_y + lambda_z) / 4.0,
            (1.0 - lambda_x - lambda_y + lambda_z) / 4.0,
            (1.0 + lambda_x - lambda_y - lambda_z) / 4.0,
            (1.0 - lambda_x + lambda_y - lambda_z) / 4.0,
        ]
    )


def decohere(
    state: np.ndarray,
    idle_times_s: tuple[float, float],
    coherence_time_s: float,
    pauli_errors: tuple[float, float, float],
) -> np.ndarray:
    """BDS after each of its two qubits was stored for its own idle time (seconds) in a Pauli-decohering memory."""
    for idle_time_s in idle_times_s:
        if idle_time_s > 0.0:
            state = klein_convolve(state, pauli_channel_probabilities(idle_time_s, coherence_time_s, pauli_errors))
    return state


def swap(
    left: np.ndarray, right: np.ndarray, gate_fidelity: float = 1.0, measure_fidelity: float = 1.0
) -> np.ndarray:
    """BDS of the outer pair after a Bell measurement on the inner qubits of two pairs and Pauli-frame correction.

    Noise model (Briegel, Duer, Cirac, Zoller, Phys. Rev. Lett. 81, 5932 (1998)): the CNOT of the Bell measurement is
    a two-qubit depolarising channel of fidelity ``gate_fidelity`` on the inner qubits, which leaves the outer pair
    maximally mixed with probability ``1 - gate_fidelity``; each of the two measured bits flips with probability
    ``1 - measure_fidelity``, which applies a wrong Z (first bit) or X (second bit) correction.

    Parameters
    ----------
    left, right : numpy.ndarray
        BDS vectors of the two input pairs.
    gate_fidelity, measure_fidelity : float
        Probabilities in [0, 1].

    Returns
    -------
    numpy.ndarray
        BDS vector of the swapped pair; ideal swapping gives fidelity ``sum_k left_k right_k``.
    """
    ideal = klein_convolve(left, right)
    noisy_gate = gate_fidelity * ideal + (1.0 - gate_fidelity) / 4.0
    flip = 1.0 - measure_fidelity
    readout = np.array([(1.0 - flip) ** 2, flip * (1.0 - flip), flip * (1.0 - flip), flip**2])
    return klein_convolve(noisy_gate, readout)


def bbpssw(
    kept: np.ndarray,
    measured: np.ndarray,
    gate_fidelity: float = 1.0,
    measure_fidelity: float = 1.0,
    twirl: bool = False,
) -> tuple[float, np.ndarray]:
    """Success probability and kept-pair BDS of one BBPSSW round on two Bell-diagonal pairs.

    Ideal round: with ``kept = (A1, B1, C1, D1)`` and ``measured = (A2, B2, C2, D2)`` in the order
    ``(Phi+, Phi-, Psi+, Psi-)``, the bilateral CNOT (kept = control) copies the bit-flip bit of the kept pair onto the
    measured pair and the phase bit of the measured pair onto the kept pair; equal Z outcomes accept, with
    ``p = (A1 + B1)(A2 + B2) + (C1 + D1)(C2 + D2)`` and kept state
    ``((A1 A2 + B1 B2), (A1 B2 + B1 A2), (C1 C2 + D1 D2), (C1 D2 + D1 C2)) / p`` (Deutsch et al. 1996 without the
    local rotations; on Werner inputs of fidelity F, Bennett et al. 1996:
    ``F' = (F^2 + ((1-F)/3)^2) / (F^2 + 2F(1-F)/3 + 5((1-F)/3)^2)``).

    Noise (both nodes alike): each node's CNOT is a depolarising channel of fidelity ``gate_fidelity`` on its two
    qubits, which with probability ``1 - g^2`` leaves both pairs maximally mixed (accepted with probability 1/2, kept
    state uniform); each node's outcome flips with probability ``1 - measure_fidelity``, so the parity is misread
    with ``eps = 2 m (1 - m)`` and pairs whose bit-flip bits differ are accepted instead.

    Parameters
    ----------
    kept, measured : numpy.ndarray
        BDS vectors of the kept and the measured pair.
    gate_fidelity, measure_fidelity : float
        Probabilities in [0, 1].
    twirl : bool
        Depolarise the inputs and the output to Werner states of the same fidelity (Bennett et al.'s twirl).

    Returns
    -------
    tuple of (float, numpy.ndarray)
        Success probability and the normalised BDS of the kept pair on success.
    """
    if twirl:
        kept, measured = werner(float(kept[0])), werner(float(measured[0]))
    a1, b1, c1, d1 = kept
    a2, b2, c2, d2 = measured
    equal_bits = np.array([a1 * a2 + b1 * b2, a1 * b2 + b1 * a2, c1 * c2 + d1 * d2, c1 * d2 + d1 * c2])
    unequal_bits = np.array([a1 * c2 + b1 * d2, a1 * d2 + b1 * c2, c1 * a2 + d1 * b2, c1 * b2 + d1 * a2])
    misread = 2.0 * measure_fidelity * (1.0 - measure_fidelity)
    both_gates = gate_fidelity**2
    accepted = both_gates * ((1.0 - misread) * equal_bits + misread * unequal_bits) + (1.0 - both_gates) / 8.0
    success = float(accepted.sum())
    output = accepted / success
    return success, werner(float(output[0])) if twirl else output
