"""Toeplitz hashing: the FFT path is the GF(2) matrix product it documents, for any shape."""

import numpy as np
import pytest
import scipy.linalg

from caligo_sweep.amplification import draw_toeplitz_seed, toeplitz_hash, toeplitz_hash_direct
from caligo_sweep.amplification.toeplitz import rounding_error_bound


def explicit_matrix(seed_bits: np.ndarray, n: int) -> np.ndarray:
    """T[i, j] = seed[i - j + n - 1], built by scipy from its first column and first row."""
    return scipy.linalg.toeplitz(seed_bits[n - 1 :], seed_bits[n - 1 :: -1]).astype(np.int64)


@pytest.mark.parametrize(
    ("n", "m"), [(1, 1), (2, 3), (7, 5), (97, 13), (101, 211), (1009, 101), (4099, 997), (4096, 1), (3000, 1100)]
)
def test_fft_and_direct_paths_equal_the_matrix_product(n, m):
    rng = np.random.default_rng([n, m])
    for _ in range(3):
        bits = rng.integers(0, 2, n, dtype=np.uint8)
        seed = draw_toeplitz_seed(rng, n, m)
        expected = (explicit_matrix(seed, n) @ bits) % 2
        np.testing.assert_array_equal(toeplitz_hash(bits, seed, m), expected)
        np.testing.assert_array_equal(toeplitz_hash_direct(bits, seed, m), expected)


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


def test_rounding_bound_is_far_below_one_half_at_a_million_bits():
    assert rounding_error_bound(10**6, 10**5) < 1e-6


def test_wrong_seed_length_is_refused():
    with pytest.raises(ValueError, match="n \\+ m - 1"):
        toeplitz_hash(np.zeros(10, dtype=np.uint8), np.zeros(10, dtype=np.uint8), 3)
