"""Command-line entry point: ``python -m caligo_sweep`` and ``caligo-sweep``.

Hydra composes, sweeps and launches; caligo_sweep checks the input at Hydra's hooks (:mod:`caligo_sweep.app.callbacks`)
and reports here. A mistake in the input ends the program with one line on stderr and exit code 2, before any folder
is created; set ``HYDRA_FULL_ERROR=1`` to see tracebacks instead. SIGINT or SIGTERM stops a multirun: no further job
starts, the table of the rows that exist is written (the running job ``interrupted``, the others ``not_run``), and the
program exits with code 128 + the signal number. Only Hydra is imported up front, so ``--help`` and ``--cfg`` answer
fast; the simulation is imported when a job runs.
"""

from __future__ import annotations

import signal
import string
import sys
import traceback
from types import FrameType
from typing import Optional

import hydra
from omegaconf import DictConfig

from caligo_sweep.app.callbacks import InputRefused
from caligo_sweep.app.config_path import CONFIG_NAME, config_directory, config_search_path
from caligo_sweep.app.cli_flags import PROGRAM, read_flags
from caligo_sweep.app.hydra_errors import (
    InputError,
    describe_input_error,
    normalise_integer_literals,
    request_tracebacks_from_hydra,
    tracebacks_requested,
)
from caligo_sweep.app.sweep_state import STATE, request_stop
from caligo_sweep.config.store import register_configs

#: Flag that asks for the app's help (Hydra's own ``--hydra-help`` is left to Hydra), as :func:`read_flags` names it.
HELP_FLAGS = ("--help",)
#: Flags that make a multirun (they take no value, so they can move in front of the overrides).
MULTIRUN_FLAGS = ("-m", "--multirun")
#: Exit codes (see :mod:`caligo_sweep.app.job`): bad input, failed jobs.
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


def _interrupt(signum: int, frame: Optional[FrameType]) -> None:
    request_stop(signum)


@hydra.main(version_base="1.3", config_path=config_search_path(), config_name=CONFIG_NAME)
def _hydra_app(cfg: DictConfig) -> Optional[float]:
    from caligo_sweep.app.job import run_job  # the simulation's imports, only when a job runs

    return run_job(cfg)


def main() -> None:
    """Run Hydra on the command line and turn its outcome into one line and an exit code."""
    request_tracebacks_from_hydra()
    sys.argv[0] = PROGRAM  # what Hydra's own argparse messages call the program (not __main__.py)
    sys.argv[1:] = normalise_integer_literals(multirun_flag_first(sys.argv[1:]))
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        command_line = read_flags(sys.argv[1:])
    except InputError as error:
        _refuse(error)
    register_configs()
    if any(flag in command_line.flags for flag in HELP_FLAGS):
        print_help(command_line.overrides)
        return
    try:
        if "--cfg" in command_line.flags and "--multirun" not in command_line.flags:
            check_shown_config(command_line.overrides)
        _hydra_app()
    except KeyboardInterrupt as stop:
        _report_interruption(getattr(stop, "signum", signal.SIGINT))
    except InputRefused as refused:
        _refuse(refused.error)
    except Exception as error:  # noqa: BLE001  (input errors get one line; anything else keeps its traceback)
        if STATE.stop_signal is None:  # else the signal's exception, turned into another where it landed
            _refuse(error)
    if STATE.stop_signal is not None:  # that, or a signal after the last job
        _report_interruption(STATE.stop_signal)
    if STATE.gather_error is not None:
        print(f"caligo-sweep: error: {STATE.gather_error}", file=sys.stderr)
        sys.exit(EXIT_FAILED)
    if STATE.failed_run_ids:
        print(
            f"caligo-sweep: {len(STATE.failed_run_ids)} job(s) failed ({', '.join(STATE.failed_run_ids)}); "
            "their rows say why (status=failed, error)",
            file=sys.stderr,
        )
        sys.exit(EXIT_FAILED)


def multirun_flag_first(args: list[str]) -> list[str]:
    """Move ``-m`` / ``--multirun`` before the overrides: argparse refuses overrides on both sides of a flag."""
    flags = [arg for arg in args if arg in MULTIRUN_FLAGS]
    return flags + [arg for arg in args if arg not in MULTIRUN_FLAGS]


def print_help(overrides: list[str]) -> None:
    """Print the app's help (``conf/hydra/help/caligo.yaml`` with the composed config), as Hydra's ``--help`` does.

    Hydra's own ``--help`` lists the options of every config group of every installed plugin whether the template
    shows them or not, which takes over a second; this template lists the groups itself.
    """
    from omegaconf import OmegaConf, open_dict

    try:
        cfg = _compose(overrides)
    except Exception as error:  # noqa: BLE001  (a bad override gets the one-line treatment of any run)
        _refuse(error)
    template = string.Template(cfg.hydra.help.template)
    with open_dict(cfg):
        del cfg["hydra"]
    print(template.safe_substitute(CONFIG=OmegaConf.to_yaml(cfg)))


def _compose(overrides: list[str]) -> DictConfig:
    """The config Hydra composes for ``overrides``, with its ``hydra`` node (outside a run: no folder, no job)."""
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(config_dir=str(config_directory()), version_base="1.3"):
        return compose(config_name=CONFIG_NAME, overrides=overrides, return_hydra_config=True)


def check_shown_config(overrides: list[str]) -> None:
    """``--cfg``: check the config it shows as a run would check it (without the run folder, which is not made)."""
    from caligo_sweep.app.input_checks import check_composed_job

    check_composed_job(_compose(overrides))


def _refuse(error: BaseException) -> None:
    """One line and exit code 2 for an input error; any other error is raised again with its traceback.

    With ``HYDRA_FULL_ERROR=1`` an input error shows its traceback instead of the line, and still exits with 2.
    """
    message = describe_input_error(error, sys.argv[1:])
    if message is None:
        raise error
    if tracebacks_requested():
        traceback.print_exception(error)
    else:
        print(f"{PROGRAM}: error: {message}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def _report_interruption(signum: int) -> None:
    """Write the table of an interrupted sweep, say where it is and how to finish it, and exit 128 + signum."""
    for ignored in (signal.SIGINT, signal.SIGTERM):
        signal.signal(ignored, signal.SIG_IGN)  # the table is written whole, even if the signal is repeated
    name = signal.Signals(signum).name
    sweep_dir = STATE.sweep_dir
    if STATE.progress is not None:
        STATE.progress.close()
    if sweep_dir is None or not sweep_dir.is_dir():
        print(f"caligo-sweep: stopped by {name}", file=sys.stderr)
        sys.exit(128 + signum)
    from caligo_sweep.app.gather import format_counts, gather_sweep, status_counts

    try:
        table = gather_sweep(sweep_dir, interrupted=True, job_errors=STATE.job_errors)
    except OSError as error:
        print(f"caligo-sweep: stopped by {name}; the table could not be written ({error}); "
              f"run caligo-sweep-gather {sweep_dir} once there is room", file=sys.stderr)  # fmt: skip
        sys.exit(128 + signum)
    print(
        f"caligo-sweep: stopped by {name}; table of {len(table)} rows ({format_counts(status_counts(table))}) "
        f"written to {sweep_dir / 'results.parquet'}; to finish the sweep, run the same command with "
        f"resume=true hydra.sweep.dir={sweep_dir}",
        file=sys.stderr,
    )
    sys.exit(128 + signum)
