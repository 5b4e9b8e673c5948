"""The result-row columns each OT stage contributes."""

from __future__ import annotations

from typing import Any, Optional

from caligo_sweep.app.ot.stages import Decision, Estimation, QuantumPhase
from caligo_sweep.config.build import RunSpec
from caligo_sweep.protocol.calibration import Calibration
from caligo_sweep.protocol.ot_amplification import OtStrings
from caligo_sweep.protocol.ot_reconciliation import EcOutcome
from caligo_sweep.protocol.security.analysis import NSMSecurityResult
from caligo_sweep.protocol.timing import TimingReport


def identity_columns(spec: RunSpec, *, run_id: str, decision: Decision) -> dict[str, Any]:
    """Run identity and the settings every row records."""
    config = spec.config
    return {
        "run_id": run_id,
        "status": decision.status,
        "reason": decision.reason,
        "seed": config.seed,
        "link": spec.link_name,
        "eta_semantics": config.eta.semantics,
        "source": config.source.kind,
        "nsm_r": spec.nsm.r,
        "nsm_nu": spec.nsm.nu,
        "delta_t_ns": spec.delta_t_ns,
        "num_pairs": config.num_pairs,
        "n_jobs": config.workers.n_jobs,
        "batch_size": config.workers.batch_size,
        "ec_frame_length_bits": spec.ot.frame_length,
    }


def link_expectations(spec: RunSpec) -> dict[str, Any]:
    """The link model's analytic expectations."""
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


def measurement_columns(phase: QuantumPhase, estimation: Estimation) -> dict[str, Any]:
    """The OT rounds' own counts: the QBER here is a simulation diagnostic, not what decides security."""
    counts, sifted, consistency = phase.output.counts, estimation.sifted, estimation.consistency
    return {
        "engine": "numpy",
        "n_jobs_effective": phase.output.n_jobs_effective,
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
        "pairs_per_second": phase.output.pairs_per_second,
    }


def calibration_columns(calibration: Calibration) -> dict[str, Any]:
    """What the calibration stage measured (only the bound in model mode)."""
    if calibration.mode == "model":
        return {"qber_upper": calibration.qber_upper}
    return {
        "calibration_n_sifted": calibration.n_sifted,
        "calibration_n_errors": calibration.n_errors,
        "calibration_qber": calibration.qber,
        "qber_upper": calibration.qber_upper,
    }


def reconciliation_columns(ec: EcOutcome) -> dict[str, Any]:
    """The reconciliation stage: model used, half length, frames, measured leak and efficiency."""
    return {
        "ec_model": ec.ec_model,
        "half_bits": ec.half_bits,
        "ec_code_length_bits": ec.code_length,
        "ec_frames": ec.frames,
        "ec_frame_errors": ec.frame_errors,
        "ec_frame_error_rate": ec.frame_error_rate,
        "ec_efficiency": ec.efficiency,
        "ec_mbit_per_s": ec.mbit_per_s,
    }


def ot_columns(choice_bit: Optional[int], strings: Optional[OtStrings], other_half_error_rate: float) -> dict[str, Any]:
    """Bob's choice, whether S_C matched, and his error rate on the half he cannot decode (bits path)."""
    return {
        "choice_bit": choice_bit,
        "ot_correct": strings.correct if strings is not None else None,
        "bob_error_rate_other_half": other_half_error_rate,
    }


def security_columns(security: NSMSecurityResult, decision: Decision) -> dict[str, Any]:
    """The three security models' conditions and quantities, and the OT length the run produced (0 unless ``ok``)."""
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
        "ot_length_bits": security.ot_length_bits if decision.status == "ok" else 0,
        "secure": decision.secure,
    }


def timing_columns(timing: TimingReport) -> dict[str, Any]:
    """Simulated time of the run and whether the wait was respected."""
    return {"sim_time_ns": timing.sim_time_ns, "wait_ns": timing.wait_ns, "timing_compliant": timing.timing_compliant}
