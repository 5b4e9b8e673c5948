"""Sweeps over two or more parameters: heatmaps of the OT length and of the security verdict over the grid.

Grid cells sit at equal spacing whatever the parameter values (a fidelity grid 0.9, 0.95, ..., 0.995 stays
readable); tick labels give the values. Two lines along cell edges mark the boundaries: solid where the point
becomes secure (positive OT length), dashed where the individual-storage condition Q_upper < min(0.11, (1 - r)/2)
starts to hold; between them lies the gap where that condition holds but the finite-size OT length is still 0.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, LogNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from caligo_sweep.results.figures.common import axis_label, completed, describe, format_value

#: Verdict categories, coded 0, 1, 2, with their colours.
VERDICTS = ("insecure", "Q_upper < min(0.11, (1-r)/2) but \u2113 = 0", "secure (\u2113 > 0)")
_VERDICT_COLOURS = ("#d9d9d9", "#fdae61", "#1a9641")
#: At most this many panels in a small-multiples figure.
MAX_PANELS = 24
#: Cells up to this many get their OT length written in.
_ANNOTATE_CELLS = 80


def verdict_codes(done: pd.DataFrame) -> pd.Series:
    """0 insecure, 1 individual-storage condition only (the gap), 2 secure, per row of completed runs."""
    return (done["secure"] > 0).astype(int) * 2 + ((done["secure"] == 0) & (done["secure_individual_asymptotic"] > 0)).astype(int)


def plot_two_parameters(table: pd.DataFrame, x: str, y: str) -> Figure:
    """Heatmaps over the ``x`` by ``y`` grid: the OT length (mean over seeds) and the verdict (most seeds' verdict)."""
    done = completed(table).assign(verdict=lambda d: verdict_codes(d))
    fig = Figure(figsize=(12.5, 4.8), layout="constrained")
    length_ax, verdict_ax = fig.subplots(1, 2)
    xs, ys = _levels(done[x]), _levels(done[y])
    lengths = _grid(done, x, y, xs, ys, "ot_length_bits", "mean")
    mesh = _heatmap(length_ax, lengths, "viridis", length_norm(lengths))
    fig.colorbar(mesh, ax=length_ax, label=axis_label("ot_length_bits"))
    _annotate(length_ax, lengths, mesh)
    verdicts = _grid(done, x, y, xs, ys, "verdict", lambda s: s.mode().min())
    _heatmap(verdict_ax, verdicts, ListedColormap(_VERDICT_COLOURS), Normalize(-0.5, 2.5))
    for ax in (length_ax, verdict_ax):
        _boundaries(ax, done, x, y, xs, ys)
        _axes(ax, x, y, xs, ys)
    length_ax.set_title("OT length \u2113")
    verdict_ax.set_title("security verdict")
    verdict_ax.legend(handles=_verdict_legend(), fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    seeds = done["seed"].nunique() if "seed" in done else 1
    fig.suptitle(f"OT length and security over {axis_label(y)} and {axis_label(x)}"
                 + (f" ({seeds} seeds: mean length, most frequent verdict)" if seeds > 1 else ""))
    return fig


def plot_small_multiples(table: pd.DataFrame, x: str, y: str, panels: Sequence[str]) -> Figure:
    """One OT-length heatmap over ``x`` and ``y`` per combination of the ``panels`` parameters, one colour scale."""
    done = completed(table)
    combos = list(done[list(panels)].drop_duplicates().sort_values(list(panels)).itertuples(index=False, name=None))
    shown = combos[:MAX_PANELS]
    ncols = min(4, len(shown))
    nrows = math.ceil(len(shown) / ncols)
    fig = Figure(figsize=(3.6 * ncols + 1.2, 3.1 * nrows + 0.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    xs, ys = _levels(done[x]), _levels(done[y])
    norm = length_norm(done["ot_length_bits"].to_numpy(dtype=float))
    mesh = None
    for ax, combo in zip(axes, shown):
        subset = done[np.logical_and.reduce([done[k] == v for k, v in zip(panels, combo)])]
        mesh = _heatmap(ax, _grid(subset, x, y, xs, ys, "ot_length_bits", "mean"), "viridis", norm)
        _boundaries(ax, subset, x, y, xs, ys)
        _axes(ax, x, y, xs, ys)
        ax.set_title(describe(panels, combo), fontsize="small")
    for ax in axes[len(shown):]:
        ax.set_visible(False)
    fig.colorbar(mesh, ax=list(axes), label=axis_label("ot_length_bits"), shrink=0.8)
    more = f" (first {MAX_PANELS} of {len(combos)} combinations)" if len(combos) > MAX_PANELS else ""
    fig.suptitle(f"OT length over {axis_label(y)} and {axis_label(x)}, one panel per {', '.join(panels)}{more};"
                 " solid: secure boundary, dashed: Q_upper < min(0.11, (1-r)/2)")
    return fig


def length_norm(lengths: np.ndarray) -> Normalize:
    """Colour scale of OT lengths: linear from 0, or logarithmic when the positive lengths span over two decades
    (cells with no OT then stay blank, their 0 written in)."""
    positive = lengths[np.isfinite(lengths) & (lengths > 0)]
    if len(positive) and positive.max() / positive.min() > 100.0:
        return LogNorm(positive.min(), positive.max())
    return Normalize(0.0, max(1.0, float(positive.max()) if len(positive) else 1.0))


def _levels(values: pd.Series) -> list:
    return sorted(values.dropna().unique())


def _grid(done: pd.DataFrame, x: str, y: str, xs: list, ys: list, value: str, how) -> np.ndarray:
    """``value`` aggregated over the rows of each (y, x) cell; NaN where the sweep has no run."""
    cells = done.groupby([y, x], sort=True)[value].agg(how)
    grid = np.full((len(ys), len(xs)), np.nan)
    for (y_value, x_value), cell in cells.items():
        grid[ys.index(y_value), xs.index(x_value)] = float(cell)
    return grid


def _heatmap(ax: Axes, grid: np.ndarray, cmap, norm: Normalize):
    shown = np.where(grid > 0, grid, np.nan) if isinstance(norm, LogNorm) else grid
    mesh = ax.pcolormesh(np.ma.masked_invalid(shown), cmap=cmap, norm=norm)
    ax.set_facecolor("white")
    return mesh


def _boundaries(ax: Axes, done: pd.DataFrame, x: str, y: str, xs: list, ys: list) -> None:
    """Cell edges between points secure in most replicates and the others (solid), likewise for the strict
    condition Q_upper < (1-r)/2 (dashed)."""
    for column, style in (("secure", "-"), ("secure_individual_asymptotic", "--")):
        holds = _grid(done, x, y, xs, ys, column, "mean") > 0.5
        segments = [((c + 1, r), (c + 1, r + 1)) for r, c in zip(*np.nonzero(holds[:, :-1] != holds[:, 1:]))]
        segments += [((c, r + 1), (c + 1, r + 1)) for r, c in zip(*np.nonzero(holds[:-1, :] != holds[1:, :]))]
        ax.add_collection(LineCollection(segments, colors="black", linestyles=style, linewidths=2.0))


def _axes(ax: Axes, x: str, y: str, xs: list, ys: list) -> None:
    ax.set_xticks(np.arange(len(xs)) + 0.5, [format_value(v) for v in xs], rotation=45 if len(xs) > 8 else 0)
    ax.set_yticks(np.arange(len(ys)) + 0.5, [format_value(v) for v in ys])
    ax.set_xlabel(axis_label(x))
    ax.set_ylabel(axis_label(y))


def _annotate(ax: Axes, grid: np.ndarray, mesh) -> None:
    """Write each cell's OT length into small grids, in a colour that stays readable on the cell."""
    if grid.size > _ANNOTATE_CELLS:
        return
    for row, column in itertools.product(range(grid.shape[0]), range(grid.shape[1])):
        value = grid[row, column]
        if np.isfinite(value):
            blank = isinstance(mesh.norm, LogNorm) and value <= 0
            dark = not blank and mesh.norm(value) < 0.6
            ax.text(column + 0.5, row + 0.5, _compact(value), ha="center", va="center", fontsize="x-small",
                    color="white" if dark else "black")


def _compact(bits: float) -> str:
    """85370 -> '85k', 1.2e6 -> '1.2M', 0 -> '0'."""
    for scale, suffix in ((1e6, "M"), (1e3, "k")):
        if bits >= scale:
            return f"{bits / scale:.3g}{suffix}"
    return f"{bits:.0f}"


def _verdict_legend() -> list:
    patches = [Patch(facecolor=colour, label=label) for colour, label in zip(_VERDICT_COLOURS, VERDICTS)]
    return patches + [
        Line2D([], [], color="black", lw=1.6, label="secure boundary"),
        Line2D([], [], color="black", lw=1.6, ls="--", label="Q_upper < min(0.11, (1-r)/2) boundary"),
    ]
