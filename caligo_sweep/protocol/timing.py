"""The noisy-storage wait time Delta t, enforced in simulated time.

Where it stands in the protocol: after the quantum phase (all pairs generated and measured) and before Alice
announces her bases. Security in the noisy-storage model rests on a dishonest Bob having to keep his quantum
information in the noisy memory N_r for at least Delta t; only then does he learn which basis each of Alice's
outcomes was measured in. Revealing the bases earlier lets him measure in the right basis and voids the
analysis. Erven et al. 2014 waited Delta t = 1 s (Table II).

The barrier is a small state machine on a simulated clock (nanoseconds):

    IDLE --mark_quantum_phase_end(t_q)--> WAITING --advance/wait_delta_t (wait >= Delta t)--> READY

``t_q`` comes from the engine (total attempts x cycle time). The clock never reads wall time, so results do not
depend on the machine. Revealing the bases before READY raises :class:`~caligo_sweep.errors.TimingViolation` in
strict mode and is recorded as non-compliant otherwise.

References
----------
.. [1] C. Erven et al., "An experimental implementation of oblivious transfer in the noisy storage model",
   Nat. Commun. 5, 3418 (2014), arXiv:1308.5098.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from caligo_sweep.errors import TimingViolation
from caligo_sweep.physics.checks import require_non_negative


class BarrierState(Enum):
    """States of :class:`TimingBarrier`."""

    IDLE = "idle"
    WAITING = "waiting"
    READY = "ready"


@dataclass(frozen=True)
class TimingReport:
    """What the barrier measured, for the result row.

    Attributes
    ----------
    sim_time_ns : float
        Simulated time at the basis reveal [ns]: end of the quantum phase plus the wait.
    quantum_phase_end_ns : float
        Simulated time t_q at which the quantum phase ended [ns] (``nan`` if it was never marked).
    wait_ns : float
        Simulated time between the end of the quantum phase and the basis reveal [ns].
    delta_t_ns : float
        Required wait Delta t [ns].
    timing_compliant : bool
        ``wait_ns >= delta_t_ns`` and the quantum phase was marked before the reveal.
    """

    sim_time_ns: float
    quantum_phase_end_ns: float
    wait_ns: float
    delta_t_ns: float
    timing_compliant: bool


class TimingBarrier:
    """Delta-t barrier between the quantum phase and the basis reveal, on a simulated clock.

    Parameters
    ----------
    delta_t_ns : float
        Required wait Delta t [ns], finite and >= 0 (config key ``nsm.delta_t_ns``; Erven et al.: 1e9).
    strict : bool
        If true, revealing the bases before the wait is over raises ``TimingViolation``; otherwise the reveal is
        recorded as non-compliant and the protocol continues.

    Notes
    -----
    The wait is accumulated from the durations the clock is advanced by, not recomputed as a difference of
    absolute times, so ``wait_delta_t`` yields ``wait_ns == delta_t_ns`` exactly even at large ``t_q``.
    Only the first reveal counts: bases once public stay public.
    """

    def __init__(self, delta_t_ns: float, strict: bool = True) -> None:
        self.delta_t_ns = require_non_negative("nsm.delta_t_ns", delta_t_ns)
        self.strict = bool(strict)
        self._quantum_phase_end_ns = math.nan
        self._waited_ns = 0.0
        self._reveal: TimingReport | None = None

    @property
    def state(self) -> BarrierState:
        """Current state: IDLE until the quantum phase is marked, then WAITING until Delta t has passed, then READY."""
        if math.isnan(self._quantum_phase_end_ns):
            return BarrierState.IDLE
        if self._waited_ns >= self.delta_t_ns:
            return BarrierState.READY
        return BarrierState.WAITING

    @property
    def now_ns(self) -> float:
        """Current simulated time [ns] (``nan`` before the quantum phase is marked)."""
        return self._quantum_phase_end_ns + self._waited_ns

    @property
    def ready(self) -> bool:
        """Whether the bases may be revealed."""
        return self.state is BarrierState.READY

    def mark_quantum_phase_end(self, sim_time_ns: float) -> None:
        """Record the end of the quantum phase at simulated time ``t_q`` and start the wait.

        Parameters
        ----------
        sim_time_ns : float
            Simulated time t_q [ns] at which the last pair was measured (total attempts x cycle time).

        Raises
        ------
        RuntimeError
            If the quantum phase was already marked.
        """
        if self.state is not BarrierState.IDLE:
            raise RuntimeError("the end of the quantum phase can be marked only once")
        self._quantum_phase_end_ns = require_non_negative("sim_time_ns", sim_time_ns)

    def advance(self, duration_ns: float) -> None:
        """Advance the simulated clock by ``duration_ns`` (e.g. classical communication during the wait)."""
        if self.state is BarrierState.IDLE:
            raise RuntimeError("mark_quantum_phase_end must be called before the clock can advance")
        self._waited_ns += require_non_negative("duration_ns", duration_ns)

    def wait_delta_t(self) -> None:
        """Advance the clock by whatever remains of Delta t; afterwards the barrier is READY."""
        if self.state is BarrierState.IDLE:
            raise RuntimeError("mark_quantum_phase_end must be called before waiting")
        self._waited_ns = max(self._waited_ns, self.delta_t_ns)

    def reveal_bases(self) -> None:
        """Record Alice's basis announcement at the current simulated time.

        Raises
        ------
        TimingViolation
            In strict mode, if the barrier is not READY.
        """
        if self._reveal is not None:
            return
        state = self.state
        compliant = state is BarrierState.READY
        if not compliant and self.strict:
            if state is BarrierState.IDLE:
                raise TimingViolation("bases revealed before the end of the quantum phase was marked")
            raise TimingViolation(
                f"bases revealed after {self._waited_ns:g} ns of simulated wait; "
                f"Delta t = {self.delta_t_ns:g} ns is required"
            )
        self._reveal = TimingReport(
            sim_time_ns=self.now_ns,
            quantum_phase_end_ns=self._quantum_phase_end_ns,
            wait_ns=self._waited_ns,
            delta_t_ns=self.delta_t_ns,
            timing_compliant=compliant,
        )

    def report(self) -> TimingReport:
        """Timing figures of the (first) basis reveal.

        Raises
        ------
        RuntimeError
            If the bases have not been revealed yet.
        """
        if self._reveal is None:
            raise RuntimeError("no basis reveal recorded yet")
        return self._reveal
