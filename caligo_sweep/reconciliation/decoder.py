"""Layered sum-product belief propagation for syndrome decoding on the binary symmetric channel.

Bob knows ``y = x XOR e`` with ``e`` i.i.d. Bernoulli(p) and Alice's syndrome ``s = H x`` (mod 2); he looks for the
most likely ``x``. Messages are log-likelihood ratios ``log P(x_v = 0) / P(x_v = 1)``; the channel gives
``(1 - 2 y_v) log((1 - p) / p)``. A check ``c`` with syndrome bit ``s_c`` sends (sum-product rule [1]_)::

    R_cv = (-1)^(s_c) * prod_{u != v} sign(T_cu) * phi( sum_{u != v} phi(|T_cu|) ),  phi(t) = log((e^t + 1)/(e^t - 1)),

with ``T_cu = L_u - R_cu`` the variable-to-check message. The schedule is layered (check by check, posteriors ``L``
updated at once [2]_), which converges in about half the iterations of flooding. Decoding stops after the first pass
in which every check holds right after its own update and then no bit flipped or, checked once over the edges, the
hard decision satisfies every check at the end of the pass (so a converging frame spends no pass confirming it).
Messages are float32 and edges are stored check by check (compressed rows), so a check's edges are contiguous in
memory. ``phi`` comes from a table uniform in ``log2(t)`` (relative error below about 1e-4 over the range that
carries information), and the sum over all inputs but one is formed from prefix and suffix sums; :func:`phi` exposes
the kernel's ``phi`` for the tests. The loop is the C extension
``caligo_sweep/reconciliation/_bp.c`` (built by ``pip install``); it releases the GIL, so frames decode in threads.

References
----------
.. [1] F. R. Kschischang, B. J. Frey, H.-A. Loeliger, "Factor graphs and the sum-product algorithm",
   IEEE Trans. Inf. Theory 47, 498 (2001).
.. [2] D. E. Hocevar, "A reduced complexity decoder architecture via layered decoding of LDPC codes",
   IEEE SiPS 2004.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

try:
    from caligo_sweep.reconciliation import _bp
except ImportError as error:  # a checkout whose C extension was never built (or predates it)
    raise ImportError("the LDPC decoder's C extension is not built: run `pip install -e .` in the checkout") from error

#: Frames one pass of :func:`decode_frames` updates at once (float32 lanes of an AVX2 register).
LANES: int = _bp.LANES
#: Value in :func:`decode_frames`' input of a bit both sides know to be 0 (a shortened position).
KNOWN_SYMBOL: int = _bp.KNOWN_SYMBOL

#: Magnitude of the LLR given to bits whose value both sides know (shortened positions). A check message is at most phi(2^-60) = 42.3
#: nats, so no sum of them (a variable has at most a few hundred) can flip such a bit; phi of it is 0.
KNOWN_BIT_LLR: float = 1.0e6


class GroupEdges(NamedTuple):
    """The variables that groups of 8 checks read, encoded for :func:`syndrome_of` (see :func:`group_edges`).

    Parameters
    ----------
    first : numpy.ndarray
        int32, one entry per edge ``k`` of each group of 8 checks of one degree, in group order: ``v`` where the
        group's ``k``-th edges read the variables ``v .. v + 7``, else ``-1 - w``.
    wrapped : numpy.ndarray
        int32, shape ``(rows, 8)``: row ``w`` holds the 8 variables of entry ``-1 - w``.
    """

    first: np.ndarray
    wrapped: np.ndarray


def group_edges(row_pointer: np.ndarray, column_index: np.ndarray) -> GroupEdges:
    """The encoding that lets :func:`syndrome_of` serve 8 checks with one 8-byte load (computed once per code).

    A quasi-cyclic code's checks ``8 q .. 8 q + 7`` have one degree, and away from a circulant's wrap their
    ``k``-th edges read 8 consecutive variables; at a wrap the 8 variables are one row of a small table, so no
    index is read from the other checks' rows. Groups of checks of different degrees, and the last
    ``n_checks % 8`` checks, get no entries (the syndrome reads their edges one by one).
    """
    row_pointer = np.ascontiguousarray(row_pointer, dtype=np.int64)
    column_index = np.ascontiguousarray(column_index, dtype=np.int32)
    bound = column_index.size // 8
    first = np.empty(bound, dtype=np.int32)
    wrapped = np.empty((bound, 8), dtype=np.int32)
    entries, rows = _bp.group_edges(row_pointer, column_index, first, wrapped.reshape(-1))
    return GroupEdges(first[:entries].copy(), wrapped[:rows].copy())


def syndrome_of(
    row_pointer: np.ndarray, column_index: np.ndarray, bits: np.ndarray, groups: GroupEdges | None = None
) -> np.ndarray:
    """Syndrome ``H bits mod 2`` (uint8, one entry per check) of a compressed-row parity-check matrix (C loop).

    ``groups``: :func:`group_edges` of the same matrix, when many syndromes of one code are taken (computed here
    otherwise); the syndrome does not depend on it.
    """
    row_pointer = np.ascontiguousarray(row_pointer, dtype=np.int64)
    column_index = np.ascontiguousarray(column_index, dtype=np.int32)
    if groups is None:
        groups = group_edges(row_pointer, column_index)
    syndrome = np.empty(row_pointer.size - 1, dtype=np.uint8)
    _bp.syndrome(
        row_pointer,
        column_index,
        np.ascontiguousarray(bits, dtype=np.uint8),
        syndrome,
        groups.first,
        groups.wrapped.reshape(-1),
    )
    return syndrome


def decode_posterior(
    row_pointer: np.ndarray,
    column_index: np.ndarray,
    channel_llr: np.ndarray,
    syndrome: np.ndarray,
    max_iterations: int,
) -> tuple[np.ndarray, int, bool]:
    """Decode one frame by layered sum-product BP and return the final LLRs (the scalar single-frame kernel, the
    reference :func:`decode_frames` is tested against).

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


#: decode_frames() kernels and their codes in the C extension.
KERNELS = {"auto": 0, "frames": 1, "checks": 2}


def decode_frames(
    row_pointer: np.ndarray,
    column_index: np.ndarray,
    frames: np.ndarray,
    crossover_probability: float | np.ndarray,
    syndromes: np.ndarray,
    max_iterations: int,
    *,
    portable: bool = False,
    kernel: str = "auto",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decode many frames of one code with SIMD lanes, each exactly as :func:`decode_posterior` decodes it alone
    from :func:`channel_llr` (and :data:`KNOWN_BIT_LLR` at known bits).

    Two kernels, with vector instructions (AVX2 where the CPU has it, chosen at run time, else a portable build):

    * ``"checks"``: one frame at a time, each pass updating :data:`LANES` checks at once. It needs every group of
      checks ``8 q .. 8 q + 7`` to have one degree and to share no variable, as the checks of a circulant row of the
      shipped quasi-cyclic codes do; the layered schedule then gives the same numbers whether a group's checks are
      updated one after another or together. One frame fills every lane, and a thread holds 4 bytes per variable and
      per edge.
    * ``"frames"``: :data:`LANES` frames interleaved lane by lane, each lane running the whole schedule on its frame;
      a lane whose frame stops takes the next one. Any graph; 8 times the memory, and lanes idle when a call has
      fewer than :data:`LANES` frames.

    ``"auto"`` takes ``"checks"`` where the graph allows it. In both, every lane does the single-frame decoder's
    float32 operations in the same order, so a frame's bits, passes and flag do not depend on the kernel, on the
    other frames, on its lane or on the instruction set (tested). The LLRs are formed from one byte per bit.

    Parameters
    ----------
    row_pointer, column_index : numpy.ndarray
        Parity-check matrix in compressed-row form.
    frames : numpy.ndarray
        uint8 ``(n_frames, n_variables)``: Bob's bit (0 or 1), or :data:`KNOWN_SYMBOL` where both sides know a 0.
        Overwritten with the hard decisions, and returned.
    crossover_probability : float or numpy.ndarray
        BSC crossover probability in (0, 1/2), one for all frames or one per frame.
    syndromes : numpy.ndarray
        uint8 ``(n_frames, n_checks)`` target syndromes.
    max_iterations : int
        Upper bound on passes per frame (>= 1).
    portable : bool
        Use the portable build even where AVX2 exists (same bits; for tests and benchmarks).
    kernel : {"auto", "checks", "frames"}
        Which kernel (same bits); ``"checks"`` raises ValueError on a graph that does not allow it.

    Returns
    -------
    bits : numpy.ndarray
        ``frames``, now holding the uint8 hard decisions.
    iterations : numpy.ndarray
        int64 passes used per frame.
    converged : numpy.ndarray
        bool per frame: the hard decision satisfies every check.
    """
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {sorted(KERNELS)}; got {kernel!r}")
    if not (isinstance(frames, np.ndarray) and frames.dtype == np.uint8 and frames.ndim == 2 and frames.flags.c_contiguous):
        raise ValueError("frames must be a C-contiguous 2-D uint8 array (it is overwritten with the decisions)")
    syndromes = np.ascontiguousarray(syndromes, dtype=np.uint8)
    n_frames = frames.shape[0]
    if syndromes.ndim != 2 or syndromes.shape[0] != n_frames:
        raise ValueError(f"need one frame row and one syndrome row per frame; got {frames.shape}, {syndromes.shape}")
    magnitudes = np.broadcast_to(channel_magnitude(crossover_probability), (n_frames,)).astype(np.float32)
    iterations = np.empty(n_frames, dtype=np.int64)
    converged = np.empty(n_frames, dtype=np.uint8)
    _bp.decode_frames(
        np.ascontiguousarray(row_pointer, dtype=np.int64),
        np.ascontiguousarray(column_index, dtype=np.int32),
        frames,
        magnitudes,
        syndromes,
        int(max_iterations),
        KNOWN_BIT_LLR,
        iterations,
        converged,
        bool(portable),
        KERNELS[kernel],
    )
    return frames, iterations, converged.astype(bool)


def decode_syndrome(
    row_pointer: np.ndarray,
    column_index: np.ndarray,
    y: np.ndarray,
    crossover_probability: float,
    syndrome: np.ndarray,
    max_iterations: int,
) -> tuple[np.ndarray, int, bool]:
    """One frame of Bob's bits ``y`` (uint8 0/1) on a BSC(``crossover_probability``) through :func:`decode_frames`:
    (uint8 bits, passes used, whether every check holds)."""
    bits, iterations, converged = decode_frames(
        row_pointer, column_index, np.array(y, dtype=np.uint8)[None, :], crossover_probability,
        np.asarray(syndrome)[None, :], max_iterations,
    )
    return bits[0], int(iterations[0]), bool(converged[0])


def lanes_use_avx2() -> bool:
    """Whether :func:`decode_frames` runs its AVX2 build on this CPU (else the portable one)."""
    return bool(_bp.lanes_use_avx2())


def phi(t: np.ndarray) -> np.ndarray:
    """``phi(t) = log((e^t + 1) / (e^t - 1))`` of float32 ``t`` as the decoder evaluates it (float32)."""
    t = np.ascontiguousarray(t, dtype=np.float32)
    out = np.empty_like(t)
    _bp.phi(t, out)
    return out


def channel_magnitude(crossover_probability: float | np.ndarray) -> np.ndarray:
    """``log((1 - p) / p)`` in float32: the channel LLR's magnitude on a BSC(p), p in (0, 1/2)."""
    p = np.asarray(crossover_probability, dtype=np.float64)
    if not np.all((p > 0.0) & (p < 0.5)):
        raise ValueError(f"crossover probabilities must be in (0, 1/2); got {crossover_probability}")
    return np.log((1.0 - p) / p).astype(np.float32)


def channel_llr(bob_bits: np.ndarray, crossover_probability: float) -> np.ndarray:
    """Prior LLRs ``(1 - 2 y) log((1 - p) / p)`` (float32) of Bob's bits on a BSC(p)."""
    magnitude = channel_magnitude(crossover_probability)
    return np.where(bob_bits.astype(bool), -magnitude, magnitude).astype(np.float32)
