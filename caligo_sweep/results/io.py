"""Reading and writing result rows and sweep tables.

A run writes ``result.json`` (one flat row) into its own folder. A sweep gathers every job's row into
``results.parquet`` and ``results.csv`` next to the job folders. Nothing existing is overwritten silently: a file
that is already there makes :func:`write_result_json` fail.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from caligo_sweep.results.row import ResultRow
from caligo_sweep.results.table import table_from_rows

#: File name of one run's row inside its run folder.
RESULT_FILE = "result.json"


def write_result_json(row: ResultRow, run_dir: Path) -> Path:
    """Write one run's row as ``run_dir / result.json``.

    Raises
    ------
    FileExistsError
        If the folder already holds a result (a previous run's output is never overwritten).
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / RESULT_FILE
    with path.open("x", encoding="utf-8") as handle:
        json.dump(_json_safe(row.to_flat_dict()), handle, indent=2, allow_nan=False)
        handle.write("\n")
    return path


def read_result_rows(sweep_dir: Path) -> pd.DataFrame:
    """Collect every ``*/result.json`` below a sweep folder into one table, one row per job.

    Rows are ordered by Hydra job number (the job folder name) when it is numeric. Integer and boolean columns
    keep nullable dtypes when some rows are empty (:func:`~caligo_sweep.results.table.table_from_rows`).
    """
    paths = sorted(sweep_dir.glob(f"*/{RESULT_FILE}"), key=_job_sort_key)
    return table_from_rows(json.loads(path.read_text(encoding="utf-8")) for path in paths)


def write_sweep_table(table: pd.DataFrame, sweep_dir: Path) -> tuple[Path, Path]:
    """Write the sweep table as ``results.parquet`` and ``results.csv`` in ``sweep_dir``."""
    parquet_path = sweep_dir / "results.parquet"
    csv_path = sweep_dir / "results.csv"
    table.to_parquet(parquet_path, index=False)
    table.to_csv(csv_path, index=False)
    return parquet_path, csv_path


def _json_safe(record: dict[str, Any]) -> dict[str, Any]:
    """Replace non-finite floats by ``None`` (JSON has no NaN) and numpy scalars by Python ones."""
    safe = {}
    for key, value in record.items():
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        safe[key] = value
    return safe


def _job_sort_key(path: Path) -> tuple[int, str]:
    name = path.parent.name
    return (int(name), name) if name.isdigit() else (10**9, name)
