"""The result row: one flat, typed record per run, declared once.

Column names carry their units (``_ns``, ``_s``, ``_bits``). Configuration values that a sweep may vary are added
as extra columns named ``<group>_<key>`` (``link_fidelity``, ``device_T1``, ...), so every swept value is a column
of the sweep table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Optional

#: Run outcome: ``ok`` secure and finished; ``insecure`` finished, point not secure; ``aborted`` insecure with
#: ``protocol.strict``; ``failed`` an error stopped the run; ``interrupted`` the sweep was stopped (SIGINT, SIGTERM)
#: while the run was going; ``not_run`` the sweep was stopped before the run started.
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
    # measurements
    n_pairs: Optional[int] = None
    n_attempts: Optional[int] = None
    n_sifted: Optional[int] = None
    n_sifted_z: Optional[int] = None
    n_sifted_x: Optional[int] = None
    n_errors: Optional[int] = None
    qber_z: Optional[float] = None
    qber_x: Optional[float] = None
    qber: Optional[float] = None
    qber_upper: Optional[float] = None
    qber_consistent: Optional[bool] = None
    qber_tolerance: Optional[float] = None
    # security
    q_storage: Optional[float] = None
    secure_strict: Optional[bool] = None
    storage_capacity: Optional[float] = None
    capacity_rate: Optional[float] = None
    secure_capacity: Optional[bool] = None
    schaffner_qber_below_11pct: Optional[bool] = None
    schaffner_strictly_below_storage: Optional[bool] = None
    m: Optional[float] = None
    m1: Optional[float] = None
    c_bb84: Optional[float] = None
    min_entropy_bits: Optional[float] = None
    storage_qubits: Optional[float] = None
    rate_R: Optional[float] = None
    gamma: Optional[float] = None
    ec_leak_bits: Optional[float] = None
    ot_length_margin_bits: Optional[float] = None
    secure_single_pair_rounds: Optional[bool] = None
    secure_storage_bound: Optional[bool] = None
    secure_finite_size: Optional[bool] = None
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
            if flat.get(key) is None:
                flat[key] = value
        return flat


def column_names() -> list[str]:
    """The fixed columns, in table order (configuration columns follow them)."""
    return [name for name in ResultRow.__dataclass_fields__ if name != "parameters"]
