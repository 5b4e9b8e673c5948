"""Sizes that would take hours or memory the machine lacks: refused or announced before anything is sampled.

Three limits, each with the estimate that motivates it (:mod:`caligo_sweep.runner.plan`):

- ``num_pairs`` above ``max_num_pairs`` is refused, with the estimated wall time;
- a batch whose estimated peak memory, times the workers that each hold one, exceeds the memory available is
  refused (``workers.batch_size``); one above :data:`ANNOUNCED_BATCH_BYTES` is announced with its estimate;
- a run whose batches are so small that their overhead makes it much slower than at the default batch size, and
  that lasts more than :data:`ANNOUNCED_SECONDS`, is announced with both estimates.

The announcements are one line each on stderr (``caligo-sweep: warning: ...``), before the run's first line.
"""

from __future__ import annotations

import os
import sys
from typing import Optional

from caligo_sweep.config.schema import WorkersSchema
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import require_positive_integer
from caligo_sweep.runner.plan import estimated_batch_bytes, estimated_run_seconds
from caligo_sweep.runner.workers import available_cores

#: A batch above this estimated memory [bytes] is announced.
ANNOUNCED_BATCH_BYTES = 2**30
#: A run longer than this [s] whose batch overhead makes it :data:`SLOWDOWN_ANNOUNCED` times slower is announced.
ANNOUNCED_SECONDS = 30.0
SLOWDOWN_ANNOUNCED = 3.0


def available_memory_bytes() -> float:
    """Memory [bytes] the system can give a new process without swapping (``MemAvailable``; physical memory else)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    return float(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))


def check_run_size(num_pairs: int, max_num_pairs: int, workers: WorkersSchema, sampling: Optional[str]) -> None:
    """Refuse or announce a run by its estimated wall time and batch memory (see the module docstring).

    ``sampling`` is the engine's path (``bits``, ``counts``), None for a kind that samples nothing (no batches).

    Raises
    ------
    caligo_sweep.errors.ConfigValueError
        Naming ``num_pairs`` (above ``max_num_pairs``) or ``workers.batch_size`` (batches too large for memory).
    """
    limit = require_positive_integer("max_num_pairs", max_num_pairs)
    cores = available_cores() if workers.n_jobs == -1 else min(workers.n_jobs, available_cores())
    in_flight = min(cores, -(-num_pairs // workers.batch_size))  # batches held at once
    seconds = estimated_run_seconds(num_pairs, workers.batch_size, sampling or "counts", cores)
    if num_pairs > limit:
        raise ConfigValueError(
            "num_pairs",
            f"at most max_num_pairs = {limit} (raise max_num_pairs to allow more; this run would take about "
            f"{seconds / 3600:.3g} h on {cores} core(s))",
            num_pairs,
        )
    if sampling is None:
        return
    batch_bytes = estimated_batch_bytes(min(workers.batch_size, num_pairs), sampling)
    available = available_memory_bytes()
    if batch_bytes * in_flight > available:
        largest = int(available / in_flight / estimated_batch_bytes(1, sampling))
        raise ConfigValueError(
            "workers.batch_size",
            f"at most about {largest} pairs on the {sampling} path with {in_flight} batch(es) in flight (each pair "
            f"of a batch holds about {estimated_batch_bytes(1, sampling):.3g} bytes; {available / 2**30:.3g} GiB "
            "of memory available)",
            workers.batch_size,
        )
    if batch_bytes > ANNOUNCED_BATCH_BYTES:
        _announce(
            f"workers.batch_size={workers.batch_size}: each batch holds about {batch_bytes / 2**30:.3g} GiB "
            f"({in_flight} in flight, {available / 2**30:.3g} GiB available)"
        )
    default_size = WorkersSchema.batch_size
    at_default = estimated_run_seconds(num_pairs, default_size, sampling, cores)
    if seconds > ANNOUNCED_SECONDS and seconds > SLOWDOWN_ANNOUNCED * at_default:
        _announce(
            f"workers.batch_size={workers.batch_size} splits {num_pairs} pairs into "
            f"{-(-num_pairs // workers.batch_size)} batches: about {seconds:.3g} s on {cores} core(s), mostly "
            f"per-batch overhead (about {at_default:.3g} s at the default batch_size={default_size})"
        )


def _announce(message: str) -> None:
    print(f"caligo-sweep: warning: {message}", file=sys.stderr)
