"""Cutting a string into code frames: rate adaptation and the last partial frame by shortening.

A frame of a length-n code with m checks carries ``n - s`` payload bits; the other ``s`` positions (the first ``s``
of the code's public :attr:`~caligo_sweep.reconciliation.codes.LdpcCode.shortening_order`) are fixed to 0, known to
both sides, so Bob gives them certainty. The effective rate is ``(n - s - m) / (n - s)`` and the frame leaks exactly
its ``m`` syndrome bits (plus its verification tag): shortened bits carry no information about x, so no correction
of the leak is needed or claimed. The last frame of a string holds the remainder and is shortened further; it still
costs its full ``m`` syndrome bits, which the reported leak and efficiency include.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.reconciliation.codes import LdpcCode, family_redundancies, load_code


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
    n_checks = int(round(redundancies[index] * frame_length))
    payload = min(frame_length, max(n_checks + 1, int(round(n_checks / redundancy))))
    return CodeChoice(frame_length, index, n_checks, frame_length - payload)


def frame_bounds(n_bits: int, payload_bits: int) -> np.ndarray:
    """Start offsets of the frames of an ``n_bits`` string, plus ``n_bits`` at the end (int64)."""
    return np.append(np.arange(0, n_bits, payload_bits, dtype=np.int64), np.int64(n_bits))


def payload_positions(code: LdpcCode, payload_bits: int) -> np.ndarray:
    """Sorted code positions that carry the payload of a frame with ``payload_bits`` bits."""
    return np.sort(code.shortening_order[code.frame_length - payload_bits :])


def embed(code: LdpcCode, payload: np.ndarray) -> np.ndarray:
    """Full-length frame (uint8): ``payload`` at its positions, 0 at the shortened ones."""
    frame = np.zeros(code.frame_length, dtype=np.uint8)
    frame[payload_positions(code, payload.size)] = payload
    return frame
