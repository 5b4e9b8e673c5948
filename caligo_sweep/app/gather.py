"""Gather a sweep folder, in whatever state it is, into ``results.parquet``, ``results.csv`` and ``figures/``.

Used at the end of every multirun, after an interrupted one, and by hand on any sweep folder::

    caligo-sweep-gather outputs/multiruns/<date>/<time>
    python -m caligo_sweep.gather outputs/multiruns/<date>/<time>

One row per job: the job's ``result.json`` when it is whole; otherwise a row with ``status=failed`` (or
``interrupted`` right after a stop) and the reason in ``error``: a missing, empty or torn ``result.json`` never stops
the gather. Jobs of the sweep's ``jobs.json`` that never started get ``status=not_run``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from caligo_sweep.app.kinds import ExperimentKind, get_kind, registered_kinds, table_column_types
from caligo_sweep.app.sweep_state import read_plan
from caligo_sweep.results.io import RESULT_FILE, UnreadableRow, read_result_row, rows_to_table, write_sweep_table

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger("caligo_sweep.app")

#: Exit code of ``caligo-sweep-gather`` when the folder is not a sweep folder or the table cannot be written.
EXIT_GATHER_FAILED = 2


def gather_sweep(
    sweep_dir: Path, *, interrupted: bool = False, job_errors: Optional[dict[int, str]] = None
) -> pd.DataFrame:
    """Build the table of every job of ``sweep_dir`` and write it, with the figures, into ``sweep_dir``.

    Parameters
    ----------
    sweep_dir : pathlib.Path
        A multirun's folder (job folders named by job number, optionally ``jobs.json``).
    interrupted : bool
        The sweep was just stopped: a started job without a row was interrupted, not failed.
    job_errors : dict, optional
        Known reasons, by job number, why a job has no row (e.g. its row could not be written).

    Returns
    -------
    pandas.DataFrame
        One row per job, ordered by job number.

    Raises
    ------
    OSError
        If the table cannot be written (read-only folder, full disk).
    """
    plan = read_plan(sweep_dir) or []
    started = {int(p.name) for p in sweep_dir.iterdir() if p.is_dir() and p.name.isdigit()}
    records = [
        _job_record(sweep_dir, number, plan, interrupted, (job_errors or {}).get(number))
        for number in sorted(started | set(range(len(plan))))
    ]
    kinds = _kinds_of(records)
    table = rows_to_table(records, table_column_types([kind.name for kind in kinds]))
    parquet_path, _ = write_sweep_table(table, sweep_dir)
    figure_paths = draw_sweep_figures(table, sweep_dir)
    log.info("Gathered %d rows (%s) into %s", len(table), format_counts(status_counts(table)), parquet_path)
    from caligo_sweep.results.summary import format_sweep_summary

    def best_points(rows: pd.DataFrame, swept: list[str]) -> str:
        return "\n".join(kind.best_point(rows[rows["kind"] == kind.name], swept) for kind in kinds)

    print(format_sweep_summary(table, sweep_dir, figure_paths, best_points if kinds else None))
    return table


def _kinds_of(records: list[dict[str, Any]]) -> list[ExperimentKind]:
    """The registered kinds of the rows, in order of appearance (rows without a kind: not run, torn)."""
    names = dict.fromkeys(record["kind"] for record in records if record.get("kind") in registered_kinds())
    return [get_kind(name) for name in names]


def _job_record(
    sweep_dir: Path, number: int, plan: list[list[str]], interrupted: bool, known_error: Optional[str]
) -> dict[str, Any]:
    """Job ``number``'s row, or a row that says why it has none."""
    job_dir = sweep_dir / str(number)
    try:
        return read_result_row(job_dir / RESULT_FILE)
    except UnreadableRow as error:
        reason = str(error)
    record: dict[str, Any] = {"run_id": f"{sweep_dir.name}/{number}"}
    if not job_dir.exists():
        record.update(status="not_run", error="not run: the sweep stopped before this job started")
    elif interrupted and not (job_dir / RESULT_FILE).exists() and known_error is None:
        record.update(status="interrupted", error="interrupted: the sweep stopped while this job was running")
    else:
        record.update(status="failed", error="; ".join(filter(None, [known_error, reason])))
    if number < len(plan):
        record["overrides"] = " ".join(plan[number])
    return record


def draw_sweep_figures(table: pd.DataFrame, sweep_dir: Path) -> list[Path]:
    """The sweep's figures into ``sweep_dir / figures`` (the one place that draws them); returns their paths.

    Each kind present in the table's ``kind`` column draws its figures from its own rows.
    """
    if "kind" not in table.columns:
        return []
    paths: list[Path] = []
    for name in table["kind"].dropna().unique():
        if name in registered_kinds():
            paths += get_kind(name).figures(table[table["kind"] == name], sweep_dir / "figures")
    return paths


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    """Rows per status, e.g. ``{"ok": 3, "failed": 1}``."""
    return dict(Counter(table["status"])) if len(table) else {}


def format_counts(counts: dict[str, int]) -> str:
    """``ok=3 insecure=0 failed=1``: the three main statuses always, others when present."""
    main = ["ok", "insecure", "failed"]
    names = main + sorted(set(counts) - set(main))
    return " ".join(f"{name}={counts.get(name, 0)}" for name in names)


def not_a_sweep_folder(folder: Path) -> Optional[str]:
    """Why ``folder`` is not a sweep folder (no job list and no numbered job folder), or None when it is one."""
    if not folder.is_dir():
        return "which is not a folder" if folder.exists() else "which does not exist"
    if (folder / RESULT_FILE).exists():
        return f"which is a single run's folder (its row is {RESULT_FILE})"
    if read_plan(folder) is None and not any(p.is_dir() and p.name.isdigit() for p in folder.iterdir()):
        return "which holds neither jobs.json nor numbered job folders"
    return None


def main(argv: Optional[list[str]] = None) -> None:
    """``caligo-sweep-gather DIR``: rebuild the table and figures of a sweep folder."""
    parser = argparse.ArgumentParser(
        prog="caligo-sweep-gather", description="Rebuild results.parquet, results.csv and figures/ of a sweep folder."
    )
    parser.add_argument("sweep_dir", type=Path, help="the multirun's folder (hydra.sweep.dir)")
    args = parser.parse_args(argv)
    sweep_dir: Path = args.sweep_dir
    problem = not_a_sweep_folder(sweep_dir)
    if problem is not None:
        print(f"caligo-sweep-gather: error: DIR must be a sweep folder; got {str(sweep_dir)!r}, {problem}",
              file=sys.stderr)  # fmt: skip
        sys.exit(EXIT_GATHER_FAILED)
    try:
        table = gather_sweep(sweep_dir)
    except OSError as error:
        print(f"caligo-sweep-gather: error: cannot write the table into {sweep_dir}: {error}", file=sys.stderr)
        sys.exit(EXIT_GATHER_FAILED)
    print(f"{len(table)} rows ({format_counts(status_counts(table))}) -> {sweep_dir / 'results.parquet'}")
