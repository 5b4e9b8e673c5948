"""Sweep figures choose themselves from what varies; checked on synthetic tables through what is plotted."""

import itertools
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PolyCollection, QuadMesh

from caligo_sweep.results.figures import (
    plot_finite_size,
    plot_one_parameter,
    plot_rate_distance,
    plot_small_multiples,
    plot_two_parameters,
    save_sweep_figures,
)
from caligo_sweep.results.figures.series import ot_bits_per_second
from caligo_sweep.results.swept import swept_parameters


def _table(**grid) -> pd.DataFrame:
    """One row per grid point; OT length rises with fidelity and falls with r, secure when positive."""
    keys = list(grid)
    rows = []
    for values in itertools.product(*grid.values()):
        point = dict(zip(keys, values))
        r, fidelity = point.get("nsm_r", 0.5), point.get("link_fidelity", 0.99)
        pairs = point.get("num_pairs", 10**6)
        qber = 2 * (1 - fidelity) / 3 + 1e-4 * point.get("seed", 0)
        length = max(0, int(pairs * (0.3 - 0.2 * r - 10 * qber)))
        rows.append({
            "run_id": str(len(rows)), "status": "ok" if length > 0 else "insecure", "seed": 1, "link": "depolarise",
            "nsm_r": r, "num_pairs": pairs, "qber": qber, "qber_upper": qber * 1.1, "q_storage": (1 - r) / 2,
            "secure_individual_asymptotic": qber * 1.1 < (1 - r) / 2, "secure": length > 0, "ot_length_bits": length,
            "sim_time_ns": 2e9 + pairs * 1e3 * (1 + point.get("link_length_km", 0)), "wait_ns": 2e9,
            "link_fidelity": fidelity, "link_length_km": 10.0, **point,
        })
    return pd.DataFrame(rows)


def test_swept_parameters_ignore_seeds_and_keys_fixed_by_a_swept_option():
    table = _table(nsm_r=[0.3, 0.6], seed=[1, 2])
    assert swept_parameters(table) == ["nsm_r"]
    table["link_visibility"] = table["nsm_r"].map({0.3: 0.9, 0.6: 0.99})  # follows r: not a parameter of its own
    assert swept_parameters(table) == ["nsm_r"]


def test_one_parameter_draws_mean_with_band_and_the_thresholds():
    table = _table(nsm_r=[0.2, 0.5, 0.8], seed=[1, 2, 3])
    fig = plot_one_parameter(table, "nsm_r")
    length_ax, qber_ax = fig.axes
    assert length_ax.get_xlabel() == "storage retention probability r" and "[bits]" in length_ax.get_ylabel()
    (mean_line,) = [line for line in length_ax.get_lines() if line.get_label() == "OT length \u2113"]
    expected = table.groupby("nsm_r")["ot_length_bits"].mean()
    np.testing.assert_allclose(mean_line.get_ydata(), expected.to_numpy())
    assert any(isinstance(c, PolyCollection) for c in length_ax.collections)  # the band over seeds
    labels = {line.get_label(): line for line in qber_ax.get_lines()}
    np.testing.assert_allclose(labels["limit (1 - r)/2"].get_ydata(), [0.4, 0.25, 0.1])
    assert {"upper confidence bound", "Schaffner limit 11 %", "measured Q"} <= set(labels)
    assert "mean of 3 seeds" in fig.get_suptitle()


def test_two_parameters_give_heatmaps_of_length_and_verdict_with_boundaries():
    table = _table(nsm_r=[0.1, 0.5, 0.9], link_fidelity=[0.95, 0.99])
    fig = plot_two_parameters(table, "nsm_r", "link_fidelity")
    titles = {ax.get_title(): ax for ax in fig.axes}
    length_ax, verdict_ax = titles["OT length \u2113"], titles["security verdict"]
    grid = length_ax.collections[0]
    assert isinstance(grid, QuadMesh)
    expected = table.pivot(index="link_fidelity", columns="nsm_r", values="ot_length_bits").to_numpy(dtype=float)
    np.testing.assert_allclose(grid.get_array().filled(0).reshape(expected.shape), expected)
    assert [t.get_text() for t in length_ax.get_xticklabels()] == ["0.1", "0.5", "0.9"]
    assert length_ax.get_ylabel() == "link fidelity F"
    verdicts = verdict_ax.collections[0].get_array().reshape(expected.shape)
    np.testing.assert_array_equal(verdicts == 2, expected > 0)
    assert any(isinstance(c, LineCollection) and len(c.get_segments()) for c in verdict_ax.collections)


def test_more_parameters_give_one_panel_per_extra_value_and_one_colour_bar():
    table = _table(nsm_r=[0.1, 0.5], link_fidelity=[0.95, 0.99], nsm_nu=[0.01, 0.1, 0.2])
    fig = plot_small_multiples(table, "nsm_r", "link_fidelity", ["nsm_nu"])
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["\u03bd=0.01", "\u03bd=0.1", "\u03bd=0.2"]
    assert len(fig.axes) - len([ax for ax in fig.axes if ax.get_title() or not ax.get_visible()]) == 1


def test_rate_distance_plots_bits_per_second_of_link_time_and_marks_lengths_without_ot():
    table = _table(link_length_km=[1.0, 50.0, 100.0], nsm_r=[0.3, 0.9])
    table.loc[table["link_length_km"] == 100.0, ["ot_length_bits", "status"]] = [0, "insecure"]
    fig = plot_rate_distance(table, ["nsm_r"])
    rate_ax = fig.axes[0]
    assert rate_ax.get_xlabel() == "link length [km]" and rate_ax.get_yscale() == "log"
    (line,) = [line for line in rate_ax.get_lines() if line.get_label() == "r=0.3"]
    rows = table[(table["nsm_r"] == 0.3) & (table["ot_length_bits"] > 0)]
    np.testing.assert_allclose(line.get_ydata(), rows["ot_length_bits"] / ((rows["sim_time_ns"] - 2e9) * 1e-9))
    assert ot_bits_per_second(rows).gt(0).all()
    crosses = [c for c in rate_ax.collections if len(c.get_offsets())]
    assert sum(len(c.get_offsets()) for c in crosses) == 2  # 100 km, both r


def test_finite_size_names_the_smallest_n_with_ot_per_series():
    table = _table(num_pairs=[1000, 10**4, 10**5, 10**6], link_fidelity=[0.99])
    table.loc[table["num_pairs"] < 10**5, ["ot_length_bits", "status"]] = [0, "insecure"]
    fig = plot_finite_size(table, [])
    assert fig.axes[0].get_xscale() == "log" and fig.axes[0].get_xlabel() == "EPR pairs n"
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == ["all runs (\u2113 > 0 from n = 10^5)"]


def test_many_series_get_a_colour_bar_instead_of_a_legend():
    table = _table(link_length_km=[1.0, 50.0], nsm_r=list(np.linspace(0.05, 0.95, 12).round(3)))
    fig = plot_rate_distance(table, ["nsm_r"])
    assert all(ax.get_legend() is None for ax in fig.axes)
    assert any(ax.get_ylabel() == "storage retention probability r" for ax in fig.axes)  # the colour bar


@pytest.mark.parametrize(
    "grid, names",
    [
        ({"nsm_r": [0.2, 0.8]}, {"ot_length_and_qber"}),
        ({"nsm_r": [0.2, 0.8], "link_fidelity": [0.95, 0.99]}, {"heatmaps"}),
        ({"nsm_r": [0.2, 0.8], "link_fidelity": [0.95, 0.99], "nsm_nu": [0.1, 0.2]}, {"small_multiples"}),
        ({"link_length_km": [1.0, 50.0], "nsm_r": [0.2, 0.8]}, {"heatmaps", "rate_distance"}),
        ({"num_pairs": [10**4, 10**6]}, {"ot_length_and_qber", "finite_size"}),
        ({"seed": [1, 2]}, set()),
    ],
)
def test_saved_figures_follow_the_sweep_as_png_and_svg(tmp_path, grid, names):
    paths = save_sweep_figures(_table(**grid), tmp_path)
    assert {p.name for p in paths} == {f"{n}.{ext}" for n in names for ext in ("png", "svg")}
    assert all(p.stat().st_size > 0 for p in paths)


def test_importing_and_saving_figures_leaves_the_matplotlib_backend_alone(tmp_path):
    code = (
        "import matplotlib, sys; matplotlib.use('svg'); "
        "import caligo_sweep.results.figures, caligo_sweep.app.callbacks; "
        "assert matplotlib.get_backend() == 'svg', matplotlib.get_backend(); "
        "assert 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_a_length_sweep_without_any_ot_still_draws_with_zeros_marked(tmp_path):
    table = _table(link_length_km=[3.0, 17.5, 31.2])
    table["ot_length_bits"] = 0
    table["status"] = "insecure"
    paths = save_sweep_figures(table, tmp_path)
    assert {p.stem for p in paths} == {"ot_length_and_qber", "rate_distance"}
    rate_axes = plot_rate_distance(table, []).axes[:2]
    assert all(ax.get_yscale() == "linear" for ax in rate_axes)  # no positive rate to put on a log axis
