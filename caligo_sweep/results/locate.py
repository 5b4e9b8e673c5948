"""Finding a sweep's folder under ``outputs/``: the newest one, or the newest of one experiment preset."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from omegaconf import OmegaConf

#: Table file every gathered sweep folder holds.
TABLE_FILE = "results.parquet"


def sweep_experiment(sweep_dir: Path) -> Optional[str]:
    """The experiment preset a sweep ran (``hydra.runtime.choices.experiment`` of its ``multirun.yaml``), or None."""
    path = sweep_dir / "multirun.yaml"
    if not path.exists():
        return None
    choice = OmegaConf.select(OmegaConf.load(path), "hydra.runtime.choices.experiment")
    return None if choice is None else str(choice)


def newest_sweep(outputs: Path = Path("outputs"), experiment: Optional[str] = None) -> Path:
    """The most recent sweep folder with a results table, of the given experiment preset if one is named.

    Raises
    ------
    FileNotFoundError
        If there is none (naming where it looked).
    """
    folders = sorted(path.parent for path in outputs.glob(f"multiruns/*/*/{TABLE_FILE}"))
    if experiment is not None:
        folders = [folder for folder in folders if sweep_experiment(folder) == experiment]
    if not folders:
        wanted = f" of experiment={experiment}" if experiment else ""
        raise FileNotFoundError(f"no sweep{wanted} with {TABLE_FILE} under {outputs / 'multiruns'}; run one first")
    return folders[-1]
