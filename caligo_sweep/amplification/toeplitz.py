"""Toeplitz hashing over GF(2), exactly, by carry-less polynomial multiplication.

A seed ``t`` of ``n + m - 1`` bits defines the ``m x n`` Toeplitz matrix ``T[i, j] = t[i - j + n - 1]`` (constant
along diagonals; every seed gives a distinct matrix, and the family is two-universal [1]_). Then

    (T x)_i = sum_j t[i - j + n - 1] x_j = (t * x)[i + n - 1]     (mod 2),

a slice of the product of the polynomials ``t(z)`` and ``x(z)`` over GF(2). The C extension ``_gf2`` computes that
slice directly in GF(2)[z]: the input is cut into blocks of ``B`` bits (``m`` rounded up to whole 64-bit words);
each block needs ``m`` coefficients of the product of the block with a ``2B``-bit seed segment, a *middle product*,
which the transposed Karatsuba step [2]_ computes with three half-size middle products (its size padded to
``L 2^k`` words, ``L <= 16``, so that no level is odd), down to schoolbook products of 64 x 64-bit carry-less
multiplications: VPCLMULQDQ on AVX-512 (four per instruction, 17-32-word leaves), else PCLMULQDQ (9-16-word
leaves), chosen at run time, else a portable shift-and-xor loop; all give the same bits. Cost: about ``n / m``
Karatsuba products of ``m`` bits; on one core here (VPCLMULQDQ) ``5e7 -> 4e6`` bits take 0.58 s and
``5e7 -> 8.57e6`` bits 1.0 s (PCLMULQDQ: 0.85 and 1.5 s).

Exactness: every operation is an XOR or AND of bits, so the result is the GF(2) matrix product by construction (no
rounding, unlike the float FFT used before, which needed Percival's error bound); the tests compare it with the
explicit matrix product at random sizes, odd and prime lengths included, on both instruction paths.

Bits are packed little-endian into 64-bit words (bit ``j`` is bit ``j % 64`` of word ``j // 64``), which is
``numpy.packbits(bits, bitorder="little")`` read as ``uint64`` on a little-endian machine (:func:`pack_words`).

References
----------
.. [1] H. Krawczyk, "LFSR-based hashing and authentication", CRYPTO 1994; Y. Mansour, N. Nisan, P. Tiwari,
   "The computational complexity of universal hashing", STOC 1990.
.. [2] G. Hanrot, M. Quercia, P. Zimmermann, "The middle product algorithm I", Appl. Algebra Eng. Commun. Comput.
   14, 415 (2004).
"""

from __future__ import annotations

import sys

import numpy as np

from caligo_sweep.amplification import _gf2


def pack_words(bits: np.ndarray) -> np.ndarray:
    """0/1 bits as little-endian packed ``uint64`` words (zero padding to a whole word)."""
    packed = np.packbits(np.asarray(bits, dtype=np.uint8), bitorder="little")
    words = np.zeros((packed.size + 7) // 8 * 8, dtype=np.uint8)
    words[: packed.size] = packed
    return words.view("<u8")


def unpack_words(words: np.ndarray, n_bits: int) -> np.ndarray:
    """Inverse of :func:`pack_words`: the first ``n_bits`` bits as a uint8 0/1 array."""
    return np.unpackbits(np.ascontiguousarray(words, dtype="<u8").view(np.uint8), count=n_bits, bitorder="little")


def _check_shapes(bits: np.ndarray, seed_bits: np.ndarray, n_output_bits: int) -> None:
    if n_output_bits < 1:
        raise ValueError(f"n_output_bits must be >= 1; got {n_output_bits}")
    if bits.ndim != 1 or bits.size < 1:
        raise ValueError(f"bits must be a non-empty 1-D array; got shape {bits.shape}")
    if seed_bits.shape != (bits.size + n_output_bits - 1,):
        raise ValueError(f"seed_bits must have n + m - 1 = {bits.size + n_output_bits - 1} bits; got {seed_bits.shape}")


def _seed_bytes(rng: np.random.Generator, n_bits: int) -> np.ndarray:
    """``n_bits`` bytes of ``rng``'s uint32 stream (low byte first); the top bit of byte ``j`` is seed bit ``j``.

    These are the bits ``rng.integers(0, 2, n_bits, dtype=numpy.uint8)`` returns: numpy draws bounded uint8 values
    from 32-bit words, four per word, low byte first, and Lemire's method for the range {0, 1} keeps each byte's top
    bit (``(byte * 2) >> 8``, never rejecting); tested against that call. One uint32 per four bits costs a third of it.
    """
    words = rng.integers(0, 2**32, size=-(-n_bits // 4), dtype=np.uint32)
    return words.astype("<u4", copy=False).view(np.uint8)[:n_bits]


def draw_toeplitz_seed(rng: np.random.Generator, n_input_bits: int, n_output_bits: int) -> np.ndarray:
    """Uniform seed (uint8 0/1, ``n + m - 1`` bits) for an ``m x n`` Toeplitz matrix, drawn from ``rng``.

    Bit for bit ``rng.integers(0, 2, n + m - 1, dtype=numpy.uint8)`` (see :func:`_seed_bytes`).
    """
    return _seed_bytes(rng, n_input_bits + n_output_bits - 1) >> 7


#: Seed bits drawn per call of ``rng.integers`` by :func:`draw_toeplitz_seed_words` (a multiple of 32, see there).
SEED_CHUNK_BITS = 1 << 20


def draw_toeplitz_seed_words(rng: np.random.Generator, n_input_bits: int, n_output_bits: int) -> np.ndarray:
    """The seed :func:`draw_toeplitz_seed` draws from ``rng``, bit for bit, packed as :func:`pack_words` packs it.

    The bits are drawn :data:`SEED_CHUNK_BITS` at a time and packed chunk by chunk, so the seed costs 1/8 byte per
    bit plus one chunk. A chunk of a multiple of 4 bits takes whole uint32 words, so the chunks continue the
    one-call stream exactly (tested).
    """
    n_bits = n_input_bits + n_output_bits - 1
    words = np.zeros(-(-n_bits // 64), dtype="<u8")
    packed = words.view(np.uint8)
    for start in range(0, n_bits, SEED_CHUNK_BITS):
        piece = np.packbits(_seed_bytes(rng, min(SEED_CHUNK_BITS, n_bits - start)) & 0x80, bitorder="little")
        packed[start // 8 : start // 8 + piece.size] = piece
    return words


#: Instruction sets of the carry-less multiply, narrowest first (what ``instructions`` may name).
INSTRUCTION_SETS = ("portable", "pclmul", "vpclmul")


def _widest(instructions: str) -> int:
    if instructions not in INSTRUCTION_SETS:
        raise ValueError(f"instructions must be one of {INSTRUCTION_SETS}; got {instructions!r}")
    return INSTRUCTION_SETS.index(instructions)


def carry_less_kernel(instructions: str = "vpclmul") -> str:
    """Name of the carry-less multiply the hash uses on this CPU when allowed up to ``instructions``."""
    return _gf2.kernel(_widest(instructions))


def toeplitz_hash_words(
    input_words: np.ndarray,
    n_input_bits: int,
    seed_words: np.ndarray,
    n_output_bits: int,
    *,
    instructions: str = "vpclmul",
) -> np.ndarray:
    """``T x mod 2`` on packed words (see module docstring); returns ``ceil(m / 64)`` words, bits past ``m`` zero.

    Parameters
    ----------
    input_words, seed_words : numpy.ndarray
        ``uint64`` words of x (``n`` bits) and of the seed (``n + m - 1`` bits), as :func:`pack_words` makes them.
    n_input_bits, n_output_bits : int
        n and m.
    instructions : str
        Widest instruction set allowed (:data:`INSTRUCTION_SETS`); the CPU's best up to it is used. All give the
        same bits; narrower ones are for tests.
    """
    if sys.byteorder != "little":
        raise RuntimeError("packed GF(2) hashing assumes a little-endian machine")
    output = np.zeros((n_output_bits + 63) // 64, dtype=np.uint64)
    _gf2.toeplitz_hash_words(
        output,
        np.ascontiguousarray(input_words, dtype=np.uint64),
        int(n_input_bits),
        np.ascontiguousarray(seed_words, dtype=np.uint64),
        int(n_output_bits),
        _widest(instructions),
    )
    return output


def toeplitz_hash(
    bits: np.ndarray, seed_bits: np.ndarray, n_output_bits: int, *, instructions: str = "vpclmul"
) -> np.ndarray:
    """``T x mod 2`` for the Toeplitz matrix of ``seed_bits``, exactly, in GF(2)[z].

    Parameters
    ----------
    bits : numpy.ndarray
        Input x, uint8 0/1, length n.
    seed_bits : numpy.ndarray
        uint8 0/1, length ``n + m - 1``; ``T[i, j] = seed_bits[i - j + n - 1]``.
    n_output_bits : int
        Output length m.
    instructions : str
        Widest instruction set allowed (see :func:`toeplitz_hash_words`).

    Returns
    -------
    numpy.ndarray
        uint8 0/1 array of length m.
    """
    bits = np.asarray(bits)
    seed_bits = np.asarray(seed_bits)
    _check_shapes(bits, seed_bits, n_output_bits)
    words = toeplitz_hash_words(
        pack_words(bits), bits.size, pack_words(seed_bits), n_output_bits, instructions=instructions
    )
    return unpack_words(words, n_output_bits)


def toeplitz_hash_direct(bits: np.ndarray, seed_bits: np.ndarray, n_output_bits: int) -> np.ndarray:
    """Same as :func:`toeplitz_hash` by the direct O(n m) GF(2) product (fast for short outputs such as tags).

    With ``k = n - 1 - j``, ``(T x)_i = sum_k t[i + k] x[n - 1 - k]``: output ``i`` is the dot product of the seed
    window starting at ``i`` with the reversed input, i.e. ``numpy.correlate(t, x[::-1], "valid")``, exact in int64.
    (Integers, not floats: a float dot product goes to BLAS, whose thread pool competes with the decoding threads.)
    """
    bits = np.asarray(bits)
    seed_bits = np.asarray(seed_bits)
    _check_shapes(bits, seed_bits, n_output_bits)
    counts = np.correlate(seed_bits.astype(np.int64), bits[::-1].astype(np.int64), "valid")
    return (counts & 1).astype(np.uint8)
