"""Bad input stops the program before any work with one line naming the key, the allowed range and the value."""

import pytest

from caligo_sweep.app.preflight import CommandLineError, check_command_line
from caligo_sweep.errors import ConfigValueError

BAD_INPUTS = [
    # (override, key, allowed-range fragment, given value)
    ("nsm.r=1.5", "nsm.r", "[0, 1]", "1.5"),
    ("nsm.nu=-1", "nsm.nu", "[0, 1]", "-1"),
    ("link.fidelity=0.2", "link.fidelity", "(0.5, 1]", "0.2"),
    ("link.fidelity=0.5", "link.fidelity", "(0.5, 1]", "0.5"),
    ("num_pairs=0", "num_pairs", ">= 1", "0"),
    ("workers.n_jobs=0", "workers.n_jobs", ">= 1", "0"),
    ("link=nonsense", "link", "auto, depolarise, heralded, perfect", "nonsense"),
    ("nsm.rr=0.5", "nsm.rr", "delta_t_ns", "nsm"),
    ("nsm.r=abc", "nsm.r", "float", "abc"),
    ("seed=-3", "seed", ">= 0", "-3"),
    ("link=heralded link.visibility=1.2", "link.visibility", "[0, 1]", "1.2"),
    ("link=heralded link.length=-1", "link.length", ">= 0", "-1"),
    ("link=heralded link.dark_count_probability=1.5", "link.dark_count_probability", "[0, 1]", "1.5"),
    ("link=heralded link.eta=0", "link.eta", "(0, 1]", "0"),
    ("device=generic device.T2=2e10", "device.T2", "device.T1", "20000000000"),
    ("workers.backend=mpi", "workers.backend", "loky", "mpi"),
    ("engine.sampling=exact", "engine.sampling", "counts", "exact"),
    ("source=pdc source.mu=-1", "source.mu", "> 0", "-1"),
]


@pytest.mark.parametrize("override,key,allowed,value", BAD_INPUTS)
def test_preflight_names_key_range_and_value(override, key, allowed, value):
    with pytest.raises((CommandLineError, ConfigValueError)) as caught:
        check_command_line(override.split())
    message = str(caught.value)
    assert "\n" not in message
    assert key in message and allowed in message and value in message


@pytest.mark.parametrize("override,key,allowed,value", BAD_INPUTS[:8])
def test_cli_exits_with_one_line_and_no_output_folder(cli, override, key, allowed, value):
    result = cli(override)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert key in lines[0] and allowed in lines[0] and value in lines[0]
    assert "Traceback" not in result.stderr
    assert not (cli.cwd / "outputs").exists()


def test_a_bad_value_inside_a_sweep_stops_the_whole_sweep_before_any_job(cli):
    result = cli("nsm.r=0.5,1.5", "num_pairs=1000", "-m")
    assert result.returncode == 2
    assert "nsm.r" in result.stderr and "1.5" in result.stderr
    assert not (cli.cwd / "outputs").exists()


def test_good_command_line_passes_preflight(tmp_path):
    check_command_line(["link=heralded", "nsm.r=0.5,0.7,0.9", "-m", f"hydra.sweep.dir={tmp_path}"])


def test_preflight_also_checks_the_sweeps_an_experiment_preset_declares():
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from caligo_sweep.app.config_path import config_directory
    from caligo_sweep.app.preflight import _preset_sweeps
    from caligo_sweep.config.store import register_configs
    from hydra.core.override_parser.overrides_parser import OverridesParser

    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(config_directory()), version_base="1.3"):
        given = OverridesParser.create().parse_overrides(["experiment=security_boundary", "nsm.r=0.5"])
        declared = {o.key_or_group: list(o.sweep_string_iterator()) for o in _preset_sweeps(given)}
    GlobalHydra.instance().clear()
    assert declared == {"link.fidelity": ["0.9", "0.95", "0.98", "0.99", "0.995"]}  # nsm.r is set on the command line


def test_a_fixed_output_folder_that_holds_results_is_refused(cli):
    first = cli("num_pairs=1000", "hydra.run.dir=fixed")
    assert first.returncode == 0, first.stderr
    before = (cli.cwd / "fixed" / "result.json").read_text()
    again = cli("num_pairs=2000", "hydra.run.dir=fixed")
    assert again.returncode == 2
    assert "hydra.run.dir" in again.stderr and "fixed" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert (cli.cwd / "fixed" / "result.json").read_text() == before
