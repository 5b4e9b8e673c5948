"""Hydra sweeper for caligo_sweep: the basic sweeper, writing its job list, composing each job's config fast.

Hydra's basic sweeper composes each job's config once to check it and again in the launcher. caligo_sweep checks
every swept value when the multirun starts (``on_multirun_start``, :mod:`caligo_sweep.app.input_checks`), so the
sweeper's own check would repeat that work for each job (about 0.15 s apiece); it is replaced by writing the sweep's
job list, ``jobs.json``, into the sweep folder before the first job starts. The list lets a gather of an interrupted
sweep name the jobs that never ran, and lets ``resume=true`` check that it finishes the same sweep, with the same
job numbers. The launcher composes each job through :class:`caligo_sweep.app.sweep_configs.CachedSweepConfigs`,
which composes each distinct set of group choices once. Everything else is Hydra's ``BasicSweeper``.

This is the one module of the project that imports ``hydra._internal``: Hydra exports no basic sweeper, and
subclassing its own keeps every sweep feature (ranges, globs, ``max_batch_size``, the launchers) exactly Hydra's,
where a copy would drift. The subclass relies on ``setup``, ``validate_batch_is_legal``, ``batch_index``,
``overrides`` and ``config``; pyproject.toml pins hydra-core to 1.3.x and tests/test_hydra_internals.py checks those
members on the installed Hydra.
"""

# No ``from __future__ import annotations`` here: Hydra's plugin scan executes this module outside sys.modules,
# where dataclasses cannot resolve string annotations.
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig


@dataclass
class PrevalidatedSweeperConf:
    """Same fields as Hydra's BasicSweeperConf."""

    _target_: str = "hydra_plugins.caligo_sweep_sweeper.PrevalidatedSweeper"
    max_batch_size: Optional[int] = None
    params: Optional[Dict[str, str]] = None


class PrevalidatedSweeper(BasicSweeper):
    """Hydra's basic sweeper for sweeps whose values caligo_sweep checked when the multirun started."""

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        """Hand the launcher a config loader that composes each distinct structure of the sweep once."""
        from caligo_sweep.app.sweep_configs import CachedSweepConfigs

        cached = HydraContext(config_loader=CachedSweepConfigs(hydra_context.config_loader), callbacks=hydra_context.callbacks)
        super().setup(hydra_context=cached, task_function=task_function, config=config)

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Before the first batch: record the job list (instead of composing every job a second time)."""
        if self.batch_index != 1:
            return
        from caligo_sweep.app.hydra_errors import InputError
        from caligo_sweep.app.sweep_state import STATE, read_plan, result_overrides, write_plan

        jobs = [list(job) for jobs_of_batch in self.overrides for job in jobs_of_batch]
        sweep_dir = Path(self.config.hydra.sweep.dir)
        previous = read_plan(sweep_dir)
        if previous is not None and [result_overrides(j) for j in previous] != [result_overrides(j) for j in jobs]:
            raise InputError(
                f"resume=true must repeat the sweep of {sweep_dir} ({len(previous)} jobs, first: "
                f"{' '.join(previous[0]) if previous else 'none'}); got {len(jobs)} jobs, first: {' '.join(jobs[0])}"
            )
        write_plan(sweep_dir, [result_overrides(job) for job in jobs])
        if STATE.progress is not None:
            STATE.progress.set_total(len(jobs))

