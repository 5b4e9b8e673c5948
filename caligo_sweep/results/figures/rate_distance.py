"""The rate-distance figure of QKD papers, for OT: OT bits per second and per pair against link length."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from caligo_sweep.results.figures.series import Panel, ot_bits_per_pair, ot_bits_per_second, plot_series

#: Columns that hold the link length (the heralded and auto links use ``length`` in km).
LENGTH_COLUMN = "link_length_km"


def plot_rate_distance(table: pd.DataFrame, series: Sequence[str]) -> Figure:
    """OT bits per second of link time and per EPR pair against ``link_length_km``, a line per ``series`` value.

    Crosses on the bottom edge mark lengths where the OT length is 0: past them the link yields no OT.
    """
    panels = (
        Panel("ot_bits_per_second", ot_bits_per_second, "OT rate [bits per second of link time]", log=True),
        Panel("ot_bits_per_pair", ot_bits_per_pair, "OT bits per EPR pair", log=True),
    )
    return plot_series(table, LENGTH_COLUMN, series, panels, "OT rate against link length (x: no OT)")
