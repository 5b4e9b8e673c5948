"""What the two OT kinds (``ot_link``, ``ot_pdc``) share: the row :class:`~caligo_sweep.results.row.ResultRow`, its
checks, its console line, its summary and its figures. Only ``prepare`` and the staged run differ between them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omegaconf import DictConfig

from caligo_sweep.app.kinds.base import COMMON_COLUMNS, ExperimentKind, RunContext
from caligo_sweep.app.ot.stages import execution_settings
from caligo_sweep.app.kinds.run_size import check_run_size
from caligo_sweep.config.build import LinkRunSpec, RunSpec
from caligo_sweep.results.columns import COLUMN_DESCRIPTIONS
from caligo_sweep.results.row import ResultRow, column_names, declared_column_types
from caligo_sweep.runner.run import check_run_settings

if TYPE_CHECKING:
    import pandas as pd

#: Config groups an OT run reads (their keys become ``<group>_<key>`` columns of its row); the PDC source is
#: analytic, so ``kind=ot_pdc`` reads neither the simulated link nor the device.
OT_GROUPS = ("link", "device", "nsm", "source", "protocol", "reconciliation", "workers", "engine")
PDC_GROUPS = tuple(group for group in OT_GROUPS if group not in ("link", "device"))


def ot_columns() -> dict[str, tuple[type, str]]:
    """The fixed columns of :class:`ResultRow` (besides the common ones) with their types and meanings."""
    types = declared_column_types()
    return {name: (types[name], COLUMN_DESCRIPTIONS[name]) for name in column_names() if name not in COMMON_COLUMNS}


def check_ot_spec(spec: RunSpec) -> None:
    """Execution settings (run size, seed, workers, engine) and ``max_num_pairs``, without sampling anything.

    The link run relies on ``run_pairs`` checking the same settings again before its first batch.
    """
    check_run_settings(returns_bits=spec.config.engine.save_bits, **execution_settings(spec))
    config = spec.config
    sampling = config.engine.sampling if isinstance(spec, LinkRunSpec) else None  # the PDC source is analytic
    check_run_size(config.num_pairs, config.max_num_pairs, config.workers, sampling)


def row_runner(run: Callable[..., ResultRow]) -> Callable[[RunSpec, RunContext], dict[str, Any]]:
    """A kind's ``run``: the staged OT run ``run`` (:mod:`caligo_sweep.app.ot`) in the run's context, as a flat row."""

    def run_ot(spec: RunSpec, context: RunContext) -> dict[str, Any]:
        row = run(
            spec,
            run_id=context.run_id,
            parameters=context.parameters,
            progress=context.progress,
            outer_jobs=context.outer_jobs,
            run_dir=context.run_dir,
        )
        return row.to_flat_dict()

    return run_ot


def unfinished_ot_row(run_id: str, status: str, error: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The row of an OT run that failed or was interrupted: identity, error and the configuration columns."""
    return ResultRow(run_id=run_id, status=status, error=error, parameters=parameters).to_flat_dict()


def ot_run_line(row: Mapping[str, Any]) -> str:
    """``secure: 85,370 OT bits from 10^6 pairs (...)``: :func:`caligo_sweep.results.summary.format_run_line`."""
    from caligo_sweep.results.summary import format_run_line  # pandas only after the run

    return format_run_line(row)


def ot_best_point(table: pd.DataFrame, swept: Sequence[str]) -> str:
    """The secure row with the longest OT string."""
    from caligo_sweep.results.summary import format_best_point

    return format_best_point(table, swept)


def ot_figures(table: pd.DataFrame, figures_dir: Path) -> list[Path]:
    """Rate-distance, finite-size, heatmap and line figures of an OT sweep."""
    from caligo_sweep.results.figures import save_sweep_figures  # matplotlib only when a figure is drawn

    return save_sweep_figures(table, figures_dir)


def ot_kind(
    name: str,
    description: str,
    prepare: Callable[[DictConfig], RunSpec],
    run: Callable[..., ResultRow],
    config_groups: tuple[str, ...] = OT_GROUPS,
) -> ExperimentKind:
    """An OT kind: everything but ``prepare``, the staged ``run`` and the groups it reads is shared."""
    columns = ot_columns()
    return ExperimentKind(
        name=name,
        description=description,
        config_groups=config_groups,
        columns=columns,
        objective_columns=tuple(c for c, (kind, _) in columns.items() if kind in (int, float)),
        prepare=prepare,
        check=check_ot_spec,
        run=row_runner(run),
        unfinished_row=unfinished_ot_row,
        run_line=ot_run_line,
        best_point=ot_best_point,
        figures=ot_figures,
    )
