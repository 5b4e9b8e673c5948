"""The Delta-t barrier on the simulated clock: compliant runs, violations, state machine."""

from __future__ import annotations

import pytest

from caligo_sweep.errors import ConfigValueError, TimingViolation
from caligo_sweep.protocol.timing import BarrierState, TimingBarrier

DELTA_T_NS = 1e9  # Erven et al. 2014: 1 s


def test_compliant_run_reports_exact_wait():
    attempts, cycle_time_ns = 123_456, 1_000.0
    t_q = attempts * cycle_time_ns
    barrier = TimingBarrier(DELTA_T_NS)
    assert barrier.state is BarrierState.IDLE
    barrier.mark_quantum_phase_end(t_q)
    assert barrier.state is BarrierState.WAITING and not barrier.ready
    barrier.wait_delta_t()
    assert barrier.state is BarrierState.READY
    barrier.reveal_bases()
    report = barrier.report()
    assert report.wait_ns == DELTA_T_NS
    assert report.sim_time_ns == t_q + DELTA_T_NS
    assert report.quantum_phase_end_ns == t_q
    assert report.timing_compliant


def test_wait_is_exact_at_large_simulated_times():
    barrier = TimingBarrier(3.0)
    barrier.mark_quantum_phase_end(1e17)  # 1e17 + 3 is not representable exactly
    barrier.wait_delta_t()
    barrier.reveal_bases()
    assert barrier.report().wait_ns == 3.0 and barrier.report().timing_compliant


def test_waiting_in_steps_reaches_ready():
    barrier = TimingBarrier(DELTA_T_NS)
    barrier.mark_quantum_phase_end(0.0)
    barrier.advance(0.4 * DELTA_T_NS)
    assert barrier.state is BarrierState.WAITING
    barrier.advance(0.6 * DELTA_T_NS)
    assert barrier.ready
    barrier.advance(5.0)  # time keeps flowing after READY
    barrier.wait_delta_t()  # nothing left to wait for
    barrier.reveal_bases()
    assert barrier.report().wait_ns == pytest.approx(DELTA_T_NS + 5.0)


def test_early_reveal_raises_in_strict_mode():
    barrier = TimingBarrier(DELTA_T_NS, strict=True)
    barrier.mark_quantum_phase_end(5_000.0)
    barrier.advance(0.5 * DELTA_T_NS)
    with pytest.raises(TimingViolation, match="Delta t"):
        barrier.reveal_bases()
    with pytest.raises(RuntimeError):
        barrier.report()


def test_early_reveal_is_recorded_in_lenient_mode():
    barrier = TimingBarrier(DELTA_T_NS, strict=False)
    barrier.mark_quantum_phase_end(5_000.0)
    barrier.advance(0.5 * DELTA_T_NS)
    barrier.reveal_bases()
    barrier.wait_delta_t()
    barrier.reveal_bases()  # bases already public: the first reveal is what counts
    report = barrier.report()
    assert not report.timing_compliant
    assert report.wait_ns == 0.5 * DELTA_T_NS
    assert report.sim_time_ns == 5_000.0 + 0.5 * DELTA_T_NS


def test_reveal_before_quantum_phase_end():
    with pytest.raises(TimingViolation, match="quantum phase"):
        TimingBarrier(DELTA_T_NS).reveal_bases()
    lenient = TimingBarrier(DELTA_T_NS, strict=False)
    lenient.reveal_bases()
    assert not lenient.report().timing_compliant


def test_zero_wait_is_ready_immediately():
    barrier = TimingBarrier(0.0)
    barrier.mark_quantum_phase_end(10.0)
    assert barrier.ready
    barrier.reveal_bases()
    assert barrier.report().timing_compliant and barrier.report().wait_ns == 0.0


def test_protocol_order_errors():
    barrier = TimingBarrier(DELTA_T_NS)
    with pytest.raises(RuntimeError):
        barrier.advance(1.0)
    with pytest.raises(RuntimeError):
        barrier.wait_delta_t()
    barrier.mark_quantum_phase_end(0.0)
    with pytest.raises(RuntimeError):
        barrier.mark_quantum_phase_end(1.0)
    with pytest.raises(ValueError):
        barrier.advance(-1.0)


@pytest.mark.parametrize("value", [-1.0, float("inf"), float("nan")])
def test_invalid_delta_t_names_the_config_key(value):
    with pytest.raises(ConfigValueError, match="nsm.delta_t_ns"):
        TimingBarrier(value)
