"""Exact joint outcome distributions of one EPR pair, from delivery to measurement, and the per-run PhysicalModel.

Timeline of one pair in the SquidASM stack runner (one ``create_keep(1)`` / ``recv_keep(1)`` request per pair,
each pair measured before the next is requested; squid_stack.md sections 1.7, 1.10, 2.2 and 4.2):

1. The successful attempt places the delivered state ``rho_l`` (label ``l``) in both memories.
2. Both qubits idle until the herald reaches their node, ``herald_delay_ns`` later (2 x fibre travel for heralded
   links, 0 for perfect and depolarise links). T1/T2 noise acts on both qubits for that time.
3. Both nodes act as soon as the herald arrives (the stack has no host or QNodeOS latency), each on its own
   processor, in parallel: Bob (the receiver) applies the Bell-state correction for ``l`` (Psi+: ROT_X(pi);
   Psi-: ROT_X(pi) then ROT_Z(pi); Phi+: none), each gate followed by single-qubit depolarisation on his qubit;
   each side measuring in X applies H followed by the same gate noise; then both measure Z ideally.
4. No qubit idles between these instructions, and NetSquid does not decohere a qubit during an instruction it
   takes part in, so no further memory noise arises. In particular, Alice's qubit does not wait for Bob's
   corrections: both nodes run at the same time, and even if one side acted later, channels on different qubits
   commute and a local measurement ends that qubit's evolution, so only each qubit's own idle time matters; that
   time is ``herald_delay_ns`` for both.

The outcome table is therefore, for each basis pair, the Z-basis diagonal of
``sum_l P(l) M_bases(G_l(T1T2_both(rho_l)))``, computed once per run. Instruction durations would only shift the
time at which results exist, not the outcome statistics; the device model therefore does not carry them.
"""

from __future__ import annotations

import numpy as np

from caligo_sweep.physics.channels import memory_decoherence, noisy_gate
from caligo_sweep.physics.device import DeviceNoise
from caligo_sweep.physics.links import DeliveredBranch, LinkModel
from caligo_sweep.physics.model import BASIS_X, BASIS_Z, PhysicalModel
from caligo_sweep.physics.states import (
    ALICE,
    BOB,
    CORRECTION_GATES,
    HADAMARD,
    fidelity_with_bell,
    z_basis_probabilities,
)


def application_state(branch: DeliveredBranch, device: DeviceNoise, herald_delay_ns: float) -> np.ndarray:
    """State of a delivered pair when the application may measure it (steps 1-3 without the measurement gates).

    Parameters
    ----------
    branch : DeliveredBranch
        Delivered state and its Bell label.
    device : DeviceNoise
        Device of both nodes: T1/T2 and single-qubit gate noise are used.
    herald_delay_ns : float
        Time both qubits idle in memory before the herald arrives [ns].

    Returns
    -------
    numpy.ndarray
        4 x 4 density matrix after memory noise and Bob's noisy Pauli correction.
    """
    rho = branch.rho
    for qubit in (ALICE, BOB):
        rho = memory_decoherence(rho, qubit, herald_delay_ns, device.T1_ns, device.T2_ns)
    for gate in CORRECTION_GATES[branch.bell_index]:
        rho = noisy_gate(rho, gate, BOB, device.single_qubit_gate_depolar_prob)
    return rho


def outcome_table(rho: np.ndarray, single_qubit_gate_depolar_prob: float) -> np.ndarray:
    """Joint outcome probabilities for the four basis pairs, from the state the application measures.

    Parameters
    ----------
    rho : numpy.ndarray
        4 x 4 density matrix of the pair before the measurement gates.
    single_qubit_gate_depolar_prob : float
        Depolarising probability after the H gate that precedes an X-basis measurement.

    Returns
    -------
    numpy.ndarray
        Shape ``(2, 2, 4)``, entry ``[basis_alice, basis_bob, 2 * bit_alice + bit_bob]`` (basis 0 = Z, 1 = X).
    """
    table = np.empty((2, 2, 4))
    for basis_alice in (BASIS_Z, BASIS_X):
        rotated_alice = rho
        if basis_alice == BASIS_X:
            rotated_alice = noisy_gate(rho, HADAMARD, ALICE, single_qubit_gate_depolar_prob)
        for basis_bob in (BASIS_Z, BASIS_X):
            rotated = rotated_alice
            if basis_bob == BASIS_X:
                rotated = noisy_gate(rotated_alice, HADAMARD, BOB, single_qubit_gate_depolar_prob)
            table[basis_alice, basis_bob] = z_basis_probabilities(rotated)
    return table


def build_physical_model(link: LinkModel, device: DeviceNoise, *, detector_error: float = 0.0) -> PhysicalModel:
    """Compute, once per run, everything the engine samples and the analysis expects for one link and device.

    Parameters
    ----------
    link : LinkModel
        A :class:`~caligo_sweep.physics.links.PerfectLink`, :class:`~caligo_sweep.physics.links.DepolariseLink` or
        :class:`~caligo_sweep.physics.heralded.HeraldedDoubleClickLink`.
    device : DeviceNoise
        Device noise of both nodes.
    detector_error : float
        Detector error ``e_det`` in [0, 1/2], mapped onto the single-qubit gate noise by
        :meth:`DeviceNoise.with_detector_error` (seed 002, section 8.4.3 C).

    Returns
    -------
    PhysicalModel
        With the exact outcome table (mixture over the link's delivered branches), the fidelity with Phi+ after
        correction and memory noise, and the link's success probability, cycle time, herald delay and per-side
        detection probability.
    """
    noisy_device = device if detector_error == 0.0 else device.with_detector_error(detector_error)
    herald_delay_ns = link.herald_delay_ns
    rho_app = sum(
        branch.probability * application_state(branch, noisy_device, herald_delay_ns) for branch in link.branches
    )
    return PhysicalModel(
        link_model=link.model_name,
        p_success=link.p_success,
        cycle_time_ns=link.cycle_time_ns,
        herald_delay_ns=herald_delay_ns,
        outcome_probabilities=outcome_table(rho_app, noisy_device.single_qubit_gate_depolar_prob),
        fidelity_expected=fidelity_with_bell(rho_app),
        detection_probability_per_side=link.detection_probability_per_side,
        modes_per_attempt=link.modes_per_attempt,
    )
