"""The stages both OT runs share, or that the link run adds before the analysis: calibration, quantum phase,
sifting and estimation, the wait, and the decision.

Each stage is a function from typed inputs to a frozen output; :mod:`caligo_sweep.app.ot.link` and
:mod:`caligo_sweep.app.ot.pdc` chain them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from caligo_sweep.app.ot.stopwatch import Stopwatch
from caligo_sweep.config.build import LinkRunSpec, RunSpec
from caligo_sweep.engine import PairBits
from caligo_sweep.protocol.calibration import Calibration, calibrate_link, calibrate_rate, model_calibration
from caligo_sweep.protocol.ot_reconciliation import EcOutcome, reconcile_with_ldpc, reconcile_with_table
from caligo_sweep.protocol.ot_rounds import OtHalves, RoundFiler
from caligo_sweep.protocol.security.analysis import NSMSecurityResult
from caligo_sweep.protocol.security.qber_consistency import QberConsistency, qber_consistent
from caligo_sweep.protocol.sifting import SiftedStatistics, sift_counts
from caligo_sweep.protocol.timing import TimingBarrier, TimingReport
from caligo_sweep.results.bits_store import PairBitsWriter
from caligo_sweep.runner.run import RunOutput, run_pairs
from caligo_sweep.runner.workers import resolve_n_jobs

log = logging.getLogger("caligo_sweep.app")


def run_calibration(spec: RunSpec) -> Calibration:
    """Calibration stage: the error rate the security chain and the code rate use (``protocol.calibration``)."""
    protocol = spec.config.protocol
    if isinstance(spec, LinkRunSpec):
        if protocol.calibration == "model":
            return model_calibration(spec.model.qber_expected)
        return calibrate_link(spec.model, protocol.calibration_pairs, spec.config.seed, protocol.qber_eps)
    qber_expected = spec.pdc_source.qber_expected
    if protocol.calibration == "model":
        return model_calibration(qber_expected)
    return calibrate_rate(qber_expected, protocol.calibration_pairs, spec.config.seed, protocol.qber_eps)


@dataclass(frozen=True, eq=False)
class QuantumPhase:
    """Output of the quantum phase of a link run.

    Parameters
    ----------
    output : RunOutput
        Merged counts, simulated time and cost of the sampled pairs.
    rounds : RoundFiler or None
        The rounds filed by basis agreement (bits path), for the partition after the wait.
    """

    output: RunOutput
    rounds: Optional[RoundFiler]


def quantum_phase(
    spec: RunSpec,
    *,
    progress: bool,
    outer_jobs: Optional[int],
    run_dir: Optional[Path],
    stopwatch: Optional[Stopwatch] = None,
) -> QuantumPhase:
    """Deliver and measure the OT rounds batch by batch; on the bits path file each batch (and stream it to
    ``<run_dir>/pairs`` with ``engine.save_bits``), so no more than a batch plus the halves being built is held.
    A ``stopwatch`` gets the filing time as stage ``filing``."""
    config = spec.config
    sinks: list[Callable[[PairBits], None]] = []
    rounds = RoundFiler() if spec.ot.ec_model == "ldpc" else None
    if rounds is not None:
        sinks.append(_timed_sink(rounds, stopwatch, "filing"))
    if config.engine.save_bits:
        if run_dir is None:
            raise ValueError("engine.save_bits needs a run_dir to stream the pairs into")
        sinks.append(PairBitsWriter(run_dir / "pairs"))
    output = run_pairs(
        spec.model,
        **execution_settings(spec),
        bits_sink=_fan_out(sinks) if sinks else None,
        progress=progress,
        outer_jobs=outer_jobs,
    )
    return QuantumPhase(output, rounds)


def execution_settings(spec: RunSpec) -> dict[str, Any]:
    """The ``run_pairs`` arguments that come straight from the config."""
    config = spec.config
    return {
        "num_pairs": config.num_pairs,
        "seed": config.seed,
        "batch_size": config.workers.batch_size,
        "n_jobs": config.workers.n_jobs,
        "backend": config.workers.backend,
        "sampling": config.engine.sampling,
    }


def _timed_sink(
    sink: Callable[[PairBits], None], stopwatch: Optional[Stopwatch], name: str
) -> Callable[[PairBits], None]:
    """``sink``, adding its time to stage ``name`` of ``stopwatch`` (``sink`` itself without one)."""
    if stopwatch is None:
        return sink

    def timed_sink(batch: PairBits) -> None:
        with stopwatch.stage(name):
            sink(batch)

    return timed_sink


def _fan_out(sinks: list[Callable[[PairBits], None]]) -> Callable[[PairBits], None]:
    def sink(batch: PairBits) -> None:
        for each in sinks:
            each(batch)

    return sink


@dataclass(frozen=True)
class Estimation:
    """Sifting and estimation of the OT rounds: a simulation diagnostic (the chain uses the calibration)."""

    sifted: SiftedStatistics
    consistency: QberConsistency


def sift_and_estimate(spec: RunSpec, phase: QuantumPhase) -> Estimation:
    """Sift the rounds' counts and test their QBER against the model (a warning when it fails)."""
    sifted = sift_counts(phase.output.counts.outcome_counts)
    consistency = qber_consistent(sifted.n_errors, sifted.n_sifted, spec.model.qber_expected)
    if not consistency.consistent:
        log.warning(
            "measured QBER %.6f lies outside [%.6f, %.6f] around the model's %.6f",
            consistency.qber_measured, consistency.acceptance_low, consistency.acceptance_high,
            consistency.qber_expected,
        )  # fmt: skip
    return Estimation(sifted, consistency)


def wait_and_reveal(spec: RunSpec, quantum_phase_ns: float) -> TimingReport:
    """Honest timing: the quantum phase ends, both parties wait Delta t in simulated time, then bases are revealed."""
    barrier = TimingBarrier(spec.delta_t_ns, strict=True)
    barrier.mark_quantum_phase_end(quantum_phase_ns)
    barrier.wait_delta_t()
    barrier.reveal_bases()
    return barrier.report()


@dataclass(frozen=True)
class Decision:
    """The run's verdict: ``status``, ``reason`` and whether the point is secure."""

    status: str
    reason: Optional[str]
    secure: bool


def decide(spec: RunSpec, security: NSMSecurityResult, timing: TimingReport, ec: Optional[EcOutcome]) -> Decision:
    """``ok`` for a secure point (whose decoding, when it ran, succeeded), ``insecure`` otherwise, ``aborted`` for a
    secure point whose decoding failed, or for an insecure one under ``protocol.strict``."""
    secure = security.individual_secure and security.kww_capacity_ok and security.secure and timing.timing_compliant
    if not secure:
        reason = insecurity_reason(security, timing)
        if spec.config.protocol.strict:
            log.error("protocol.strict: aborting an insecure point: %s", reason)
            return Decision("aborted", reason, False)
        return Decision("insecure", reason, False)
    if ec is not None and ec.ec_model == "ldpc" and not ec.decoded:
        reason = _decoding_failure(ec)
        log.error("aborting a secure point: %s", reason)
        return Decision("aborted", reason, True)
    return Decision("ok", None, True)


def _decoding_failure(ec: EcOutcome) -> str:
    if ec.frames is None:
        return "reconciliation: no shipped code for the calibrated QBER; no OT output"
    return (
        f"reconciliation: {ec.frame_errors} of {ec.frames} frames of I_C failed (BP did not converge or the "
        "verification hash did not match); no OT output"
    )


def insecurity_reason(security: NSMSecurityResult, timing: TimingReport) -> str:
    """Which security conditions a point misses, one clause each."""
    reasons = []
    if not security.qber_below_stw_limit:
        reasons.append(f"individual-storage attacks: Q_channel upper bound {security.qber:.4g} not below 11 %")
    if not security.qber_below_storage_noise:
        reasons.append(f"individual-storage attacks: Q_channel upper bound not strictly below (1-r)/2 = "
                       f"{security.q_storage:.4g}")
    if not security.kww_capacity_ok:
        reasons.append(f"general attacks: C_N * nu = {security.capacity_rate:.4g} is not below 1/2")
    if security.loss_test_passed is False:
        reasons.append("loss test: Bob's reported detections lie outside the window")
    if not security.single_pairs_ok:
        reasons.append("finite size: no single-pair rounds survive the bound (m1 <= 0)")
    elif not security.storage_bound_ok:
        reasons.append("finite size: storage bound C_N * S < H fails")
    elif not security.length_positive and security.loss_test_passed is not False:
        reasons.append(f"finite size: OT length is not positive (margin {security.ot_length_margin_bits:.4g} bits)")
    if not timing.timing_compliant:
        reasons.append("Delta t was not respected")
    return "insecure: " + "; ".join(reasons)


def reconcile(
    spec: RunSpec, qber_upper: float, half_bits: int, halves: Optional[OtHalves], outer_jobs: Optional[int]
) -> EcOutcome:
    """Reconciliation stage: decode (``ldpc``, needs the halves), count the table code's leak, or assume f."""
    ot = spec.ot
    if ot.ec_model == "ldpc":
        n_jobs = resolve_n_jobs(spec.config.workers.n_jobs, -(-half_bits // ot.frame_length), outer_jobs)
        return reconcile_with_ldpc(halves, qber_upper, ot.frame_length, ot.tag_bits, spec.config.seed, n_jobs)
    if ot.ec_model == "table":
        return reconcile_with_table(half_bits, qber_upper, ot.frame_length, ot.tag_bits)
    return EcOutcome("assumed", half_bits, efficiency=ot.efficiency)


def leak_arguments(ec: EcOutcome) -> dict[str, float]:
    """How the chain is told the leak: the bits sent, or (``assumed``) the half length for ``f h(p)`` per bit."""
    return {"half_length_bits": ec.half_bits} if ec.leak_bits is None else {"ec_leak_bits": ec.leak_bits}
