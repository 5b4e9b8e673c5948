"""Reading and writing result rows and sweep tables, so that a reader sees a whole file or none.

A run writes ``result.json`` (one flat row) into its own folder. A sweep gathers every job's row into
``results.parquet`` and ``results.csv`` next to the job folders. Every file is written atomically: into a temporary
file in the same folder, flushed to disk (``fsync``), then renamed over the final name, so a crash, a kill or a full
disk leaves either the previous state or the whole new file, never a torn one. A row that is there anyway but cannot
be read (an older writer, a copy gone wrong) is reported as unreadable, never as a crash.

pandas is imported only by the functions that build tables, so that a run that writes one row starts fast.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from collections.abc import Collection, Mapping
from typing import IO, TYPE_CHECKING, Any, Optional

from caligo_sweep.results.row import ResultRow, column_names

if TYPE_CHECKING:
    import pandas as pd

#: File name of one run's row inside its run folder.
RESULT_FILE = "result.json"
#: File names of the sweep table inside the sweep folder.
TABLE_FILES = ("results.parquet", "results.csv")
#: Statuses of a row that needs no re-run: the run finished and its analysis is complete.
FINISHED_STATUSES = frozenset({"ok", "insecure", "aborted"})


class UnreadableRow(Exception):
    """A ``result.json`` that is missing, empty, torn or not a row; the message says which."""


def _umask() -> int:
    """The process's umask (reading it means setting it; it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> Path:
    """Create or replace ``path`` with what ``write(handle)`` writes, atomically (temporary file, fsync, rename).

    The file gets the mode any new file gets (``0666`` less the umask), not the ``0600`` of a temporary file, so a
    cluster group that reads the other results reads these too.

    Raises
    ------
    OSError
        If the folder is not writable or the disk is full; ``path`` is then unchanged and no temporary file remains.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path


def write_result_json(row: ResultRow | Mapping[str, Any], run_dir: Path, *, replace: bool = False) -> Path:
    """Write one run's row as ``run_dir / result.json``, atomically.

    Parameters
    ----------
    row : ResultRow or mapping
        The row (a flat mapping: an experiment kind's row).
    run_dir : pathlib.Path
        The run's folder (created if needed).
    replace : bool
        Replace an existing row (a resumed job re-running an unfinished one). Otherwise an existing row is an error.

    Raises
    ------
    FileExistsError
        If the folder already holds a result and ``replace`` is false (a previous run's output is never overwritten).
    OSError
        If the file cannot be written (read-only folder, full disk); no partial file remains.
    """
    path = run_dir / RESULT_FILE
    if path.exists() and not replace:
        raise FileExistsError(f"{path} already exists; a previous run's row is never overwritten")
    record = row.to_flat_dict() if isinstance(row, ResultRow) else dict(row)
    text = json.dumps(_json_safe(record), indent=2, allow_nan=False) + "\n"
    return write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))


def read_result_row(path: Path) -> dict[str, Any]:
    """One ``result.json`` as a flat mapping.

    Raises
    ------
    UnreadableRow
        If the file is missing, empty, torn (not valid JSON) or lacks the ``run_id`` and ``status`` of a row.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnreadableRow(f"{path.parent.name}/{RESULT_FILE} is missing") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableRow(f"{path.parent.name}/{RESULT_FILE} cannot be read ({error})") from None
    if not text.strip():
        raise UnreadableRow(f"{path.parent.name}/{RESULT_FILE} is empty (0 bytes; a full disk?)")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableRow(f"{path.parent.name}/{RESULT_FILE} is torn or not JSON ({error.msg})") from None
    if not isinstance(record, dict) or not {"run_id", "status"} <= record.keys():
        raise UnreadableRow(f"{path.parent.name}/{RESULT_FILE} is not a result row")
    return record


def is_finished_row(path: Path, columns: Optional[Collection[str]] = None) -> bool:
    """Whether ``path`` holds a whole row of a run that finished (resume skips such jobs).

    ``columns`` are the fixed columns a whole row has (an experiment kind's); default :class:`ResultRow`'s.
    """
    try:
        record = read_result_row(path)
    except UnreadableRow:
        return False
    required = set(columns) if columns is not None else set(column_names())
    return record["status"] in FINISHED_STATUSES and required <= record.keys()


def rows_to_table(records: list[dict[str, Any]], column_types: Optional[Mapping[str, type]] = None) -> pd.DataFrame:
    """Rows as a table: the fixed columns (``column_types``, default :class:`ResultRow`'s) in order, then the rest."""
    if not records:
        import pandas as pd

        return pd.DataFrame(columns=list(column_types) if column_types is not None else column_names())
    from caligo_sweep.results.table import table_from_rows  # pandas only when a table is built

    return table_from_rows(records, column_types)


def write_sweep_table(table: pd.DataFrame, sweep_dir: Path) -> tuple[Path, Path]:
    """Write the sweep table as ``results.parquet`` and ``results.csv`` in ``sweep_dir``, each atomically."""
    parquet_path, csv_path = (sweep_dir / name for name in TABLE_FILES)
    write_atomically(parquet_path, lambda handle: table.to_parquet(handle, index=False))
    write_atomically(csv_path, lambda handle: handle.write(table.to_csv(index=False).encode("utf-8")))
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
