"""Command-line entry point: ``python -m caligo_sweep`` and ``caligo-sweep``.

The command line is checked first (:mod:`caligo_sweep.app.preflight`); a mistake ends the program with one line on
stderr and exit code 2, before Hydra creates any folder. Set ``HYDRA_FULL_ERROR=1`` to see tracebacks instead.
"""

from __future__ import annotations

import os
import sys

import hydra
from omegaconf import DictConfig

from caligo_sweep.app import callbacks
from caligo_sweep.app.config_path import CONFIG_NAME, config_search_path
from caligo_sweep.app.job import EXIT_BAD_INPUT, EXIT_FAILED, run_job
from caligo_sweep.app.preflight import check_command_line
from caligo_sweep.config.store import register_configs
from caligo_sweep.errors import CaligoError


@hydra.main(version_base="1.3", config_path=config_search_path(), config_name=CONFIG_NAME)
def _hydra_app(cfg: DictConfig) -> None:
    run_job(cfg)


def main() -> None:
    """Check the command line, then hand over to Hydra."""
    register_configs()
    try:
        check_command_line(sys.argv[1:])
    except CaligoError as error:
        if os.environ.get("HYDRA_FULL_ERROR") == "1":
            raise
        print(f"caligo-sweep: error: {error}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)
    _hydra_app()
    if callbacks.failed_jobs:
        print(
            f"caligo-sweep: {len(callbacks.failed_jobs)} job(s) failed ({', '.join(callbacks.failed_jobs)}); "
            "their rows say why (status=failed, error)",
            file=sys.stderr,
        )
        sys.exit(EXIT_FAILED)
