"""Inputs of the security chain in a whole run: rounds, calibration, memory time, and keys that act or are refused."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hydra.errors import ConfigCompositionException

from caligo_sweep.app.ot import run_ot_link
from caligo_sweep.config.build import prepare_ot_link
from caligo_sweep.engine import sample_counts
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.protocol.calibration import calibrate_link
from caligo_sweep.protocol.estimation import qber_upper_bound
from caligo_sweep.protocol.security import binary_entropy
from caligo_sweep.protocol.sifting import sift_counts

SMALL = ("num_pairs=20000", "workers.batch_size=5000", "protocol.calibration_pairs=50000",
         "engine.sampling=counts", "reconciliation=assumed")  # the chain's inputs, with the leak f h(p) half_bits


@pytest.fixture
def run(composer):
    """``run(*overrides)`` composes, validates and runs one experiment in-process; returns its flat row."""

    def _run(*overrides: str) -> dict:
        spec = prepare_ot_link(composer(*SMALL, *overrides))
        return run_ot_link(spec, run_id="test", progress=False).to_flat_dict()

    return _run


def test_lossy_link_counts_every_attempt_as_a_round(run):
    row = run("link.prob_success=0.25", "nsm.nu=0.001")
    assert row["n_rounds"] == row["n_attempts"] > row["num_pairs"] == 20000
    assert row["storage_qubits"] == pytest.approx(0.001 * row["n_rounds"], rel=1e-15)
    assert row["m"] == pytest.approx(0.25 * row["n_rounds"], rel=1e-15)
    assert row["loss_test_passed"] is True


def test_lossless_link_has_as_many_rounds_as_pairs(run):
    row = run()
    assert row["n_rounds"] == row["m"] == row["num_pairs"] and row["storage_qubits"] == 0.002 * 20000


def test_chain_uses_the_calibration_bound_not_the_ot_rounds(run):
    row = run("link.fidelity=0.97")
    assert row["qber_upper"] == qber_upper_bound(row["calibration_n_errors"], row["calibration_n_sifted"], 1e-6)
    assert row["calibration_n_sifted"] != row["n_sifted"]
    leak = 1.2 * float(binary_entropy(row["qber_upper"])) * row["half_bits"]
    assert row["ec_leak_bits"] == pytest.approx(leak, rel=1e-12)


def test_calibration_stream_is_independent_of_the_ot_rounds(run, composer):
    small, large = run("seed=11"), run("seed=11", "num_pairs=30000", "workers.batch_size=7000")
    calibration = ("calibration_n_sifted", "calibration_n_errors", "qber_upper")
    assert [small[k] for k in calibration] == [large[k] for k in calibration]
    assert small["n_errors"] != large["n_errors"]
    model = prepare_ot_link(composer("link.fidelity=0.97")).model
    calibrated = calibrate_link(model, 50_000, 11, 1e-6)
    batch_zero = sift_counts(sample_counts(model, 50_000, np.random.default_rng(
        np.random.SeedSequence(11, spawn_key=(0,)))).outcome_counts)
    assert (calibrated.n_sifted, calibrated.n_errors) != (batch_zero.n_sifted, batch_zero.n_errors)


def test_model_calibration_uses_the_exact_rate(run):
    row = run("protocol.calibration=model", "protocol.calibration_pairs=null")
    assert row["qber_upper"] == row["qber_expected"] and row["calibration_n_sifted"] is None


def test_memory_time_ties_retention_to_the_wait(run):
    memory_time = 1e9 / math.log(4.0 / 3.0)
    row = run("nsm.r=null", f"nsm.memory_time_ns={memory_time}")
    assert row["nsm_r"] == pytest.approx(0.75, rel=1e-14) and row["secure"] is True
    no_wait = run("nsm.r=null", f"nsm.memory_time_ns={memory_time}", "nsm.delta_t_ns=0")
    assert no_wait["nsm_r"] == 1.0 and no_wait["secure"] is False and no_wait["ot_length_bits"] == 0
    assert not no_wait["individual_asymptotic_qber_below_storage_noise"]


def test_eleven_percent_condition_decides_a_run(run):
    # Werner pairs with QBER 2(1-F)/3 = 0.15; r = 0.5 gives (1-r)/2 = 0.25 > 0.11.
    row = run("link.fidelity=0.775", "nsm.r=0.5")
    assert row["individual_asymptotic_qber_below_storage_noise"] is True
    assert row["individual_asymptotic_qber_below_11pct"] is False
    assert row["secure_individual_asymptotic"] is False and row["secure"] is False
    assert "11 %" in row["reason"]


def test_c_bb84_term_changes_the_length(run):
    erven, ng = run(), run("nsm.c_bb84_term=ng2012")
    assert ng["c_bb84"] < erven["c_bb84"] and ng["ot_length_bits"] < erven["ot_length_bits"]


def test_absolute_storage_changes_the_length(run):
    rate, absolute = run(), run("nsm.nu=null", "nsm.storage_qubits=400")
    assert absolute["storage_qubits"] == 400 and absolute["ot_length_bits"] != rate["ot_length_bits"]


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (("nsm.storage_qubits=400",), "nsm.storage_qubits"),
        (("nsm.memory_time_ns=1e9",), "nsm.memory_time_ns"),
        (("nsm.r=null",), "nsm.r"),
        (("nsm.c_bb84_term=ng",), "nsm.c_bb84_term"),
        (("engine.name=foo",), "engine.name"),
        (("protocol.calibration=measured",), "protocol.calibration"),
        (("protocol.calibration=model",), "protocol.calibration_pairs"),
        (("protocol.calibration_pairs=0",), "protocol.calibration_pairs"),
        (("protocol.calibration_pairs=null",), "protocol.calibration_pairs"),
    ],
)
def test_inconsistent_security_keys_are_refused(composer, overrides, key):
    with pytest.raises(ConfigValueError, match=key):
        prepare_ot_link(composer(*overrides))


@pytest.mark.parametrize(
    "override",
    [
        "protocol.strict_timing=false",
        "device.init_time=1",
        "device.single_qubit_gate_time=1",
        "device.two_qubit_gate_time=1",
        "device.measure_time=1",
        "device.two_qubit_gate_depolar_prob=0.1",
    ],
)
def test_removed_keys_are_refused(composer, override):
    with pytest.raises(ConfigCompositionException, match=override.split("=")[0].split(".")[1]):
        composer("device=generic", override)
