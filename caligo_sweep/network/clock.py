"""SeQUeNCe's discrete-event kernel as the ACP simulation engine: one ``Timeline`` in the Bell-diagonal formalism.

Every action of the simulation is a SeQUeNCe ``Event`` wrapping a ``Process`` (owner object, method name, arguments)
on the integer-picosecond ``Timeline``; pair states live in the timeline's ``QuantumManagerBellDiagonal``.
SeQUeNCe's own logger is silenced while a clock exists, since its debug strings cost time even when unused.
"""

from __future__ import annotations

import logging
from typing import Any

from sequence.constants import BELL_DIAGONAL_STATE_FORMALISM
from sequence.kernel.event import Event
from sequence.kernel.process import Process
from sequence.kernel.timeline import Timeline
from sequence.utils import log as sequence_log

from caligo_sweep.network.link_timing import PICOSECONDS_PER_SECOND, to_picoseconds


class Clock:
    """A SeQUeNCe ``Timeline`` with seconds-based scheduling helpers.

    Parameters
    ----------
    stop_time_s : float
        Simulated time at which ``run`` stops.
    """

    def __init__(self, stop_time_s: float) -> None:
        sequence_log.logger.setLevel(logging.CRITICAL)
        sequence_log.logger.propagate = False
        self.timeline = Timeline(stop_time=to_picoseconds(stop_time_s), formalism=BELL_DIAGONAL_STATE_FORMALISM)
        self.quantum_manager = self.timeline.quantum_manager

    def now_s(self) -> float:
        """Current simulated time in seconds."""
        return self.timeline.now() / PICOSECONDS_PER_SECOND

    def after(self, delay_s: float, owner: Any, method: str, *args: Any) -> Event:
        """Schedule ``owner.method(*args)`` ``delay_s`` seconds from now and return the event (for ``cancel``)."""
        event = Event(self.timeline.now() + to_picoseconds(delay_s), Process(owner, method, list(args)))
        self.timeline.schedule(event)
        return event

    @staticmethod
    def cancel(event: Event | None) -> None:
        """Invalidate a scheduled event (the timeline skips it)."""
        if event is not None:
            event.set_invalid()

    def run(self) -> int:
        """Run to the stop time; return the number of executed events."""
        self.timeline.init()
        self.timeline.run()
        return self.timeline.run_counter
