"""Execute the EPR batches of one run in parallel with joblib and merge them in batch-index order.

Each batch is an independent task ``(model, size, seed, index)``: the worker rebuilds the batch's generator from
``(seed, index)`` (see :mod:`caligo_sweep.runner.plan`), samples, and sends back only what the parent needs: the
batch's :class:`~caligo_sweep.engine.PairCounts` (a few hundred bytes), plus its
:class:`~caligo_sweep.engine.PairBits` when bits are kept or streamed. Results are merged in batch order as they
arrive (joblib ``return_as="generator"``); results that carry bits are dispatched in bounded windows and handed over
through shared memory, so memory is bounded by the batch size, whatever ``num_pairs`` is. A run whose effective
``n_jobs`` is 1 runs in-process without a pool, whatever the backend: results are identical either way, by the
seeding contract.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np

from caligo_sweep.engine import SAMPLING_METHODS, PairBits, PairCounts, sample_bits, sample_counts
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.model import PhysicalModel
from caligo_sweep.runner.local_pool import counts_with_parent_working
from caligo_sweep.runner.plan import BatchPlan, check_seed
from caligo_sweep.runner.transport import BitsHandle, export_bits, import_bits, shared_folder
from caligo_sweep.runner.workers import (
    backend_session,
    check_backend,
    check_n_jobs,
    check_outer_jobs,
    end_with_parent,
    resolve_n_jobs,
    supports_generator,
)

logger = logging.getLogger("caligo_sweep.runner")

#: Seconds a run must last before its progress bar appears (shorter runs stay silent).
PROGRESS_DELAY_S = 1.0
#: Packed bits [bytes] a run that returns bits may have in flight at once (see ``_bits_window``).
BITS_IN_FLIGHT_BYTES = 128 * 2**20

BatchResult = tuple[PairCounts, "PairBits | BitsHandle | None"]


@dataclass(frozen=True)
class RunOutput:
    """What one run of :func:`run_pairs` produced.

    Parameters
    ----------
    counts : PairCounts
        Merged sufficient statistics of all pairs of the run.
    bits : list of PairBits or None
        The bits of every batch in batch order when ``keep_bits`` was set, else None.
    n_batches : int
        Number of batches the run was split into.
    wall_time_s : float
        Wall-clock duration of the run [s], pool start-up included.
    sim_time_ns : float
        Simulated time to deliver the pairs [ns]: ``attempts * cycle_time_ns``.
    n_jobs_effective : int
        Inner workers actually used (after resolving -1 and the nested-parallelism cap).
    """

    counts: PairCounts
    bits: list[PairBits] | None = field(repr=False)
    n_batches: int
    wall_time_s: float
    sim_time_ns: float
    n_jobs_effective: int

    @property
    def pairs_per_second(self) -> float:
        """Delivered pairs per wall-clock second, ``counts.n_pairs / wall_time_s`` (inf for a zero duration)."""
        return self.counts.n_pairs / self.wall_time_s if self.wall_time_s > 0 else float("inf")


def _run_batch(
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


def _check_sampling(sampling: str, wants_bits: bool) -> str:
    if sampling not in SAMPLING_METHODS:
        raise ConfigValueError("engine.sampling", f"one of {', '.join(SAMPLING_METHODS)}", sampling)
    if wants_bits and sampling != "bits":
        raise ConfigValueError("engine.sampling", "'bits' when bits are kept or streamed", sampling)
    return sampling


def check_run_settings(
    *,
    num_pairs: int,
    seed: int,
    batch_size: int,
    n_jobs: int,
    backend: str,
    sampling: str,
    returns_bits: bool = False,
    outer_jobs: int | None = None,
) -> BatchPlan:
    """Validate a run's execution settings before anything is sampled, and return its batch plan.

    The one place where :func:`run_pairs` checks its settings: what runs after it (worker resolution, backend
    session, the batches' seeding) takes them as valid.

    Raises
    ------
    caligo_sweep.errors.ConfigValueError
        Naming ``num_pairs``, ``seed``, ``workers.batch_size``, ``workers.n_jobs``, ``workers.backend``,
        ``engine.sampling`` (also when bits are kept or streamed with ``sampling="counts"``) or ``outer_jobs``.
    """
    plan = BatchPlan(num_pairs, batch_size)
    check_seed(seed)
    check_n_jobs(n_jobs)
    check_backend(backend)
    _check_sampling(sampling, returns_bits)
    check_outer_jobs(outer_jobs)
    return plan


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
        _run_batch(model, plan.size_of(i), seed, i, sampling, False, None, parent_pid)[0] for i in indices
    )


def _ordered_batches(
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
    (:func:`~caligo_sweep.runner.local_pool.counts_with_parent_working`). Batches that return bits go one per task, in windows of :func:`_bits_window` batches: the next
    window is dispatched only once this one has been consumed, so at most one window of bits exists at a time however
    slow the sink (joblib dispatches new tasks when tasks complete, not when results are consumed). Loky workers
    hand their bits over through shared memory (:mod:`caligo_sweep.runner.transport`).
    """
    if n_jobs == 1:
        for i in range(plan.n_batches):
            yield 1, _run_batch(model, plan.size_of(i), seed, i, sampling, return_bits, None)
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
            delayed(_run_batch)(model, plan.size_of(i), seed, i, sampling, True, folder, os.getpid())
            for i in range(plan.n_batches)
        )
        window = _bits_window(n_jobs, plan.batch_size)
        with Parallel(n_jobs=n_jobs, backend=joblib_backend, return_as=return_as) as parallel:
            for _ in range(0, plan.n_batches, window):
                for counts, bits in parallel(itertools.islice(tasks, window)):
                    yield 1, (counts, import_bits(bits) if isinstance(bits, BitsHandle) else bits)


def _batch_bar(n_batches: int):  # noqa: ANN202  (a tqdm; imported lazily)
    """A tqdm bar over the batches on stderr, shown once the run has lasted ``PROGRESS_DELAY_S``."""
    from tqdm import tqdm

    return tqdm(total=n_batches, delay=PROGRESS_DELAY_S, file=sys.stderr, unit="batch")


def _hand_over_bits(
    batches: Iterator[tuple[int, BatchResult]],
    kept: list[PairBits] | None,
    bits_sink: Callable[[PairBits], None] | None,
    bar: Any,
) -> Iterator[PairCounts]:
    """Pass each batch's bits (if any) to ``kept`` and ``bits_sink`` in batch order, move the bar, yield the counts."""
    for done, (counts, bits) in batches:
        if bits is not None:
            if kept is not None:
                kept.append(bits)
            if bits_sink is not None:
                bits_sink(bits)
        if bar is not None:
            bar.update(done)
        yield counts


def run_pairs(
    model: PhysicalModel,
    *,
    num_pairs: int,
    seed: int,
    batch_size: int,
    n_jobs: int = 1,
    backend: str = "loky",
    sampling: str = "counts",
    keep_bits: bool = False,
    bits_sink: Callable[[PairBits], None] | None = None,
    progress: bool = True,
    outer_jobs: int | None = None,
) -> RunOutput:
    """Deliver ``num_pairs`` EPR pairs of ``model`` in batches, in parallel, reproducibly.

    Parameters
    ----------
    model : PhysicalModel
        Frozen per-run physics (only this small object is sent to the workers).
    num_pairs : int
        Pairs to deliver, >= 1.
    seed : int
        Root seed, >= 0; batch ``i`` uses ``SeedSequence(seed).spawn(n_batches)[i]``. Same ``seed`` and
        ``batch_size`` give bit-identical results for every ``n_jobs`` and backend.
    batch_size : int
        Pairs per batch (``workers.batch_size``), >= 1.
    n_jobs : int
        Inner workers (``workers.n_jobs``), >= 1 or -1 for all cores; capped under nested parallelism.
    backend : str
        joblib backend (``workers.backend``): ``loky``, ``threading``, ``dask`` or ``ray``.
    sampling : str
        ``engine.sampling``: ``counts`` (sufficient statistics only, O(1) per batch) or ``bits`` (materialised).
    keep_bits : bool
        Keep every batch's :class:`PairBits` in ``RunOutput.bits`` (memory grows with ``num_pairs``).
    bits_sink : callable, optional
        Called in this process with each batch's :class:`PairBits`, in batch order, as batches arrive (streaming:
        at most one dispatch window of bits, about ``BITS_IN_FLIGHT_BYTES``, exists at a time).
    progress : bool
        Show a tqdm bar over batches on stderr, after the run has lasted ``PROGRESS_DELAY_S``.
    outer_jobs : int, optional
        Jobs running concurrently around this run (e.g. the Hydra joblib launcher's ``n_jobs``), see
        :func:`~caligo_sweep.runner.workers.effective_n_jobs`.

    Returns
    -------
    RunOutput
        Merged counts, optional bits, timing and simulated time.

    Raises
    ------
    caligo_sweep.errors.ConfigValueError
        For an invalid ``num_pairs``, ``seed``, ``workers.batch_size``, ``workers.n_jobs``, ``workers.backend``,
        ``engine.sampling`` (also when bits are kept or streamed with ``sampling="counts"``) or ``outer_jobs``,
        before any sampling.
    """
    return_bits = keep_bits or bits_sink is not None
    plan = check_run_settings(
        num_pairs=num_pairs,
        seed=seed,
        batch_size=batch_size,
        n_jobs=n_jobs,
        backend=backend,
        sampling=sampling,
        returns_bits=return_bits,
        outer_jobs=outer_jobs,
    )
    jobs = resolve_n_jobs(n_jobs, plan.n_batches, outer_jobs)

    start = time.perf_counter()
    kept: list[PairBits] | None = [] if keep_bits else None
    stream = _ordered_batches(model, plan, seed, jobs, backend, sampling, return_bits)
    bar = _batch_bar(plan.n_batches) if progress else None
    # closing: a failing sink still shuts the pool and shared folder down; counts are merged as they arrive (O(1))
    with contextlib.closing(stream), bar if bar is not None else contextlib.nullcontext():
        total = PairCounts.merge(_hand_over_bits(stream, kept, bits_sink, bar))
    output = RunOutput(
        counts=total,
        bits=kept,
        n_batches=plan.n_batches,
        wall_time_s=time.perf_counter() - start,
        sim_time_ns=total.attempts * model.cycle_time_ns,
        n_jobs_effective=jobs,
    )
    logger.info(
        "%d pairs (%s sampling) in %d batches of %d on %d %s job(s): %.3f s wall, %.4g pairs/s",
        num_pairs, sampling, plan.n_batches, plan.batch_size, jobs, backend, output.wall_time_s,
        output.pairs_per_second,
    )  # fmt: skip
    return output
