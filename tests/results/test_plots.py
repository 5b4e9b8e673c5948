"""The sweep figure draws every non-failed row, measured (link) or analytic (pdc), and nothing else."""

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection

from caligo_sweep.results.plots import plot_security_boundary, varying_parameters


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "status": ["ok", "insecure", "ok", "failed"],
            "nsm_r": [0.5, 0.9, 0.75, 0.7],
            "qber": [0.01, 0.04, np.nan, np.nan],  # third row: analytic source, no measurement
            "qber_upper": [0.012, 0.045, 0.0093, np.nan],
            "secure_individual_asymptotic": [True, True, True, False],
            "ot_length_bits": [100, 0, 1802, 0],
            "link_fidelity": [0.99, 0.95, np.nan, 0.9],
        }
    )


def test_every_completed_row_becomes_one_marker():
    ax = plot_security_boundary(_table())
    markers = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets())]
    offsets = np.vstack([c.get_offsets() for c in markers])
    drawn = {(round(x, 6), round(y, 6)) for x, y in offsets if np.isfinite(y)}
    assert drawn == {(0.5, 0.01), (0.9, 0.04), (0.75, 0.0093)}


def test_series_follow_the_parameters_that_vary_besides_r():
    assert varying_parameters(_table()) == ["link_fidelity"]
