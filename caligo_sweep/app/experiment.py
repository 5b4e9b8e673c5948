"""One run from validated settings to its result row: calibrate, sample, sift, wait, decide.

Free of Hydra, so a notebook can call :func:`run_experiment` with a :class:`~caligo_sweep.config.build.RunSpec`
built by :func:`~caligo_sweep.config.build.prepare_ot_link` or ``prepare_ot_pdc`` from any composed config.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Optional

from caligo_sweep.config.build import LinkRunSpec, RunSpec
from caligo_sweep.engine.counts import PairCounts
from caligo_sweep.protocol.calibration import Calibration, calibrate_link, calibrate_rate, model_calibration
from caligo_sweep.protocol.security.analysis import NSMSecurityResult, analyse_nsm_security
from caligo_sweep.protocol.security.qber_consistency import QberConsistency, qber_consistent
from caligo_sweep.protocol.security.sources import epr_link_statistics, pdc_statistics
from caligo_sweep.protocol.sifting import SiftedStatistics, sift_counts
from caligo_sweep.protocol.timing import TimingBarrier, TimingReport
from caligo_sweep.results.bits_store import PairBitsWriter
from caligo_sweep.results.row import ResultRow
from caligo_sweep.runner.run import RunOutput, check_run_settings, run_pairs

log = logging.getLogger("caligo_sweep.app")


def check_spec(spec: RunSpec) -> None:
    """Validate the execution settings (run size, seed, workers, engine) without sampling anything.

    The input checks call it for every swept value; :func:`run_experiment` relies on ``run_pairs`` checking the same
    settings before its first batch.
    """
    settings = _execution_settings(spec)
    check_run_settings(returns_bits=spec.config.engine.save_bits, **settings)


def _execution_settings(spec: RunSpec) -> dict[str, Any]:
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


def run_experiment(
    spec: RunSpec,
    *,
    run_id: str,
    parameters: Optional[dict[str, Any]] = None,
    progress: bool = True,
    outer_jobs: Optional[int] = None,
    pairs_dir: Optional[Path] = None,
) -> ResultRow:
    """Simulate one run and analyse it.

    Parameters
    ----------
    spec : RunSpec
        Validated run.
    run_id : str
        Identifier written into the row.
    parameters : dict, optional
        Flattened configuration columns to carry into the row.
    progress : bool
        Show the per-batch progress bar (the caller decides: config key ``progress`` and a terminal).
    outer_jobs : int, optional
        Runs executing concurrently around this one (Hydra's joblib launcher); caps the batch workers so that
        ``outer_jobs * workers <= cores``.
    pairs_dir : pathlib.Path, optional
        Where ``engine.save_bits`` streams the materialised pairs (a new folder); required when it is set.

    Returns
    -------
    ResultRow
        ``status`` is ``ok`` for a secure point, ``insecure`` otherwise, ``aborted`` for an insecure point under
        ``protocol.strict``.

    Raises
    ------
    caligo_sweep.errors.TimingViolation
        If bases would be revealed before Delta t (cannot happen in an honest run: the barrier always waits).
    """
    config = spec.config
    if config.engine.save_bits and pairs_dir is None:
        raise ValueError("engine.save_bits needs a pairs_dir to stream the pairs into")
    started = time.perf_counter()
    calibration = run_calibration(spec)
    if isinstance(spec, LinkRunSpec):
        bits_sink = PairBitsWriter(pairs_dir) if config.engine.save_bits else None
        output = run_pairs(
            spec.model,
            bits_sink=bits_sink,
            progress=progress,
            outer_jobs=outer_jobs,
            **_execution_settings(spec),
        )
        sifted = sift_counts(output.counts.outcome_counts)
        consistency = qber_consistent(sifted.n_errors, sifted.n_sifted, spec.model.qber_expected)
        if not consistency.consistent:
            log.warning(
                "measured QBER %.6f lies outside [%.6f, %.6f] around the model's %.6f",
                consistency.qber_measured, consistency.acceptance_low, consistency.acceptance_high,
                consistency.qber_expected,
            )
        source = epr_link_statistics(
            output.counts.attempts * spec.model.modes_per_attempt,
            calibration.qber_upper,
            detection_probability=spec.model.detection_probability_per_round,
        )
        reported_detections: Optional[int] = output.counts.n_pairs
        quantum_phase_ns = output.sim_time_ns
    else:
        output = sifted = consistency = reported_detections = None
        source = pdc_statistics(spec.pdc_source, config.num_pairs, qber=calibration.qber_upper)
        quantum_phase_ns = 0.0
    timing = _wait_and_reveal(spec, quantum_phase_ns)
    security = analyse_nsm_security(source, spec.nsm, reported_detections=reported_detections)
    secure = (
        security.individual_secure and security.kww_capacity_ok and security.secure and timing.timing_compliant
    )
    status, reason = ("ok", None) if secure else ("insecure", _insecurity_reason(security, timing))
    if not secure and config.protocol.strict:
        status = "aborted"
        log.error("protocol.strict: aborting an insecure point: %s", reason)
    return ResultRow(
        run_id=run_id,
        status=status,
        reason=reason,
        seed=config.seed,
        engine=config.engine.name if isinstance(spec, LinkRunSpec) else "analytic",
        sampling=config.engine.sampling if isinstance(spec, LinkRunSpec) else None,
        link=spec.link_name,
        eta_semantics=config.eta.semantics,
        source=config.source.kind,
        nsm_r=spec.nsm.r,
        nsm_nu=spec.nsm.nu,
        delta_t_ns=spec.delta_t_ns,
        num_pairs=config.num_pairs,
        n_jobs=config.workers.n_jobs,
        n_jobs_effective=output.n_jobs_effective if output is not None else None,
        batch_size=config.workers.batch_size,
        **_expectations(spec),
        **_measurements(output, sifted, consistency),
        **_calibration_columns(calibration),
        **_security_columns(security, secure),
        sim_time_ns=timing.sim_time_ns,
        wait_ns=timing.wait_ns,
        timing_compliant=timing.timing_compliant,
        wall_time_s=time.perf_counter() - started,
        pairs_per_second=output.pairs_per_second if output is not None else None,
        parameters=dict(parameters or {}),
    )


def run_calibration(spec: RunSpec) -> Calibration:
    """The calibration stage of a run: the error rate the security chain uses (``protocol.calibration``)."""
    protocol = spec.config.protocol
    qber_expected = spec.model.qber_expected if isinstance(spec, LinkRunSpec) else spec.pdc_source.qber_expected
    if protocol.calibration == "model":
        return model_calibration(qber_expected)
    if isinstance(spec, LinkRunSpec):
        return calibrate_link(spec.model, protocol.calibration_pairs, spec.config.seed, protocol.qber_eps)
    return calibrate_rate(qber_expected, protocol.calibration_pairs, spec.config.seed, protocol.qber_eps)


def _wait_and_reveal(spec: RunSpec, quantum_phase_ns: float) -> TimingReport:
    """Honest timing: the quantum phase ends, both parties wait Delta t in simulated time, then bases are revealed."""
    barrier = TimingBarrier(spec.delta_t_ns, strict=True)
    barrier.mark_quantum_phase_end(quantum_phase_ns)
    barrier.wait_delta_t()
    barrier.reveal_bases()
    return barrier.report()


def _expectations(spec: RunSpec) -> dict[str, Any]:
    if not isinstance(spec, LinkRunSpec):
        return {"qber_expected": spec.pdc_source.qber_expected}
    model = spec.model
    return {
        "p_success": model.p_success,
        "cycle_time_ns": model.cycle_time_ns,
        "herald_delay_ns": model.herald_delay_ns,
        "detection_probability_per_side": model.detection_probability_per_side,
        "fidelity_expected": model.fidelity_expected,
        "qber_z_expected": model.qber_z_expected,
        "qber_x_expected": model.qber_x_expected,
        "qber_expected": model.qber_expected,
    }


def _measurements(
    output: Optional[RunOutput],
    sifted: Optional[SiftedStatistics],
    consistency: Optional[QberConsistency],
) -> dict[str, Any]:
    """The OT rounds' own counts: the QBER here is a simulation diagnostic, not what decides security."""
    if output is None or sifted is None or consistency is None:
        return {}
    counts: PairCounts = output.counts
    return {
        "n_pairs": counts.n_pairs,
        "n_attempts": counts.attempts,
        "n_sifted": sifted.n_sifted,
        "n_sifted_z": sifted.n_sifted_z,
        "n_sifted_x": sifted.n_sifted_x,
        "n_errors": sifted.n_errors,
        "qber_z": sifted.qber_z,
        "qber_x": sifted.qber_x,
        "qber": sifted.qber,
        "qber_consistent": consistency.consistent,
        "qber_tolerance": consistency.tolerance,
    }


def _calibration_columns(calibration: Calibration) -> dict[str, Any]:
    if calibration.mode == "model":
        return {"qber_upper": calibration.qber_upper}
    return {
        "calibration_n_sifted": calibration.n_sifted,
        "calibration_n_errors": calibration.n_errors,
        "calibration_qber": calibration.qber,
        "qber_upper": calibration.qber_upper,
    }


def _security_columns(security: NSMSecurityResult, secure: bool) -> dict[str, Any]:
    return {
        "n_rounds": security.n_rounds,
        "loss_test_passed": security.loss_test_passed,
        "q_storage": security.q_storage,
        "secure_individual_asymptotic": security.individual_secure,
        "individual_asymptotic_qber_below_11pct": security.qber_below_stw_limit,
        "individual_asymptotic_qber_below_storage_noise": security.qber_below_storage_noise,
        "storage_capacity": security.storage_capacity,
        "capacity_rate": security.capacity_rate,
        "secure_general_asymptotic": security.kww_capacity_ok,
        "m": security.m,
        "m1": security.m1,
        "c_bb84": security.c_bb84,
        "min_entropy_bits": security.min_entropy_bits,
        "storage_qubits": security.storage_qubits,
        "rate_R": security.rate_R,
        "gamma": security.gamma,
        "ec_leak_bits": security.ec_leak_bits,
        "ot_length_margin_bits": security.ot_length_margin_bits,
        "general_finite_size_single_pair_rounds_ok": security.single_pairs_ok,
        "general_finite_size_storage_bound_ok": security.storage_bound_ok,
        "secure_general_finite_size": security.secure,
        "ot_length_bits": security.ot_length_bits if secure else 0,
        "secure": secure,
    }


def _insecurity_reason(security: NSMSecurityResult, timing: TimingReport) -> str:
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
