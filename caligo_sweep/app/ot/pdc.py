"""The OT on the analytic PDC source of Erven et al. 2014: calibration, expected statistics, wait, reconciliation
(table or assumed f; nothing to decode), analysis, row. Nothing is sampled, so there is no quantum phase to simulate;
the half length is the expected ``floor(m / 2)`` of the ``m`` detected rounds."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any, Optional

from caligo_sweep.app.ot.columns import (
    calibration_columns,
    identity_columns,
    reconciliation_columns,
    security_columns,
    timing_columns,
)
from caligo_sweep.app.ot.stages import decide, leak_arguments, reconcile, run_calibration, wait_and_reveal
from caligo_sweep.config.build import PdcRunSpec
from caligo_sweep.protocol.security.analysis import analyse_nsm_security
from caligo_sweep.protocol.security.sources import pdc_statistics
from caligo_sweep.results.row import ResultRow


def run_ot_pdc(
    spec: PdcRunSpec,
    *,
    run_id: str,
    parameters: Optional[dict[str, Any]] = None,
    progress: bool = True,
    outer_jobs: Optional[int] = None,
    run_dir: Optional[Path] = None,
) -> ResultRow:
    """Analyse one OT on the analytic PDC source of ``spec`` (same signature as
    :func:`~caligo_sweep.app.ot.link.run_ot_link`; ``progress``, ``outer_jobs`` and ``run_dir`` have nothing to act
    on: nothing is sampled, decoded or saved)."""
    started = time.perf_counter()
    calibration = run_calibration(spec)
    source = pdc_statistics(spec.pdc_source, spec.config.num_pairs, qber=calibration.qber_upper)
    timing = wait_and_reveal(spec, 0.0)
    half_bits = math.floor((1.0 - source.p_noclick_honest) * source.n_rounds / 2.0)
    ec = reconcile(spec, calibration.qber_upper, half_bits, None, outer_jobs)
    security = analyse_nsm_security(source, spec.nsm, **leak_arguments(ec))
    decision = decide(spec, security, timing, ec)
    return ResultRow(
        **identity_columns(spec, run_id=run_id, decision=decision),
        engine="analytic",
        qber_expected=spec.pdc_source.qber_expected,
        **calibration_columns(calibration),
        **reconciliation_columns(ec),
        **security_columns(security, decision),
        **timing_columns(timing),
        wall_time_s=time.perf_counter() - started,
        parameters=dict(parameters or {}),
    )
