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

from caligo_sweep.amplification.toeplitz import draw_toeplitz_seed_words, toeplitz_hash_words
from caligo_sweep.engine.bitstring import PackedBits
from caligo_sweep.protocol.ot_rounds import AMPLIFICATION_SPAWN_KEY, OtHalves, for_both_halves, ot_seed

#: Most wrong bits of Bob's I_C for which his hash adds columns of T instead of hashing his string in full.
SPARSE_ERROR_COLUMNS = 256

#: File name of ``engine.save_ot`` in the run folder.
OT_OUTPUTS_FILE = "ot_outputs.npz"


@dataclass(frozen=True, eq=False)
class OtStrings:
    """The OT's outputs, ``ot_length_bits`` bits each, packed.

    Parameters
    ----------
    choice_bit : int
        Bob's C.
    s0, s1 : PackedBits
        Alice's two strings.
    sc : PackedBits
        Bob's string, equal to ``s0`` or ``s1`` (per C) when reconciliation succeeded.
    """

    choice_bit: int
    s0: PackedBits = field(repr=False)
    s1: PackedBits = field(repr=False)
    sc: PackedBits = field(repr=False)

    @property
    def ot_length_bits(self) -> int:
        """Length of each string."""
        return self.s0.n_bits

    @property
    def correct(self) -> bool:
        """Bob's S_C equals Alice's S_C."""
        return self.sc.equals((self.s0, self.s1)[self.choice_bit])

    def save(self, folder: Path) -> Path:
        """Write ``ot_outputs.npz``: ``s0``, ``s1``, ``sc`` packed (uint8, ``numpy.packbits`` order) and the scalars
        ``choice_bit`` and ``ot_length_bits``; return its path."""
        path = Path(folder) / OT_OUTPUTS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            path,
            s0=self.s0.packbits(),
            s1=self.s1.packbits(),
            sc=self.sc.packbits(),
            choice_bit=np.int64(self.choice_bit),
            ot_length_bits=np.int64(self.ot_length_bits),
        )
        return path


def _hash(bits: PackedBits, seed: PackedBits, ot_length_bits: int) -> PackedBits:
    return PackedBits(toeplitz_hash_words(bits.words, bits.n_bits, seed.words, ot_length_bits), ot_length_bits)


def bob_hash(
    bob_bits: PackedBits, alice_bits: PackedBits, alice_hash: PackedBits, seed: PackedBits, ot_length_bits: int
) -> PackedBits:
    """Bob's ``T y`` as ``T x XOR T (x XOR y)`` (module docstring), equal bit for bit to hashing ``y``."""
    errors = alice_bits.difference_positions(bob_bits)
    if errors.size > SPARSE_ERROR_COLUMNS:
        return _hash(bob_bits, seed, ot_length_bits)
    result = alice_hash.words.copy()
    n = bob_bits.n_bits
    for j in errors:
        result ^= seed.window_words(n - 1 - int(j), ot_length_bits)
    return PackedBits(result, ot_length_bits)


def amplify(halves: OtHalves, bob_bits: PackedBits, ot_length_bits: int, seed: int, n_jobs: int = 1) -> OtStrings:
    """Hash ``x|I_0``, ``x|I_1`` (Alice) and Bob's corrected ``y|I_C`` to ``ot_length_bits`` bits each.

    With ``n_jobs >= 2`` Alice's two hashes run in two threads (the C hash releases the GIL); the strings do not
    depend on it.
    """
    if not 1 <= ot_length_bits <= halves.half_bits:
        raise ValueError(f"ot_length_bits must be in [1, {halves.half_bits}]; got {ot_length_bits}")

    def alice_half(j: int) -> tuple[PackedBits, PackedBits]:
        rng = np.random.default_rng(ot_seed(seed, (*AMPLIFICATION_SPAWN_KEY, j)))
        seed_bits = PackedBits(
            draw_toeplitz_seed_words(rng, halves.half_bits, ot_length_bits), halves.half_bits + ot_length_bits - 1
        )
        return seed_bits, _hash(halves.alice[j], seed_bits, ot_length_bits)

    seeds, alice = zip(*for_both_halves(alice_half, n_jobs))
    choice = halves.choice_bit
    sc = bob_hash(bob_bits, halves.alice[choice], alice[choice], seeds[choice], ot_length_bits)
    return OtStrings(choice, alice[0], alice[1], sc)
