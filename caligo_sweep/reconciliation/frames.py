"""Cutting a string into code frames: rate adaptation by shortening, and a frame plan for the whole string.

A frame of a length-n code with m checks carries ``n - s`` payload bits; the other ``s`` positions (the first ``s``
of the code's public :attr:`~caligo_sweep.reconciliation.codes.LdpcCode.shortening_order`) are fixed to 0, known to
both sides, so Bob gives them certainty. The effective rate is ``(n - s - m) / (n - s)`` and the frame leaks exactly
its ``m`` syndrome bits (plus its verification tag): shortened bits carry no information about x, so no correction
of the leak is needed or claimed.

Every frame costs its full ``m`` syndrome bits, so a string is best cut into frames of (nearly) equal size:
:func:`plan_frames` compares the plan of full frames at the target rate plus a remainder frame (which pays a whole
syndrome for a part of a frame) with plans of ``k`` equal frames, each from the code of the family whose syndrome
just covers the target redundancy, and keeps the one that sends the fewest bits. The plan depends only on public
numbers (string length, target redundancy, family), never on the bits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.reconciliation.codes import LdpcCode, family_check_counts, family_redundancies, load_code


@dataclass(frozen=True)
class CodeChoice:
    """Which code, and how much of every full frame is shortened.

    Parameters
    ----------
    frame_length : int
        Code length n (bits).
    code_index : int
        Position of the mother code in the family of that length.
    n_checks : int
        Syndrome bits per frame, m.
    n_shortened : int
        Shortened positions of a full frame, s (the payload is ``n - s`` bits).
    """

    frame_length: int
    code_index: int
    n_checks: int
    n_shortened: int

    @property
    def payload_bits(self) -> int:
        """Bits of the string carried by one full frame."""
        return self.frame_length - self.n_shortened

    @property
    def rate(self) -> float:
        """Effective rate ``(n - s - m) / (n - s)`` of a full frame."""
        return 1.0 - self.n_checks / self.payload_bits

    def code(self) -> LdpcCode:
        """The lifted mother code (cached)."""
        return load_code(self.frame_length, self.code_index)


def code_for_redundancy(frame_length: int, redundancy: float) -> CodeChoice:
    """The code and shortening whose full frames have syndrome bits per payload bit ``m / (n - s)`` = ``redundancy``.

    The mother code is the one of largest redundancy not above the target; shortening then raises it to the target
    (to within one bit).

    Raises
    ------
    ConfigValueError
        If the target lies below the highest-rate code of the family (QBER too low for the shipped codes).
    """
    redundancies = family_redundancies(frame_length)
    if not redundancy >= redundancies[0]:
        raise ConfigValueError(
            "reconciliation.redundancy", f"at least {redundancies[0]:.4f} for frame length {frame_length}", redundancy
        )
    index = int(np.searchsorted(redundancies, redundancy, side="right") - 1)
    n_checks = int(family_check_counts(frame_length)[index])
    payload = min(frame_length, max(n_checks + 1, int(round(n_checks / redundancy))))
    return CodeChoice(frame_length, index, n_checks, frame_length - payload)


#: Largest fraction of a frame that :func:`plan_frames` shortens to make frames equal. Measured on the n = 2^16
#: family with the planned codes (which carry a little more redundancy than the table's design point): 15 %
#: shortened, 0/100 and 1/100 failed frames at QBER 3 % and 5 %; 24 %, 2/60 at 3 %; 54 %, frames start to fail;
#: 77 %, most fail: a high-rate mother code shortened that far is far from the degree profile it was designed for.
MAX_SHORTENED_FRACTION = 0.15


def frame_count(n_bits: int, payload_bits: int) -> int:
    """Frames of an ``n_bits`` string cut at multiples of ``payload_bits`` (the last one may be partial)."""
    return -(-n_bits // payload_bits)


def plan_leak_bits(choice: CodeChoice, n_bits: int, tag_bits: int) -> int:
    """Syndrome and tag bits sent for an ``n_bits`` string cut into frames of ``choice.payload_bits``."""
    return frame_count(n_bits, choice.payload_bits) * (choice.n_checks + tag_bits)


def plan_frames(frame_length: int, redundancy: float, n_bits: int, tag_bits: int) -> CodeChoice:
    """The code and payload that send the fewest syndrome and tag bits for an ``n_bits`` string.

    Candidates are the frames of :func:`code_for_redundancy` (full frames plus a remainder frame that pays a whole
    syndrome) and, for every frame count ``k`` whose equal payload ``ceil(n_bits / k)`` shortens at most
    :data:`MAX_SHORTENED_FRACTION` of a frame, the family code with the fewest checks ``m >= redundancy * payload``.
    Every frame of every candidate has at least ``redundancy`` syndrome bits per payload bit.

    Parameters
    ----------
    frame_length : int
        Code length n (bits).
    redundancy : float
        Syndrome bits per payload bit that the frames need (design efficiency times h(QBER)).
    n_bits : int
        Length of the string to reconcile (bits).
    tag_bits : int
        Verification tag bits sent per frame.

    Returns
    -------
    CodeChoice
        Frames are cut at multiples of its ``payload_bits``.
    """
    best = code_for_redundancy(frame_length, redundancy)
    if n_bits <= 0:
        return best
    best_leak = plan_leak_bits(best, n_bits, tag_bits)
    checks = family_check_counts(frame_length)
    shortest_payload = int(np.ceil((1.0 - MAX_SHORTENED_FRACTION) * frame_length))
    for frames in range(frame_count(n_bits, frame_length), frame_count(n_bits, best.payload_bits) + 1):
        payload = frame_count(n_bits, frames)
        index = int(np.searchsorted(checks, redundancy * payload - 1e-9))
        if payload < shortest_payload or index == checks.size or frame_count(n_bits, payload) != frames:
            continue
        leak = frames * (int(checks[index]) + tag_bits)
        if leak < best_leak:
            best_leak = leak
            best = CodeChoice(frame_length, index, int(checks[index]), frame_length - payload)
    return best


def frame_bounds(n_bits: int, payload_bits: int) -> np.ndarray:
    """Start offsets of the frames of an ``n_bits`` string, plus ``n_bits`` at the end (int64)."""
    return np.append(np.arange(0, n_bits, payload_bits, dtype=np.int64), np.int64(n_bits))


def payload_positions(code: LdpcCode, payload_bits: int) -> np.ndarray:
    """Sorted code positions that carry the payload of a frame with ``payload_bits`` bits.

    The last ``payload_bits`` entries of the code's shortening order, in increasing order (marked in a mask and read
    back: linear in the frame, where sorting 2^18 positions took 18 ms per call).
    """
    carries = np.zeros(code.frame_length, dtype=bool)
    carries[code.shortening_order[code.frame_length - payload_bits :]] = True
    return np.flatnonzero(carries)


def positions_by_frame_size(code: LdpcCode, bounds: np.ndarray) -> dict[int, np.ndarray]:
    """:func:`payload_positions` for each distinct frame size of ``bounds`` (a string has at most two)."""
    return {int(size): payload_positions(code, int(size)) for size in np.unique(np.diff(bounds))}


def embed(code: LdpcCode, payload: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Full-length frame (uint8): ``payload`` at ``positions`` (its :func:`payload_positions`), 0 elsewhere."""
    frame = np.zeros(code.frame_length, dtype=np.uint8)
    frame[positions] = payload
    return frame
