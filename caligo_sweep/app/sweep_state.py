"""What this process knows about the sweep it is running, and the sweep's job list on disk.

Hydra's callbacks and sweepers return nothing to the command line, so the pieces that must survive an interruption
(where the sweep writes, which job failed to write its row) are kept here, in one record per
process. The job list is written into the sweep folder as ``jobs.json`` when the sweep starts, so that a gather
of a killed sweep (``caligo-sweep-gather DIR``) still knows the jobs that never started, and a resumed sweep can
check that it is the same sweep.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from caligo_sweep.results.io import write_atomically

#: File of the sweep folder listing every job's overrides, by job number.
PLAN_FILE = "jobs.json"
#: Top-level keys that change how a sweep runs but never a result: left out of the job list and of the row's
#: ``overrides`` column, so a resumed sweep's rows equal an uninterrupted sweep's.
RESULT_NEUTRAL_KEYS = ("resume", "progress")


@dataclass
class SweepState:
    """The sweep running in this process (empty outside a multirun).

    Attributes
    ----------
    sweep_dir : pathlib.Path or None
        The sweep folder, once the multirun has started.
    job_errors : dict
        Why a job left no row (e.g. its ``result.json`` could not be written), by job number.
    progress : Any
        The sweep's progress bar (:class:`caligo_sweep.app.progress.SweepProgress`) when one is shown.
    failed_run_ids : list of str
        Run ids of the rows gathered with ``status=failed``.
    gather_error : str or None
        Why the sweep table could not be written, if it could not.
    stop_signal : int or None
        The first SIGINT or SIGTERM this process received, if any: from then on the sweep is stopping, whatever
        the signal's exception turned into where it landed (see :func:`raise_if_stopped`).
    """

    sweep_dir: Optional[Path] = None
    job_errors: dict[int, str] = field(default_factory=dict)
    progress: Any = None
    failed_run_ids: list[str] = field(default_factory=list)
    gather_error: Optional[str] = None
    stop_signal: Optional[int] = None


#: The one record of this process.
STATE = SweepState()


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; raised in the main thread wherever it was, like Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def request_stop(signum: int) -> None:
    """Record the stop request (the first signal counts) and raise :class:`Interrupted` where the program is.

    The exception can land inside library code that turns it into another one (omegaconf, interrupted while it
    edits a config, raises ``AttributeError`` from its clean-up), so the request is also kept in :data:`STATE`.
    """
    if STATE.stop_signal is None:
        STATE.stop_signal = signum
    raise_if_stopped()


def raise_if_stopped() -> None:
    """Raise :class:`Interrupted` if a stop was requested (a job must not start once the sweep is stopping)."""
    if STATE.stop_signal is not None:
        raise Interrupted(STATE.stop_signal)


def result_overrides(overrides: Iterable[str]) -> list[str]:
    """The overrides that can change a result (``resume=...`` and ``progress=...`` removed)."""
    return [o for o in overrides if o.lstrip("+~").split("=", 1)[0] not in RESULT_NEUTRAL_KEYS]


def write_plan(sweep_dir: Path, jobs: list[list[str]]) -> None:
    """Write the job list into ``sweep_dir / jobs.json`` (atomically)."""
    text = json.dumps({"jobs": jobs}, indent=1) + "\n"
    write_atomically(sweep_dir / PLAN_FILE, lambda handle: handle.write(text.encode("utf-8")))


def read_plan(sweep_dir: Path) -> Optional[list[list[str]]]:
    """The job list of ``sweep_dir``, or None when it has none (or an unreadable one)."""
    try:
        jobs = json.loads((sweep_dir / PLAN_FILE).read_text(encoding="utf-8"))["jobs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return [list(map(str, job)) for job in jobs] if isinstance(jobs, list) else None
