"""Worker settings of one run: validated ``n_jobs`` and backend, nested-parallelism cap, backend sessions.

``workers.n_jobs`` is an integer >= 1, or -1 for every available core (joblib's convention; other negative values
are rejected to keep the meaning obvious). ``workers.backend`` is one of :data:`BACKENDS`: ``loky`` (processes,
default), ``threading``, and the optional extras ``dask`` (``pip install caligo-sweep[dask]``; uses the current
``distributed`` client or starts a local one for the run) and ``ray`` (``pip install caligo-sweep[ray]``; uses the
running Ray instance or starts a local one for the run).

Nested parallelism: when a run is itself executed inside a joblib worker (Hydra's joblib launcher, or any outer
``joblib.Parallel``), the inner batches must not oversubscribe the machine. With ``outer_jobs`` given, the inner
``n_jobs`` is capped so that ``outer_jobs * inner <= cores``; without it, a run detected inside a joblib worker
(joblib's active backend has ``nesting_level >= 1``) or a Dask worker falls back to one inner job.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import sys
from typing import Iterator

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import require_integer, require_positive_integer

logger = logging.getLogger("caligo_sweep.runner")

#: Linux prctl option: signal this process when its parent dies.
_PR_SET_PDEATHSIG = 1
#: Whether this (worker) process has already asked for it.
_parent_death_signal_set = False

#: Names accepted for ``workers.backend``.
BACKENDS = ("loky", "threading", "dask", "ray")
#: The optional extra that provides each optional backend (its import name).
_EXTRA_MODULES = {"dask": "distributed", "ray": "ray"}


def check_backend(backend: str) -> str:
    """Return ``backend``, or raise ConfigValueError (``workers.backend``) if unknown or not installed."""
    if backend not in BACKENDS:
        raise ConfigValueError("workers.backend", f"one of {', '.join(BACKENDS)}", backend)
    module = _EXTRA_MODULES.get(backend)
    if module is not None and importlib.util.find_spec(module) is None:
        raise ConfigValueError(
            "workers.backend", f"installed to be used ('pip install caligo-sweep[{backend}]')", backend
        )
    return backend


def check_n_jobs(n_jobs: int) -> int:
    """Return ``n_jobs`` as int, or raise ConfigValueError (``workers.n_jobs``) unless >= 1 or -1."""
    allowed = "an integer >= 1, or -1 for all cores"
    try:
        value = require_integer("workers.n_jobs", n_jobs, -1)  # the type and the lower end; 0 is refused below
    except ConfigValueError:
        raise ConfigValueError("workers.n_jobs", allowed, n_jobs) from None
    if value == 0:
        raise ConfigValueError("workers.n_jobs", allowed, n_jobs)
    return value


def check_outer_jobs(outer_jobs: int | None) -> int | None:
    """Return ``outer_jobs`` (None or an int), or raise ConfigValueError (``outer_jobs``) unless None or >= 1."""
    return None if outer_jobs is None else require_positive_integer("outer_jobs", outer_jobs)


def available_cores() -> int:
    """Cores this process may use (joblib's count: honours CPU affinity and cgroup quotas)."""
    import joblib  # joblib (and loky, psutil) only once workers are considered

    return max(1, joblib.cpu_count())


def inside_outer_workers() -> bool:
    """True when this code runs inside a joblib worker (any backend) or a Dask worker."""
    from joblib.parallel import get_active_backend

    backend, _ = get_active_backend()
    if (getattr(backend, "nesting_level", 0) or 0) >= 1:
        return True
    if "distributed" in sys.modules:  # a Dask worker has imported it; importing it here would cost 0.3 s per run
        from joblib._parallel_backends import inside_dask_worker

        return inside_dask_worker()
    return False


def effective_n_jobs(n_jobs: int, n_batches: int, outer_jobs: int | None = None) -> int:
    """Inner workers actually used: ``n_jobs`` resolved, capped by the batches and by outer parallelism.

    Parameters
    ----------
    n_jobs : int
        Requested inner jobs (``workers.n_jobs``), >= 1 or -1 for all cores.
    n_batches : int
        Batches in the run; more workers than batches would idle.
    outer_jobs : int, optional
        Jobs running concurrently around this run (e.g. Hydra joblib launcher's ``n_jobs``), >= 1. When given, the
        result satisfies ``outer_jobs * result <= cores`` (at least 1). When omitted, detected: inside a joblib or
        Dask worker the result is 1, otherwise no cap.

    Returns
    -------
    int
        Number of inner jobs, >= 1.

    Raises
    ------
    caligo_sweep.errors.ConfigValueError
        Naming ``workers.n_jobs`` or ``outer_jobs``.
    """
    return resolve_n_jobs(check_n_jobs(n_jobs), n_batches, check_outer_jobs(outer_jobs))


def resolve_n_jobs(n_jobs: int, n_batches: int, outer_jobs: int | None) -> int:
    """:func:`effective_n_jobs` for settings already validated (by ``check_run_settings``): no checks repeated."""
    if n_jobs == 1:
        return 1
    cores = available_cores()
    requested = cores if n_jobs == -1 else int(n_jobs)
    if requested > cores:
        logger.warning("workers.n_jobs=%d exceeds the %d available cores; using %d", requested, cores, cores)
        requested = cores
    if outer_jobs is not None:
        requested = min(requested, max(1, cores // int(outer_jobs)))
    elif inside_outer_workers():
        requested = 1
    return max(1, min(requested, n_batches))


def end_with_parent(parent_pid: int) -> None:
    """In a worker process of the run started by ``parent_pid``: end this worker when its parent process dies.

    A loky worker outlives a parent that is killed (SIGKILL, the out-of-memory killer) and would go on sampling
    batches nobody collects, or wait for them forever. On Linux the worker asks the kernel to send it SIGKILL when
    its parent dies (``prctl(PR_SET_PDEATHSIG)``), once per process; in the parent's own process (n_jobs = 1,
    threads) nothing happens. Other systems keep joblib's default. Loky pools call it as their worker initializer
    (before a worker takes any task: a parent killed while its workers start up leaves none behind); every batch
    calls it again, which covers the workers of other backends.
    """
    global _parent_death_signal_set
    if _parent_death_signal_set or os.getpid() == parent_pid or not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    _parent_death_signal_set = True
    if os.getppid() != parent_pid and os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def supports_generator(backend: str) -> bool:
    """Whether joblib can stream this backend's results as a generator (Ray's pool cannot)."""
    return backend != "ray"


@contextlib.contextmanager
def backend_session(backend: str, n_jobs: int) -> Iterator[str | None]:
    """Make ``backend`` usable by ``joblib.Parallel`` for the duration of a run; yield its ``Parallel(backend=)``.

    ``dask`` reuses the current ``distributed`` client, or starts a local cluster of ``n_jobs`` single-threaded
    worker processes and closes it afterwards. ``ray`` registers Ray's joblib backend and, if Ray is not running,
    starts it with ``n_jobs`` CPUs and shuts it down afterwards. ``loky`` gets :func:`end_with_parent` as its
    worker initializer; ``threading`` needs nothing.
    ``backend`` must already have passed :func:`check_backend` (``check_run_settings`` does it once per run).
    """
    from joblib import parallel_config

    if backend == "dask":
        from distributed import Client, get_client

        try:
            get_client()
            client_running = True
        except ValueError:
            client_running = False
        with contextlib.ExitStack() as stack:
            if not client_running:
                stack.enter_context(
                    Client(n_workers=n_jobs, threads_per_worker=1, processes=True, dashboard_address=None)
                )
            # The backend is set through parallel_config (which registers it) and Parallel gets backend=None:
            # joblib 1.6 passes nesting_level on to the dask tasks when Parallel(backend="dask") builds it by name.
            stack.enter_context(parallel_config(backend="dask"))
            yield None
    elif backend == "ray":
        import ray
        from ray.util.joblib import register_ray

        register_ray()
        started = not ray.is_initialized()
        if started:
            ray.init(num_cpus=n_jobs, include_dashboard=False, log_to_driver=False)
        try:
            yield backend
        finally:
            if started:
                ray.shutdown()
    elif backend == "loky":
        # Parallel gets backend=None so that it builds the configured backend, with its worker initializer.
        with parallel_config(backend="loky", initializer=end_with_parent, initargs=(os.getpid(),)):
            yield None
    else:
        yield backend
