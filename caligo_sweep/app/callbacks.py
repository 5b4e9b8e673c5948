"""Hydra callbacks: check the input before any folder exists, follow a sweep, gather it when it ends.

Registered in ``conf/config.yaml`` under ``hydra.callbacks``. Hydra's callback runner turns an ordinary exception
into a warning, so a refused input travels as :class:`InputRefused` (not an ``Exception``) to the command line,
which prints its one line and exits with code 2. Heavy imports happen inside the methods: ``--help`` and
``--cfg`` never instantiate callbacks, and a single run never gathers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from caligo_sweep.app.sweep_state import STATE
from caligo_sweep.errors import CaligoError

log = logging.getLogger("caligo_sweep.app")


class InputRefused(BaseException):
    """Carries a :class:`~caligo_sweep.errors.CaligoError` about the input past Hydra's callback runner."""

    def __init__(self, error: CaligoError) -> None:
        super().__init__(str(error))
        self.error = error


def _refuse_bad_input(check: Callable[[DictConfig], None], config: DictConfig) -> None:
    try:
        check(config)
    except CaligoError as error:
        raise InputRefused(error) from error


class InputChecks(Callback):
    """Check a run's config, or every swept value of a multirun, and the output folder, before Hydra creates it."""

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        from caligo_sweep.app.input_checks import check_single_run

        _refuse_bad_input(check_single_run, config)

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from caligo_sweep.app.input_checks import check_multirun

        _refuse_bad_input(check_multirun, config)


class FollowSweep(Callback):
    """Record the sweep for an interruption, draw the progress bar over jobs, gather the table at the end.

    ``on_job_start`` and ``on_job_end`` run where the job runs: in this process for Hydra's basic launcher (the bar
    moves job by job), in worker processes for the joblib and submitit launchers (the bar then completes at the
    end of the sweep, when the rows are gathered).
    """

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from caligo_sweep.app.progress import SweepProgress, bars_enabled

        STATE.sweep_dir = Path(config.hydra.sweep.dir)
        if bars_enabled(config.get("progress", True)):
            STATE.progress = SweepProgress()

    def on_job_start(self, config: DictConfig, **kwargs: Any) -> None:
        if STATE.progress is not None:
            from caligo_sweep.app.progress import quiet_console

            quiet_console()

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        if STATE.progress is None:
            return
        from caligo_sweep.results.io import RESULT_FILE, UnreadableRow, read_result_row

        try:
            status = read_result_row(Path(config.hydra.runtime.output_dir) / RESULT_FILE)["status"]
        except UnreadableRow:
            status = "failed"
        STATE.progress.job_done(status)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from caligo_sweep.app.gather import gather_sweep

        if STATE.progress is not None:
            STATE.progress.close()
            STATE.progress = None
        sweep_dir = Path(config.hydra.sweep.dir)
        try:
            table = gather_sweep(sweep_dir, job_errors=STATE.job_errors)
        except OSError as error:
            STATE.gather_error = f"cannot write the sweep table into {sweep_dir}: {error}"
            return
        STATE.failed_run_ids.extend(table.loc[table["status"] == "failed", "run_id"].astype(str))
