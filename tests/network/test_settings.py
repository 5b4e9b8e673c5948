"""AcpSettings: Table I defaults, the conf group, one-line errors naming key, range and value."""

from __future__ import annotations

from pathlib import Path

import pytest
from omegaconf import OmegaConf

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.network.settings import AcpSettings

# The acp group and its presets wait in conf/_drafts until the app hosts experiment kinds; then they move to conf/.
_ROOT = Path(__file__).resolve().parents[2] / "conf"
CONF = _ROOT if (_ROOT / "acp").is_dir() else _ROOT / "_drafts"


def test_defaults_are_table_one():
    s = AcpSettings()
    table_one = dict(
        end_process_delay_us=100.0, forward_delay_us=20.0, memories_per_node=10, attenuation_db_per_km=0.2,
        max_memory_acp=5, link_length_km=10.0, memory_efficiency=0.6, light_speed_m_per_s=2e8,
        detector_efficiency=0.95, coherence_time_s=2.0, initial_fidelity=0.95, swap_success_prob=1.0,
        gate_fidelity=0.99, bsm_success_prob=0.5, measure_fidelity=0.99, request_rate_hz=10.0, adaptive_delta=0.05,
    )
    assert {key: getattr(s, key) for key in table_one} == table_one
    assert s.pauli_errors == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_conf_group_matches_the_dataclass():
    values = OmegaConf.to_container(OmegaConf.load(CONF / "acp" / "default.yaml"))
    assert values.pop("seeds") == 1  # the run's key (seeds per run), not the network's
    assert AcpSettings.from_mapping(values) == AcpSettings()
    for preset in ("acp_two_node", "acp_bottleneck", "acp_as"):
        overrides = OmegaConf.to_container(OmegaConf.load(CONF / "experiment" / f"{preset}.yaml"))["acp"]
        AcpSettings.from_mapping({**values, **overrides})


@pytest.mark.parametrize(
    "overrides, key",
    [
        (dict(max_memory_acp=10), "acp.max_memory_acp"),
        (dict(strategy="greedy"), "acp.strategy"),
        (dict(engine="netsquid"), "acp.engine"),
        (dict(strategy="odo", purification=True), "acp.purification"),
        (dict(strategy="odo", purification=False, pair_selection="random"), "acp.pair_selection"),
        (dict(initial_fidelity=0.4), "acp.initial_fidelity"),
        (dict(pauli_errors=(0.5, 0.5, 0.5)), "acp.pauli_errors"),
        (dict(pauli_errors=("a", 0.5, 0.5)), "acp.pauli_errors"),
        (dict(request_window_s=0.2), "acp.request_window_s"),
        (dict(topology="random"), "acp.random_num_nodes"),
        (dict(random_num_nodes=30), "acp.random_num_nodes"),
        (dict(traffic_change_s=1.0), "acp.traffic_change_s"),
        (dict(topology="bottleneck", traffic_change_s=20.0, duration_s=10.0), "acp.traffic_change_s"),
        (dict(gate_fidelity=1.5), "acp.gate_fidelity"),
        (dict(duration_s=0), "acp.duration_s"),
    ],
)
def test_bad_values_fail_with_one_line_naming_the_key(overrides, key):
    with pytest.raises(ConfigValueError) as error:
        AcpSettings(**overrides)
    message = str(error.value)
    assert message.startswith(f"{key} must be ") and "\n" not in message


def test_unknown_key_is_refused():
    with pytest.raises(ConfigValueError, match="acp.coherence_time_ms"):
        AcpSettings.from_mapping({"coherence_time_ms": 2000})


def test_engine_sequence_is_refused_in_one_line_where_sequence_is_too_old(monkeypatch):
    from caligo_sweep.network import engines

    monkeypatch.setattr(engines, "sequence_version", lambda: (0, 8))
    with pytest.raises(ConfigValueError) as error:
        engines.check_engine_available(AcpSettings())
    message = str(error.value)
    assert message.startswith("acp.engine must be 'model' here (SeQUeNCe 0.8 on Python ") and "\n" not in message
    assert "python3.12 -m venv" in message and 'pip install -e ".[network]"' in message
    engines.check_engine_available(AcpSettings(engine="model"))  # the fast model runs on 0.8


def test_engine_sequence_refuses_what_sequences_protocols_do_not_have():
    with pytest.raises(ConfigValueError, match="^acp.purification_twirl must be true for engine sequence"):
        AcpSettings(purification_twirl=False)
    assert not AcpSettings(engine="model", purification_twirl=False).purification_twirl
