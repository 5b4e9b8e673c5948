"""Settings of one ACP network run; defaults are Table I of Zhan et al. (2025), checked before any work starts.

Keys not in Table I (the paper does not state them) are marked "not in the paper" with the reason for the default.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass, field
from typing import Any

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import (
    require_bool,
    require_in_interval,
    require_integer,
    require_positive,
    require_probability,
)

ENGINES = ("sequence", "model")
STRATEGIES = ("odo", "ucp", "acp")
PAIR_SELECTIONS = ("freshest", "random")
TOPOLOGIES = ("two_node", "bottleneck", "autonomous_system", "random")


@dataclass(frozen=True)
class AcpSettings:
    """One ACP simulation (config group ``acp``).

    Attributes
    ----------
    engine : str
        ``"sequence"``: ACP as protocols on SeQUeNCe's router stack (``caligo_sweep.network.stack``, SeQUeNCe >= 1.3);
        ``"model"``: the fast model on SeQUeNCe's timeline and Bell-diagonal states (``caligo_sweep.network``).
    strategy : str
        ``"odo"`` (on demand only), ``"ucp"`` (uniform continuous) or ``"acp"`` (adaptive continuous).
    purification : bool
        BBPSSW pumping of pre-generated pairs as soon as possible (``ucp``/``acp`` only; ODO has none).
    purification_twirl : bool
        Twirl BBPSSW inputs and output to Werner form (Bennett et al.; SeQUeNCe's BBPSSW_BDS default). Without it,
        repeated pumping accumulates phase errors that this protocol cannot detect.
    pair_selection : str
        Which pre-generated pair of a link serves a request: ``"freshest"`` or ``"random"`` (``ucp``/``acp`` only).
    topology : str
        ``"two_node"``, ``"bottleneck"`` (20 nodes), ``"autonomous_system"`` (200 nodes, drawn per seed) or
        ``"random"`` (see ``topology.py``).
    random_num_nodes : int or None
        Node count of the random topology (required for it, refused for the others).
    duration_s : float
        Simulated seconds.
    traffic_change_s : float or None
        Time of the switch to the second traffic matrix (bottleneck and random topologies), or None for no switch.
    request_rate_hz, request_window_s, request_fidelity_min : float
        Requests arrive every ``1 / rate`` s; each asks for one pair above ``request_fidelity_min`` within
        ``request_window_s`` of its start (Sec. V-A2: "slightly < 0.1 s").
    memories_per_node, max_memory_acp : int
        Quantum memories per node and the most of them ACP may hold (MAX_MEMORY_ACP, must be smaller).
    acp_sleep_max_s : float
        ACP's sleep period tau is uniform in [0, acp_sleep_max_s] (not in the paper: "a small random period").
    acp_reservation_s : float
        Lifetime of an ACP reservation rule; an unused pre-generated pair is discarded when it expires (not in the
        paper; 20 ms keeps the no-purification variants' pairs as young as Fig. 8b's fidelities imply, see
        ``caligo_sweep/network/README.md``).
    adaptive_delta : float
        Reward delta of Algorithm 1.
    """

    engine: str = "sequence"
    strategy: str = "acp"
    purification: bool = True
    purification_twirl: bool = True
    pair_selection: str = "freshest"
    topology: str = "two_node"
    random_num_nodes: int | None = None
    duration_s: float = 10.0
    traffic_change_s: float | None = None
    request_rate_hz: float = 10.0
    request_window_s: float = 0.099
    request_fidelity_min: float = 0.5
    memories_per_node: int = 10
    max_memory_acp: int = 5
    memory_efficiency: float = 0.6
    detector_efficiency: float = 0.95
    initial_fidelity: float = 0.95
    bsm_success_prob: float = 0.5
    swap_success_prob: float = 1.0
    gate_fidelity: float = 0.99
    measure_fidelity: float = 0.99
    end_process_delay_us: float = 100.0
    forward_delay_us: float = 20.0
    attenuation_db_per_km: float = 0.2
    link_length_km: float = 10.0
    light_speed_m_per_s: float = 2e8
    coherence_time_s: float = 2.0
    pauli_errors: tuple[float, float, float] = field(default=(1 / 3, 1 / 3, 1 / 3))
    adaptive_delta: float = 0.05
    acp_sleep_max_s: float = 0.001
    acp_reservation_s: float = 0.02

    def __post_init__(self) -> None:
        object.__setattr__(self, "pauli_errors", tuple(self.pauli_errors))
        check_acp_settings(self)

    @classmethod
    def from_mapping(cls, values: dict[str, Any], prefix: str = "acp") -> AcpSettings:
        """Build from a config mapping, refusing unknown keys with the dotted key in the error."""
        known = set(cls.__dataclass_fields__)
        for key in values:
            if key not in known:
                raise ConfigValueError(f"{prefix}.{key}", f"one of {sorted(known)}", key)
        return cls(**dict(values))

    def as_dict(self) -> dict[str, Any]:
        """Plain dict of every field (tuples as lists), for rows and YAML."""
        values = asdict(self)
        values["pauli_errors"] = list(self.pauli_errors)
        return values


def _require_choice(key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ConfigValueError(key, f"one of {list(choices)}", value)
    return value


def check_acp_settings(settings: AcpSettings) -> None:
    """Raise a one-line ``ConfigValueError`` for the first out-of-range field of ``settings``."""
    _require_choice("acp.engine", settings.engine, ENGINES)
    _require_choice("acp.strategy", settings.strategy, STRATEGIES)
    require_bool("acp.purification", settings.purification)
    require_bool("acp.purification_twirl", settings.purification_twirl)
    _require_choice("acp.pair_selection", settings.pair_selection, PAIR_SELECTIONS)
    if settings.strategy == "odo" and settings.purification:
        raise ConfigValueError("acp.purification", "false for strategy odo (no pre-generated pairs)", True)
    if settings.strategy == "odo" and settings.pair_selection != "freshest":
        raise ConfigValueError(
            "acp.pair_selection", "'freshest' for strategy odo (no pre-generated pairs)", settings.pair_selection
        )
    _require_choice("acp.topology", settings.topology, TOPOLOGIES)
    if settings.topology == "random":
        require_integer("acp.random_num_nodes", settings.random_num_nodes, 8)
    elif settings.random_num_nodes is not None:
        raise ConfigValueError("acp.random_num_nodes", "null unless topology is random", settings.random_num_nodes)
    duration = require_positive("acp.duration_s", settings.duration_s)
    if settings.traffic_change_s is not None:
        if settings.topology == "two_node":
            raise ConfigValueError("acp.traffic_change_s", "null for the two-node topology", settings.traffic_change_s)
        require_in_interval("acp.traffic_change_s", settings.traffic_change_s, 0.0, duration, low_open=True)
    rate = require_positive("acp.request_rate_hz", settings.request_rate_hz)
    require_in_interval("acp.request_window_s", settings.request_window_s, 0.0, 1.0 / rate, low_open=True)
    require_in_interval("acp.request_fidelity_min", settings.request_fidelity_min, 0.25, 1.0, high_open=True)
    memories = require_integer("acp.memories_per_node", settings.memories_per_node, 2)
    require_in_interval(
        "acp.max_memory_acp", require_integer("acp.max_memory_acp", settings.max_memory_acp, 1), 1, memories - 1,
        reason="smaller than memories_per_node",
    )
    for key in ("memory_efficiency", "detector_efficiency", "bsm_success_prob", "swap_success_prob"):
        require_in_interval(f"acp.{key}", getattr(settings, key), 0.0, 1.0, low_open=True)
    require_in_interval("acp.initial_fidelity", settings.initial_fidelity, 0.5, 1.0, low_open=True)
    require_probability("acp.gate_fidelity", settings.gate_fidelity)
    require_probability("acp.measure_fidelity", settings.measure_fidelity)
    for key in ("end_process_delay_us", "forward_delay_us", "attenuation_db_per_km"):
        require_in_interval(f"acp.{key}", getattr(settings, key), 0.0, math.inf, high_open=True)
    for key in ("link_length_km", "light_speed_m_per_s", "coherence_time_s", "acp_sleep_max_s", "acp_reservation_s"):
        require_positive(f"acp.{key}", getattr(settings, key))
    errors = settings.pauli_errors
    numeric = all(isinstance(p, numbers.Real) and not isinstance(p, bool) for p in errors)
    if len(errors) != 3 or not numeric or any(not 0.0 <= p <= 1.0 for p in errors) or abs(sum(errors) - 1.0) > 1e-9:
        raise ConfigValueError("acp.pauli_errors", "three probabilities [p_X, p_Y, p_Z] summing to 1", list(errors))
    require_in_interval("acp.adaptive_delta", settings.adaptive_delta, 0.0, 1.0, low_open=True)
    if settings.engine == "sequence":
        _check_stack_settings(settings)


def _check_stack_settings(settings: AcpSettings) -> None:
    """What the SeQUeNCe-stack engine cannot simulate is refused rather than ignored."""
    if not settings.purification_twirl:
        raise ConfigValueError(
            "acp.purification_twirl", "true for engine sequence (SeQUeNCe's BBPSSW_BDS twirls; engine model has both)",
            False,
        )
