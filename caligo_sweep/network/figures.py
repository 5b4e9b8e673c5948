"""Figures 8-9 of Zhan et al. (2025): TTS and fidelity of every request over time, one line per strategy.

Drawn on ``matplotlib.figure.Figure`` objects (no pyplot, no backend switching). Each line is the mean over seeds
of the requests in consecutive time bins; the shaded band is the spread (min to max) of the per-seed bin means.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from caligo_sweep.network.result import AcpResult


def binned_series(requests: pd.DataFrame, bin_s: float) -> pd.DataFrame:
    """Per strategy and time bin: seed-mean and min/max of per-seed bin means of ``tts_ms`` and ``fidelity``.

    ``requests`` is the concatenation of runs' ``AcpResult.requests_frame()`` (columns strategy, seed, served,
    start_s, tts_ms, fidelity).
    """
    frame = requests[requests["served"]].assign(bin_start_s=lambda f: np.floor(f["start_s"] / bin_s) * bin_s)
    per_seed = frame.groupby(["strategy", "seed", "bin_start_s"])[["tts_ms", "fidelity"]].mean().reset_index()
    return per_seed.groupby(["strategy", "bin_start_s"])[["tts_ms", "fidelity"]].agg(["mean", "min", "max"])


def draw_tts_fidelity(results: list[AcpResult], bin_s: float = 1.0, title: str = "") -> Figure:
    """Two panels, (a) TTS in ms and (b) fidelity, against request start time, one line per strategy.

    Parameters
    ----------
    results : list of AcpResult
        Runs of one topology (several strategies and seeds).
    bin_s : float
        Width of the time bins in seconds.
    title : str
        Figure title.
    """
    requests = pd.concat([result.requests_frame() for result in results], ignore_index=True)
    change = results[0].settings.traffic_change_s if results else None
    return draw_request_series(requests, change, bin_s, title)


def draw_request_series(requests: pd.DataFrame, change_s: float | None, bin_s: float, title: str = "") -> Figure:
    """``draw_tts_fidelity`` from the runs' per-request table (``binned_series``), with the traffic change at
    ``change_s`` seconds (None: no change)."""
    series = binned_series(requests, bin_s)
    figure = Figure(figsize=(11.0, 4.2), layout="constrained")
    axes = figure.subplots(1, 2)
    for index, strategy in enumerate(series.index.get_level_values("strategy").unique()):
        part = series.loc[strategy]
        times = part.index.to_numpy() + bin_s / 2.0
        for ax, column in zip(axes, ("tts_ms", "fidelity")):
            ax.plot(times, part[(column, "mean")], color=f"C{index}", label=strategy)
            ax.fill_between(times, part[(column, "min")], part[(column, "max")], color=f"C{index}", alpha=0.2)
    for ax, label in zip(axes, ("(a) time-to-serve (ms)", "(b) end-to-end fidelity")):
        ax.set_xlabel("request start time (s)")
        ax.set_ylabel(label)
        if change_s is not None:
            ax.axvline(change_s, color="grey", ls="--", lw=1.0)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    if title:
        figure.suptitle(title)
    return figure


def save_figure(figure: Figure, path_stem: Path) -> list[Path]:
    """Write ``figure`` as ``<stem>.png`` and ``<stem>.svg``; return both paths."""
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [path_stem.with_suffix(".png"), path_stem.with_suffix(".svg")]
    for path in paths:
        figure.savefig(path, dpi=120)
    return paths
