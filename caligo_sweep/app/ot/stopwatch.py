"""Wall time per stage of one OT run, for the whole-run benchmark (``benchmarks/bench_ot_run.py``).

A :class:`Stopwatch` passed to :func:`~caligo_sweep.app.ot.link.run_ot_link` collects the seconds of each named
stage; without one, the run measures nothing and behaves exactly the same.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import ContextManager, Optional


class Stopwatch:
    """Accumulated wall-clock seconds by stage name, in the order the stages first ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the body of a ``with`` block and add it to stage ``name``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def timed(stopwatch: Optional[Stopwatch], name: str) -> ContextManager[None]:
    """``stopwatch.stage(name)``, or a no-op context when no stopwatch was given."""
    return stopwatch.stage(name) if stopwatch is not None else nullcontext()
