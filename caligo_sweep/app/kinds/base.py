"""What an experiment kind is: the record the registry holds and the context the app hands a run.

Kept apart from the registry (:mod:`caligo_sweep.app.kinds`) so that the kind modules import these types without
importing the registry that imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    import pandas as pd
    from omegaconf import DictConfig

#: Columns every row has, whatever its kind: identity, outcome and the job's overrides.
COMMON_COLUMNS: dict[str, tuple[type, str]] = {
    "run_id": (str, "`<sweep folder>/<job number>` (a multirun) or `<date>/<time>` (a single run)"),
    "kind": (str, "experiment kind of the run (config group `kind`)"),
    "status": (str, "ok | insecure | aborted | failed | interrupted | not_run (see `caligo_sweep/results/row.py`)"),
    "error": (str, "why a failed run failed; empty otherwise"),
}


@dataclass(frozen=True)
class RunContext:
    """What the app hands a kind's ``run`` besides the spec.

    Attributes
    ----------
    run_id : str
        Identifier written into the row.
    run_dir : pathlib.Path
        The run's own output folder (for files the run writes next to ``result.json``).
    parameters : dict
        The flattened ``<group>_<key>`` configuration columns of the kind's groups, plus ``overrides``.
    progress : bool
        Show progress bars (a single run on a terminal with ``progress=true``).
    outer_jobs : int or None
        Runs executing concurrently around this one (Hydra's joblib launcher), to cap the run's own workers.
    """

    run_id: str
    run_dir: Path
    parameters: dict[str, Any]
    progress: bool
    outer_jobs: Optional[int]


@dataclass(frozen=True)
class ExperimentKind:
    """One kind of experiment, as the app sees it.

    Attributes
    ----------
    name : str
        The value of the config key ``kind`` (and of the row's ``kind`` column); ``conf/kind/<name>.yaml`` selects it.
    description : str
        One line for the data dictionary and the README.
    config_groups : tuple of str
        Config groups whose keys become ``<group>_<key>`` parameter columns of its rows.
    columns : mapping
        Its fixed row columns, in table order: name -> (Python type, meaning). ``run_id``, ``kind``, ``status`` and
        ``error`` (:data:`COMMON_COLUMNS`) come first in every kind's rows and are not repeated here.
    objective_columns : tuple of str
        Numeric columns an optimising sweeper may use as ``objective``.
    prepare : callable
        ``prepare(cfg) -> spec``: the validation boundary; raises a one-line ``ConfigValueError`` naming the key,
        the allowed range and the value.
    check : callable
        ``check(spec)``: further checks before any run starts (execution settings, run size); may do nothing.
    run : callable
        ``run(spec, context) -> row``: one run; the row is a flat mapping holding at least ``run_id`` and ``status``.
    unfinished_row : callable
        ``unfinished_row(run_id, status, error, parameters) -> row``: the row of a run that failed or was interrupted.
    run_line : callable
        ``run_line(row) -> str``: the one console line closing a single run.
    best_point : callable
        ``best_point(table, swept) -> str``: the sweep summary's line on the kind's best row.
    figures : callable
        ``figures(table, figures_dir) -> list of Path``: the sweep figures of the kind's rows of a sweep table.
    """

    name: str
    description: str
    config_groups: tuple[str, ...]
    columns: Mapping[str, tuple[type, str]]
    objective_columns: tuple[str, ...]
    prepare: Callable[[DictConfig], Any]
    check: Callable[[Any], None]
    run: Callable[[Any, RunContext], Mapping[str, Any]]
    unfinished_row: Callable[[str, str, str, dict[str, Any]], dict[str, Any]]
    run_line: Callable[[Mapping[str, Any]], str]
    best_point: Callable[[pd.DataFrame, Sequence[str]], str]
    figures: Callable[[pd.DataFrame, Path], list[Path]]

    def column_types(self) -> dict[str, type]:
        """Python type of each fixed column, common columns first."""
        return {name: kind for name, (kind, _) in {**COMMON_COLUMNS, **self.columns}.items()}
