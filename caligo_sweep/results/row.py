"""The result row: one flat, typed record per run, declared once.

Column names carry their units (``_ns``, ``_s``, ``_km``, ``_bits``). Configuration values that a sweep may vary are
added as extra columns named ``<group>_<key>`` plus the unit when the key lacks one (``link_fidelity``,
``link_length_km``, ``device_T1_ns``, ...; :func:`config_column`), so every swept value is a column of the sweep
table. One quantity has one column: a configuration key that a fixed column already records (``workers.n_jobs`` is
``n_jobs``) is not repeated. ``docs/columns.md`` is generated from this module (:mod:`caligo_sweep.results.columns`,
:mod:`caligo_sweep.app.kinds.columns_doc`).
"""

from __future__ import annotations

import typing
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Optional

#: Run outcome: ``ok`` secure and finished; ``insecure`` finished, point not secure; ``aborted`` insecure with
#: ``protocol.strict`` or secure but its decoding failed; ``failed`` an error stopped the run; ``interrupted`` the
#: sweep was stopped (SIGINT, SIGTERM) while the run was going; ``not_run`` the sweep was stopped before the run
#: started.
Status = Literal["ok", "insecure", "aborted", "failed", "interrupted", "not_run"]


@dataclass(frozen=True)
class ResultRow:
    """One run's result. Fields that a failed run could not compute are ``None``.

    ``error`` says why a ``failed`` run failed; ``reason`` says which security conditions an ``insecure`` or
    ``aborted`` point misses.
    """

    # identity
    run_id: str
    status: Status
    error: Optional[str] = None
    reason: Optional[str] = None
    seed: Optional[int] = None
    engine: Optional[str] = None
    sampling: Optional[str] = None
    link: Optional[str] = None
    eta_semantics: Optional[str] = None
    source: Optional[str] = None
    nsm_r: Optional[float] = None
    nsm_nu: Optional[float] = None
    delta_t_ns: Optional[float] = None
    num_pairs: Optional[int] = None
    n_jobs: Optional[int] = None
    n_jobs_effective: Optional[int] = None
    batch_size: Optional[int] = None
    # physics expectations (analytic, from the same model the engine samples)
    p_success: Optional[float] = None
    cycle_time_ns: Optional[float] = None
    herald_delay_ns: Optional[float] = None
    detection_probability_per_side: Optional[float] = None
    fidelity_expected: Optional[float] = None
    qber_z_expected: Optional[float] = None
    qber_x_expected: Optional[float] = None
    qber_expected: Optional[float] = None
    # measurements of the OT rounds (their QBER is a simulation diagnostic; qber_upper comes from the calibration)
    n_pairs: Optional[int] = None
    n_attempts: Optional[int] = None
    n_sifted: Optional[int] = None
    n_sifted_z: Optional[int] = None
    n_sifted_x: Optional[int] = None
    n_errors: Optional[int] = None
    qber_z: Optional[float] = None
    qber_x: Optional[float] = None
    qber: Optional[float] = None
    qber_consistent: Optional[bool] = None
    qber_tolerance: Optional[float] = None
    # calibration stage: qber_upper is the p_err of the security chain
    calibration_n_sifted: Optional[int] = None
    calibration_n_errors: Optional[int] = None
    calibration_qber: Optional[float] = None
    qber_upper: Optional[float] = None
    # the OT after the wait: partition, one-way reconciliation (ec_model ldpc | table | assumed), amplification
    choice_bit: Optional[int] = None
    half_bits: Optional[int] = None
    ec_model: Optional[str] = None
    ec_frame_length_bits: Optional[int] = None
    ec_code_length_bits: Optional[int] = None
    ec_frames: Optional[int] = None
    ec_frame_errors: Optional[int] = None
    ec_frame_error_rate: Optional[float] = None
    ec_efficiency: Optional[float] = None
    ec_mbit_per_s: Optional[float] = None
    ot_correct: Optional[bool] = None
    bob_error_rate_other_half: Optional[float] = None
    # security: individual_asymptotic = Schaffner et al. 2009 (individual-storage attacks, large n);
    # general_asymptotic = König et al. 2012; general_finite_size = the Erven et al. 2014 chain
    n_rounds: Optional[float] = None
    loss_test_passed: Optional[bool] = None
    q_storage: Optional[float] = None
    secure_individual_asymptotic: Optional[bool] = None
    individual_asymptotic_qber_below_11pct: Optional[bool] = None
    individual_asymptotic_qber_below_storage_noise: Optional[bool] = None
    storage_capacity: Optional[float] = None
    capacity_rate: Optional[float] = None
    secure_general_asymptotic: Optional[bool] = None
    m: Optional[float] = None
    m1: Optional[float] = None
    c_bb84: Optional[float] = None
    min_entropy_bits: Optional[float] = None
    storage_qubits: Optional[float] = None
    rate_R: Optional[float] = None
    gamma: Optional[float] = None
    ec_leak_bits: Optional[float] = None
    ot_length_margin_bits: Optional[float] = None
    general_finite_size_single_pair_rounds_ok: Optional[bool] = None
    general_finite_size_storage_bound_ok: Optional[bool] = None
    secure_general_finite_size: Optional[bool] = None
    ot_length_bits: Optional[int] = None
    secure: Optional[bool] = None
    # timing (simulated)
    sim_time_ns: Optional[float] = None
    wait_ns: Optional[float] = None
    timing_compliant: Optional[bool] = None
    # cost
    wall_time_s: Optional[float] = None
    pairs_per_second: Optional[float] = None
    # swept configuration values, flattened as <group>_<key>
    parameters: dict[str, Any] = field(default_factory=dict)

    def to_flat_dict(self) -> dict[str, Any]:
        """The row as one flat mapping: the fixed columns followed by the configuration columns."""
        flat = asdict(self)
        parameters = flat.pop("parameters")
        for key, value in parameters.items():
            column = _flat_config_column(key)
            if flat.get(column) is None:
                flat[column] = value
        return flat


def declared_column_types() -> dict[str, type]:
    """Python type of each fixed column (``int``, ``float``, ``bool`` or ``str``), from :class:`ResultRow`."""
    hints = typing.get_type_hints(ResultRow)
    types = {}
    for name in column_names():
        arguments = [a for a in typing.get_args(hints[name]) if a is not type(None)] or [hints[name]]
        types[name] = arguments[0] if arguments[0] in _COLUMN_TYPES else str
    return types


def column_names() -> list[str]:
    """The fixed columns, in table order (configuration columns follow them)."""
    return [name for name in ResultRow.__dataclass_fields__ if name != "parameters"]


#: Python types a fixed column may declare (any other type is shown as ``str``).
_COLUMN_TYPES = (bool, int, float)


#: Configuration keys that a fixed column records, and that column. ``engine.name`` is ``engine``, which says
#: ``analytic`` when nothing was sampled (kind=ot_pdc); ``engine.sampling`` is ``sampling``, empty in that case.
CONFIG_KEYS_IN_FIXED_COLUMNS = {
    "engine.name": "engine",
    "engine.sampling": "sampling",
    "source.kind": "source",
    "workers.n_jobs": "n_jobs",
    "workers.batch_size": "batch_size",
    "nsm.delta_t_ns": "delta_t_ns",
    "eta.semantics": "eta_semantics",
    "reconciliation.frame_length": "ec_frame_length_bits",
}
#: Units of configuration keys whose names do not carry them: the column is ``<group>_<key>_<unit>``.
CONFIG_KEY_UNITS = {
    "link.t_cycle": "ns",
    "link.state_delay": "ns",
    "link.length": "km",
    "link.speed_of_light": "km_per_s",
    "link.p_loss_length": "dB_per_km",
    "device.T1": "ns",
    "device.T2": "ns",
}


def config_column(key: str) -> str:
    """The table column of a configuration key: ``"link.length"`` -> ``"link_length_km"``, ``"seed"`` -> ``"seed"``.

    Group choices (``link``, ``source``) and top-level keys (``seed``, ``num_pairs``) are their own columns.
    """
    if key in CONFIG_KEYS_IN_FIXED_COLUMNS:
        return CONFIG_KEYS_IN_FIXED_COLUMNS[key]
    unit = CONFIG_KEY_UNITS.get(key)
    column = key.replace(".", "_")
    return f"{column}_{unit}" if unit else column


def _flat_config_column(flat_key: str) -> str:
    """:func:`config_column` of a key already flattened as ``<group>_<key>`` (group names hold no underscore)."""
    group, _, key = flat_key.partition("_")
    return config_column(f"{group}.{key}") if key else flat_key
