"""Hydra sweeper for caligo_sweep: the basic sweeper without its second composition of every job.

Hydra's basic sweeper composes each job's config once to check it and again in the launcher. caligo_sweep checks
the whole command line (and an experiment's ``hydra.sweeper.params``) before Hydra starts, in
:mod:`caligo_sweep.app.preflight`: every group option, key and type, and the value ranges, of every swept value. The
sweeper's own check would repeat that work for each job, about 0.15 s apiece, so it is skipped here; everything
else is Hydra's ``BasicSweeper``.
"""

# No ``from __future__ import annotations`` here: Hydra's plugin scan executes this module outside sys.modules,
# where dataclasses cannot resolve string annotations.
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Dict, Optional

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper


@dataclass
class PrevalidatedSweeperConf:
    """Same fields as Hydra's BasicSweeperConf."""

    _target_: str = "hydra_plugins.caligo_sweep_sweeper.PrevalidatedSweeper"
    max_batch_size: Optional[int] = None
    params: Optional[Dict[str, str]] = None


class PrevalidatedSweeper(BasicSweeper):
    """Hydra's basic sweeper for command lines that caligo_sweep's preflight has already checked."""

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Skip the per-job composition: the preflight validated every job's overrides before the sweep began."""

