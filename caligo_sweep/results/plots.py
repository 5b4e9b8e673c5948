"""Figures drawn from a sweep table. Plots only draw: every number comes from the table."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen before pyplot is imported)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from caligo_sweep.protocol.security.asymptotic import STW_QBER_LIMIT  # noqa: E402

#: Column-name prefixes of configuration columns that may define a series.
_PARAMETER_PREFIXES = ("link_", "device_", "nsm_", "source_", "eta_")
#: Marker per (secure_individual_asymptotic, ot_length_bits > 0).
_MARKERS = {
    (True, True): dict(marker="o", label="Q < min(0.11, (1-r)/2) and ell > 0"),
    (True, False): dict(marker="o", facecolors="none", label="Q < min(0.11, (1-r)/2) but ell = 0 (chain not met)"),
    (False, True): dict(marker="^", label="ell > 0 but Q >= min(0.11, (1-r)/2)"),
    (False, False): dict(marker="x", label="neither"),
}


def varying_parameters(table: pd.DataFrame) -> list[str]:
    """Configuration columns, other than ``nsm_r``, that take more than one value in the table."""
    candidates = [c for c in table.columns if c.startswith(_PARAMETER_PREFIXES) and c != "nsm_r"]
    return [c for c in candidates if table[c].astype(str).nunique() > 1]


def _series(table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    keys = varying_parameters(table)
    if not keys:
        return [("Q_channel", table.sort_values("nsm_r"))]
    labelled = []
    for values, group in table.groupby(keys, dropna=False):
        values = values if isinstance(values, tuple) else (values,)
        labelled.append((", ".join(f"{k}={v}" for k, v in zip(keys, values)), group.sort_values("nsm_r")))
    return labelled


def plot_security_boundary(table: pd.DataFrame, *, ax: Optional[Axes] = None) -> Axes:
    """The OT rounds' QBER (bar up to the calibrated bound ``qber_upper``) against ``min(0.11, (1 - r)/2)``.

    One colour per combination of the other swept parameters; the marker tells which conditions hold: Schaffner et
    al.'s asymptotic individual-storage condition ``qber_upper < min(0.11, (1-r)/2)``
    (``secure_individual_asymptotic``) and a positive OT length of the finite-size general-attack chain. Hollow
    circles are not shown insecure: the chain is sufficient for security, not necessary.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.4))
    done = table[table["status"] != "failed"].dropna(subset=["qber_upper", "nsm_r"])
    r_grid = np.linspace(0.0, 1.0, 201)
    ax.plot(r_grid, np.minimum(STW_QBER_LIMIT, (1.0 - r_grid) / 2.0), color="black", lw=1.2)
    # Analytic sources (source=pdc) have no measured QBER: their point is the model's rate, with no bar.
    estimate = done["qber"].fillna(done["qber_upper"]) if "qber" in done else done["qber_upper"]
    series_handles = []
    for index, (label, group) in enumerate(_series(done.assign(_estimate=estimate))):
        color = f"C{index % 10}"
        ax.vlines(group["nsm_r"], group["_estimate"], group["qber_upper"], color=color, lw=1.0, alpha=0.8)
        for (strict, positive), style in _MARKERS.items():
            individual = group["secure_individual_asymptotic"].astype(bool)
            chosen = (individual == strict) & ((group["ot_length_bits"] > 0) == positive)
            style = {k: v for k, v in style.items() if k != "label"}
            edge = {"edgecolors": color} if style.get("facecolors") == "none" else {"color": color}
            ax.scatter(group["nsm_r"][chosen], group["_estimate"][chosen], zorder=3, **style, **edge)
        series_handles.append(Line2D([], [], color=color, marker="o", ls="", label=label))
    marker_handles = [
        Line2D([], [], color="gray", ls="", marker=s["marker"], markerfacecolor="none" if "facecolors" in s else "gray",
               label=s["label"])
        for s in _MARKERS.values()
    ]
    boundary = Line2D([], [], color="black", lw=1.2, label="min(0.11, (1 - r)/2)")
    ax.legend(handles=[boundary, *series_handles, *marker_handles], fontsize="x-small", loc="upper left",
              bbox_to_anchor=(1.01, 1.0))
    ax.set_xlabel("storage retention probability r")
    ax.set_ylabel("OT-round QBER (bar: calibrated upper bound)")
    ax.set_xlim(0.0, 1.0)
    top = float(done["qber_upper"].max()) if len(done) else 0.5
    ax.set_ylim(0.0, min(0.5, max(1.1 * STW_QBER_LIMIT, 1.6 * top)))
    return ax


def plot_ot_length(table: pd.DataFrame, *, ax: Optional[Axes] = None) -> Axes:
    """Finite-size OT length ``ot_length_bits`` against r, one line per combination of the other parameters."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.4))
    done = table[table["status"] != "failed"].dropna(subset=["ot_length_bits", "nsm_r"])
    for index, (label, group) in enumerate(_series(done)):
        ax.plot(group["nsm_r"], group["ot_length_bits"], marker="o", color=f"C{index % 10}", label=label)
    ax.set_xlabel("storage retention probability r")
    ax.set_ylabel("OT length ell [bits] (0 when insecure)")
    ax.set_xlim(0.0, 1.0)
    ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def save_security_boundary(table: pd.DataFrame, figures_dir: Path) -> Path:
    """Draw both panels into ``figures_dir / security_boundary.png``."""
    figures_dir.mkdir(parents=True, exist_ok=True)
    fig, (left, right) = plt.subplots(1, 2, figsize=(14.0, 4.8))
    plot_security_boundary(table, ax=left)
    plot_ot_length(table, ax=right)
    fig.suptitle(
        "Individual-storage condition Q < min(0.11, (1-r)/2) (asymptotic) "
        "versus the finite-size general-attack OT length"
    )
    fig.tight_layout()
    path = figures_dir / "security_boundary.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
