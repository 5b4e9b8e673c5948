"""Layered sum-product belief propagation for syndrome decoding on the binary symmetric channel.

Bob knows ``y = x XOR e`` with ``e`` i.i.d. Bernoulli(p) and Alice's syndrome ``s = H x`` (mod 2); he looks for the
most likely ``x``. Messages are log-likelihood ratios ``log P(x_v = 0) / P(x_v = 1)``; the channel gives
``(1 - 2 y_v) log((1 - p) / p)``. A check ``c`` with syndrome bit ``s_c`` sends (sum-product rule [1]_)::

    R_cv = (-1)^(s_c) * prod_{u != v} sign(T_cu) * phi( sum_{u != v} phi(|T_cu|) ),  phi(t) = log((e^t + 1)/(e^t - 1)),

with ``T_cu = L_u - R_cu`` the variable-to-check message. The schedule is layered (check by check, posteriors ``L``
updated at once [2]_), which converges in about half the iterations of flooding. Decoding stops after the first pass
in which the hard decision satisfies every check and no bit flips. Messages are float32 and edges are stored check by
check (compressed rows), so a check's edges are contiguous in memory. ``phi`` comes from a table uniform in
``log2(t)`` (relative error below about 1e-4 over the range that carries information), and the sum over all inputs
but one is formed from prefix and suffix sums; :func:`phi` exposes the kernel's ``phi`` for the tests. The loop is the C extension
``caligo_sweep/reconciliation/_bp.c`` (built by ``pip install``); it releases the GIL, so frames decode in threads.

References
----------
.. [1] F. R. Kschischang, B. J. Frey, H.-A. Loeliger, "Factor graphs and the sum-product algorithm",
   IEEE Trans. Inf. Theory 47, 498 (2001).
.. [2] D. E. Hocevar, "A reduced complexity decoder architecture via layered decoding of LDPC codes",
   IEEE SiPS 2004.
"""

from __future__ import annotations

import numpy as np

try:
    from caligo_sweep.reconciliation import _bp
except ImportError as error:  # a checkout whose C extension was never built (or predates it)
    raise ImportError("the LDPC decoder's C extension is not built: run `pip install -e .` in the checkout") from error

#: Magnitude of the LLR given to bits whose value both sides know (shortened positions). A check message is at most phi(2^-60) = 42.3
#: nats, so no sum of them (a variable has at most a few hundred) can flip such a bit; phi of it is 0.
KNOWN_BIT_LLR: float = 1.0e6


def syndrome_of(row_pointer: np.ndarray, column_index: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """Syndrome ``H bits mod 2`` (uint8, one entry per check) of a compressed-row parity-check matrix."""
    edge_bits = bits[column_index].astype(np.uint8)
    return np.bitwise_xor.reduceat(edge_bits, row_pointer[:-1]).astype(np.uint8)


def decode_posterior(
    row_pointer: np.ndarray,
    column_index: np.ndarray,
    channel_llr: np.ndarray,
    syndrome: np.ndarray,
    max_iterations: int,
) -> tuple[np.ndarray, int, bool]:
    """Decode one frame by layered sum-product BP and return the final LLRs.

    Parameters
    ----------
    row_pointer, column_index : numpy.ndarray
        Parity-check matrix in compressed-row form (see :func:`caligo_sweep.reconciliation.construction.lift`).
    channel_llr : numpy.ndarray
        float32 prior LLR of every variable (``log P(0)/P(1)``).
    syndrome : numpy.ndarray
        uint8 target syndrome, one bit per check.
    max_iterations : int
        Upper bound on full passes over the checks.

    Returns
    -------
    posterior : numpy.ndarray
        float32 a-posteriori LLR of every variable.
    iterations : int
        Passes used.
    converged : bool
        Whether the hard decision ``posterior < 0`` satisfies every check.
    """
    channel_llr = np.ascontiguousarray(channel_llr, dtype=np.float32)
    posterior = np.empty_like(channel_llr)
    iterations, converged = _bp.decode(
        np.ascontiguousarray(row_pointer, dtype=np.int64),
        np.ascontiguousarray(column_index, dtype=np.int32),
        channel_llr,
        np.ascontiguousarray(syndrome, dtype=np.uint8),
        int(max_iterations),
        posterior,
    )
    return posterior, iterations, converged


def decode_syndrome(
    row_pointer: np.ndarray,
    column_index: np.ndarray,
    channel_llr: np.ndarray,
    syndrome: np.ndarray,
    max_iterations: int,
) -> tuple[np.ndarray, int, bool]:
    """:func:`decode_posterior` with the hard decision: (uint8 bits, passes used, whether every check holds)."""
    posterior, iterations, converged = decode_posterior(row_pointer, column_index, channel_llr, syndrome, max_iterations)
    return (posterior < 0).astype(np.uint8), iterations, converged


def phi(t: np.ndarray) -> np.ndarray:
    """``phi(t) = log((e^t + 1) / (e^t - 1))`` of float32 ``t`` as the decoder evaluates it (float32)."""
    t = np.ascontiguousarray(t, dtype=np.float32)
    out = np.empty_like(t)
    _bp.phi(t, out)
    return out


def channel_llr(bob_bits: np.ndarray, crossover_probability: float) -> np.ndarray:
    """Prior LLRs ``(1 - 2 y) log((1 - p) / p)`` (float32) of Bob's bits on a BSC(p)."""
    magnitude = np.float32(np.log((1.0 - crossover_probability) / crossover_probability))
    return np.where(bob_bits.astype(bool), -magnitude, magnitude).astype(np.float32)
