"""The data dictionary of the result table, generated from :class:`~caligo_sweep.results.row.ResultRow`.

:func:`data_dictionary` is the OT part of ``docs/columns.md``, which ``python -m caligo_sweep.app.kinds.columns_doc``
writes; a test regenerates it and fails when the file differs, and fails when a column of the row has no description
here, so the two never drift.
"""

from __future__ import annotations

from caligo_sweep.results.row import CONFIG_KEY_UNITS, CONFIG_KEYS_IN_FIXED_COLUMNS, column_names, declared_column_types

#: One line per fixed column of the row: what it holds, in which unit.
COLUMN_DESCRIPTIONS = {
    "run_id": "`<date>/<time>` of a single run, `<time>/<job number>` of a sweep job",
    "status": "`ok` (secure), `insecure`, `aborted` (insecure under `protocol.strict`, or secure but decoding failed) or `failed` (an error)",
    "error": "why a `failed` run failed",
    "reason": "which security conditions an `insecure` or `aborted` point misses",
    "seed": "root seed; batch i draws from `SeedSequence(seed).spawn(n_batches)[i]`",
    "engine": "`numpy` (sampled) or `analytic` (kind=ot_pdc, nothing sampled); config `engine.name`",
    "sampling": "`counts` or `bits`; empty when nothing was sampled; config `engine.sampling`",
    "link": "link model that ran (`link=auto` records its choice)",
    "eta_semantics": "meaning of `link.eta`: `detector_only` or `end_to_end`; config `eta.semantics`",
    "source": "honest source feeding the security analysis: `link` or `pdc`; config `source.kind`",
    "nsm_r": "adversary storage retention probability r",
    "nsm_nu": "adversary storage rate nu, storable qubits per transmitted pair",
    "delta_t_ns": "wait time Delta t before the bases are revealed, ns; config `nsm.delta_t_ns`",
    "num_pairs": "EPR pairs requested (pdc: pairs before loss)",
    "n_jobs": "batch workers requested (-1: all cores); config `workers.n_jobs`",
    "n_jobs_effective": "batch workers that ran",
    "batch_size": "pairs per batch (one random stream each); config `workers.batch_size`",
    "p_success": "model probability that one link attempt delivers a pair",
    "cycle_time_ns": "duration of one link attempt, ns",
    "herald_delay_ns": "time until the herald reaches both nodes, ns",
    "detection_probability_per_side": "heralded link: probability that one side's photon is detected",
    "fidelity_expected": "model fidelity of the delivered, corrected pair with Phi+",
    "qber_z_expected": "model error rate of Z-basis rounds",
    "qber_x_expected": "model error rate of X-basis rounds",
    "qber_expected": "model error rate of sifted rounds (pdc: the source model's error rate)",
    "n_pairs": "pairs delivered",
    "n_attempts": "link attempts made",
    "n_sifted": "rounds with equal bases",
    "n_sifted_z": "sifted rounds in the Z basis",
    "n_sifted_x": "sifted rounds in the X basis",
    "n_errors": "sifted rounds whose bits differ",
    "qber_z": "measured error rate of Z-basis rounds",
    "qber_x": "measured error rate of X-basis rounds",
    "qber": "measured error rate Q_channel of all sifted rounds",
    "qber_upper": "Clopper-Pearson upper bound on Q_channel at confidence 1 - `protocol.qber_eps`",
    "qber_consistent": "measured QBER agrees with the model (two-sided binomial test, false-alarm rate 1e-6)",
    "qber_tolerance": "half-width of that test's acceptance interval",
    "calibration_n_sifted": "sifted rounds of the calibration stage (own pairs, own seed stream); empty for `protocol.calibration=model`",
    "calibration_n_errors": "errors among the calibration stage's sifted rounds",
    "calibration_qber": "error rate measured by the calibration stage (the model's for `protocol.calibration=model`)",
    "qber_upper": "p of the security chain: Clopper-Pearson upper bound of the calibration QBER at confidence 1 - `protocol.qber_eps`",
    "choice_bit": "Bob's choice bit C (`protocol.choice_bit`; random: own stream of the seed); empty unless an OT ran",
    "half_bits": "length of each half I_0, I_1: min(matching-basis, different-basis rounds) (pdc: floor(m/2)), bits",
    "ec_model": "how the leak was obtained: `ldpc` (decoded), `table` (shipped measured table, no decoding) or `assumed` (f = `nsm.ec_efficiency`)",
    "ec_frame_length_bits": "longest LDPC frame allowed, bits; config `reconciliation.frame_length`",
    "ec_code_length_bits": "length of the LDPC code used, bits: the shipped length up to `ec_frame_length_bits` whose frames send the fewest bits for this half",
    "ec_frames": "code frames per half",
    "ec_frame_errors": "frames of I_C Bob failed to decode or whose verification hash did not match (`ldpc`)",
    "ec_frame_error_rate": "frame error rate: measured (`ldpc`) or the table's (`table`)",
    "ec_efficiency": "measured f = `ec_leak_bits` / (`half_bits` h(`qber_upper`)); `assumed`: the assumed f",
    "ec_mbit_per_s": "Bob's decoding throughput, Mbit of the half per wall-clock second (`ldpc`)",
    "ot_correct": "Bob's S_C equals Alice's S_C (bits path, `ldpc`, secure point)",
    "bob_error_rate_other_half": "Bob's disagreement with x on I_{1-C}, about 1/2: why he cannot decode it (`ldpc`)",
    "n_rounds": "rounds Alice sends: link attempts times modes (pdc: pulses); the adversary stores nu * n_rounds",
    "loss_test_passed": "Bob's reported detections lie in Alice's Hoeffding window around the honest expectation",
    "q_storage": "storage noise (1 - r)/2 of the depolarising memory",
    "secure_individual_asymptotic": "individual-storage attacks, asymptotic (Schaffner et al. 2009, Cor. 7): `qber_upper` < min(0.11, (1 - r)/2)",
    "individual_asymptotic_qber_below_11pct": "the 11 % part of that condition",
    "individual_asymptotic_qber_below_storage_noise": "the (1 - r)/2 part of that condition, strictly",
    "storage_capacity": "classical capacity C_N of the storage channel, bits per qubit",
    "capacity_rate": "C_N * nu",
    "secure_general_asymptotic": "general attacks, asymptotic (König et al. 2012): C_N * nu < 1/2",
    "m": "rounds Bob reports as detected, entering the finite-size analysis",
    "m1": "single-pair rounds guaranteed after the Hoeffding bound",
    "c_bb84": "finite-size BB84 uncertainty constant C_BB84, bits per round (`nsm.c_bb84_term` convention)",
    "min_entropy_bits": "smooth min-entropy bound H of the receiver's unknown string, bits",
    "storage_qubits": "adversary storage S = nu * n_rounds (or `nsm.storage_qubits`), qubits",
    "rate_R": "rate R = H / S, bits per storable qubit",
    "gamma": "strong-converse exponent gamma(R) of the storage channel",
    "ec_leak_bits": "error-correction leak charged in the OT length: every syndrome and hash bit sent about one half (`assumed`: f h(p) `half_bits`), bits",
    "ot_length_margin_bits": "OT length before rounding down and clipping at 0, bits",
    "general_finite_size_single_pair_rounds_ok": "general attacks, finite size (Erven et al. 2014): m1 > 0",
    "general_finite_size_storage_bound_ok": "general attacks, finite size: C_N * S < H",
    "secure_general_finite_size": "general attacks, finite size (Erven et al. 2014 chain): a positive OT length; sufficient, not necessary",
    "ot_length_bits": "OT string length ell from the chain with the actual leak and half length, bits; 0 when the point is not secure or the run aborted",
    "secure": "all conditions hold: individual asymptotic, general asymptotic, general finite size, loss test, timing",
    "sim_time_ns": "simulated time: link attempts plus the wait, ns",
    "wait_ns": "simulated wait before the bases are revealed, ns",
    "timing_compliant": "the bases were revealed no earlier than Delta t after the quantum phase",
    "wall_time_s": "wall-clock time of the run, s",
    "pairs_per_second": "sampled pairs per wall-clock second",
}

#: Pandas dtype shown for each Python type of a column.
DTYPE_NAMES = {int: "Int64", float: "float64", bool: "boolean", str: "string"}


def data_dictionary() -> str:
    """The data dictionary in Markdown: every fixed column, then the rule for configuration columns.

    Raises
    ------
    KeyError
        If a column of the row has no description (add it to :data:`COLUMN_DESCRIPTIONS`).
    """
    missing = [name for name in column_names() if name not in COLUMN_DESCRIPTIONS]
    if missing:
        raise KeyError(f"columns without a description in caligo_sweep/results/columns.py: {', '.join(missing)}")
    types = declared_column_types()
    lines = [
        "# Columns of the result table",
        "",
        "Generated by `python -m caligo_sweep.app.kinds.columns_doc > docs/columns.md` from the result rows",
        "(`caligo_sweep/results/row.py`); do not edit by hand. Integer and boolean columns are nullable",
        "(`<NA>` in the rows of failed runs).",
        "",
        "| column | dtype | meaning |",
        "|---|---|---|",
        *(f"| `{name}` | {DTYPE_NAMES[types[name]]} | {COLUMN_DESCRIPTIONS[name]} |" for name in column_names()),
        "",
        "## Configuration columns",
        "",
        "After the columns above, every key of the groups link, device, nsm, source, protocol, workers and engine is a",
        "column `<group>_<key>` (`link_fidelity`, `nsm_eps`), followed by `overrides`, the job's command-line",
        "overrides. A key whose name carries no unit gets one:",
        "",
        "| key | column |",
        "|---|---|",
        *(f"| `{key}` | `{key.replace('.', '_')}_{unit}` |" for key, unit in CONFIG_KEY_UNITS.items()),
        "",
        "A key that a column above already records is not repeated:",
        "",
        "| key | column |",
        "|---|---|",
        *(f"| `{key}` | `{column}` |" for key, column in CONFIG_KEYS_IN_FIXED_COLUMNS.items()),
        "",
    ]
    return "\n".join(lines)
