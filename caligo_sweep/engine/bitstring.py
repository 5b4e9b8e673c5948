"""Long bit strings kept packed, one bit per bit: the OT halves, Bob's corrected bits, the Toeplitz seeds.

The layout is the engine's (:mod:`caligo_sweep.engine.bits`): bit ``i`` is bit ``i % 64`` of the little-endian
``uint64`` word ``i // 64``, and the bits past the end of the last word are zero. So a string of ``n`` bits costs
``n / 8`` bytes, its words go to the Toeplitz hash (:func:`caligo_sweep.amplification.toeplitz.toeplitz_hash_words`)
as they are, and ``np.unpackbits(words.view(np.uint8), count=n, bitorder="little")`` gives one uint8 per bit. Only
a window (:meth:`PackedBits.window`, e.g. one LDPC frame) is ever unpacked.

A string is built piece by piece (:class:`PackedBitsBuilder`) from packed pieces, each shifted by the bits already
in the last word; :func:`split_by_mask` files a batch's bits by a packed mask (the C kernel ``_select``) without
unpacking them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np

from caligo_sweep.engine import _select
from caligo_sweep.engine.packed_bernoulli import WORD_BITS
#: Each byte value with its bit order reversed (little-order packed bytes to ``numpy.packbits``' default order).
_BYTE_REVERSED = np.packbits(np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1), axis=1, bitorder="little")[:, 0]


def popcount(words: np.ndarray) -> int:
    """Number of set bits in a uint64 word array (summed in uint32 while that cannot overflow: 2x faster)."""
    accumulator = np.uint32 if words.size < 2**26 else np.int64
    return int(np.bitwise_count(words).sum(dtype=accumulator))


def _bytes_to_words(packed: np.ndarray) -> np.ndarray:
    """Packed little-order bytes, zero-padded to whole ``uint64`` words."""
    words = np.zeros(-(-packed.size // 8), dtype="<u8")
    words.view(np.uint8)[: packed.size] = packed
    return words


@dataclass(frozen=True, eq=False)
class PackedBits:
    """An immutable string of ``n_bits`` bits in packed ``uint64`` words (module docstring).

    Parameters
    ----------
    words : numpy.ndarray
        ``ceil(n_bits / 64)`` little-endian ``uint64`` words; the bits past ``n_bits`` must be zero.
    n_bits : int
        Length of the string [bits].
    """

    words: np.ndarray = field(repr=False)
    n_bits: int

    def __post_init__(self) -> None:
        words = np.ascontiguousarray(self.words, dtype="<u8")
        if words.ndim != 1 or words.size != -(-self.n_bits // WORD_BITS):
            raise ValueError(f"{self.n_bits} bits need {-(-self.n_bits // WORD_BITS)} words; got shape {words.shape}")
        if self.n_bits % WORD_BITS and int(words[-1]) >> (self.n_bits % WORD_BITS):
            raise ValueError("the bits past the end of a PackedBits must be zero")
        words.setflags(write=False)
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "n_bits", int(self.n_bits))

    @classmethod
    def from_bits(cls, bits: np.ndarray) -> PackedBits:
        """Pack a 1-D array of 0/1 values (any integer or boolean dtype)."""
        bits = np.asarray(bits)
        if bits.ndim != 1:
            raise ValueError(f"bits must be 1-D; got shape {bits.shape}")
        return cls(_bytes_to_words(np.packbits(bits.astype(bool), bitorder="little")), bits.size)

    @classmethod
    def empty(cls) -> PackedBits:
        """The string of no bits."""
        return cls(np.zeros(0, dtype="<u8"), 0)

    @property
    def size(self) -> int:
        """Length [bits] (as for a numpy array of the unpacked bits)."""
        return self.n_bits

    def _bytes(self) -> np.ndarray:
        return self.words.view(np.uint8)

    def window(self, start: int, stop: int) -> np.ndarray:
        """Bits ``start`` to ``stop - 1`` unpacked (uint8 0/1); costs the window, not the string."""
        if not 0 <= start <= stop <= self.n_bits:
            raise ValueError(f"window [{start}, {stop}) outside a string of {self.n_bits} bits")
        first_byte = start // 8
        unpacked = np.unpackbits(self._bytes()[first_byte : -(-stop // 8)], bitorder="little")
        return unpacked[start - 8 * first_byte : stop - 8 * first_byte]

    def unpack(self) -> np.ndarray:
        """All bits, one uint8 0/1 each (n bytes: for tests and small strings)."""
        return self.window(0, self.n_bits)

    def window_words(self, start: int, n_bits: int) -> np.ndarray:
        """Bits ``start`` to ``start + n_bits - 1`` as packed words (bits past ``n_bits`` zero), by word shifts."""
        if not (0 <= start and 0 <= n_bits and start + n_bits <= self.n_bits):
            raise ValueError(f"window of {n_bits} bits at {start} outside a string of {self.n_bits} bits")
        first_word, shift = divmod(start, WORD_BITS)
        n_words = -(-n_bits // WORD_BITS)
        source = np.zeros(n_words + 1, dtype="<u8")
        available = self.words[first_word : first_word + n_words + 1]
        source[: available.size] = available
        if shift:
            window = (source[:-1] >> np.uint64(shift)) | (source[1:] << np.uint64(WORD_BITS - shift))
        else:
            window = source[:-1].copy()
        if n_bits % WORD_BITS:
            window[-1] &= np.uint64((1 << (n_bits % WORD_BITS)) - 1)
        return window

    def packbits(self) -> np.ndarray:
        """The bytes ``numpy.packbits(self.unpack())`` gives (big bit order, ``ceil(n / 8)`` bytes), by table."""
        return _BYTE_REVERSED[self._bytes()[: -(-self.n_bits // 8)]]

    def equals(self, other: PackedBits) -> bool:
        """Same length and the same bits."""
        return self.n_bits == other.n_bits and bool(np.array_equal(self.words, other.words))

    def count_differences(self, other: PackedBits) -> int:
        """Positions where the two strings (of equal length) differ: the popcount of their XOR."""
        self._check_same_length(other)
        return popcount(self.words ^ other.words)

    def difference_positions(self, other: PackedBits) -> np.ndarray:
        """Increasing positions (int64) where the two strings differ; costs n/64 plus the differences."""
        self._check_same_length(other)
        differing = self.words ^ other.words
        word_index = np.flatnonzero(differing)
        bits = np.unpackbits(differing[word_index].view(np.uint8), bitorder="little").reshape(-1, WORD_BITS)
        rows, columns = np.nonzero(bits)
        return word_index[rows] * WORD_BITS + columns

    def _check_same_length(self, other: PackedBits) -> None:
        if other.n_bits != self.n_bits:
            raise ValueError(f"strings of {self.n_bits} and {other.n_bits} bits cannot be compared")


def split_by_mask(
    values: np.ndarray, mask: np.ndarray, n_bits: int, *, portable: bool = False
) -> tuple[PackedBits, PackedBits]:
    """The first ``n_bits`` bits of ``values`` where ``mask`` is 1, and those where it is 0, in order, packed.

    Parameters
    ----------
    values, mask : numpy.ndarray
        Packed bits (the engine's layout, any dtype whose bytes hold whole 64-bit words, at least ``ceil(n_bits /
        64)`` of them); bits of ``mask`` past ``n_bits`` are ignored.
    n_bits : int
        Bits to split.
    portable : bool
        Use the portable loop even where the CPU has BMI2 (same bits; for the tests).
    """
    if sys.byteorder != "little":
        raise RuntimeError("packed bit strings assume a little-endian machine")
    n_words = -(-n_bits // WORD_BITS)
    selected, rest = np.empty(n_words + 1, dtype="<u8"), np.empty(n_words + 1, dtype="<u8")
    n_selected = _select.split(values, mask, n_bits, selected, rest, portable)
    return (
        PackedBits(selected[: -(-n_selected // WORD_BITS)], n_selected),
        PackedBits(rest[: -(-(n_bits - n_selected) // WORD_BITS)], n_bits - n_selected),
    )


class PackedBitsBuilder:
    """Appends pieces of bits (packed, or unpacked 0/1 values) into one packed string (module docstring)."""

    def __init__(self) -> None:
        self._words: list[np.ndarray] = []  # whole words of the string so far
        self._tail = np.uint64(0)  # the bits after them, fewer than a word
        self._tail_bits = 0
        self.size = 0

    def append(self, bits: np.ndarray) -> None:
        """Append 0/1 values (uint8 or bool, 1-D)."""
        self.append_packed(PackedBits.from_bits(np.asarray(bits, dtype=np.uint8)))

    def append_packed(self, bits: PackedBits) -> None:
        """Append a packed string: its words shifted by the bits already in the last word (no unpacking)."""
        piece = bits.words
        shift = self._tail_bits
        if shift:
            shifted = np.zeros(piece.size + 1, dtype="<u8")
            shifted[:-1] = piece << np.uint64(shift)
            shifted[1:] |= piece >> np.uint64(WORD_BITS - shift)
            shifted[0] |= self._tail
            piece = shifted
        total = shift + bits.n_bits
        self._words.append(piece[: total // WORD_BITS])
        self._tail_bits = total % WORD_BITS
        self._tail = piece[total // WORD_BITS] if self._tail_bits else np.uint64(0)
        self.size += bits.n_bits

    def build(self, n_bits: int | None = None) -> PackedBits:
        """The first ``n_bits`` bits appended (all by default) as a :class:`PackedBits`."""
        n_bits = self.size if n_bits is None else n_bits
        if not 0 <= n_bits <= self.size:
            raise ValueError(f"n_bits must be in [0, {self.size}]; got {n_bits}")
        words = np.concatenate([np.zeros(0, dtype="<u8"), *self._words, np.array([self._tail], dtype="<u8")])
        words = words[: -(-n_bits // WORD_BITS)].copy()
        if n_bits % WORD_BITS:
            words[-1] &= np.uint64((1 << (n_bits % WORD_BITS)) - 1)
        return PackedBits(words, n_bits)
