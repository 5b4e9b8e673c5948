"""ACP on SeQUeNCe's router stack (``acp.engine=sequence``): the network SeQUeNCe builds from our config, the
protocols its rules run, ODO against the closed form of SeQUeNCe's own single-heralded timing, BBPSSW_BDS against
the closed form, determinism, ACP below ODO. Needs SeQUeNCe >= 1.3 (Python >= 3.12)."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from caligo_sweep.network.engines import run_network, stack_available

if not stack_available():
    pytest.skip("the SeQUeNCe stack engine needs SeQUeNCe >= 1.3 (Python >= 3.12)", allow_module_level=True)

from sequence.entanglement_management.purification.bbpssw_bds import BBPSSW_BDS  # noqa: E402
from sequence.resource_management.rule_manager import Rule  # noqa: E402

from caligo_sweep.network.bds import bbpssw, werner  # noqa: E402
from caligo_sweep.network.settings import AcpSettings  # noqa: E402
from caligo_sweep.network.stack.network_config import network_config  # noqa: E402
from caligo_sweep.network.stack.simulation import build_network, run_stack  # noqa: E402
from caligo_sweep.network.topology import Topology, bottleneck, uniform_traffic  # noqa: E402

SECOND_PS = 10**12


def test_config_has_table_one_hardware_and_eq2_delays():
    settings = AcpSettings()
    config = network_config(settings, bottleneck(), seed=0, stop_time_s=1.0)
    delays = {(c["source"], c["destination"]): c["delay"] for c in config["cchannels"]}
    # Eq. 2: d / c + hops * D_forward + D_end; r1 -> r11 routes 1-0-10-11: 30 km, two forwarding nodes
    assert delays[("r1", "r11")] == round((30e3 / 2e8 + 2 * 20e-6 + 100e-6) * SECOND_PS)
    assert delays[("r0", "r10")] == round((10e3 / 2e8 + 100e-6) * SECOND_PS)
    assert delays[("r0", "BSM.r0.r10")] == delays[("BSM.r0.r10", "r10")] == round((5e3 / 2e8 + 100e-6) * SECOND_PS)
    (channel,) = [q for q in config["qchannels"] if q["source"] == "r0" and q["destination"] == "BSM.r0.r10"]
    assert channel["distance"] == 5e3 and channel["attenuation"] == pytest.approx(0.2e-3)  # dB per metre
    routers = [n for n in config["nodes"] if n["type"] == "QuantumRouter"]
    assert len(routers) == 20 and {n["memo_size"] for n in routers} == {10}
    memory = config["templates"]["acp_router"]["MemoryArray"]
    assert memory == {"fidelity": 0.95, "efficiency": 0.6, "coherence_time": 2.0,
                      "decoherence_errors": pytest.approx([1 / 3] * 3)}  # fmt: skip


def test_odo_tts_is_sequences_single_heralded_timing():
    """Closed form of SeQUeNCe's single-heralded round with Table I, derived from its messages:
    the RSVP round trip 2 l, then K attempts of T = 3 l + d/2c + l_BSM + delta each (resource-manager request and
    response, NEGOTIATE, which schedules both emissions one latency later, the photon flight to the BSM and the herald
    back; delta <= one 12.5 ns time bin of the quantum channel's 80 MHz clock plus SeQUeNCe's 10 ps gap before the
    next round), K geometric with p = (eta_memory 10^(-alpha d / 20) eta_detector)^2 p_BSM."""
    settings = AcpSettings(strategy="odo", purification=False, duration_s=100.0)
    frame = run_stack(settings, seed=3).requests_frame()
    neighbour_s = 10e3 / 2e8 + 100e-6
    attempt_ms = (3 * neighbour_s + 5e3 / 2e8 + 5e3 / 2e8 + 100e-6) * 1e3
    p = (0.6 * 10 ** (-0.2 * 5 / 10) * 0.95) ** 2 * 0.5
    assert frame["served"].all() and len(frame) == 1000
    attempts = np.floor((frame["tts_ms"] - 2 * neighbour_s * 1e3) / attempt_ms)
    delta_ms = (frame["tts_ms"] - 2 * neighbour_s * 1e3 - attempts * attempt_ms) / attempts
    assert attempts.min() >= 1 and delta_ms.min() >= 0 and delta_ms.max() <= 12.51e-6
    expected = 2 * neighbour_s * 1e3 + attempt_ms / p
    sigma = attempt_ms * math.sqrt(1 - p) / p / math.sqrt(len(frame))
    assert abs(frame["tts_ms"].mean() - expected) < 5 * sigma
    # a fresh pair decohered over the emission-to-herald time only (Table I: coherence 2 s): F ~ 0.95
    assert frame["fidelity"].mean() == pytest.approx(0.95, abs=1e-3)


def _chain() -> Topology:
    return Topology(3, ((0, 1), (1, 2)), (uniform_traffic([(0, 2)]),))


@pytest.mark.parametrize("strategy", ["odo", "acp"])
def test_rules_run_sequences_generation_purification_and_swapping_on_a_chain(strategy, monkeypatch):
    created = Counter()
    original = Rule.do

    def recording(rule, memories_info):
        original(rule, memories_info)
        created[type(rule.protocols[-1]).__name__] += 1

    monkeypatch.setattr(Rule, "do", recording)
    settings = AcpSettings(strategy=strategy, purification=strategy == "acp", duration_s=1.0)
    result = run_stack(settings, seed=2, topology=_chain())
    frame = result.requests_frame()
    assert frame["served"].all() and (frame["hops"] == 1).all()
    assert created["SingleHeraldedA"] > 0
    assert created["EntanglementSwappingA_BDS"] == len(frame)  # one swap at node 1 per request
    assert created["EntanglementSwappingB_BDS"] >= 2 * len(frame)
    if strategy == "acp":
        assert created["BBPSSW_BDS"] > 0 and result.summary["purifications_attempted"] > 0
        assert result.summary["pregenerated_link_fraction"] > 0  # links adopted pre-generated pairs
        assert frame["tts_ms"].mean() < run_stack(
            AcpSettings(strategy="odo", purification=False, duration_s=1.0), seed=2, topology=_chain()
        ).summary["tts_mean_ms"]


@pytest.mark.parametrize("gate, measure", [(1.0, 1.0), (0.99, 0.99), (0.97, 0.95)])
def test_bbpssw_bds_matches_the_closed_form(gate, measure):
    settings = AcpSettings(gate_fidelity=gate, measure_fidelity=measure)
    network, _ = build_network(settings, seed=0)
    network.timeline.init()
    r0, r1 = network.routers
    manager = network.timeline.quantum_manager
    kept_f, measured_f = 0.95, 0.9
    memories0, memories1 = r0.get_components_by_type("MemoryArray")[0], r1.get_components_by_type("MemoryArray")[0]
    for index, fidelity in ((0, kept_f), (1, measured_f)):
        manager.set([memories0[index].qstate_key, memories1[index].qstate_key], list(werner(fidelity)))
    protocol = BBPSSW_BDS(r0, "EP", memories0[0], memories0[1])
    protocol.remote_node_name = r1.name
    probability, output = protocol.purification_res()
    expected_probability, expected = bbpssw(werner(kept_f), werner(measured_f), gate, measure, twirl=True)
    assert probability == pytest.approx(expected_probability, rel=1e-12)
    assert output == pytest.approx(expected, rel=1e-12)
    if gate == measure == 1.0:  # Bennett et al. 1996 on Werner pairs
        e1, e2 = (1 - kept_f) / 3, (1 - measured_f) / 3
        p = kept_f * measured_f + kept_f * e2 + e1 * measured_f + 5 * e1 * e2
        assert probability == pytest.approx(p) and output[0] == pytest.approx((kept_f * measured_f + e1 * e2) / p)


def test_same_seed_same_run_other_seed_other_run():
    settings = AcpSettings(duration_s=1.0)
    first, again = run_stack(settings, seed=5), run_stack(settings, seed=5)
    assert first.requests_frame().equals(again.requests_frame()) and first.summary == again.summary
    other = run_stack(settings, seed=6).requests_frame()
    assert not other["fidelity"].equals(first.requests_frame()["fidelity"])


def test_acp_serves_from_pregenerated_pairs_far_below_odo():
    acp = run_stack(AcpSettings(duration_s=2.0), seed=1).summary
    odo = run_stack(AcpSettings(strategy="odo", purification=False, duration_s=2.0), seed=1).summary
    assert acp["n_requests_served"] == odo["n_requests_served"] == 20
    assert acp["pregenerated_link_fraction"] > 0.9
    assert acp["tts_median_ms"] == pytest.approx(0.3, abs=1e-3)  # a pooled pair: one neighbour round trip
    assert acp["tts_mean_ms"] < odo["tts_mean_ms"] / 3


def test_engine_settings_are_refused_by_the_other_engine():
    with pytest.raises(ValueError, match="engine 'sequence'"):
        run_stack(AcpSettings(engine="model"), seed=0)


def _mean_and_error(frame, column):
    values = frame.loc[frame["served"], column]
    return values.mean(), values.std(ddof=1) / math.sqrt(len(values))


@pytest.mark.parametrize(
    "shape, strategy, duration_s, systematic",
    [
        # a fresh pair idles 150 us in both: equal fidelities up to float rounding (and no spread to draw on)
        (dict(topology="two_node"), "odo", 30.0, 1e-6),
        (dict(topology="two_node"), "acp", 5.0, 0.0),
        # the model swaps as soon as both links hold pairs; SeQUeNCe first pairs its swapping protocols through the
        # resource managers, so its pairs wait about 1 ms longer and decohere by ~0.004 more
        (dict(topology="bottleneck", traffic_change_s=4.0), "odo", 8.0, 4e-3),
    ],
)
def test_the_fast_model_follows_the_sequence_stack(shape, strategy, duration_s, systematic):
    """TTS within 5 sigma of the two runs' difference (one seed each, all requests); fidelity within 5 sigma plus
    the stated systematic gap."""
    frames = {
        engine: run_network(AcpSettings(engine=engine, strategy=strategy, purification=strategy != "odo",
                                        duration_s=duration_s, **shape), seed=4).requests_frame()
        for engine in ("model", "sequence")
    }  # fmt: skip
    (model_tts, model_error), (stack_tts, stack_error) = (_mean_and_error(frames[e], "tts_ms") for e in frames)
    assert abs(model_tts - stack_tts) < 5 * math.hypot(model_error, stack_error)
    (model_f, model_f_error), (stack_f, stack_f_error) = (_mean_and_error(frames[e], "fidelity") for e in frames)
    assert abs(model_f - stack_f) < systematic + 5 * math.hypot(model_f_error, stack_f_error)


@pytest.mark.parametrize("gate, measure", [(1.0, 1.0), (0.99, 0.99), (0.97, 0.95)])
def test_bds_swapping_matches_the_models_swap(gate, measure):
    from sequence.entanglement_management.swapping.swapping_bds import EntanglementSwappingA_BDS

    from caligo_sweep.network.bds import swap

    settings = AcpSettings(topology="bottleneck", traffic_change_s=0.5, duration_s=1.0, gate_fidelity=gate,
                           measure_fidelity=measure)  # fmt: skip
    network, _ = build_network(settings, seed=0)
    network.timeline.init()
    hub, left, right = network.routers[0], network.routers[1], network.routers[10]
    memories = [router.get_components_by_type("MemoryArray")[0] for router in (hub, left, right)]
    manager = network.timeline.quantum_manager
    manager.set([memories[0][0].qstate_key, memories[1][0].qstate_key], list(werner(0.95)))
    manager.set([memories[0][1].qstate_key, memories[2][0].qstate_key], list(werner(0.9)))
    protocol = EntanglementSwappingA_BDS(hub, "ES", memories[0][0], memories[0][1])
    assert protocol.swapping_res()[0] == pytest.approx(swap(werner(0.95), werner(0.9), gate, measure)[0], rel=1e-12)
