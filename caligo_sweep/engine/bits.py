"""Materialised EPR pairs: per-pair bases and outcome bits, bit-packed, and their exact sampler.

Per pair, Alice's and Bob's bases are independent fair bits. Alice's outcome bit is drawn from its conditional
marginal ``P(x = 1 | a, b) = (t[a,b,2] + t[a,b,3]) / S`` and Bob's as ``y = x XOR e`` with the error bit
``e ~ Bernoulli(P(y != x | a, b, x))``: ``t[a,b,1] / (t[a,b,0] + t[a,b,1])`` for ``x = 0`` and
``t[a,b,2] / (t[a,b,2] + t[a,b,3])`` for ``x = 1``, where ``t = model.outcome_probabilities`` and ``S`` the row sum.
These conditionals are formed as exact rationals from the float64 table and sampled by
:func:`~caligo_sweep.engine.packed_bernoulli.packed_bernoulli`, so every joint outcome has *exactly* the table's
probability (normalised in exact arithmetic), for any table, including asymmetric marginals. Everything is done on
64-pair words: about ``log2(batch size)`` passes of bitwise operations, no per-pair Python or per-pair floats.

Packed layout (``bitorder="little"``): pair ``i`` is bit ``i % 8`` of byte ``i // 8``; arrays are padded with zero
bits to a whole number of 64-bit words. ``np.unpackbits(a, count=n_pairs, bitorder="little")`` recovers one uint8 per
pair.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np

from caligo_sweep.engine.bitstring import popcount
from caligo_sweep.engine.counts import PairCounts, check_n_pairs, sample_attempts
from caligo_sweep.engine.packed_bernoulli import WORD_BITS, packed_bernoulli
from caligo_sweep.physics.model import PhysicalModel

#: The packed array fields of :class:`PairBits`, in storage order (shared memory, ``.npz`` files).
PACKED_FIELDS = ("alice_bases", "bob_bases", "alice_bits", "bob_bits")


def n_words_for(n_pairs: int) -> int:
    """Number of 64-bit words that hold ``n_pairs`` bits."""
    return -(-n_pairs // WORD_BITS)


def _padding_mask(n_pairs: int) -> np.uint64:
    """Mask of the valid bits in the last word of ``n_pairs`` packed bits."""
    tail = n_pairs % WORD_BITS
    return np.uint64((1 << tail) - 1 if tail else (1 << WORD_BITS) - 1)


def _as_words(packed: np.ndarray) -> np.ndarray:
    """View a packed uint8 array (length a multiple of 8) as little-endian uint64 words."""
    return packed.view("<u8")


@dataclass(frozen=True)
class PairBits:
    """Bases and outcome bits of ``n_pairs`` delivered pairs, bit-packed (uint8, little bit order).

    Parameters
    ----------
    alice_bases, bob_bases : numpy.ndarray
        Packed basis choices (0 = Z, 1 = X).
    alice_bits, bob_bits : numpy.ndarray
        Packed measurement outcomes.
    n_pairs : int
        Number of pairs held.
    attempts : int
        Total entanglement attempts spent on these pairs.
    """

    alice_bases: np.ndarray = field(repr=False)
    bob_bases: np.ndarray = field(repr=False)
    alice_bits: np.ndarray = field(repr=False)
    bob_bits: np.ndarray = field(repr=False)
    n_pairs: int
    attempts: int

    def __post_init__(self) -> None:
        n_pairs = check_n_pairs(self.n_pairs)
        n_bytes = 8 * n_words_for(n_pairs)
        for name in PACKED_FIELDS:
            packed = np.ascontiguousarray(getattr(self, name), dtype=np.uint8)
            if packed.ndim != 1 or not -(-n_pairs // 8) <= packed.size <= n_bytes:
                raise ValueError(f"{name} must hold {n_pairs} packed bits; got shape {packed.shape}")
            if packed.size < n_bytes or (n_pairs % WORD_BITS and _as_words(packed)[-1] & ~_padding_mask(n_pairs)):
                packed = np.concatenate([packed, np.zeros(n_bytes - packed.size, dtype=np.uint8)])
                if n_bytes:
                    _as_words(packed)[-1] &= _padding_mask(n_pairs)
            packed.setflags(write=False)
            object.__setattr__(self, name, packed)
        object.__setattr__(self, "n_pairs", n_pairs)
        object.__setattr__(self, "attempts", int(self.attempts))

    def counts(self) -> PairCounts:
        """Reduce to the sufficient statistics (same content as :func:`sample_counts` draws directly).

        Fifteen popcounts over the packed words: for the basis pairs XX, XZ and ZX the counts of pairs, of Alice's
        ones, of Bob's ones and of double ones; ZZ follows from the totals (padding bits are zero everywhere, so
        they fall into no count).
        """
        alice_bases, bob_bases, alice_bits, bob_bits = (_as_words(getattr(self, f)) for f in PACKED_FIELDS)
        both_ones = alice_bits & bob_bits
        both_x = alice_bases & bob_bases
        marginals = {}  # (basis_alice, basis_bob) -> (pairs, alice ones, bob ones, both ones)
        for basis_pair, mask in (((1, 1), both_x), ((1, 0), alice_bases ^ both_x), ((0, 1), bob_bases ^ both_x)):
            marginals[basis_pair] = np.array(
                [popcount(mask), popcount(mask & alice_bits), popcount(mask & bob_bits), popcount(mask & both_ones)]
            )
        totals = np.array([self.n_pairs, popcount(alice_bits), popcount(bob_bits), popcount(both_ones)])
        marginals[(0, 0)] = totals - sum(marginals.values())
        outcome_counts = np.zeros((2, 2, 4), dtype=np.int64)
        for basis_pair, (n, n_alice, n_bob, n_both) in marginals.items():
            outcome_counts[basis_pair] = (n - n_alice - n_bob + n_both, n_bob - n_both, n_alice - n_both, n_both)
        return PairCounts(outcome_counts, self.attempts)

    def unpack(self) -> dict[str, np.ndarray]:
        """One uint8 per pair for each of the four fields (memory: 4 bytes per pair)."""
        return {
            name: np.unpackbits(getattr(self, name), count=self.n_pairs, bitorder="little") for name in PACKED_FIELDS
        }

    @classmethod
    def concatenate(cls, parts: Sequence[PairBits]) -> PairBits:
        """Join batches in the given order into one string of pairs (unpacks and repacks: O(total pairs))."""
        fields = {
            name: np.packbits(
                np.concatenate([np.zeros(0, np.uint8)] + [p.unpack()[name] for p in parts]), bitorder="little"
            )
            for name in PACKED_FIELDS
        }
        return cls(**fields, n_pairs=sum(p.n_pairs for p in parts), attempts=sum(p.attempts for p in parts))


def conditional_probabilities(model: PhysicalModel) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    """Exact conditionals of the outcome table, indexed for :func:`packed_bernoulli`.

    Returns
    -------
    p_alice_one : tuple of Fraction
        ``P(x = 1 | a, b)`` at class index ``a + 2 b``.
    p_error : tuple of Fraction
        ``P(y != x | a, b, x)`` at class index ``a + 2 b + 4 x`` (0 where the condition has probability 0).
    """
    return _conditionals_of_table(np.ascontiguousarray(model.outcome_probabilities, dtype="<f8").tobytes())


@functools.lru_cache(maxsize=64)
def _conditionals_of_table(table_bytes: bytes) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    """Cached per table (keyed by its bytes): exact rational arithmetic costs ~0.1 ms, once per run not per batch."""
    table = np.frombuffer(table_bytes, dtype="<f8").reshape(2, 2, 4)
    p_alice_one = [Fraction(0)] * 4
    p_error = [Fraction(0)] * 8
    for a in (0, 1):
        for b in (0, 1):
            t00, t01, t10, t11 = (Fraction(float(v)) for v in table[a, b])
            p_alice_one[a + 2 * b] = (t10 + t11) / (t00 + t01 + t10 + t11)
            if t00 + t01 > 0:
                p_error[a + 2 * b] = t01 / (t00 + t01)
            if t10 + t11 > 0:
                p_error[a + 2 * b + 4] = t10 / (t10 + t11)
    return tuple(p_alice_one), tuple(p_error)


def sample_bits(model: PhysicalModel, n_pairs: int, rng: np.random.Generator) -> PairBits:
    """Draw ``n_pairs`` i.i.d. pairs of ``model`` with their bases and bits, bit-packed.

    Parameters
    ----------
    model : PhysicalModel
        The frozen per-run model.
    n_pairs : int
        Number of delivered pairs, >= 0.
    rng : numpy.random.Generator
        The batch's generator; its raw bits are consumed 64 at a time.

    Returns
    -------
    PairBits
        Packed bases and outcomes; ``.counts()`` has exactly the distribution of :func:`sample_counts`.
    """
    n_pairs = check_n_pairs(n_pairs)
    n_words = n_words_for(n_pairs)
    p_alice_one, p_error = conditional_probabilities(model)
    bases = rng.bit_generator.random_raw(2 * n_words)
    alice_bases, bob_bases = bases[:n_words], bases[n_words:]
    alice_bits = packed_bernoulli(rng, n_words, p_alice_one, (alice_bases, bob_bases))
    bob_bits = packed_bernoulli(rng, n_words, p_error, (alice_bases, bob_bases, alice_bits))
    bob_bits ^= alice_bits
    packed = []
    for words in (alice_bases, bob_bases, alice_bits, bob_bits):
        if n_words:
            words[-1] &= _padding_mask(n_pairs)
        packed.append(words.astype("<u8", copy=False).view(np.uint8))
    attempts = sample_attempts(model.p_success, n_pairs, rng)
    return PairBits(*packed, n_pairs=n_pairs, attempts=attempts)
