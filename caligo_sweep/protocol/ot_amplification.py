"""Privacy amplification stage of the OT: Alice hashes each half to S_0, S_1, Bob hashes his corrected half to S_C.

Alice draws one Toeplitz seed per half from its own stream (``AMPLIFICATION_SPAWN_KEY + (j,)`` of the run's seed),
so the two seeds are independent, and announces them; each ``ell x half_bits`` Toeplitz matrix is applied exactly
by :func:`~caligo_sweep.amplification.toeplitz_hash`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from caligo_sweep.amplification import draw_toeplitz_seed, toeplitz_hash
from caligo_sweep.protocol.ot_rounds import AMPLIFICATION_SPAWN_KEY, OtHalves, ot_seed

#: File name of ``engine.save_ot`` in the run folder.
OT_OUTPUTS_FILE = "ot_outputs.npz"


@dataclass(frozen=True, eq=False)
class OtStrings:
    """The OT's outputs (uint8 0/1 arrays of ``ot_length_bits`` bits).

    Parameters
    ----------
    choice_bit : int
        Bob's C.
    s0, s1 : numpy.ndarray
        Alice's two strings.
    sc : numpy.ndarray
        Bob's string, equal to ``s0`` or ``s1`` (per C) when reconciliation succeeded.
    """

    choice_bit: int
    s0: np.ndarray = field(repr=False)
    s1: np.ndarray = field(repr=False)
    sc: np.ndarray = field(repr=False)

    @property
    def ot_length_bits(self) -> int:
        """Length of each string."""
        return int(self.s0.size)

    @property
    def correct(self) -> bool:
        """Bob's S_C equals Alice's S_C."""
        return bool(np.array_equal(self.sc, (self.s0, self.s1)[self.choice_bit]))

    def save(self, folder: Path) -> Path:
        """Write ``ot_outputs.npz``: ``s0``, ``s1``, ``sc`` packed (uint8, ``numpy.packbits`` order) and the scalars
        ``choice_bit`` and ``ot_length_bits``; return its path."""
        path = Path(folder) / OT_OUTPUTS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            path,
            s0=np.packbits(self.s0),
            s1=np.packbits(self.s1),
            sc=np.packbits(self.sc),
            choice_bit=np.int64(self.choice_bit),
            ot_length_bits=np.int64(self.ot_length_bits),
        )
        return path


def amplify(halves: OtHalves, bob_bits: np.ndarray, ot_length_bits: int, seed: int) -> OtStrings:
    """Hash ``x|I_0``, ``x|I_1`` (Alice) and Bob's corrected ``y|I_C`` to ``ot_length_bits`` bits each."""
    if not 1 <= ot_length_bits <= halves.half_bits:
        raise ValueError(f"ot_length_bits must be in [1, {halves.half_bits}]; got {ot_length_bits}")
    seeds = [
        draw_toeplitz_seed(
            np.random.default_rng(ot_seed(seed, (*AMPLIFICATION_SPAWN_KEY, j))), halves.half_bits, ot_length_bits
        )
        for j in (0, 1)
    ]
    alice = [toeplitz_hash(halves.alice[j], seeds[j], ot_length_bits) for j in (0, 1)]
    sc = toeplitz_hash(bob_bits, seeds[halves.choice_bit], ot_length_bits)
    return OtStrings(halves.choice_bit, alice[0], alice[1], sc)
