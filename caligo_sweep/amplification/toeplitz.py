"""Toeplitz hashing over GF(2), exactly, by FFT convolution with a proven rounding bound.

A seed ``t`` of ``n + m - 1`` bits defines the ``m x n`` Toeplitz matrix ``T[i, j] = t[i - j + n - 1]`` (constant
along diagonals; every seed gives a distinct matrix, and the family is two-universal [1]_). Then

    (T x)_i = sum_j t[i - j + n - 1] x_j = (t * x)[i + n - 1]     (mod 2),

a slice of the linear convolution of the seed with the input. We compute the integer convolution with a float64 real
FFT of power-of-two length ``L >= n + m - 1`` (wrap-around terms land only below index ``n - 1``, outside the slice),
round to the nearest integer and take the parity.

Exactness: for a power-of-two FFT, Percival [2]_ (Eq. 3.6, with Higham [3]_ Thm 24.2) bounds the error of every
output of the FFT product by ``||t||_2 ||x||_2 [(1+u)^{3k} (1 + u sqrt5)^{3k+1} (1+mu)^{3k} - 1]`` with
``k = log2 L``, ``u = 2^-53`` and ``mu`` the twiddle-factor error (we allow ``mu = 4u``). For 0/1 vectors
``||t||_2 ||x||_2 <= sqrt((n + m - 1) n)``; :func:`rounding_error_bound` evaluates this and :func:`toeplitz_hash`
refuses sizes where it reaches 1/4 (about 10^12 bits, never in practice: 4e-8 at n = 10^6). The measured distance
to the nearest integer is also asserted to stay below 1/4, so a violated assumption can never pass silently.

References
----------
.. [1] H. Krawczyk, "LFSR-based hashing and authentication", CRYPTO 1994; Y. Mansour, N. Nisan, P. Tiwari,
   "The computational complexity of universal hashing", STOC 1990.
.. [2] C. Percival, "Rapid multiplication modulo the sum and difference of highly composite numbers",
   Math. Comp. 72, 387 (2003).
.. [3] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM (2002), ch. 24.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft

_UNIT_ROUNDOFF = 2.0**-53
_TWIDDLE_ERROR = 4 * _UNIT_ROUNDOFF
_MAX_ROUNDING_ERROR = 0.25


def rounding_error_bound(n_input_bits: int, n_output_bits: int) -> float:
    """Worst-case absolute error of any FFT convolution output for 0/1 inputs (see module docstring)."""
    n_seed = n_input_bits + n_output_bits - 1
    levels = max(1, math.ceil(math.log2(n_seed)))
    growth = (
        (1 + _UNIT_ROUNDOFF) ** (3 * levels)
        * (1 + _UNIT_ROUNDOFF * math.sqrt(5)) ** (3 * levels + 1)
        * (1 + _TWIDDLE_ERROR) ** (3 * levels)
        - 1.0
    )
    return math.sqrt(n_seed * n_input_bits) * growth


def _check_shapes(bits: np.ndarray, seed_bits: np.ndarray, n_output_bits: int) -> None:
    if n_output_bits < 1:
        raise ValueError(f"n_output_bits must be >= 1; got {n_output_bits}")
    if bits.ndim != 1 or bits.size < 1:
        raise ValueError(f"bits must be a non-empty 1-D array; got shape {bits.shape}")
    if seed_bits.shape != (bits.size + n_output_bits - 1,):
        raise ValueError(f"seed_bits must have n + m - 1 = {bits.size + n_output_bits - 1} bits; got {seed_bits.shape}")


def draw_toeplitz_seed(rng: np.random.Generator, n_input_bits: int, n_output_bits: int) -> np.ndarray:
    """Uniform seed (uint8 0/1, ``n + m - 1`` bits) for an ``m x n`` Toeplitz matrix, drawn from ``rng``."""
    return rng.integers(0, 2, size=n_input_bits + n_output_bits - 1, dtype=np.uint8)


def toeplitz_hash(bits: np.ndarray, seed_bits: np.ndarray, n_output_bits: int) -> np.ndarray:
    """``T x mod 2`` for the Toeplitz matrix of ``seed_bits``, by exact FFT convolution.

    Parameters
    ----------
    bits : numpy.ndarray
        Input x, uint8 0/1, length n.
    seed_bits : numpy.ndarray
        uint8 0/1, length ``n + m - 1``; ``T[i, j] = seed_bits[i - j + n - 1]``.
    n_output_bits : int
        Output length m.

    Returns
    -------
    numpy.ndarray
        uint8 0/1 array of length m.
    """
    bits = np.asarray(bits)
    seed_bits = np.asarray(seed_bits)
    _check_shapes(bits, seed_bits, n_output_bits)
    n = bits.size
    if rounding_error_bound(n, n_output_bits) >= _MAX_ROUNDING_ERROR:
        raise ValueError(f"input of {n} bits is too long for exact float64 FFT hashing")
    length = 1 << math.ceil(math.log2(n + n_output_bits - 1))
    spectrum = scipy.fft.rfft(seed_bits.astype(np.float64), length)
    spectrum *= scipy.fft.rfft(bits.astype(np.float64), length)
    convolution = scipy.fft.irfft(spectrum, length)[n - 1 : n - 1 + n_output_bits]
    rounded = np.rint(convolution)
    deviation = float(np.max(np.abs(convolution - rounded)))
    if deviation >= _MAX_ROUNDING_ERROR:
        raise ArithmeticError(f"FFT rounding error {deviation} exceeds {_MAX_ROUNDING_ERROR}")
    return (rounded.astype(np.int64) & 1).astype(np.uint8)


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
