"""Honest-party quantum device noise (SquidASM's generic device) and the detector-error mapping onto it.

:class:`DeviceNoise` carries the fields of netsquid-netbuilder's ``GenericQDeviceConfig`` that can change a
result of this protocol, with their units and defaults (squid_stack.md section 1.4). How the stack runner uses them:

* every single-qubit gate (ROT_X/Y/Z, X, Y, Z, H, ...) is followed by depolarising noise
  ``rho -> (1 - p) rho + p I/2`` on its qubit with ``p = single_qubit_gate_depolar_prob``;
* memory noise ``T1T2NoiseModel(T1, T2)`` acts on idle qubits for the time since their last access.

Not carried, because nothing in the protocol depends on them: ``two_qubit_gate_depolar_prob`` and
``two_qubit_gate_time`` (no two-qubit gate occurs in EPR generation and measurement), and ``init_time``,
``single_qubit_gate_time`` and ``measure_time``. Each node holds one qubit per pair and measures it before the
next request; a qubit is not decohered during an instruction it takes part in (squid_stack.md section 4.2), so
instruction durations never expose a waiting qubit to T1/T2 and would only delay the end of the quantum phase,
which no security quantity depends on (Delta t is counted from that end). The config refuses these keys.

Detector error
--------------
Seed 002 (section 8.4.3 C) maps the detector error ``e_det`` onto the gate noise,
``single_qubit_gate_depolar_prob = min(1, 2 e_det)`` (:func:`gate_depolar_prob_from_detector_error`). A configured
gate noise ``p_gate`` and this mapped noise act as two depolarising channels in a row, which is again depolarising
with ``1 - (1 - p_gate)(1 - p_det)`` (:func:`compose_depolar_probs`; :meth:`DeviceNoise.with_detector_error`).

What QBER the mapping produces: a depolarisation with ``p`` after a gate flips the following Z-measured bit with
probability ``p / 2``, so ``p = 2 e_det`` flips it with probability ``e_det``. But only bits that pass through a gate
are affected:

* X basis: the H before the measurement is a noisy gate on each side, so each side's X bit flips with probability
  ``e_det``; the X-basis QBER becomes ``Q_X (1 - f) + (1 - Q_X) f`` with ``f = 2 e_det (1 - e_det)``.
* Z basis with a perfect or depolarise link: no gate precedes the measurement, so QBER_Z does not change. The
  sifted QBER (mean of Z and X) therefore rises by about ``e_det (1 - e_det)``, half of what a per-detection error
  in both bases would give.
* Z basis with a heralded link: Bob's Bell-state corrections are noisy gates too (one for Psi+, two for Psi-), so
  QBER_Z rises as well, by about ``1.5 e_det`` for small ``e_det``.

This is what the SquidASM stack runner does with such a device configuration; it is not a detector model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import require_in_interval, require_non_negative, require_probability


def gate_depolar_prob_from_detector_error(detector_error: float) -> float:
    """Map a detector error ``e_det`` in [0, 1/2] to a single-qubit gate depolarising probability ``min(1, 2 e_det)``.

    Parameters
    ----------
    detector_error : float
        Probability ``e_det`` that a detection reports the wrong bit, in [0, 1/2] (config key
        ``device.detector_error``).

    Returns
    -------
    float
        The depolarising probability that flips a bit measured after one noisy gate with probability ``e_det``.

    Raises
    ------
    ConfigValueError
        If ``detector_error`` is outside [0, 1/2].

    References
    ----------
    Seed 002, section 8.4.3 C (``_map_detector_error_to_gate_depolar``).
    """
    e_det = require_in_interval("device.detector_error", detector_error, 0.0, 0.5)
    return min(1.0, 2.0 * e_det)


def compose_depolar_probs(first: float, second: float) -> float:
    """Depolarising probability of two depolarising channels applied one after the other, ``1 - (1-p1)(1-p2)``."""
    return 1.0 - (1.0 - first) * (1.0 - second)


@dataclass(frozen=True)
class DeviceNoise:
    """Noise and timing of SquidASM's generic quantum device (netbuilder ``GenericQDeviceConfig``).

    Each field is the config key ``device.<name>`` without its unit suffix (``T1_ns`` <- ``device.T1``); range
    errors name that key.

    Parameters
    ----------
    T1_ns : float
        Energy relaxation time [ns], >= 0; 0 disables amplitude damping.
    T2_ns : float
        Dephasing time [ns], >= 0; 0 disables dephasing. If both are positive, ``T2_ns <= T1_ns`` (NetSquid).
    single_qubit_gate_depolar_prob : float
        Depolarising probability in [0, 1] applied to the qubit after a single-qubit gate.
    """

    T1_ns: float = 10_000_000_000.0
    T2_ns: float = 1_000_000_000.0
    single_qubit_gate_depolar_prob: float = 0.0

    def __post_init__(self) -> None:
        for name in ("T1_ns", "T2_ns"):
            key = f"device.{name.removesuffix('_ns')}"
            object.__setattr__(self, name, require_non_negative(key, getattr(self, name)))
        gate_noise = require_probability("device.single_qubit_gate_depolar_prob", self.single_qubit_gate_depolar_prob)
        object.__setattr__(self, "single_qubit_gate_depolar_prob", gate_noise)
        if self.T1_ns > 0.0 and self.T2_ns > self.T1_ns:
            raise ConfigValueError(
                "device.T2", f"a number in [0, device.T1 = {self.T1_ns:g}] (0 disables dephasing)", self.T2_ns
            )

    @classmethod
    def perfect(cls) -> DeviceNoise:
        """A noiseless device (``GenericQDeviceConfig.perfect_config()``)."""
        return cls(T1_ns=0.0, T2_ns=0.0, single_qubit_gate_depolar_prob=0.0)

    def with_detector_error(self, detector_error: float) -> DeviceNoise:
        """This device with ``e_det`` mapped onto, and composed with, its single-qubit gate noise."""
        mapped = gate_depolar_prob_from_detector_error(detector_error)
        return replace(
            self,
            single_qubit_gate_depolar_prob=compose_depolar_probs(self.single_qubit_gate_depolar_prob, mapped),
        )
