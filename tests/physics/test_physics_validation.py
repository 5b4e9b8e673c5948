"""Every out-of-range physics input fails with a ConfigValueError naming the config key, the range and the value."""

from __future__ import annotations

import re

import pytest

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.device import DeviceNoise, gate_depolar_prob_from_detector_error
from caligo_sweep.physics.eta import apply_eta, select_link_model
from caligo_sweep.physics.heralded import HeraldedDoubleClickLink
from caligo_sweep.physics.links import DepolariseLink, PerfectLink

TEN_KM_FIBRE = HeraldedDoubleClickLink(length_km=10.0, p_loss_length_db_per_km=0.2)
TEN_KM_TRANSMISSION = 10 ** (-0.2 * 5.0 / 10)  # 0.794328...

CASES = [
    (lambda: DepolariseLink(0.2, 1.0, 10.0), "link.fidelity", "(0.5, 1]", "0.2"),
    (lambda: DepolariseLink(0.5, 1.0, 10.0), "link.fidelity", "(0.5, 1]", "0.5"),
    (lambda: DepolariseLink(1.01, 1.0, 10.0), "link.fidelity", "(0.5, 1]", "1.01"),
    (lambda: DepolariseLink(0.9, 0.0, 10.0), "link.prob_success", "(0, 1]", "0.0"),
    (lambda: DepolariseLink(0.9, 1.0, -1.0), "link.t_cycle", "> 0", "-1.0"),
    (lambda: DepolariseLink(0.9, 1.0, 0.0), "link.t_cycle", "> 0", "0.0"),
    (lambda: DepolariseLink.from_length(0.9, 1.0, -3.0), "link.length", "> 0", "-3.0"),
    (lambda: DepolariseLink.from_length(0.9, 1.0, 0.0), "link.length", "> 0", "0.0"),
    (lambda: DepolariseLink.from_length(0.9, 1.0, 3.0, 0.0), "link.speed_of_light", "> 0", "0.0"),
    (lambda: PerfectLink(-5.0), "link.state_delay", "> 0", "-5.0"),
    (lambda: PerfectLink(0.0), "link.state_delay", "> 0", "0.0"),
    (lambda: PerfectLink.from_length(0.0), "link.length", "> 0", "0.0"),
    (lambda: HeraldedDoubleClickLink(visibility=1.2), "link.visibility", "[0, 1]", "1.2"),
    (lambda: HeraldedDoubleClickLink(length_km=-1.0), "link.length", ">= 0", "-1.0"),
    (lambda: HeraldedDoubleClickLink(dark_count_probability=-0.1), "link.dark_count_probability", "[0, 1]", "-0.1"),
    (lambda: HeraldedDoubleClickLink(dark_count_probability=1.5), "link.dark_count_probability", "[0, 1]", "1.5"),
    (lambda: HeraldedDoubleClickLink(p_loss_init=1.1), "link.p_loss_init", "[0, 1]", "1.1"),
    (lambda: HeraldedDoubleClickLink(p_loss_length_db_per_km=-0.2), "link.p_loss_length", ">= 0", "-0.2"),
    (lambda: HeraldedDoubleClickLink(speed_of_light_km_s=0.0), "link.speed_of_light", "> 0", "0.0"),
    (lambda: HeraldedDoubleClickLink(detector_efficiency=2.0), "link.detector_efficiency", "[0, 1]", "2.0"),
    (lambda: HeraldedDoubleClickLink(emission_fidelity=0.2), "link.emission_fidelity", "[0.25, 1]", "0.2"),
    (lambda: HeraldedDoubleClickLink(collection_efficiency=-1.0), "link.collection_efficiency", "[0, 1]", "-1.0"),
    (lambda: HeraldedDoubleClickLink(num_multiplexing_modes=0), "link.num_multiplexing_modes", ">= 1", "0"),
    (lambda: HeraldedDoubleClickLink(num_multiplexing_modes=1.5), "link.num_multiplexing_modes", ">= 1", "1.5"),
    (lambda: HeraldedDoubleClickLink(num_resolving="yes"), "link.num_resolving", "true or false", "'yes'"),
    (lambda: HeraldedDoubleClickLink(visibility=float("nan")), "link.visibility", "[0, 1]", "nan"),
    (lambda: HeraldedDoubleClickLink(visibility="high"), "link.visibility", "[0, 1]", "'high'"),
    (lambda: HeraldedDoubleClickLink(detector_efficiency=0.0), "link", "can succeed", "0.0"),
    (lambda: HeraldedDoubleClickLink(dark_count_probability=1.0), "link", "can succeed", "1.0"),
    (lambda: DeviceNoise(T1_ns=1e3, T2_ns=2e3), "device.T2", "[0, device.T1 = 1000]", "2000"),
    (lambda: DeviceNoise(T1_ns=-1.0), "device.T1", ">= 0", "-1.0"),
    (lambda: DeviceNoise(T2_ns=-1.0), "device.T2", ">= 0", "-1.0"),
    (
        lambda: DeviceNoise(single_qubit_gate_depolar_prob=1.5),
        "device.single_qubit_gate_depolar_prob",
        "[0, 1]",
        "1.5",
    ),
    (lambda: gate_depolar_prob_from_detector_error(0.6), "device.detector_error", "[0, 0.5]", "0.6"),
    (lambda: apply_eta(TEN_KM_FIBRE, 0.0, "detector_only"), "link.eta", "(0, 1]", "0.0"),
    (lambda: apply_eta(TEN_KM_FIBRE, 0.0, "end_to_end"), "link.eta", "(0, 1]", "0.0"),
    (lambda: apply_eta(TEN_KM_FIBRE, 1.2, "detector_only"), "link.eta", "(0, 1]", "1.2"),
    (lambda: apply_eta(TEN_KM_FIBRE, 0.9, "end_to_end"), "link.eta", "(0, 0.794328]", "0.9"),
    (lambda: apply_eta(TEN_KM_FIBRE, 0.5, "both"), "eta.semantics", "detector_only, end_to_end", "'both'"),
    (lambda: select_link_model(eta=0.0), "link.eta", "(0, 1]", "0.0"),
    (lambda: select_link_model(fidelity=0.4), "link.fidelity", "(0.5, 1]", "0.4"),
    (lambda: select_link_model(length_km=-2.0), "link.length", ">= 0", "-2.0"),
]


@pytest.mark.parametrize(("make", "key", "allowed", "value"), CASES, ids=[f"{c[1]}={c[3]}" for c in CASES])
def test_out_of_range_input_names_key_range_and_value(make, key, allowed, value):
    with pytest.raises(ConfigValueError) as caught:
        make()
    message = str(caught.value)
    assert caught.value.key == key
    assert message.startswith(f"{key} must be ")
    assert allowed in message
    assert re.search(rf"got .*{re.escape(value)}", message), message


def test_eta_equal_to_fibre_transmission_is_allowed():
    link = apply_eta(TEN_KM_FIBRE, TEN_KM_TRANSMISSION, "end_to_end")
    assert link.p_loss_init == pytest.approx(0.0, abs=1e-15)


def test_t2_may_exceed_t1_only_when_one_of_them_is_off():
    assert DeviceNoise(T1_ns=0.0, T2_ns=5.0).T2_ns == 5.0
    assert DeviceNoise(T1_ns=5.0, T2_ns=5.0).T2_ns == 5.0
