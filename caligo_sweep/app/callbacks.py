"""Hydra callback that turns a finished multirun into one table and its figures."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from caligo_sweep.results.io import RESULT_FILE, read_result_rows, write_sweep_table
from caligo_sweep.results.figures import save_sweep_figures
from caligo_sweep.results.summary import format_sweep_summary

log = logging.getLogger("caligo_sweep.app")

#: Failed jobs of the sweeps gathered in this process, so the command line can exit non-zero after the table is
#: written (Hydra's callback interface has no return value).
failed_jobs: list[str] = []


class GatherResults(Callback):
    """At the end of a multirun, write ``results.parquet``, ``results.csv`` and ``figures/`` into the sweep folder.

    A job folder without ``result.json`` (a job killed before it could write its row) still gets a row, with
    ``status=failed``, so no job silently disappears from the table.
    """

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        table = gather_sweep(sweep_dir)
        failed_jobs.extend(table.loc[table["status"] == "failed", "run_id"].astype(str))


def gather_sweep(sweep_dir: Path) -> pd.DataFrame:
    """Gather the rows of every job folder below ``sweep_dir`` and write the table and figures.

    Returns
    -------
    pandas.DataFrame
        The sweep table, one row per job folder.
    """
    table = read_result_rows(sweep_dir)
    missing = [
        {"run_id": job_dir.name, "status": "failed", "error": f"job folder {job_dir.name} has no {RESULT_FILE}"}
        for job_dir in sorted(p for p in sweep_dir.iterdir() if p.is_dir() and p.name.isdigit())
        if not (job_dir / RESULT_FILE).exists()
    ]
    if missing:
        table = pd.concat([table, pd.DataFrame.from_records(missing)], ignore_index=True)
    parquet_path, _ = write_sweep_table(table, sweep_dir)
    figure_paths = save_sweep_figures(table, sweep_dir / "figures")
    counts = table["status"].value_counts().to_dict() if len(table) else {}
    log.info("Gathered %d rows (%s) into %s", len(table), counts, parquet_path)
    print(format_sweep_summary(table, sweep_dir, figure_paths))
    return table
