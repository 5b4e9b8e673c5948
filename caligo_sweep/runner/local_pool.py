"""Counts of a run's batch chunks on this machine, with the run's own process working as one of the ``n_jobs``.

A run of ``n_jobs`` loky workers from a cold start waits for the workers to start (a fresh interpreter each, about
0.3 s) while the parent idles, and the parent idles for the whole run after that: on 2 cores a 2e9-pair run lost a
quarter of the ideal speed-up this way. Here the parent starts ``n_jobs - 1`` workers and samples chunks itself from
the first moment, taking them from the same shared list as the workers
(:func:`~caligo_sweep.runner.dispatch.guided_chunks`, large first, shrinking to single batches), so start-up is
overlapped with work and everyone finishes together.
Counts are integer sums, so the result is identical to any other schedule.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future

from caligo_sweep.engine import PairCounts
from caligo_sweep.runner.workers import end_with_parent

#: Chunks queued per worker beyond the one it is sampling (keeps it busy while the next result travels back).
_QUEUED_PER_WORKER = 1


def counts_with_parent_working(
    chunks: list[range], n_jobs: int, run_chunk: Callable[[range, int | None], PairCounts]
) -> Iterator[tuple[int, PairCounts]]:
    """Yield ``(batches in chunk, counts)`` for every chunk, computed by ``n_jobs - 1`` loky workers and this process.

    Parameters
    ----------
    chunks : list of range
        Batch indices, in the order they are handed out.
    n_jobs : int
        Workers in all, >= 2 (this process is one of them).
    run_chunk : callable
        ``run_chunk(chunk, parent_pid)``: a picklable module-level function (bound with ``functools.partial``) that
        returns the chunk's counts; ``parent_pid`` ties a worker's life to this process, None in this process.
    """
    from joblib.externals.loky import ProcessPoolExecutor  # the run's own pool: its workers end with the run

    parent_pid = os.getpid()
    executor = ProcessPoolExecutor(max_workers=n_jobs - 1, initializer=end_with_parent, initargs=(parent_pid,))
    remaining = iter(chunks)
    lock = threading.Lock()
    in_flight: deque[tuple[int, Future]] = deque()

    def hand_out(_: object = None) -> None:
        """Give a worker the next chunk (called at the start and whenever a worker's chunk is done)."""
        with lock:
            chunk = next(remaining, None)
            if chunk is not None:
                future = executor.submit(run_chunk, chunk, parent_pid)
                in_flight.append((len(chunk), future))
        if chunk is not None:
            future.add_done_callback(hand_out)

    def take() -> range | None:
        with lock:
            return next(remaining, None)

    finished = False
    try:
        for _ in range((n_jobs - 1) * (1 + _QUEUED_PER_WORKER)):
            hand_out()
        while (chunk := take()) is not None:
            yield len(chunk), run_chunk(chunk, None)
        while True:
            with lock:
                if not in_flight:
                    break
                size, future = in_flight.popleft()
            yield size, future.result()
        finished = True
    finally:
        if not finished:  # interrupted or failed: nothing more is handed out
            with lock:
                for _, future in in_flight:
                    future.cancel()
                remaining = iter(())
        executor.shutdown(wait=finished, kill_workers=not finished)
