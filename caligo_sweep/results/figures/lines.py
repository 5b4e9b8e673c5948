"""A sweep over one parameter: OT length and channel error rate against it, security thresholds drawn in."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from caligo_sweep.protocol.security import STW_QBER_LIMIT
from caligo_sweep.results.figures.common import axis_label, completed, format_value, mark_zeros, replicate_summary

_VALUES = ("ot_length_bits", "qber", "qber_upper", "q_storage")


def plot_one_parameter(table: pd.DataFrame, x: str) -> Figure:
    """Two panels against the swept parameter ``x``: the OT length, and Q_channel with its upper bound.

    Replicates (several seeds) are drawn as their mean with a band from their minimum to their maximum. The right
    panel draws the strict condition's limit (1 - r)/2 and Schaffner's 11 %; a point is secure only when its
    upper bound lies below (1 - r)/2 and its OT length is positive.
    """
    done = completed(table)
    summary = replicate_summary(done, [x], [v for v in _VALUES if v in done])
    positions, ticks = _positions(summary[x])
    fig = Figure(figsize=(11.0, 4.2), layout="constrained")
    length_ax, qber_ax = fig.subplots(1, 2)
    replicated = int(summary["replicates"].max()) > 1
    _band_line(length_ax, positions, summary, "ot_length_bits", "C0", "OT length \u2113", replicated)
    length_ax.set_ylabel(axis_label("ot_length_bits"))
    length_ax.set_ylim(bottom=0.0)
    _band_line(qber_ax, positions, summary, "qber", "C1", "measured Q", replicated)
    qber_ax.plot(positions, summary["qber_upper"], color="C1", ls="--", marker="v", ms=4,
                 label="upper confidence bound")
    if "q_storage" in summary:
        qber_ax.plot(positions, summary["q_storage"], color="black", lw=1.4, label="limit (1 - r)/2")
    qber_ax.axhline(STW_QBER_LIMIT, color="0.5", lw=1.0, ls=":", label="Schaffner limit 11 %")
    _qber_scale(qber_ax, summary)
    qber_ax.set_ylabel("channel error rate Q_channel")
    for ax in (length_ax, qber_ax):
        ax.set_xlabel(axis_label(x))
        if ticks is not None:
            ax.set_xticks(positions, ticks)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    if pd.api.types.is_numeric_dtype(summary[x]) and _spans_decades(summary[x]):
        for ax in (length_ax, qber_ax):
            ax.set_xscale("log")
    mark_zeros(length_ax, pd.Series(positions), summary["ot_length_bits"].eq(0), "C0")
    note = f" (mean of {int(summary['replicates'].max())} seeds, band: min to max)" if replicated else ""
    fig.suptitle(f"OT length and channel error rate against {axis_label(x)}{note}")
    return fig


def _band_line(ax: Axes, positions, summary: pd.DataFrame, value: str, color: str, label: str, band: bool) -> None:
    ax.plot(positions, summary[value], color=color, marker="o", ms=4, label=label)
    if band:
        ax.fill_between(positions, summary[f"{value}_min"], summary[f"{value}_max"], color=color, alpha=0.25, lw=0)


def _positions(values: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    """Numeric values are their own positions; others (link names) sit at 0, 1, 2, ... with text ticks."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float), None
    return np.arange(len(values), dtype=float), [format_value(v) for v in values]


def _spans_decades(values: pd.Series) -> bool:
    finite = values.to_numpy(dtype=float)
    return bool((finite > 0).all() and finite.max() / finite.min() >= 100.0)


def _qber_scale(ax: Axes, summary: pd.DataFrame) -> None:
    """Linear scale up to the highest threshold when the data reach it; otherwise log, so both stay readable."""
    low = float(np.nanmin(summary["qber"].to_numpy(dtype=float)))
    high = max(float(np.nanmax(summary[c].to_numpy(dtype=float))) for c in ("qber_upper", "q_storage")
               if c in summary)
    high = max(high, STW_QBER_LIMIT)
    if low > 0 and high / low > 8.0:
        ax.set_yscale("log")
        ax.set_ylim(low / 2.0, min(0.5, 2.0 * high))
    else:
        ax.set_ylim(0.0, min(0.5, 1.15 * high))
