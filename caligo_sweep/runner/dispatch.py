"""Scheduling the EPR batches of one run on workers: which worker samples which batches, and how results return.

Each batch is an independent task ``(model, size, seed, index)``: the worker rebuilds the batch's generator from
``(seed, index)`` (see :mod:`caligo_sweep.runner.plan`), samples, and sends back only what the parent needs: the
batch's :class:`~caligo_sweep.engine.PairCounts` (a few hundred bytes), plus its
:class:`~caligo_sweep.engine.PairBits` when bits are kept or streamed. Results that carry bits are dispatched in
bounded windows and handed over through shared memory, so memory is bounded by the batch size, whatever the number
of pairs is. With ``n_jobs`` = 1 the batches run in-process without a pool, whatever the backend: results are
identical either way, by the seeding contract.
"""

from __future__ import annotations

import functools
import itertools
import os
from typing import Iterator

import numpy as np

from caligo_sweep.engine import PairBits, PairCounts, sample_bits, sample_counts
from caligo_sweep.physics.model import PhysicalModel
from caligo_sweep.runner.local_pool import counts_with_parent_working
from caligo_sweep.runner.plan import BatchPlan
from caligo_sweep.runner.transport import BitsHandle, export_bits, import_bits, shared_folder
from caligo_sweep.runner.workers import backend_session, end_with_parent, supports_generator

#: Packed bits [bytes] a run that returns bits may have in flight at once (see ``_bits_window``).
BITS_IN_FLIGHT_BYTES = 128 * 2**20

BatchResult = tuple[PairCounts, "PairBits | BitsHandle | None"]


def run_batch(
    model: PhysicalModel,
    n_pairs: int,
    seed: int,
    index: int,
    sampling: str,
    return_bits: bool,
    bits_folder: str | None,
    parent_pid: int | None = None,
) -> BatchResult:
    """Sample batch ``index`` from its own stream; reduce bits to counts in the worker unless they are wanted.

    With ``bits_folder`` (loky workers), the bits are left in shared memory and a small handle is returned.
    ``seed`` has been validated once for the run; the stream is :func:`~caligo_sweep.runner.plan.batch_seed_sequence`.
    ``parent_pid`` (pool workers) ties the worker's life to the run's process (:func:`end_with_parent`).
    """
    if parent_pid is not None:
        end_with_parent(parent_pid)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
    if sampling == "counts":
        return sample_counts(model, n_pairs, rng), None
    bits = sample_bits(model, n_pairs, rng)
    if not return_bits:
        return bits.counts(), None
    return bits.counts(), (bits if bits_folder is None else export_bits(bits, bits_folder, index))


def _bits_window(n_jobs: int, batch_size: int) -> int:
    """Batches per dispatch window when batches return bits: about ``BITS_IN_FLIGHT_BYTES`` of packed bits,
    between 2 and 64 batches per worker, a multiple of ``n_jobs`` so that the workers finish a window together."""
    per_job = BITS_IN_FLIGHT_BYTES // (n_jobs * max(1, batch_size // 2))  # 4 bits per pair
    return n_jobs * min(64, max(2, per_job))


def guided_chunks(n_batches: int, n_jobs: int) -> list[range]:
    """Consecutive ranges of batch indices for ``n_jobs`` workers, large first and shrinking to single batches.

    Guided self-scheduling: each range holds ``1 / (2 n_jobs)`` of the batches still unassigned, so the workers
    start with a few long tasks (little hand-over) and finish within about one batch of each other (no idle tail),
    with about ``2 n_jobs ln(n_batches)`` tasks in all.
    """
    chunks, start = [], 0
    while start < n_batches:
        size = max(1, -(-(n_batches - start) // (2 * n_jobs)))
        chunks.append(range(start, min(n_batches, start + size)))
        start += size
    return chunks


def _run_chunk(
    model: PhysicalModel, plan: BatchPlan, seed: int, sampling: str, indices: range, parent_pid: int | None
) -> PairCounts:
    """Counts of the batches ``indices``, each from its own stream, merged in the worker (exact integer sums)."""
    return PairCounts.merge(
        run_batch(model, plan.size_of(i), seed, i, sampling, False, None, parent_pid)[0] for i in indices
    )


def ordered_batches(
    model: PhysicalModel,
    plan: BatchPlan,
    seed: int,
    n_jobs: int,
    backend: str,
    sampling: str,
    return_bits: bool,
) -> Iterator[tuple[int, BatchResult]]:
    """Yield ``(batches done, result)``, computing the batches on ``n_jobs`` workers (in batch order with bits).

    Without bits, the workers merge the counts of :func:`guided_chunks` of batches themselves and return one small
    result per chunk; on loky, this process works as one of the ``n_jobs``
    (:func:`~caligo_sweep.runner.local_pool.counts_with_parent_working`). Batches that return bits go one per task,
    in windows of :func:`_bits_window` batches: the next window is dispatched only once this one has been consumed,
    so at most one window of bits exists at a time however slow the sink (joblib dispatches new tasks when tasks
    complete, not when results are consumed). Loky workers hand their bits over through shared memory
    (:mod:`caligo_sweep.runner.transport`).
    """
    if n_jobs == 1:
        for i in range(plan.n_batches):
            yield 1, run_batch(model, plan.size_of(i), seed, i, sampling, return_bits, None)
        return
    if not return_bits and backend == "loky":
        run_chunk = functools.partial(_run_chunk, model, plan, seed, sampling)
        for size, counts in counts_with_parent_working(guided_chunks(plan.n_batches, n_jobs), n_jobs, run_chunk):
            yield size, (counts, None)
        return
    from joblib import Parallel, delayed  # only a parallel run needs joblib

    use_shared = return_bits and backend == "loky"
    return_as = "generator" if supports_generator(backend) else "list"
    with backend_session(backend, n_jobs) as joblib_backend, shared_folder(use_shared) as folder:
        if not return_bits:
            chunks = guided_chunks(plan.n_batches, n_jobs)
            tasks = (delayed(_run_chunk)(model, plan, seed, sampling, chunk, os.getpid()) for chunk in chunks)
            results = Parallel(n_jobs=n_jobs, backend=joblib_backend, return_as=return_as, batch_size=1)(tasks)
            for chunk, counts in zip(chunks, results):
                yield len(chunk), (counts, None)
            return
        tasks = (
            delayed(run_batch)(model, plan.size_of(i), seed, i, sampling, True, folder, os.getpid())
            for i in range(plan.n_batches)
        )
        window = _bits_window(n_jobs, plan.batch_size)
        with Parallel(n_jobs=n_jobs, backend=joblib_backend, return_as=return_as) as parallel:
            for _ in range(0, plan.n_batches, window):
                for counts, bits in parallel(itertools.islice(tasks, window)):
                    yield 1, (counts, import_bits(bits) if isinstance(bits, BitsHandle) else bits)
