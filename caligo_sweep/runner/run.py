"""Run the EPR batches of one run in parallel and merge them in batch-index order: the runner's entry point.

:func:`run_pairs` validates the settings once (:func:`check_run_settings`), resolves the workers, has
:mod:`caligo_sweep.runner.dispatch` compute the batches, and merges their counts in batch order as they arrive,
handing each batch's bits (when wanted) to the caller's sink and keeping them on request.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from caligo_sweep.engine import SAMPLING_METHODS, PairBits, PairCounts
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.model import PhysicalModel
from caligo_sweep.runner.dispatch import BatchResult, ordered_batches
from caligo_sweep.runner.plan import BatchPlan, check_seed
from caligo_sweep.runner.transport import SHARED_MEMORY_ROOT, remove_leftover_folders
from caligo_sweep.runner.workers import check_backend, check_n_jobs, check_outer_jobs, resolve_n_jobs

logger = logging.getLogger("caligo_sweep.runner")

#: Seconds a run must last before its progress bar appears (shorter runs stay silent).
PROGRESS_DELAY_S = 1.0


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
    if jobs > 1:
        remove_leftover_folders(SHARED_MEMORY_ROOT)  # what killed runs left in shared memory

    start = time.perf_counter()
    kept: list[PairBits] | None = [] if keep_bits else None
    stream = ordered_batches(model, plan, seed, jobs, backend, sampling, return_bits)
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
