"""Figures drawn from a sweep table. Plots only draw: every number comes from the table."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (backend must be chosen first)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

#: Columns that identify a run rather than describe its parameter point.
_NON_PARAMETER_COLUMNS = {"run_id", "seed", "nsm_r", "status", "error", "job", "overrides"}


def varying_parameters(table: pd.DataFrame) -> list[str]:
    """Configuration columns (``link_*``, ``device_*``, ``nsm_*``, ...) that take more than one value, besides r."""
    candidates = [
        column
        for column in table.columns
        if column.split("_", 1)[0] in {"link", "device", "nsm", "source", "eta"}
        and column not in _NON_PARAMETER_COLUMNS
    ]
    return [column for column in candidates if table[column].astype(str).nunique() > 1]


def plot_security_boundary(table: pd.DataFrame, *, ax: Optional[Axes] = None) -> Axes:
    """Measured Q_channel with its finite-size upper bound against the storage noise (1 - r)/2.

    Each point is one run: the marker is the measured QBER, the bar reaches up to ``qber_upper``; filled markers
    are points whose upper bound lies strictly below (1 - r)/2 (``secure_strict``), hollow ones are not. One series
    per combination of the other swept parameters.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.4))
    done = table[table["status"] != "failed"].dropna(subset=["qber", "nsm_r"])
    r_grid = np.linspace(0.0, 1.0, 201)
    ax.plot(r_grid, (1.0 - r_grid) / 2.0, color="black", lw=1.2, label="storage noise (1 - r)/2")
    series_keys = varying_parameters(done)
    groups = done.groupby(series_keys, dropna=False) if series_keys else [((), done)]
    for key, group in groups:
        group = group.sort_values("nsm_r")
        key_values = key if isinstance(key, tuple) else (key,)
        label = ", ".join(f"{name}={value}" for name, value in zip(series_keys, key_values)) or "Q_channel"
        errors = np.vstack([np.zeros(len(group)), group["qber_upper"] - group["qber"]])
        container = ax.errorbar(group["nsm_r"], group["qber"], yerr=errors, fmt="none", capsize=3, alpha=0.8)
        color = container.lines[2][0].get_color() if container.lines[2] else None
        secure = group["secure_strict"].astype(bool).to_numpy()
        ax.scatter(group["nsm_r"][secure], group["qber"][secure], color=color, label=label, zorder=3)
        ax.scatter(group["nsm_r"][~secure], group["qber"][~secure], facecolors="none", edgecolors=color, zorder=3)
    ax.set_xlabel("storage retention probability r")
    ax.set_ylabel("channel error rate Q_channel")
    ax.set_title("Security boundary: filled = upper bound strictly below (1 - r)/2")
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(bottom=0.0)
    ax.legend(fontsize="small")
    return ax


def save_security_boundary(table: pd.DataFrame, figures_dir: Path) -> Path:
    """Draw :func:`plot_security_boundary` into ``figures_dir / security_boundary.png``."""
    figures_dir.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    plot_security_boundary(table, ax=ax)
    fig.tight_layout()
    path = figures_dir / "security_boundary.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
