"""Toeplitz hashing: the carry-less paths (VPCLMULQDQ, PCLMULQDQ, portable) are the GF(2) matrix product, for any shape."""

import numpy as np
import pytest
import scipy.linalg

from caligo_sweep.amplification import draw_toeplitz_seed, toeplitz_hash, toeplitz_hash_direct
from caligo_sweep.amplification import _gf2
from caligo_sweep.amplification.toeplitz import (
    INSTRUCTION_SETS,
    SEED_CHUNK_BITS,
    carry_less_kernel,
    draw_toeplitz_seed_words,
    pack_words,
    unpack_words,
)
from caligo_sweep.engine.bitstring import PackedBits
from caligo_sweep.protocol.ot_amplification import SPARSE_ERROR_COLUMNS, bob_hash


def explicit_matrix(seed_bits: np.ndarray, n: int) -> np.ndarray:
    """T[i, j] = seed[i - j + n - 1], built by scipy from its first column and first row."""
    return scipy.linalg.toeplitz(seed_bits[n - 1 :], seed_bits[n - 1 :: -1]).astype(np.int64)


@pytest.mark.parametrize(
    ("n", "m"), [(1, 1), (2, 3), (7, 5), (97, 13), (101, 211), (1009, 101), (4099, 997), (4096, 1), (3000, 1100)]
)
def test_every_path_equals_the_matrix_product(n, m):
    rng = np.random.default_rng([n, m])
    for _ in range(3):
        bits = rng.integers(0, 2, n, dtype=np.uint8)
        seed = draw_toeplitz_seed(rng, n, m)
        expected = (explicit_matrix(seed, n) @ bits) % 2
        for instructions in INSTRUCTION_SETS:
            np.testing.assert_array_equal(toeplitz_hash(bits, seed, m, instructions=instructions), expected)
        np.testing.assert_array_equal(toeplitz_hash_direct(bits, seed, m), expected)


@pytest.mark.parametrize(
    ("n", "m"), [(20011, 4099), (65537, 1153), (30000, 30000), (100003, 9973), (40000, 2113), (9000, 1985)]
)
def test_deep_karatsuba_recursion_equals_the_direct_product(n, m):
    # Outputs of 17 words and more are padded to L 2^k words and recurse down to leaves of 9-16 words (32 on the
    # AVX-512 path, where outputs past the last multiple of four take the 128-bit loop); 2113 bits: 34 words, 36
    # with the block's two, padded to 9 * 4; 1985 bits: 32 + 2 words. The direct product (numpy.correlate in
    # int64) is an independent computation.
    rng = np.random.default_rng([n, m, 1])
    bits = rng.integers(0, 2, n, dtype=np.uint8)
    seed = draw_toeplitz_seed(rng, n, m)
    expected = toeplitz_hash_direct(bits, seed, m)
    for instructions in INSTRUCTION_SETS:
        np.testing.assert_array_equal(toeplitz_hash(bits, seed, m, instructions=instructions), expected)


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            return next((set(line.split(":")[1].split()) for line in cpuinfo if line.startswith("flags")), set())
    except OSError:
        return set()


def test_the_widest_carry_less_instruction_of_the_cpu_is_used():
    flags = _cpu_flags()
    if not flags:
        pytest.skip("no /proc/cpuinfo flags to compare with")
    wide = {"pclmulqdq", "avx512f", "vpclmulqdq"} <= flags
    assert carry_less_kernel() == ("vpclmul" if wide else "pclmul" if "pclmulqdq" in flags else "portable")
    assert carry_less_kernel("pclmul") == ("pclmul" if "pclmulqdq" in flags else "portable")
    assert carry_less_kernel("portable") == "portable"


def test_an_unknown_instruction_set_is_refused():
    with pytest.raises(ValueError, match="instructions must be one of"):
        carry_less_kernel("avx9")
    with pytest.raises(ValueError, match=r"widest must be in \[0, 2\]; got 3"):
        _gf2.kernel(3)


def test_packing_is_numpy_packbits_little_endian():
    rng = np.random.default_rng(3)
    bits = rng.integers(0, 2, 131, dtype=np.uint8)
    words = pack_words(bits)
    assert words.dtype == np.dtype("<u8") and words.size == 3
    assert int(words[0]) == sum(int(b) << k for k, b in enumerate(bits[:64]))
    np.testing.assert_array_equal(unpack_words(words, 131), bits)


@pytest.mark.parametrize("n_errors", [0, 1, 7, SPARSE_ERROR_COLUMNS, SPARSE_ERROR_COLUMNS + 1, 5000])
def test_bob_hash_by_linearity_equals_hashing_his_string(n_errors):
    rng = np.random.default_rng([11, n_errors])
    n, m = 20000, 3001
    alice = rng.integers(0, 2, n, dtype=np.uint8)
    bob = alice.copy()
    bob[rng.choice(n, n_errors, replace=False)] ^= 1
    seed = draw_toeplitz_seed(rng, n, m)
    alice_hash = PackedBits.from_bits(toeplitz_hash(alice, seed, m))
    packed = [PackedBits.from_bits(bits) for bits in (bob, alice, seed)]
    np.testing.assert_array_equal(bob_hash(*packed[:2], alice_hash, packed[2], m).unpack(), toeplitz_hash_direct(bob, seed, m))


@pytest.mark.parametrize("n_bits", [1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 1000, 262_207])
def test_the_seed_is_numpys_bounded_uint8_draw(n_bits):
    # The seed is defined as the bits numpy's own 0/1 draw gives (which fixed every S_0, S_1 and tag so far); the
    # fast draw from whole uint32 words must give exactly those.
    expected = np.random.default_rng([n_bits, 1]).integers(0, 2, n_bits, dtype=np.uint8)
    np.testing.assert_array_equal(draw_toeplitz_seed(np.random.default_rng([n_bits, 1]), n_bits, 1), expected)
    packed = draw_toeplitz_seed_words(np.random.default_rng([n_bits, 1]), n_bits, 1)
    np.testing.assert_array_equal(packed, pack_words(expected))


@pytest.mark.parametrize(("n", "m"), [(1, 1), (SEED_CHUNK_BITS, 1), (SEED_CHUNK_BITS + 3, 2), (3 * SEED_CHUNK_BITS - 5, 101)])
def test_the_packed_seed_is_the_one_call_seed(n, m):
    # The chunked draw must continue numpy's one-call stream exactly, or the same seed would give another S_0, S_1.
    one_call = draw_toeplitz_seed(np.random.default_rng([n, m]), n, m)
    np.testing.assert_array_equal(draw_toeplitz_seed_words(np.random.default_rng([n, m]), n, m), pack_words(one_call))


def test_every_input_bit_reaches_the_output():
    # Caligo's zero-padded circular "FFT" path ignored most input bits; a Toeplitz matrix with a random seed has no
    # zero column except with probability 2^-m per column.
    rng = np.random.default_rng(5)
    n, m = 1000, 100
    bits = rng.integers(0, 2, n, dtype=np.uint8)
    seed = draw_toeplitz_seed(rng, n, m)
    reference = toeplitz_hash(bits, seed, m)
    for j in range(n):
        flipped = bits.copy()
        flipped[j] ^= 1
        assert not np.array_equal(toeplitz_hash(flipped, seed, m), reference)


def test_wrong_seed_length_is_refused():
    with pytest.raises(ValueError, match="n \\+ m - 1"):
        toeplitz_hash(np.zeros(10, dtype=np.uint8), np.zeros(10, dtype=np.uint8), 3)
