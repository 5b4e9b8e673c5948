"""Reconciliation stage of the OT: the leak charged in the length, from a real decoding or from the shipped table.

The code is chosen from the *calibrated* QBER upper bound ``p`` (never from the OT rounds): the shipped performance
table gives the design efficiency at ``max(p, lowest measured QBER)`` (a lower ``p`` gets the code of the lowest
measured QBER, which only leaks more), and Bob's LLRs use that same QBER. Above the highest measured QBER (11 %) no
code is shipped; such a point already misses Schaffner's 11 % condition, and the chain is charged the whole half
(``leak = half length``, so no length is certified).

``ldpc``: Alice sends the syndrome and per-frame tags of *both* halves
(:func:`~caligo_sweep.reconciliation.alice_message`, half ``j`` with tag seeds from the stream
``RECONCILIATION_SPAWN_KEY + (j,)``); Bob decodes ``I_C`` only. The leak
about ``I_{1-C}`` (what the chain charges) is every syndrome and tag bit of that half. ``table``: the same code and
leak count, without decoding; the frame error rate is the table's. ``assumed``: no code; the chain charges
``f h(p)`` per bit of the half.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from caligo_sweep.engine.bitstring import PackedBits
from caligo_sweep.entropy import binary_entropy
from caligo_sweep.protocol.ot_rounds import RECONCILIATION_SPAWN_KEY, OtHalves, for_both_halves, ot_seed
from caligo_sweep.reconciliation import AliceMessage, alice_message, bob_decode, lookup, select_code
from caligo_sweep.reconciliation.frames import frame_count, plan_leak_bits
from caligo_sweep.reconciliation.model import measured_qber_range


@dataclass(frozen=True, eq=False)
class EcOutcome:
    """What the reconciliation stage reports (per half; both halves have the same length and code).

    Parameters
    ----------
    ec_model : str
        ``ldpc``, ``table`` or ``assumed``.
    half_bits : int
        Length of each half [bits].
    leak_bits : int or None
        Syndrome plus tag bits sent about one half; None for ``assumed`` (the chain computes ``f h(p) half_bits``).
    code_length : int or None
        Length of the LDPC code the frames use [bits] (the shipped length up to ``reconciliation.frame_length``
        that sends the fewest bits for this half; see :func:`~caligo_sweep.reconciliation.select_code`).
    frames : int or None
        Frames per half.
    frame_errors : int or None
        Frames of ``I_C`` that Bob failed to decode or whose tag did not match (``ldpc`` only).
    frame_error_rate : float or None
        Measured (``ldpc``) or the table's (``table``) frame error rate.
    efficiency : float or None
        ``leak_bits / (half_bits h(p))`` with ``p`` the calibrated QBER upper bound (``assumed``: the assumed f).
    mbit_per_s : float or None
        Bob's decoding throughput [Mbit of the half per wall-clock second] (``ldpc`` only).
    bob_bits : PackedBits or None
        Bob's corrected ``y|I_C`` (``ldpc`` only).
    """

    ec_model: str
    half_bits: int
    leak_bits: Optional[int] = None
    code_length: Optional[int] = None
    frames: Optional[int] = None
    frame_errors: Optional[int] = None
    frame_error_rate: Optional[float] = None
    efficiency: Optional[float] = None
    mbit_per_s: Optional[float] = None
    bob_bits: Optional[PackedBits] = field(default=None, repr=False)

    @property
    def decoded(self) -> bool:
        """Bob decoded every frame of ``I_C`` (False when nothing was decoded)."""
        return self.ec_model == "ldpc" and self.frame_errors == 0


def code_qber(qber_upper: float, frame_length: int) -> Optional[float]:
    """The QBER the code and the LLRs are chosen for, or None above the table's range (no shipped code)."""
    lowest, highest = measured_qber_range(frame_length)
    return None if qber_upper > highest else max(qber_upper, lowest)


def _efficiency(leak_bits: int, half_bits: int, qber_upper: float) -> float:
    entropy_bits = half_bits * binary_entropy(qber_upper)
    return leak_bits / entropy_bits if entropy_bits > 0 else float("nan")


def _no_code(ec_model: str, half_bits: int) -> EcOutcome:
    return EcOutcome(ec_model, half_bits, leak_bits=half_bits)


def reconcile_with_ldpc(
    halves: OtHalves, qber_upper: float, frame_length: int, tag_bits: int, seed: int, n_jobs: int
) -> EcOutcome:
    """Alice's one-way messages for both halves, Bob's decoding of ``I_C`` (``n_jobs`` workers; same output for any)."""
    half_bits = halves.half_bits
    qber = code_qber(qber_upper, frame_length)
    if qber is None:
        return _no_code("ldpc", half_bits)
    choice = select_code(qber, frame_length, half_bits, tag_bits)

    def message(j: int) -> AliceMessage:
        return alice_message(halves.alice[j], choice, ot_seed(seed, (*RECONCILIATION_SPAWN_KEY, j)), tag_bits)

    messages = for_both_halves(message, n_jobs)
    known = halves.choice_bit
    result = bob_decode(halves.bob[known], messages[known], qber, n_jobs)
    leak = messages[1 - known].leak_bits
    return EcOutcome(
        ec_model="ldpc",
        half_bits=half_bits,
        leak_bits=leak,
        code_length=choice.frame_length,
        frames=result.frames,
        frame_errors=result.frame_errors,
        frame_error_rate=result.frame_errors / result.frames if result.frames else float("nan"),
        efficiency=_efficiency(leak, half_bits, qber_upper),
        mbit_per_s=result.decoder_mbit_per_s,
        bob_bits=result.bob_bits,
    )


def reconcile_with_table(half_bits: int, qber_upper: float, frame_length: int, tag_bits: int) -> EcOutcome:
    """The leak the selected code would send for a half of ``half_bits`` bits, and the table's frame error rate."""
    qber = code_qber(qber_upper, frame_length)
    if qber is None:
        return _no_code("table", half_bits)
    choice = select_code(qber, frame_length, half_bits, tag_bits)
    frames = frame_count(half_bits, choice.payload_bits)
    leak = plan_leak_bits(choice, half_bits, tag_bits)
    return EcOutcome(
        ec_model="table",
        half_bits=half_bits,
        leak_bits=leak,
        code_length=choice.frame_length,
        frames=frames,
        frame_error_rate=lookup(qber, choice.frame_length).frame_error_rate,
        efficiency=_efficiency(leak, half_bits, qber_upper),
    )
