"""The OT on a simulated link: calibration, quantum phase, sifting and estimation, wait, partition, reconciliation,
analysis, amplification, row.

On the bits path with ``reconciliation=ldpc`` the honest protocol runs to the end and the row reports the OT that
came out (``ot_correct``); otherwise (counts path, or ``reconciliation=model``/``assumed``) the half length follows
from the counts, ``min(n_sifted, n_pairs - n_sifted)``, and the leak from the table or from f.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Optional

from caligo_sweep.app.ot.columns import (
    calibration_columns,
    identity_columns,
    link_expectations,
    measurement_columns,
    ot_columns,
    reconciliation_columns,
    security_columns,
    timing_columns,
)
from caligo_sweep.app.ot.stages import (
    Decision,
    decide,
    leak_arguments,
    quantum_phase,
    reconcile,
    run_calibration,
    sift_and_estimate,
    wait_and_reveal,
)
from caligo_sweep.app.ot.stopwatch import Stopwatch, timed
from caligo_sweep.config.build import LinkRunSpec
from caligo_sweep.engine.bitstring import PackedBits
from caligo_sweep.protocol.ot_amplification import OtStrings, amplify
from caligo_sweep.protocol.ot_rounds import choose_bit
from caligo_sweep.protocol.security.analysis import analyse_nsm_security
from caligo_sweep.protocol.security.sources import epr_link_statistics
from caligo_sweep.results.row import ResultRow
from caligo_sweep.runner.workers import resolve_n_jobs


def run_ot_link(
    spec: LinkRunSpec,
    *,
    run_id: str,
    parameters: Optional[dict[str, Any]] = None,
    progress: bool = True,
    outer_jobs: Optional[int] = None,
    run_dir: Optional[Path] = None,
    stopwatch: Optional[Stopwatch] = None,
) -> ResultRow:
    """Simulate one OT run on the link of ``spec`` and analyse it.

    Parameters
    ----------
    spec : LinkRunSpec
        Validated run with a link model (``source=link``).
    run_id : str
        Identifier written into the row.
    parameters : dict, optional
        Flattened configuration columns to carry into the row.
    progress : bool
        Show the per-batch progress bar (the caller decides: config key ``progress`` and a terminal).
    outer_jobs : int, optional
        Runs executing concurrently around this one; caps the batch and decoding workers.
    run_dir : pathlib.Path, optional
        The run folder: ``engine.save_bits`` streams the pairs to ``pairs/``, ``engine.save_ot`` writes
        ``ot_outputs.npz``; required when either is set.
    stopwatch : Stopwatch, optional
        Collects the wall time of each stage (calibration, quantum phase = sampling and filing, partition,
        reconciliation = syndromes, decoding and tags, security, amplification); the row is the same without it.

    Returns
    -------
    ResultRow
        ``status`` is ``ok`` for a secure point (with a correct OT when one was run), ``insecure`` otherwise,
        ``aborted`` for a secure point whose decoding failed or an insecure one under ``protocol.strict``.
    """
    if spec.ot.save_ot and run_dir is None:
        raise ValueError("engine.save_ot needs a run_dir to write ot_outputs.npz into")
    started = time.perf_counter()
    config = spec.config
    with timed(stopwatch, "calibration"):
        calibration = run_calibration(spec)
    with timed(stopwatch, "quantum phase"):
        phase = quantum_phase(spec, progress=progress, outer_jobs=outer_jobs, run_dir=run_dir, stopwatch=stopwatch)
    estimation = sift_and_estimate(spec, phase)
    timing = wait_and_reveal(spec, phase.output.sim_time_ns)
    counts = phase.output.counts
    halves = choice_bit = None
    if phase.rounds is not None:
        choice_bit = choose_bit(spec.ot.choice_bit, config.seed)
        with timed(stopwatch, "partition"):
            halves = phase.rounds.partition(choice_bit)
    half_bits = min(estimation.sifted.n_sifted, counts.n_pairs - estimation.sifted.n_sifted)
    with timed(stopwatch, "reconciliation"):
        ec = reconcile(spec, calibration.qber_upper, half_bits, halves, outer_jobs)
    source = epr_link_statistics(
        counts.attempts * spec.model.modes_per_attempt,
        calibration.qber_upper,
        detection_probability=spec.model.detection_probability_per_round,
    )
    with timed(stopwatch, "security"):
        security = analyse_nsm_security(source, spec.nsm, reported_detections=counts.n_pairs, **leak_arguments(ec))
    decision = decide(spec, security, timing, ec)
    strings = None
    if decision.status == "ok" and halves is not None:
        with timed(stopwatch, "amplification"):
            amplify_jobs = resolve_n_jobs(config.workers.n_jobs, 2, outer_jobs)
            strings = amplify(halves, ec.bob_bits, security.ot_length_bits, config.seed, amplify_jobs)
        if not strings.correct:
            decision = Decision("aborted", "amplification: Bob's S_C differs from Alice's (undetected decoding "
                                "error); no OT output", True)
    if spec.ot.save_ot:
        _saved_strings(strings, decision, choice_bit).save(run_dir)
    return ResultRow(
        **identity_columns(spec, run_id=run_id, decision=decision),
        sampling=config.engine.sampling,
        **link_expectations(spec),
        **measurement_columns(phase, estimation),
        **calibration_columns(calibration),
        **reconciliation_columns(ec),
        **ot_columns(choice_bit, strings, halves.other_half_error_rate() if halves is not None else None),
        **security_columns(security, decision),
        **timing_columns(timing),
        wall_time_s=time.perf_counter() - started,
        parameters=dict(parameters or {}),
    )


def _saved_strings(strings: Optional[OtStrings], decision: Decision, choice_bit: int) -> OtStrings:
    """What ``engine.save_ot`` writes: the OT, or empty strings when the run produced none."""
    if strings is not None and decision.status == "ok":
        return strings
    empty = PackedBits.empty()
    return OtStrings(choice_bit, empty, empty, empty)
