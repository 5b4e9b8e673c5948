"""The finite-size figure: OT length against the number of EPR pairs, and the smallest n that gives a positive OT."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

import pandas as pd
from matplotlib.figure import Figure

from caligo_sweep.results.figures.series import Panel, ot_bits_per_pair, plot_series
from caligo_sweep.results.summary import format_count


def minimum_pairs(points: pd.DataFrame) -> Optional[float]:
    """Smallest ``num_pairs`` of the grid with a positive mean OT length, or None when there is none.

    The true threshold lies between this grid value and the one below it.
    """
    positive = points.loc[points["ot_length_bits"] > 0, "num_pairs"]
    return float(positive.min()) if len(positive) else None


def plot_finite_size(table: pd.DataFrame, series: Sequence[str]) -> Figure:
    """OT length and OT bits per pair against ``num_pairs`` (log axes), a line per ``series`` value.

    The legend gives each line's smallest n with a positive OT length on the swept grid.
    """
    panels = (
        Panel("ot_length_bits", lambda done: done["ot_length_bits"], "OT length \u2113 [bits]", log=True),
        Panel("ot_bits_per_pair", ot_bits_per_pair, "OT bits per EPR pair", log=False),
    )
    return plot_series(
        table, "num_pairs", series, panels, "Finite-size effect: OT length against the number of pairs (x: \u2113 = 0)",
        log_x=True, series_note=_threshold_note,
    )


def _threshold_note(points: pd.DataFrame) -> str:
    smallest = minimum_pairs(points)
    return " (no OT)" if smallest is None else f" (\u2113 > 0 from n = {format_count(smallest)})"
