"""What every sweep figure shares: axis labels with units, replicate averaging, series colours, saving.

Figures are :class:`matplotlib.figure.Figure` objects built without pyplot, so drawing needs no GUI backend and
importing this package changes nothing in a user's session; ``savefig`` renders PNG and SVG with matplotlib's own
file canvases.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from caligo_sweep.results.summary import format_count

#: At most this many legend entries; more series get a colour bar instead.
MAX_LEGEND_ENTRIES = 10
#: Files written for every figure: a raster for quick looks and a vector file for papers.
FIGURE_FORMATS = ("png", "svg")

#: Axis labels of the columns that figures draw most (units in brackets).
_LABELS = {
    "nsm_r": "storage retention probability r",
    "nsm_nu": "storage rate \u03bd [storable qubits per pair]",
    "delta_t_ns": "wait time \u0394t [ns]",
    "num_pairs": "EPR pairs n",
    "link_fidelity": "link fidelity F",
    "link_length_km": "link length [km]",
    "link_dark_count_probability": "dark-count probability per window",
    "device_detector_error": "detector error e_det",
    "reconciliation_efficiency": "assumed error-correction efficiency f",
    "nsm_eps": "security parameter \u03b5",
    "ot_length_bits": "OT length \u2113 [bits]",
    "qber": "channel error rate Q",
    "seed": "seed",
}
#: Unit suffixes of column names and how an axis label writes them.
_UNIT_SUFFIXES = {"_km_per_s": "km/s", "_dB_per_km": "dB/km", "_bits": "bits", "_ns": "ns", "_km": "km", "_s": "s"}
_GROUPS = ("link", "device", "nsm", "source", "protocol", "workers", "engine")


def axis_label(column: str) -> str:
    """Human axis label of a column, with its unit: ``"link_p_loss_length_dB_per_km"`` -> ``"link.p_loss_length [dB/km]"``."""
    if column in _LABELS:
        return _LABELS[column]
    name, unit = column, None
    for suffix, written in _UNIT_SUFFIXES.items():
        if column.endswith(suffix):
            name, unit = column[: -len(suffix)], written
            break
    group, _, key = name.partition("_")
    name = f"{group}.{key}" if group in _GROUPS and key else name
    return f"{name} [{unit}]" if unit else name


def format_value(value: object) -> str:
    """Short text of a parameter value for ticks, titles and legends."""
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and math.isfinite(value):
        if float(value).is_integer() and abs(value) >= 1000:
            return format_count(value)
        return f"{value:.6g}"
    return str(value)


def describe(keys: Sequence[str], values: Sequence[object]) -> str:
    """``"r=0.5, link_fidelity=0.99"`` for a combination of parameter values."""
    return ", ".join(f"{_short_name(k)}={format_value(v)}" for k, v in zip(keys, values))


#: Symbols of the parameters most swept, for legends and panel titles.
_SYMBOLS = {"nsm_r": "r", "nsm_nu": "\u03bd", "num_pairs": "n", "link_fidelity": "F", "link_length_km": "L [km]"}


def _short_name(column: str) -> str:
    return _SYMBOLS.get(column, column)


def completed(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of runs that finished (any status but ``failed``), with float copies of the drawn columns."""
    done = table[table["status"] != "failed"].copy()
    for column in ("ot_length_bits", "qber", "qber_upper", "q_storage", "n_pairs", "num_pairs"):
        if column in done:
            done[column] = pd.to_numeric(done[column], errors="coerce").astype(float)
    if "qber" in done and "qber_upper" in done:
        # An analytic source (kind=ot_pdc) measures nothing: its point is the model's error rate.
        done["qber"] = done["qber"].fillna(done["qber_upper"])
    for column in ("secure", "secure_individual_asymptotic"):
        if column in done:
            done[column] = done[column].astype("boolean").fillna(False).astype(float)
    return done


def replicate_summary(frame: pd.DataFrame, keys: Sequence[str], values: Sequence[str]) -> pd.DataFrame:
    """Mean, minimum and maximum of ``values`` over the rows sharing ``keys`` (the replicates of one point).

    Columns are ``<value>``, ``<value>_min``, ``<value>_max`` and ``replicates``, sorted by ``keys``.
    """
    grouped = frame.groupby(list(keys), sort=True, dropna=False)
    summary = grouped[list(values)].mean()
    for value in values:
        summary[f"{value}_min"] = grouped[value].min()
        summary[f"{value}_max"] = grouped[value].max()
    summary["replicates"] = grouped.size()
    return summary.reset_index()


def series_colours(fig: Figure, axes: Sequence[Axes], keys: Sequence[str], combos: Sequence[tuple]) -> list:
    """A colour per series; adds a colour bar (instead of a long legend) when there are too many series.

    Returns the colours in the order of ``combos``; with at most :data:`MAX_LEGEND_ENTRIES` series the caller
    labels them for a legend.
    """
    if len(combos) <= MAX_LEGEND_ENTRIES:
        return [f"C{index}" for index in range(len(combos))]
    first = [combo[0] for combo in combos]
    numeric = all(isinstance(v, (int, float, np.number)) for v in first)
    values = np.asarray(first, dtype=float) if numeric else np.arange(len(combos), dtype=float)
    norm = Normalize(values.min(), values.max())
    cmap = colormaps["viridis"]
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=list(axes), fraction=0.04, pad=0.02)
    bar.set_label(axis_label(keys[0]) if numeric else "series")
    return [cmap(norm(v)) for v in values]


def finish_legend(ax: Axes, n_series: int, **kwargs) -> None:
    """Legend outside the plot, only when the series are few enough to read one."""
    handles, labels = ax.get_legend_handles_labels()
    if handles and n_series <= MAX_LEGEND_ENTRIES:
        ax.legend(fontsize="small", **kwargs)


def mark_zeros(ax: Axes, x: pd.Series, zero: pd.Series, color) -> None:
    """Crosses on the bottom edge of a log-scaled axis where the plotted quantity is 0 (no OT)."""
    if zero.any():
        ax.scatter(x[zero], np.zeros(int(zero.sum())), marker="x", color=color, clip_on=False, zorder=4,
                   transform=ax.get_xaxis_transform())


def save_figure(fig: Figure, stem: Path) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg``; return their paths."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(f".{fmt}") for fmt in FIGURE_FORMATS]
    for path in paths:
        fig.savefig(path, dpi=130, bbox_inches="tight")
    return paths
