"""One run from validated settings to its result row: the entry point that dispatches to the OT runs.

Free of Hydra, so a notebook can call :func:`run_experiment` with a :class:`~caligo_sweep.config.build.RunSpec`
built by :func:`~caligo_sweep.config.build.prepare_run` from any composed config. The runs themselves are the
staged OT pipelines of :mod:`caligo_sweep.app.ot`: :func:`~caligo_sweep.app.ot.run_ot_link` (a simulated link) and
:func:`~caligo_sweep.app.ot.run_ot_pdc` (the analytic PDC source).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from caligo_sweep.app.ot import run_ot_link, run_ot_pdc
from caligo_sweep.app.ot.stages import execution_settings
from caligo_sweep.config.build import RunSpec
from caligo_sweep.results.row import ResultRow
from caligo_sweep.runner.run import check_run_settings


def check_spec(spec: RunSpec) -> None:
    """Validate the execution settings (run size, seed, workers, engine) without sampling anything.

    The preflight calls it for every swept value; the link run relies on ``run_pairs`` checking the same settings
    before its first batch.
    """
    check_run_settings(returns_bits=spec.config.engine.save_bits, **execution_settings(spec))


def run_experiment(
    spec: RunSpec,
    *,
    run_id: str,
    parameters: Optional[dict[str, Any]] = None,
    progress: bool = True,
    outer_jobs: Optional[int] = None,
    pairs_dir: Optional[Path] = None,
) -> ResultRow:
    """Run the OT of ``spec``: :func:`~caligo_sweep.app.ot.run_ot_pdc` for ``source=pdc``, else
    :func:`~caligo_sweep.app.ot.run_ot_link` (see there for the parameters).

    ``pairs_dir`` is ``<run folder>/pairs`` (where ``engine.save_bits`` streams the pairs); its parent is the run
    folder, where ``engine.save_ot`` writes ``ot_outputs.npz``.
    """
    run = run_ot_pdc if spec.pdc_source is not None else run_ot_link
    run_dir = pairs_dir.parent if pairs_dir is not None else None
    return run(spec, run_id=run_id, parameters=parameters, progress=progress, outer_jobs=outer_jobs, run_dir=run_dir)
