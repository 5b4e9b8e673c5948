"""The whole 1-2 OT end to end: a positive, correct OT at a secure point, the leak that was sent in the length,
S_C = Alice's S_C over seeds, identical strings for any n_jobs, decoding failures aborted, saved strings, the table
model."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.entropy import binary_entropy
from caligo_sweep.app.ot import run_ot_link, run_ot_pdc
from caligo_sweep.app.ot import stages
from caligo_sweep.config.build import prepare_ot_link, prepare_ot_pdc
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.protocol.security.analysis import analyse_nsm_security
from caligo_sweep.protocol.security.parameters import NSMParameters
from caligo_sweep.protocol.security.sources import epr_link_statistics
from caligo_sweep.reconciliation import lookup, select_code

QUIET = ("progress=false",)
SMALL = (*QUIET, "num_pairs=200000", "workers.batch_size=50000", "protocol.calibration_pairs=200000",
         "reconciliation.frame_length=16384", "nsm.nu=0.0005")


@pytest.fixture
def run(composer, tmp_path):
    """``run(*overrides)`` composes, validates and runs one link experiment in-process; returns its row."""

    def _run(*overrides: str, run_dir=tmp_path) -> dict:
        spec = prepare_ot_link(composer(*overrides))
        return run_ot_link(spec, run_id="test", progress=False, run_dir=run_dir).to_flat_dict()

    return _run


def test_a_secure_point_gives_a_positive_correct_ot_whose_length_uses_the_leak_sent(run):
    row = run(*QUIET, "link.fidelity=0.98")
    assert row["status"] == "ok" and row["secure"] is True and row["ec_model"] == "ldpc"
    assert row["ot_length_bits"] > 10_000 and row["ot_correct"] is True
    assert row["half_bits"] == min(row["n_sifted"], row["n_pairs"] - row["n_sifted"])
    assert row["ec_frame_errors"] == 0
    # the leak is every syndrome and tag bit of the half: frames x (checks + 32) of the code the calibration selects
    choice = select_code(row["qber_upper"], 262144, row["half_bits"], 32)  # the default longest frame
    assert row["ec_frame_length_bits"] == 262144 and row["ec_code_length_bits"] == choice.frame_length
    assert row["ec_frames"] == -(-row["half_bits"] // choice.payload_bits)
    assert row["ec_leak_bits"] == row["ec_frames"] * (choice.n_checks + 32)
    f = row["ec_leak_bits"] / (row["half_bits"] * binary_entropy(row["qber_upper"]))
    assert row["ec_efficiency"] == pytest.approx(f, rel=1e-12) and 1.0 < f < 1.5
    # ell is the chain's with that leak
    source = epr_link_statistics(row["n_attempts"], row["qber_upper"])
    nsm = NSMParameters(r=0.75, nu=0.002, eps=2.5e-7)  # conf/nsm/default.yaml
    expected = analyse_nsm_security(source, nsm, ec_leak_bits=row["ec_leak_bits"], reported_detections=row["n_pairs"])
    assert row["ot_length_bits"] == expected.ot_length_bits
    assert abs(row["bob_error_rate_other_half"] - 0.5) < 5 * 0.5 / np.sqrt(row["half_bits"])
    assert row["ec_mbit_per_s"] > 0


def test_bob_s_string_equals_alice_s_over_many_seeds(run):
    rows = [run(*SMALL, f"seed={seed}", "protocol.choice_bit=random") for seed in range(12)]
    assert {row["status"] for row in rows} == {"ok"}
    assert all(row["ot_correct"] is True and row["ot_length_bits"] > 0 for row in rows)
    assert {row["choice_bit"] for row in rows} == {0, 1}


def test_same_seed_gives_the_same_strings_for_one_and_two_workers(run, tmp_path):
    outputs = []
    for n_jobs in (1, 2):
        folder = tmp_path / f"jobs{n_jobs}"
        row = run(*SMALL, f"workers.n_jobs={n_jobs}", "engine.save_ot=true", run_dir=folder)
        assert row["status"] == "ok"
        with np.load(folder / "ot_outputs.npz") as saved:
            outputs.append({key: saved[key] for key in saved.files})
    assert outputs[0].keys() == outputs[1].keys() == {"s0", "s1", "sc", "choice_bit", "ot_length_bits"}
    for key in outputs[0]:
        np.testing.assert_array_equal(outputs[0][key], outputs[1][key])


def test_saved_strings_are_the_ot_packed_in_numpy_order(run, tmp_path):
    row = run(*SMALL, "protocol.choice_bit=1", "engine.save_ot=true", run_dir=tmp_path)
    with np.load(tmp_path / "ot_outputs.npz") as saved:
        ell = int(saved["ot_length_bits"])
        strings = {key: np.unpackbits(saved[key], count=ell) for key in ("s0", "s1", "sc")}
        assert int(saved["choice_bit"]) == 1 and ell == row["ot_length_bits"] > 0
        assert saved["s0"].dtype == np.uint8 and saved["s0"].size == -(-ell // 8)
    np.testing.assert_array_equal(strings["sc"], strings["s1"])
    # two independent seeds: S_0 and S_1 agree on about half their bits
    assert abs(np.mean(strings["s0"] == strings["s1"]) - 0.5) < 5 * 0.5 / np.sqrt(ell)


def test_a_secure_point_whose_decoding_fails_is_aborted(run, monkeypatch):
    decode = stages.reconcile_with_ldpc

    def overconfident(halves, qber_upper, *args):  # a code and LLRs for a quarter of the real error rate
        return decode(halves, qber_upper / 4, *args)

    monkeypatch.setattr(stages, "reconcile_with_ldpc", overconfident)
    row = run(*SMALL, "link.fidelity=0.98")
    assert row["secure"] is True and row["status"] == "aborted"
    assert "reconciliation" in row["reason"] and row["ec_frame_errors"] > 0
    assert row["ot_length_bits"] == 0 and row["ot_correct"] is None


def test_model_reconciliation_charges_the_table_code_without_decoding(run):
    row = run(*QUIET, "engine.sampling=counts")
    assert row["ec_model"] == "table" and row["status"] == "ok" and row["ot_length_bits"] > 0
    choice = select_code(row["qber_upper"], row["ec_frame_length_bits"], row["half_bits"], 32)
    assert row["ec_code_length_bits"] == choice.frame_length
    assert row["ec_leak_bits"] == -(-row["half_bits"] // choice.payload_bits) * (choice.n_checks + 32)
    assert row["ec_frame_error_rate"] == lookup(row["qber_upper"], choice.frame_length).frame_error_rate
    assert row["ec_frame_errors"] is None and row["ot_correct"] is None and row["choice_bit"] is None


def test_bits_path_with_the_table_charges_the_same_code_plan_as_the_counts_path(run):
    bits, counts = run(*SMALL, "reconciliation=model"), run(*SMALL, "engine.sampling=counts")
    assert bits["ec_model"] == counts["ec_model"] == "table"
    for row in (bits, counts):  # each path's own half length and calibrated QBER, one planning rule
        choice = select_code(row["qber_upper"], row["ec_frame_length_bits"], row["half_bits"], 32)
        assert row["ec_leak_bits"] == -(-row["half_bits"] // choice.payload_bits) * (choice.n_checks + 32)


def test_the_table_model_and_the_decoder_give_the_same_ot_length_at_random_secure_points(run):
    """reconciliation=model charges the frame plan the decoder sends, so at the same seed the two lengths agree."""
    rng = np.random.default_rng(19)
    compared = 0
    while compared < 10:
        point = (*QUIET, "num_pairs=300000", "workers.batch_size=100000", "protocol.calibration_pairs=300000",
                 f"link.fidelity={rng.uniform(0.95, 0.995):.4f}", f"nsm.r={rng.uniform(0.5, 0.9):.3f}",
                 f"seed={int(rng.integers(1000))}")  # fmt: skip
        decoded = run(*point)
        if not (decoded["secure"] and decoded["ot_length_bits"] > 0):
            continue
        modelled = run(*point, "reconciliation=model")
        assert modelled["ec_model"] == "table" and modelled["ec_code_length_bits"] == decoded["ec_code_length_bits"]
        assert abs(modelled["ot_length_bits"] - decoded["ot_length_bits"]) <= 0.01 * decoded["ot_length_bits"]
        compared += 1


def test_2_18_frames_lengthen_the_1e7_pair_ot_at_qber_3_percent(run):
    """Issue 19: 100,745 OT bits with frames of at most 2^16 (seed 0, F = 0.955, i.e. QBER 3 %); longer frames leak less."""
    point = (*QUIET, "num_pairs=10000000", "link.fidelity=0.955")
    row = run(*point)
    assert row["status"] == "ok" and row["ec_code_length_bits"] == 262144 and row["ot_correct"] is True
    assert run(*point, "reconciliation.frame_length=65536")["ot_length_bits"] == 100_745
    assert row["ot_length_bits"] > 100_745


def test_pdc_source_uses_the_table_by_default(composer):
    row = run_ot_pdc(prepare_ot_pdc(composer(*QUIET, "kind=ot_pdc")), run_id="pdc").to_flat_dict()
    assert row["ec_model"] == "table" and row["engine"] == "analytic" and row["half_bits"] > 0
    assert row["ec_leak_bits"] > row["half_bits"] * binary_entropy(row["qber_upper"])


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (("engine.sampling=counts", "reconciliation=ldpc"), "reconciliation.method"),
        (("kind=ot_pdc", "reconciliation=ldpc"), "reconciliation.method"),
        (("reconciliation.method=bp",), "reconciliation.method"),
        (("reconciliation.frame_length=1000",), "reconciliation.frame_length"),
        (("reconciliation.tag_bits=0",), "reconciliation.tag_bits"),
        (("reconciliation.efficiency=1.2",), "reconciliation.efficiency"),
        (("reconciliation=assumed", "reconciliation.efficiency=0.9"), "reconciliation.efficiency"),
        (("reconciliation=assumed", "reconciliation.tag_bits=32"), "reconciliation.tag_bits"),
        (("protocol.choice_bit=2",), "protocol.choice_bit"),
        (("engine.sampling=counts", "protocol.choice_bit=1"), "protocol.choice_bit"),
        (("engine.sampling=counts", "engine.save_ot=true"), "engine.save_ot"),
    ],
)
def test_ot_keys_are_validated_with_one_line_naming_the_key(composer, overrides, key):
    with pytest.raises(ConfigValueError, match=key.replace(".", r"\.")) as error:
        prepare = prepare_ot_pdc if "kind=ot_pdc" in overrides else prepare_ot_link
        prepare(composer(*overrides))
    assert "\n" not in str(error.value)
