"""One-way reconciliation of one OT half: Alice's message (syndromes + verification tags), Bob's frame decoding.

Alice never hears back (any feedback would depend on whether Bob can decode, i.e. on his choice bit). For every
frame she sends the syndrome of her bits (``m`` bits) and a ``tag_bits``-bit Toeplitz hash of the frame's payload
under a fresh public seed; Bob decodes with layered sum-product BP and accepts a frame only if his tag matches.
A wrong decoding is missed with probability at most ``2^-tag_bits`` per frame (two-universality). Every syndrome and
tag bit is counted in the leak; nothing is subtracted (shortened bits are known zeros, see
:mod:`caligo_sweep.reconciliation.frames`).

Randomness: frame ``k`` draws its tag seed from ``SeedSequence(entropy, spawn_key + (k,))`` of the given seed, so
the message, the decoded bits and the flags are identical for any ``n_jobs``. Frames decode in ``n_jobs`` threads:
the C decoder releases the GIL, so threads share the lifted code and need no worker processes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from caligo_sweep.amplification.toeplitz import draw_toeplitz_seed, toeplitz_hash
from caligo_sweep.engine.bitstring import PackedBits, PackedBitsBuilder
from caligo_sweep.entropy import binary_entropy
from caligo_sweep.physics.checks import require_in_interval, require_integer, require_positive_integer
from caligo_sweep.reconciliation.decoder import KNOWN_SYMBOL, LANES, decode_frames, group_edges, syndrome_of
from caligo_sweep.reconciliation.codes import DEFAULT_FRAME_LENGTH, FRAME_GEOMETRY, require_frame_length
from caligo_sweep.reconciliation.frames import (
    CodeChoice,
    embed,
    frame_bounds,
    positions_by_frame_size,
    plan_frames,
    plan_leak_bits,
)
from caligo_sweep.reconciliation.model import design_efficiency

DEFAULT_TAG_BITS = 32
DEFAULT_MAX_ITERATIONS = 200
#: Most bits per decoding task (one byte each while decoded): 16 MiB, i.e. 256 frames of 2^16 bits or 64 of 2^18.
#: The decoder's check lanes fill every lane with one frame, so a task's size only bounds the memory it holds and
#: lets the threads share the frames evenly (the frame lanes, for graphs that need them, stay busy on 8 frames).
BITS_PER_TASK = 2**24


def frames_per_task(frame_length: int) -> int:
    """Frames of ``frame_length`` bits per decoding task: :data:`BITS_PER_TASK` of them, and at least one lane group."""
    return max(LANES, BITS_PER_TASK // frame_length)


def _frame_seed(seed: np.random.SeedSequence, frame: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, frame))


def _tag(seed: np.random.SeedSequence, frame: int, payload: np.ndarray, tag_bits: int) -> np.ndarray:
    """The verification tag of one frame's payload (uint8 0/1): its Toeplitz hash with the frame's public seed."""
    rng = np.random.default_rng(_frame_seed(seed, frame))
    return toeplitz_hash(payload, draw_toeplitz_seed(rng, payload.size, tag_bits), tag_bits)


@dataclass(frozen=True, eq=False)
class AliceMessage:
    """Everything Alice sends about one half (public).

    Parameters
    ----------
    choice : CodeChoice
        Code and shortening of the full frames.
    n_bits : int
        Length of the half.
    syndromes : numpy.ndarray
        uint8, shape ``(frames, m)``.
    tags : numpy.ndarray
        uint8, shape ``(frames, tag_bits)``.
    tag_seed : numpy.random.SeedSequence
        Public seed of the per-frame tag matrices.
    """

    choice: CodeChoice
    n_bits: int
    syndromes: np.ndarray
    tags: np.ndarray
    tag_seed: np.random.SeedSequence

    @property
    def frames(self) -> int:
        """Number of frames."""
        return int(self.syndromes.shape[0])

    @property
    def leak_bits(self) -> int:
        """Bits sent that depend on x: every syndrome bit and every tag bit."""
        return int(self.syndromes.size + self.tags.size)


def as_packed(bits: PackedBits | np.ndarray) -> PackedBits:
    """``bits`` as a :class:`~caligo_sweep.engine.bitstring.PackedBits` (0/1 arrays are packed)."""
    return bits if isinstance(bits, PackedBits) else PackedBits.from_bits(np.asarray(bits))


def alice_message(
    x: PackedBits | np.ndarray,
    choice: CodeChoice,
    seed: np.random.SeedSequence | int,
    tag_bits: int = DEFAULT_TAG_BITS,
) -> AliceMessage:
    """Syndromes and verification tags of Alice's bits ``x`` frame by frame (each frame unpacked only while used)."""
    require_integer("reconciliation.tag_bits", tag_bits, 1)
    seed = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    x = as_packed(x)
    code = choice.code()
    bounds = frame_bounds(x.size, choice.payload_bits)
    positions = positions_by_frame_size(code, bounds)
    groups = group_edges(code.row_pointer, code.column_index)
    syndromes = np.empty((bounds.size - 1, code.n_checks), dtype=np.uint8)
    tags = np.empty((bounds.size - 1, tag_bits), dtype=np.uint8)
    for frame, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:])):
        payload = x.window(start, stop)
        frame_bits = embed(code, payload, positions[payload.size])
        syndromes[frame] = syndrome_of(code.row_pointer, code.column_index, frame_bits, groups)
        tags[frame] = _tag(seed, frame, payload, tag_bits)
    return AliceMessage(choice, int(x.size), syndromes, tags, seed)


def _decode_task(
    message: AliceMessage, frames: range, y: PackedBits, bounds: np.ndarray, positions: dict, p: float, max_iterations: int
) -> list[tuple[np.ndarray, bool, int]]:
    """Decode the given frames from Bob's bits ``y`` (each unpacked only here) and check their tags:
    (payload, accepted, BP passes) per frame."""
    code = message.choice.code()
    bits = np.full((len(frames), code.frame_length), KNOWN_SYMBOL, dtype=np.uint8)
    for row, frame in enumerate(frames):
        start, stop = int(bounds[frame]), int(bounds[frame + 1])
        bits[row, positions[stop - start]] = y.window(start, stop)
    bits, iterations, converged = decode_frames(
        code.row_pointer, code.column_index, bits, p, message.syndromes[frames.start : frames.stop], max_iterations
    )
    outcomes = []
    for row, frame in enumerate(frames):
        payload = bits[row, positions[int(bounds[frame + 1] - bounds[frame])]]
        tag = _tag(message.tag_seed, frame, payload, message.tags.shape[1])
        outcomes.append((payload, bool(converged[row]) and bool(np.array_equal(tag, message.tags[frame])), int(iterations[row])))
    return outcomes


@dataclass(frozen=True, eq=False)
class ReconciliationResult:
    """Outcome of reconciling one half.

    Parameters
    ----------
    bob_bits : PackedBits
        Bob's corrected bits (in failed frames, his best BP guess).
    frame_success : numpy.ndarray
        bool per frame: BP converged and the tag matched.
    leak_bits : int
        Syndrome plus tag bits sent.
    efficiency : float
        ``leak_bits / (n_bits h(p))``; ``nan`` for an empty half.
    mean_iterations : float
        BP passes per frame.
    decoder_mbit_per_s : float
        Bits of the half per second of wall-clock decoding (not part of the deterministic output).
    choice : CodeChoice
        Code used.
    """

    bob_bits: PackedBits
    frame_success: np.ndarray
    leak_bits: int
    efficiency: float
    mean_iterations: float
    choice: CodeChoice
    decoder_mbit_per_s: float = field(default=float("nan"))

    @property
    def frames(self) -> int:
        """Number of frames."""
        return int(self.frame_success.size)

    @property
    def frame_errors(self) -> int:
        """Frames whose decoding failed or whose tag did not match."""
        return int(self.frames - np.count_nonzero(self.frame_success))


def bob_decode(
    y: PackedBits | np.ndarray, message: AliceMessage, p: float, n_jobs: int = 1, max_iterations: int = DEFAULT_MAX_ITERATIONS
) -> ReconciliationResult:
    """Bob's side: decode every frame of ``message`` from his bits ``y`` and the calibrated crossover ``p``."""
    p = require_in_interval("reconciliation.qber", p, 0.0, 0.5, low_open=True, high_open=True)
    n_jobs = require_positive_integer("reconciliation.n_jobs", n_jobs)
    y = as_packed(y)
    if y.size != message.n_bits:
        raise ValueError(f"Bob's string has {y.size} bits, Alice's message covers {message.n_bits}")
    code = message.choice.code()
    bounds = frame_bounds(message.n_bits, message.choice.payload_bits)
    positions = positions_by_frame_size(code, bounds)
    n_frames = bounds.size - 1
    # Equal tasks, as many as the threads or a multiple of them, so that no thread waits for the last one.
    # tasks of about frames_per_task() frames, a multiple of n_jobs of them (no thread idles at the end), none empty
    n_tasks = min(n_frames, n_jobs * -(-n_frames // (n_jobs * frames_per_task(code.frame_length))))
    cuts = np.linspace(0, n_frames, n_tasks + 1).round().astype(int)
    tasks = [range(first, stop) for first, stop in zip(cuts[:-1], cuts[1:])]
    started = time.perf_counter()
    if min(n_jobs, len(tasks)) > 1:
        from joblib import Parallel, delayed  # only a parallel decoding needs joblib

        # Tasks go to whichever thread is free (the C decoder releases the GIL) and come back in order.
        parallel = Parallel(n_jobs=min(n_jobs, len(tasks)), backend="threading", batch_size=1, return_as="generator")
        outcomes = parallel(
            delayed(_decode_task)(message, frames, y, bounds, positions, p, max_iterations) for frames in tasks
        )
    else:
        outcomes = (_decode_task(message, frames, y, bounds, positions, p, max_iterations) for frames in tasks)
    decoded = PackedBitsBuilder()  # frames arrive in order and are packed as they come
    accepted, iterations = [], []
    for task in outcomes:
        for payload, frame_accepted, used in task:
            decoded.append(payload)
            accepted.append(frame_accepted)
            iterations.append(used)
    elapsed = time.perf_counter() - started
    entropy_bits = message.n_bits * binary_entropy(p)
    return ReconciliationResult(
        bob_bits=decoded.build(),
        frame_success=np.array(accepted, dtype=bool),
        leak_bits=message.leak_bits,
        efficiency=message.leak_bits / entropy_bits if entropy_bits > 0 else float("nan"),
        mean_iterations=float(np.mean(iterations)) if iterations else 0.0,
        choice=message.choice,
        decoder_mbit_per_s=message.n_bits / elapsed / 1e6 if elapsed > 0 else float("nan"),
    )


def select_code(p: float, frame_length: int, n_bits: int, tag_bits: int = DEFAULT_TAG_BITS) -> CodeChoice:
    """Code length, code and frame size for an ``n_bits`` string at calibrated QBER ``p``.

    For every shipped code length up to ``frame_length``, the frames get at least ``design_efficiency(p, n) h(p)``
    syndrome bits per payload bit (the measured design point of that length) and are planned by
    :func:`~caligo_sweep.reconciliation.frames.plan_frames`; the plan that sends the fewest bits wins, the longer
    code on a tie. Long strings thus use ``frame_length`` itself; a string too short to fill its frames well
    (e.g. 70,000 bits: two 2^16 frames, or five 2^14 frames) uses a shorter code.

    Parameters
    ----------
    p : float
        Calibrated crossover probability the code is designed for, in (0, 1/2).
    frame_length : int
        Longest code length allowed (bits), one of :data:`~caligo_sweep.reconciliation.codes.FRAME_GEOMETRY`.
    n_bits : int
        Length of the string to reconcile (bits).
    tag_bits : int
        Verification tag bits per frame (counted in the leak the plans are compared by).

    Returns
    -------
    CodeChoice
        Its ``frame_length`` is the code length used; frames are cut at multiples of its ``payload_bits``.
    """
    p = require_in_interval("reconciliation.qber", p, 0.0, 0.5, low_open=True, high_open=True)
    plans = []
    for length in sorted((n for n in FRAME_GEOMETRY if n <= require_frame_length(frame_length)), reverse=True):
        redundancy = design_efficiency(p, length) * binary_entropy(p)
        plans.append(plan_frames(length, redundancy, n_bits, tag_bits))
    return min(plans, key=lambda plan: plan_leak_bits(plan, n_bits, tag_bits))


def reconcile_half(
    x: np.ndarray,
    y: np.ndarray,
    p: float,
    frame_length: int = DEFAULT_FRAME_LENGTH,
    seed: np.random.SeedSequence | int = 0,
    n_jobs: int = 1,
    tag_bits: int = DEFAULT_TAG_BITS,
) -> ReconciliationResult:
    """Reconcile one half: Alice's message from ``x``, Bob's decoding of ``y``, with the code chosen from ``p``.

    Parameters
    ----------
    x, y : numpy.ndarray
        Alice's and Bob's bits (uint8 0/1, equal length, any length).
    p : float
        Calibrated crossover probability (never estimated from this half).
    frame_length : int
        Longest code length allowed, one of :data:`~caligo_sweep.reconciliation.codes.FRAME_GEOMETRY`
        (see :func:`select_code`).
    seed : numpy.random.SeedSequence or int
        Seed of Alice's public tag matrices.
    n_jobs : int
        Threads decoding frames; the output does not depend on it.
    tag_bits : int
        Verification tag length per frame.
    """
    require_positive_integer("reconciliation.n_jobs", n_jobs)
    x = np.asarray(x)
    if x.shape != np.shape(y) or x.ndim != 1:
        raise ValueError(f"x and y must be 1-D arrays of equal length; got {x.shape} and {np.shape(y)}")
    message = alice_message(x, select_code(p, frame_length, x.size, tag_bits), seed, tag_bits)
    return bob_decode(y, message, p, n_jobs)
