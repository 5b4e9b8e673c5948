"""Privacy amplification stage of the OT: Alice hashes each half to S_0, S_1, Bob hashes his corrected half to S_C.

Alice draws one Toeplitz seed per half from its own stream (``AMPLIFICATION_SPAWN_KEY + (j,)`` of the run's seed),
so the two seeds are independent, and announces them; each ``ell x half_bits`` Toeplitz matrix is applied exactly
by :func:`~caligo_sweep.amplification.toeplitz.toeplitz_hash_words`.

Bob's hash uses linearity: with ``e = y XOR x`` his remaining error on I_C (Alice's ``x``, his corrected ``y``),
``T y = T x XOR T e``, and ``T e`` is the XOR of the columns of ``T`` where ``e`` is 1 (column ``j`` is the seed
window ``[n - 1 - j, n - 1 - j + ell)``). After a successful reconciliation ``e = 0`` and Bob's S_C costs nothing
beyond Alice's; with up to :data:`SPARSE_ERROR_COLUMNS` wrong bits (an undetected decoding failure) the columns are
added, and beyond that Bob's string is hashed in full. The bits are those of hashing ``y`` directly (tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from caligo_sweep.amplification import draw_toeplitz_seed
from caligo_sweep.amplification.toeplitz import pack_words, toeplitz_hash_words, unpack_words
from caligo_sweep.protocol.ot_rounds import AMPLIFICATION_SPAWN_KEY, OtHalves, ot_seed

#: Most wrong bits of Bob's I_C for which his hash adds columns of T instead of hashing his string in full.
SPARSE_ERROR_COLUMNS = 256

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


def _hash(bits: np.ndarray, seed_words: np.ndarray, ot_length_bits: int) -> np.ndarray:
    return unpack_words(toeplitz_hash_words(pack_words(bits), bits.size, seed_words, ot_length_bits), ot_length_bits)


def bob_hash(
    bob_bits: np.ndarray, alice_bits: np.ndarray, alice_hash: np.ndarray, seed_bits: np.ndarray, ot_length_bits: int
) -> np.ndarray:
    """Bob's ``T y`` as ``T x XOR T (x XOR y)`` (module docstring), equal bit for bit to hashing ``y``."""
    errors = np.flatnonzero(bob_bits != alice_bits)
    if errors.size > SPARSE_ERROR_COLUMNS:
        return _hash(bob_bits, pack_words(seed_bits), ot_length_bits)
    result = alice_hash.copy()
    n = bob_bits.size
    for j in errors:
        result ^= seed_bits[n - 1 - j : n - 1 - j + ot_length_bits]
    return result


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
    alice = [_hash(halves.alice[j], pack_words(seeds[j]), ot_length_bits) for j in (0, 1)]
    choice = halves.choice_bit
    sc = bob_hash(bob_bits, halves.alice[choice], alice[choice], seeds[choice], ot_length_bits)
    return OtStrings(choice, alice[0], alice[1], sc)
