"""Short ACP/ODO runs on SeQUeNCe's kernel: determinism, the ODO closed form, ACP beating ODO, the figure."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("sequence")

from caligo_sweep.errors import ConfigValueError  # noqa: E402
from caligo_sweep.network.bds import werner  # noqa: E402
from caligo_sweep.network.figures import draw_tts_fidelity, save_figure  # noqa: E402
from caligo_sweep.network.link_timing import heralded_attempt  # noqa: E402
from caligo_sweep.network.settings import AcpSettings  # noqa: E402
from caligo_sweep.network.simulation import run_acp  # noqa: E402

ODO = AcpSettings(engine="model", strategy="odo", purification=False, duration_s=100.0)


@pytest.fixture(scope="module")
def two_node_runs():
    acp = run_acp(AcpSettings(engine="model", duration_s=3.0), seed=5)
    odo = run_acp(AcpSettings(engine="model", strategy="odo", purification=False, duration_s=3.0), seed=5)
    return acp, odo


def test_same_seed_same_run_other_seed_other_run(two_node_runs):
    acp, _ = two_node_runs
    again = run_acp(AcpSettings(engine="model", duration_s=3.0), seed=5)
    assert again.requests_frame().equals(acp.requests_frame())
    assert again.summary == acp.summary
    other = run_acp(AcpSettings(engine="model", duration_s=3.0), seed=6)
    assert not other.requests_frame()["fidelity"].equals(acp.requests_frame()["fidelity"])


def test_acp_serves_faster_than_odo(two_node_runs):
    acp, odo = two_node_runs
    assert acp.summary["n_requests"] == odo.summary["n_requests"] == 30
    assert acp.summary["tts_mean_ms"] < odo.summary["tts_mean_ms"]
    # with pre-generated pairs the TTS is the 0.3 ms reservation round trip (Eq. 2)
    assert acp.summary["tts_median_ms"] == pytest.approx(0.3)
    assert acp.summary["fidelity_mean"] > 0.9


def test_odo_time_to_serve_matches_the_geometric_closed_form():
    result = run_acp(ODO, seed=1)
    attempt = heralded_attempt(10e3, 0.2, 0.6, 0.95, 0.5, 2e8, 20e-6, 100e-6)
    p, cycle_ms = attempt.success_probability, attempt.duration_s * 1e3
    expected = 0.3 + cycle_ms / p  # reservation round trip + geometric number of attempts
    sigma = cycle_ms * math.sqrt(1 - p) / p / math.sqrt(result.summary["n_requests_served"])
    assert result.summary["n_requests_served"] == 1000
    assert abs(result.summary["tts_mean_ms"] - expected) < 5 * sigma
    # every ODO pair is delivered at its herald, having idled emission-to-herald (150 us) in both memories
    decay = np.exp(-8 * 150e-6 / (3 * 2.0))
    assert result.summary["fidelity_mean"] == pytest.approx(0.25 + (werner(0.95)[0] - 0.25) * decay, rel=1e-9)


def test_bottleneck_paths_have_two_intermediate_nodes():
    settings = AcpSettings(engine="model", topology="bottleneck", duration_s=1.0, traffic_change_s=0.5)
    frame = run_acp(settings, seed=3).requests_frame()
    assert (frame["hops"] == 2).all() and frame["served"].all()
    assert set(frame.loc[frame.start_s < 0.5, "initiator"]) <= {1, 2, 3}
    assert set(frame.loc[frame.start_s >= 0.5, "responder"]) <= {16, 17, 18}


def test_bad_seed_is_refused_before_work():
    with pytest.raises(ConfigValueError, match="^seed must be an integer >= 0"):
        run_acp(AcpSettings(engine="model"), seed=-1)


def test_figure_draws_both_panels(two_node_runs, tmp_path):
    figure = draw_tts_fidelity(list(two_node_runs), bin_s=1.0, title="two nodes")
    tts_axis, fidelity_axis = figure.axes
    assert {line.get_label() for line in tts_axis.lines} == {"ACP", "ODO"}
    assert fidelity_axis.get_ylabel() == "(b) end-to-end fidelity"
    paths = save_figure(figure, tmp_path / "fig8")
    assert [p.suffix for p in paths] == [".png", ".svg"] and all(p.stat().st_size > 0 for p in paths)


def test_row_is_flat_with_settings_and_summary(two_node_runs):
    acp, _ = two_node_runs
    row = acp.row()
    assert row["acp_strategy"] == "acp" and row["seed"] == 5 and row["acp_pauli_error_z"] == pytest.approx(1 / 3)
    assert row["tts_mean_ms"] == acp.summary["tts_mean_ms"]
    assert all(not isinstance(value, (list, tuple, dict)) for value in row.values())
