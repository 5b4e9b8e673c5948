"""Bad input and bad environments: one line naming the key, exit code 2, no traceback, no output folder.

The table runs ``main()`` in-process (a fresh interpreter per case would cost a second each); a few cases also run
as a real command, where the exit code and the absence of a traceback are the process's own.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

# (command line, text the one-line message must contain: the key, and where useful the range or the value)
BAD_INPUTS = [
    ("nsm.r=1.5", ["nsm.r", "[0, 1]", "1.5"]),
    ("nsm.nu=-1", ["nsm.nu", "[0, 1]", "-1"]),
    ("nsm.delta_t_ns=-1", ["nsm.delta_t_ns", "-1"]),
    ("reconciliation=assumed reconciliation.efficiency=0.5", ["reconciliation.efficiency", "0.5"]),
    ("nsm.memory_dim=1", ["nsm.memory_dim", "1"]),
    ("link.fidelity=0.2", ["link.fidelity", "(0.5, 1]", "0.2"]),
    ("link.fidelity=0.5", ["link.fidelity", "(0.5, 1]", "0.5"]),
    ("link.prob_success=0", ["link.prob_success", "0"]),
    ("link.fidelity=[1,2]", ["link.fidelity"]),
    ("num_pairs=0", ["num_pairs", ">= 1", "0"]),
    ("num_pairs=1.5", ["num_pairs", "integer", "1.5"]),
    ("num_pairs=10**30", ["num_pairs", "integer", "10**30"]),
    ("num_pairs=1e15", ["num_pairs", "max_num_pairs", " h on ", "1000000000000000"]),
    ("max_num_pairs=0", ["max_num_pairs", "0"]),
    ("seed=-3", ["seed", ">= 0", "-3"]),
    ("seed=1.5", ["seed", "integer"]),
    ("workers.n_jobs=0", ["workers.n_jobs", ">= 1", "0"]),
    ("workers.n_jobs=-2", ["workers.n_jobs", "-2"]),
    ("workers.batch_size=0", ["workers.batch_size", "0"]),
    ("workers.backend=mpi", ["workers.backend", "loky", "mpi"]),
    ("engine.sampling=exact", ["engine.sampling", "counts", "exact"]),
    ("engine.sampling=counts engine.save_bits=true", ["engine.sampling", "bits"]),
    ("eta.semantics=sideways", ["eta.semantics", "detector_only", "sideways"]),
    ("protocol.qber_eps=0", ["protocol.qber_eps", "0"]),
    ("progress=maybe", ["progress", "true or false", "maybe"]),
    ("objective=happiness", ["objective", "ot_length_bits", "happiness"]),
    ("resume=true", ["resume", "-m"]),
    ("link=heralded link.visibility=1.2", ["link.visibility", "[0, 1]", "1.2"]),
    ("link=heralded link.length=-1", ["link.length", ">= 0", "-1"]),
    ("link=heralded link.dark_count_probability=1.5", ["link.dark_count_probability", "[0, 1]", "1.5"]),
    ("link=heralded link.eta=0", ["link.eta", "(0, 1]", "0"]),
    ("link=heralded link.num_multiplexing_modes=0", ["link.num_multiplexing_modes", "0"]),
    ("device=generic device.T2=2e10", ["device.T2", "device.T1", "20000000000"]),
    ("device=generic device.T1=-1", ["device.T1", "-1"]),
    ("kind=ot_pdc source.mu=-1", ["source.mu", "> 0", "-1"]),
    ("source=pdc", ["source.kind", "kind=ot_pdc", "pdc"]),
    ("kind=acp link.length=5", ["link.length", "kind=acp"]),
    ("kind=nope", ["kind", "nope"]),
    # misspelled or unknown groups, options and keys, with the valid names listed
    ("link=nonsense", ["link", "auto, depolarise, heralded, perfect", "nonsense"]),
    ("nsm=strong", ["nsm", "default", "strong"]),
    ("experiment=nope", ["experiment", "erven2014", "nope"]),
    ("hydra/launcher=rocket", ["hydra/launcher", "basic", "rocket"]),
    ("nsmm.r=0.5", ["nsmm.r", "not a known key", "nsm, num_pairs"]),
    ("linkk=heralded", ["linkk", "not a known key", "link"]),
    ("nsm.rr=0.5", ["nsm.rr", "not a known key", "delta_t_ns"]),
    ("link.fidelty=0.5", ["link.fidelty", "not a known key", "fidelity"]),
    ("+nsmm.r=0.5", ["nsmm", "not a known key", "nsm"]),
    ("++nsm.rr=0.5", ["nsm.rr", "not a known key", "memory_dim"]),
    ("+nsm.r=0.5", ["nsm.r"]),
    ("~nsm", ["~nsm", "deleting"]),
    ("nsm.r=abc", ["nsm.r", "float", "abc"]),
    ("nsm.r=[", ["nsm.r=[", "cannot be parsed"]),
    ("nsm.r=0.5,0.7", ["nsm.r=0.5,0.7", "-m"]),
    # sweeps: every value of every swept key is checked before the sweep folder exists
    ("nsm.r=0.5,1.5 -m", ["nsm.r", "[0, 1]", "1.5"]),
    ("link=heralded,nonsense -m", ["link", "auto, depolarise, heralded, perfect", "nonsense"]),
    ("nsm.r=range(0.5,1.6,0.5) -m", ["nsm.r", "[0, 1]", "1.5"]),
    ("nsm.r=choice(0.5,2) -m", ["nsm.r", "2"]),
    ("nsmm.r=0.5,0.7 -m", ["nsmm.r", "not a known key"]),
    ("nsm.r=interval(0.5,0.7) -m", ["nsm.r", "optimising sweeper"]),
    ("hydra/sweeper=optuna objective=ot_length_bits nsm.r=interval(0.5,1.5) -m", ["nsm.r", "[0, 1]", "1.5"]),
    ("hydra/sweeper=optuna objective=ot_length_bits nsm.r=interval(0.9,0.5) -m", ["nsm.r", "low < high", "0.9"]),
    ("hydra/sweeper=optuna nsm.r=interval(0.5,0.9) -m", ["objective", "optimising sweeper", "None"]),
    # accepted before, wrong: a 0 ns attempt, a group the kind does not read, a key given twice
    ("link.t_cycle=0", ["link.t_cycle", "> 0", "0"]),
    ("link.t_cycle=null link.length=0", ["link.length", "> 0", "0"]),
    ("link=perfect link.state_delay=0", ["link.state_delay", "> 0", "0"]),
    ("link=auto link.t_cycle=0", ["link.t_cycle", "> 0", "0"]),
    ("kind=ot_pdc link.fidelity=0.9", ["link.fidelity", "kind=ot_pdc", "link.fidelity=0.9"]),
    ("kind=ot_pdc device.T1=5", ["device.T1", "kind=ot_pdc"]),
    ("nsm.r=0.5 nsm.r=0.7", ["nsm.r", "twice", "nsm.r=0.5", "nsm.r=0.7"]),
    ("nsm.r=0.5 nsm.r=0.7,0.9 -m", ["nsm.r", "twice"]),
    # messages that named the wrong thing
    ("link.length.x=1", ["link.length.x", "not a known key", "holds a value"]),
    ("nsm.r=0.5,", ["nsm.r=0.5,", "cannot be parsed", "ends where a value is expected"]),
    ("--frobnicate", ["--frobnicate", "not an option of caligo-sweep", "--multirun"]),
    ("--cfg foo", ["--cfg", "job, hydra, all", "'foo'"]),
    ("--cfg", ["--cfg", "needs a value"]),
    ("--cfg job nsm.r=5", ["nsm.r", "[0, 1]", "5"]),
    ("kind=acp acp.foo=1", ["acp.foo", "not a known key", "strategy", "duration_s"]),
    ("reconciliation=assumed reconciliation.frame_length=65536",
     ["reconciliation.frame_length", "null with reconciliation=assumed", "65536"]),
    ("link=heralded link.dark_count_probability={a:1}", ["link.dark_count_probability", "a float", "'{a:1}'"]),
    # a batch no machine has the memory for
    ("num_pairs=1000000000000 workers.batch_size=1000000000000", ["workers.batch_size", "GiB of memory available"]),
    ("link=heralded link.length=0,10 link.visibility=1.1,0.9 -m", ["link.visibility", "1.1"]),
]

# bad environments: (command line with {tmp} for the test's folder, key in the message, folder that must not exist)
BAD_ENVIRONMENTS = [
    ("hydra.run.dir=/proc/caligo-run num_pairs=1000", "hydra.run.dir", "/proc/caligo-run"),
    ("hydra.sweep.dir=/proc/caligo-sweep num_pairs=1000 nsm.r=0.5,0.7 -m", "hydra.sweep.dir", "/proc/caligo-sweep"),
    ("hydra.run.dir={tmp}/a_file/run num_pairs=1000", "hydra.run.dir", "{tmp}/a_file/run"),
    ("hydra.sweep.dir={tmp}/missing resume=true nsm.r=0.5,0.7 -m", "hydra.sweep.dir", "{tmp}/missing"),
]


def _assert_refused(code: int, err: str, needles: list[str], cwd: Path) -> None:
    lines = err.strip().splitlines()
    assert "expecting {" not in err  # the override parser's token lists stay out of the message
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("caligo-sweep: error: ")
    assert all(needle in lines[0] for needle in needles), (needles, lines[0])
    assert "Traceback" not in err
    assert not (cwd / "outputs").exists()


@pytest.mark.parametrize("command,needles", BAD_INPUTS, ids=[c for c, _ in BAD_INPUTS])
def test_bad_input_gets_one_line_and_exit_2(main_in, tmp_path, command, needles):
    if "optuna" in command and importlib.util.find_spec("hydra_plugins.hydra_optuna_sweeper") is None:
        pytest.skip("hydra-optuna-sweeper not installed")
    code, _, err = main_in(tmp_path, *command.split())
    _assert_refused(code, err, needles, tmp_path)


@pytest.mark.parametrize("command,key,folder", BAD_ENVIRONMENTS, ids=[c.split()[0] for c, _, _ in BAD_ENVIRONMENTS])
def test_bad_environment_gets_one_line_and_exit_2(main_in, tmp_path, command, key, folder):
    (tmp_path / "a_file").write_text("not a folder")
    code, _, err = main_in(tmp_path, *command.format(tmp=tmp_path).split())
    _assert_refused(code, err, [key], tmp_path)
    assert not Path(folder.format(tmp=tmp_path)).exists()


def test_a_full_disk_is_refused_before_the_run(main_in, tmp_path, monkeypatch):
    from caligo_sweep.app import input_checks

    full = type("Usage", (), {"free": 2**20})()
    monkeypatch.setattr(input_checks.shutil, "disk_usage", lambda path: full)
    code, _, err = main_in(tmp_path, "num_pairs=1000")
    _assert_refused(code, err, ["hydra.run.dir", "MiB free"], tmp_path)


@pytest.mark.skipif(importlib.util.find_spec("ray") is not None, reason="ray is installed")
def test_a_backend_that_is_not_installed_is_refused(main_in, tmp_path):
    code, _, err = main_in(tmp_path, "workers.backend=ray")
    _assert_refused(code, err, ["workers.backend", "pip install"], tmp_path)


def test_a_fixed_output_folder_that_holds_results_is_refused(cli):
    first = cli("num_pairs=1000", "hydra.run.dir=fixed")
    assert first.returncode == 0, first.stderr
    before = (cli.cwd / "fixed" / "result.json").read_text()
    again = cli("num_pairs=2000", "hydra.run.dir=fixed")
    assert again.returncode == 2
    assert "hydra.run.dir" in again.stderr and "fixed" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert (cli.cwd / "fixed" / "result.json").read_text() == before


@pytest.mark.parametrize("command", ["nsmm.r=0.5", "link=glob(nothing_like_this) nsm.r=2,0.5 -m", "nsm.r=[", "~nsm"])
def test_as_a_real_command_bad_input_exits_2_without_traceback(cli, command):
    result = cli(*command.split())
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (cli.cwd / "outputs").exists()


def test_integers_in_scientific_notation_are_accepted_when_exact(main_in, tmp_path):
    from caligo_sweep.app.hydra_errors import normalise_integer_literals

    assert normalise_integer_literals(["num_pairs=1e10", "workers.batch_size=2.5e3,1E4", "nsm.r=1e-1", "seed=1.5e0"]) \
        == ["num_pairs=10000000000", "workers.batch_size=2500,10000", "nsm.r=1e-1", "seed=1.5e0"]
    code, _, err = main_in(tmp_path, "num_pairs=1e3", "workers.batch_size=1e3", "progress=false")
    assert code == 0, err


def test_hydra_full_error_shows_the_traceback_and_still_exits_2(tmp_path):
    import subprocess
    import sys

    from tests.conftest import cli_environment

    result = subprocess.run([sys.executable, "-m", "caligo_sweep", "nsm.r=5"], cwd=tmp_path, capture_output=True,
                            text=True, env={**cli_environment(), "HYDRA_FULL_ERROR": "1"}, timeout=120)  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "Traceback" in result.stderr and "nsm.r must be a number in [0, 1]; got 5.0" in result.stderr
    assert not (tmp_path / "outputs").exists()


def test_a_flag_error_names_the_program_as_a_real_command(cli):
    result = cli("--frobnicate")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("caligo-sweep: error: --frobnicate") and "__main__" not in result.stderr


def test_a_slow_batch_plan_is_announced_with_its_estimate(main_in, tmp_path):
    from caligo_sweep.runner.plan import BITS_PAIRS_PER_SECOND, BITS_SECONDS_PER_BATCH

    code, _, err = main_in(tmp_path, "num_pairs=200000", "workers.batch_size=1", "--cfg", "job")
    assert code == 0, err
    warning = [line for line in err.splitlines() if line.startswith("caligo-sweep: warning: ")]
    assert len(warning) == 1 and "workers.batch_size=1 splits 200000 pairs into 200000 batches" in warning[0]
    expected = 200000 / BITS_PAIRS_PER_SECOND + 200000 * BITS_SECONDS_PER_BATCH  # one core
    assert f"about {expected:.3g} s on 1 core(s)" in warning[0]
    assert not (tmp_path / "outputs").exists()


def test_a_batch_of_several_gib_is_announced(main_in, tmp_path):
    code, _, err = main_in(tmp_path, "num_pairs=2000000000", "workers.batch_size=2000000000", "--cfg", "job")
    assert code == 0, err
    assert "caligo-sweep: warning: workers.batch_size=2000000000: each batch holds about 2.79 GiB" in err
