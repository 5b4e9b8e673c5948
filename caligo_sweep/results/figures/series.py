"""Lines of derived OT rates against one parameter, one line per combination of the other swept parameters.

The rate-distance and finite-size figures are both of this kind; the quantities they plot are ratios of table
columns, defined here once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from caligo_sweep.results.figures.common import (
    axis_label,
    completed,
    describe,
    finish_legend,
    mark_zeros,
    replicate_summary,
    series_colours,
)


def ot_bits_per_second(table: pd.DataFrame) -> pd.Series:
    """OT bits per second of link time: ``ot_length_bits`` over the quantum phase (``sim_time_ns - wait_ns``).

    The wait Delta t is left out: it is paid once per protocol execution, whatever the link.
    """
    quantum_phase_s = (table["sim_time_ns"].astype(float) - table["wait_ns"].astype(float)) * 1e-9
    return table["ot_length_bits"].astype(float) / quantum_phase_s.where(quantum_phase_s > 0)


def ot_bits_per_pair(table: pd.DataFrame) -> pd.Series:
    """OT bits per requested EPR pair: ``ot_length_bits / num_pairs``."""
    return table["ot_length_bits"].astype(float) / table["num_pairs"].astype(float)


@dataclass(frozen=True)
class Panel:
    """One panel: the quantity drawn (a function of the completed rows), its name, axis label and scale."""

    name: str
    quantity: Callable[[pd.DataFrame], pd.Series]
    label: str
    log: bool


def plot_series(
    table: pd.DataFrame,
    x: str,
    series: Sequence[str],
    panels: Sequence[Panel],
    title: str,
    *,
    log_x: bool = False,
    series_note: Optional[Callable[[pd.DataFrame], str]] = None,
) -> Figure:
    """Panels side by side, each with one line per combination of the ``series`` parameters against ``x``.

    Replicates are averaged (band from minimum to maximum). On a log axis a point whose value is 0 (no OT) is a
    cross on the bottom edge. ``series_note(points)`` may add text to a series' legend label.
    """
    done = completed(table)
    values = [panel.name for panel in panels]
    done = done.assign(**{name: panel.quantity(done) for name, panel in zip(values, panels)})
    keys = list(series) or ["_all"]
    if not series:
        done = done.assign(_all=0)
    summary = replicate_summary(done, [*keys, x], values)
    combos = list(summary[keys].drop_duplicates().sort_values(keys).itertuples(index=False, name=None))
    fig = Figure(figsize=(5.6 * len(panels) + 1.5, 4.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    colours = series_colours(fig, axes, keys, combos)
    for combo, colour in zip(combos, colours):
        points = summary[np.logical_and.reduce([summary[k] == v for k, v in zip(keys, combo)])]
        label = describe(series, combo) if series else "all runs"
        if series_note is not None:
            label += series_note(points)
        for ax, value, panel in zip(axes, values, panels):
            shown = points[points[value] > 0] if panel.log else points
            ax.plot(shown[x], shown[value], color=colour, marker="o", ms=4, label=label)
            if int(points["replicates"].max()) > 1:
                ax.fill_between(shown[x], shown[f"{value}_min"], shown[f"{value}_max"], color=colour, alpha=0.2,
                                lw=0)
            if panel.log:
                mark_zeros(ax, points[x], points[value].eq(0), colour)
    for ax, value, panel in zip(axes, values, panels):
        log_y = panel.log and bool((summary[value] > 0).any())  # all zeros (no OT anywhere): a linear axis at 0
        ax.set_xlabel(axis_label(x))
        ax.set_ylabel(panel.label)
        ax.set_yscale("log" if log_y else "linear")
        ax.set_xscale("log" if log_x else "linear")
        _fit_x(ax, summary[x].to_numpy(dtype=float), log_x)
        if not log_y:
            ax.set_ylim(bottom=0.0)
        ax.grid(alpha=0.3, which="both")
    finish_legend(axes[-1], len(combos), loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle(title)
    return fig


def _fit_x(ax, xs: np.ndarray, log: bool) -> None:
    """x limits spanning every point, also those only marked as zeros (which autoscaling ignores)."""
    low, high = (np.log10(xs.min()), np.log10(xs.max())) if log else (xs.min(), xs.max())
    margin = 0.05 * (high - low) if high > low else 0.5
    low, high = low - margin, high + margin
    ax.set_xlim(*((10**low, 10**high) if log else (low, high)))
