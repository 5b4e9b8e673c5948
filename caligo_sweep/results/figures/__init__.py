"""Sweep figures that choose themselves from what the sweep varied.

* one swept parameter: OT length and Q_channel (with its upper bound and the thresholds) against it;
* two: heatmaps of the OT length and of the security verdict over the grid, with the boundary contours;
* more: small multiples of the OT-length heatmap over the extra parameters;
* besides, when the link length varies: the rate-distance figure; when the number of pairs varies: the
  finite-size figure.

Repetitions over ``seed`` are averaged (mean with a band), never drawn on top of each other. Every figure is
written as PNG and SVG.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from caligo_sweep.results.figures.common import save_figure
from caligo_sweep.results.figures.finite_size import plot_finite_size
from caligo_sweep.results.figures.heatmaps import plot_small_multiples, plot_two_parameters
from caligo_sweep.results.figures.lines import plot_one_parameter
from caligo_sweep.results.figures.rate_distance import LENGTH_COLUMN, plot_rate_distance
from caligo_sweep.results.swept import swept_parameters

__all__ = [
    "plot_finite_size",
    "plot_one_parameter",
    "plot_rate_distance",
    "plot_small_multiples",
    "plot_two_parameters",
    "save_sweep_figures",
]

log = logging.getLogger("caligo_sweep.results")


def save_sweep_figures(table: pd.DataFrame, figures_dir: Path) -> list[Path]:
    """Draw the figures that suit the sweep into ``figures_dir``; return the files written (PNG and SVG).

    Nothing is drawn when no run completed or nothing but the seed varies.
    """
    done = table[table["status"] != "failed"] if "status" in table else table.iloc[0:0]
    if not len(done) or "ot_length_bits" not in done:
        return []
    swept = swept_parameters(done)
    by_levels = sorted(swept, key=lambda c: -done[c].nunique())
    figures = {}
    if len(swept) == 1:
        figures["ot_length_and_qber"] = plot_one_parameter(done, swept[0])
    elif len(swept) == 2:
        figures["heatmaps"] = plot_two_parameters(done, *by_levels)
    elif len(swept) > 2:
        figures["small_multiples"] = plot_small_multiples(done, *by_levels[:2], panels=by_levels[2:])
    if LENGTH_COLUMN in swept:
        figures["rate_distance"] = plot_rate_distance(done, [c for c in swept if c != LENGTH_COLUMN])
    if "num_pairs" in swept:
        figures["finite_size"] = plot_finite_size(done, [c for c in swept if c != "num_pairs"])
    if not figures:
        log.info("no figure: no parameter varies besides the seed")
    return [path for name, fig in figures.items() for path in save_figure(fig, figures_dir / name)]
