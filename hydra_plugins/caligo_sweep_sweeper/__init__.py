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
where a copy would drift. The subclass relies on ``setup``, ``sweep``, ``_parse_config``, ``split_arguments``,
``validate_batch_is_legal``, ``batch_index``, ``max_batch_size``, ``hydra_context`` and ``config``; pyproject.toml
pins hydra-core to 1.3.x and tests/test_hydra_internals.py checks those members on the installed Hydra. A resume
that does not repeat the sweep is refused in ``sweep`` before Hydra's own ``sweep`` writes ``multirun.yaml``, so
the refused command changes nothing in the folder.
"""

# No ``from __future__ import annotations`` here: Hydra's plugin scan executes this module outside sys.modules,
# where dataclasses cannot resolve string annotations.
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

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

    def sweep(self, arguments: List[str]) -> Any:
        """Refuse a resume that does not repeat the sweep before Hydra writes anything (its ``multirun.yaml``)."""
        from hydra.core.override_parser.overrides_parser import OverridesParser

        from caligo_sweep.app.hydra_errors import InputError
        from caligo_sweep.app.sweep_state import read_plan, result_overrides

        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        batches = self.split_arguments(parser.parse_overrides(self._parse_config() + list(arguments)), self.max_batch_size)
        self._jobs = [result_overrides(job) for jobs_of_batch in batches for job in jobs_of_batch]
        sweep_dir = Path(self.config.hydra.sweep.dir)
        previous = read_plan(sweep_dir)
        if previous is not None and [result_overrides(job) for job in previous] != self._jobs:
            raise InputError(
                f"resume=true must repeat the sweep of {sweep_dir} ({len(previous)} jobs, first: "
                f"{' '.join(previous[0]) if previous else 'none'}); got {len(self._jobs)} jobs, first: "
                f"{' '.join(self._jobs[0]) if self._jobs else 'none'}"
            )
        return super().sweep(arguments)

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Before the first batch: record the job list (instead of composing every job a second time)."""
        if self.batch_index != 1:
            return
        from caligo_sweep.app.sweep_state import STATE, write_plan

        write_plan(Path(self.config.hydra.sweep.dir), self._jobs)
        if STATE.progress is not None:
            STATE.progress.set_total(len(self._jobs))
