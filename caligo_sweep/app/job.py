"""One Hydra job: run, write ``result.json``, return the objective; failures become rows, never lost jobs.

The input was checked when Hydra composed it (:mod:`caligo_sweep.app.callbacks`). In a single run, an error ends
the program with one line (exit code 2 for bad input, 1 otherwise) and an aborted insecure point
(``protocol.strict=true``) with exit code 3; the row is written first whenever the run got that far. In a multirun,
every outcome is a row (``status`` ok | insecure | aborted | failed | interrupted) and the sweep goes on. With
``resume=true``, a job whose folder already holds a whole row of a finished run is not run again.
"""

from __future__ import annotations

import logging
import math
import sys
import traceback
from pathlib import Path
from typing import Any, Optional

from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from caligo_sweep.app.hydra_errors import tracebacks_requested
from caligo_sweep.app.kinds import ExperimentKind, RunContext, get_kind
from caligo_sweep.app.progress import bars_enabled
from caligo_sweep.app.sweep_state import STATE, Interrupted, raise_if_stopped, result_overrides
from caligo_sweep.errors import CaligoError, ConfigValueError
from caligo_sweep.results.io import RESULT_FILE, is_finished_row, read_result_row, write_result_json
from caligo_sweep.runner.workers import available_cores

log = logging.getLogger("caligo_sweep.app")

#: Exit codes: bad input (argparse's convention); a failed run, or a multirun with failed jobs (its table is still
#: written); a single run aborted by ``protocol.strict``.
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
EXIT_ABORTED = 3


def run_job(cfg: DictConfig) -> Optional[float]:
    """Run the job Hydra composed, write its row into the job's output folder, and return its objective.

    Returns
    -------
    float or None
        The row's value of the column named by ``objective`` (nan when the run has none, e.g. a failed run), for
        optimising sweepers; None when ``objective`` is null.
    """
    raise_if_stopped()
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    in_multirun = hydra_cfg.mode == RunMode.MULTIRUN
    run_id = f"{run_dir.parent.name}/{run_dir.name}"
    kind = get_kind(cfg.kind)
    if in_multirun and cfg.resume and is_finished_row(run_dir / RESULT_FILE, kind.column_types()):
        log.info("resume: %s already has a finished row; not run again", run_id)
        return objective_value(read_result_row(run_dir / RESULT_FILE), cfg.objective)
    parameters = flatten_parameters(cfg, kind.config_groups)
    parameters["overrides"] = " ".join(result_overrides(hydra_cfg.overrides.task))

    def unfinished(status: str, error: str) -> dict[str, Any]:
        return {"kind": kind.name, **kind.unfinished_row(run_id, status, error, parameters)}

    context = RunContext(
        run_id=run_id,
        run_dir=run_dir,
        parameters=parameters,
        progress=not in_multirun and bars_enabled(cfg.progress),
        outer_jobs=launcher_jobs(hydra_cfg.launcher),
    )
    try:
        row = _run_kind(kind, cfg, context)
    except KeyboardInterrupt:
        _save_row(kind, unfinished("interrupted", "interrupted while running"), run_dir, in_multirun, replace=True)
        raise
    except CaligoError as error:
        row = unfinished("failed", str(error))
        _save_row(kind, row, run_dir, in_multirun, replace=cfg.resume)
        exit_code = EXIT_BAD_INPUT if isinstance(error, ConfigValueError) else EXIT_FAILED
        _report_failure(error, in_multirun, exit_code=exit_code)
        return objective_value(row, cfg.objective)
    except Exception as error:  # noqa: BLE001  (a multirun must record every failure as a row)
        message = f"{type(error).__name__}: {error}"
        row = unfinished("failed", message)
        _save_row(kind, row, run_dir, in_multirun, replace=cfg.resume)
        if not in_multirun:
            raise
        log.error("Job failed: %s\n%s", message, traceback.format_exc())
        return objective_value(row, cfg.objective)
    _save_row(kind, row, run_dir, in_multirun, replace=cfg.resume)
    if row["status"] == "aborted" and not in_multirun:
        print(f"caligo-sweep: aborted: {row.get('reason')}", file=sys.stderr)
        sys.exit(EXIT_ABORTED)
    return objective_value(row, cfg.objective)


def _run_kind(kind: ExperimentKind, cfg: DictConfig, context: RunContext) -> dict[str, Any]:
    """The row of one run of ``kind``; any error once a stop was requested is the stop (:class:`Interrupted`)."""
    try:
        return {"kind": kind.name, **kind.run(kind.prepare(cfg), context)}
    except Exception as error:
        if STATE.stop_signal is None:
            raise
        raise Interrupted(STATE.stop_signal) from error  # the signal's exception, turned into another where it landed


def _save_row(kind: ExperimentKind, row: dict[str, Any], run_dir: Path, in_multirun: bool, *, replace: bool) -> None:
    """Write the row; a write failure (full disk, read-only folder) ends a single run and fails a sweep's job."""
    try:
        path = write_result_json(row, run_dir, replace=replace)
    except OSError as error:
        message = f"cannot write {run_dir / RESULT_FILE}: {error}"
        if not in_multirun:
            print(f"caligo-sweep: error: {message}", file=sys.stderr)
            sys.exit(EXIT_FAILED)
        STATE.job_errors[int(run_dir.name) if run_dir.name.isdigit() else -1] = message
        log.error("Job failed: %s", message)
        return
    log.info("status=%s; row written to %s", row["status"], path)
    if not in_multirun:
        print(kind.run_line(row))


def objective_value(record: dict[str, Any], objective: Optional[str]) -> Optional[float]:
    """The row's value of column ``objective`` as a float (nan when missing), or None without an objective."""
    if objective is None:
        return None
    value = record.get(objective)
    return float(value) if value is not None else math.nan


def launcher_jobs(launcher: DictConfig) -> int | None:
    """Jobs the Hydra launcher runs at once, when it runs them in parallel (the joblib launcher), else None.

    The run caps its own batch workers so that launcher jobs x batch workers stay within the cores.
    """
    if "joblib" not in str(launcher.get("_target_", "")):
        return None
    n_jobs = launcher.get("n_jobs") or -1
    return available_cores() if n_jobs < 0 else int(n_jobs)


def flatten_parameters(cfg: DictConfig, groups: tuple[str, ...]) -> dict[str, Any]:
    """The configuration of the kind's parameter ``groups`` as flat ``<group>_<key>`` columns."""
    container = OmegaConf.to_container(cfg, resolve=True)
    flat: dict[str, Any] = {}
    for group in groups:
        for key, value in (container.get(group) or {}).items():
            flat[f"{group}_{key}"] = value
    return flat


def _report_failure(error: CaligoError, in_multirun: bool, exit_code: int) -> None:
    if in_multirun:
        log.error("Job failed: %s", error)
        return
    if tracebacks_requested():
        traceback.print_exception(error)
    else:
        print(f"caligo-sweep: error: {error}", file=sys.stderr)
    sys.exit(exit_code)
