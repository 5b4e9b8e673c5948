"""One Hydra job: validate, run, write ``result.json``; failures become rows, never lost jobs.

In a single run, bad input ends the program with one line and exit code 2, an aborted insecure point
(``protocol.strict=true``) with exit code 3; the row is written first whenever the run got that far. In a multirun,
every outcome is a row (``status`` ok | insecure | aborted | failed) and the sweep goes on.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from caligo_sweep.app.experiment import run_experiment
from caligo_sweep.config.build import prepare_run
from caligo_sweep.errors import CaligoError, ConfigValueError
from caligo_sweep.results.io import write_result_json
from caligo_sweep.results.row import ResultRow
from caligo_sweep.results.summary import format_run_line
from caligo_sweep.runner.workers import available_cores

log = logging.getLogger("caligo_sweep.app")

#: Config groups whose keys become ``<group>_<key>`` columns of the result row.
PARAMETER_GROUPS = ("link", "device", "nsm", "source", "protocol", "workers", "engine")
#: Exit codes: bad input (argparse's convention); a failed run, or a multirun with failed jobs (its table is still
#: written); a single run aborted by ``protocol.strict``.
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
EXIT_ABORTED = 3


def run_job(cfg: DictConfig) -> None:
    """Run the job Hydra composed and write its row into the job's output folder."""
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    in_multirun = hydra_cfg.mode == RunMode.MULTIRUN
    run_id = f"{run_dir.parent.name}/{run_dir.name}"
    parameters = flatten_parameters(cfg)
    parameters["overrides"] = " ".join(hydra_cfg.overrides.task)
    try:
        spec = prepare_run(cfg)
        row = run_experiment(
            spec,
            run_id=run_id,
            parameters=parameters,
            progress=not in_multirun,
            outer_jobs=launcher_jobs(hydra_cfg.launcher),
            pairs_dir=run_dir / "pairs",
        )
    except CaligoError as error:
        row = ResultRow(run_id=run_id, status="failed", error=str(error), parameters=parameters)
        write_result_json(row, run_dir)
        exit_code = EXIT_BAD_INPUT if isinstance(error, ConfigValueError) else EXIT_FAILED
        _report_failure(error, in_multirun, exit_code=exit_code)
        return
    except Exception as error:  # noqa: BLE001  (a multirun must record every failure as a row)
        message = f"{type(error).__name__}: {error}"
        row = ResultRow(run_id=run_id, status="failed", error=message, parameters=parameters)
        write_result_json(row, run_dir)
        if not in_multirun:
            raise
        log.error("Job failed: %s\n%s", message, traceback.format_exc())
        return
    path = write_result_json(row, run_dir)
    log.info("status=%s; row written to %s", row.status, path)
    if not in_multirun:
        print(format_run_line(row.to_flat_dict()))
    if row.status == "aborted" and not in_multirun:
        print(f"caligo-sweep: aborted: {row.reason}", file=sys.stderr)
        sys.exit(EXIT_ABORTED)


def launcher_jobs(launcher: DictConfig) -> int | None:
    """Jobs the Hydra launcher runs at once, when it runs them in parallel (the joblib launcher), else None.

    The run caps its own batch workers so that launcher jobs x batch workers stay within the cores.
    """
    if "joblib" not in str(launcher.get("_target_", "")):
        return None
    n_jobs = launcher.get("n_jobs") or -1
    return available_cores() if n_jobs < 0 else int(n_jobs)


def flatten_parameters(cfg: DictConfig) -> dict[str, Any]:
    """The configuration of the parameter groups as flat ``<group>_<key>`` columns, plus the chosen options."""
    container = OmegaConf.to_container(cfg, resolve=True)
    flat: dict[str, Any] = {}
    for group in PARAMETER_GROUPS:
        for key, value in (container.get(group) or {}).items():
            flat[f"{group}_{key}"] = value
    return flat


def _report_failure(error: CaligoError, in_multirun: bool, exit_code: int) -> None:
    if in_multirun:
        log.error("Job failed: %s", error)
        return
    if os.environ.get("HYDRA_FULL_ERROR") == "1":
        raise error
    print(f"caligo-sweep: error: {error}", file=sys.stderr)
    sys.exit(exit_code)
