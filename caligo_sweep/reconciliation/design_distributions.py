"""Search of BSC degree distributions of bounded maximum degree for the code family.

Run ``python -m caligo_sweep.reconciliation.design_distributions``.

The Table I distributions reach variable degrees 51-73 and, used at code rates around 0.9, have thresholds at
efficiencies of 1.12-1.17. This script searches the family ``lambda(x) = l2 x + l3 x^2 + (1 - l2 - l3) x^(d-1)``
(degrees 2, 3 and one high degree d <= 15), with check degrees concentrated on two neighbouring values, for each
design rate of :data:`DESIGN_RATES`:

1. ``l2`` is set to ``STABILITY_MARGIN`` times the stability bound ``1 / (2 sqrt(p (1 - p)) rho'(1))`` [1]_ at the
   crossover probability of efficiency ``TARGET_EFFICIENCY`` (capped so that the degree-2 nodes fit a staircase:
   ``Lambda_2 <= 1 - R``);
2. every ``(l3, d)`` on the grid is tested by density evolution just above the best threshold so far, and bisected
   only if it converges there; the highest threshold wins;
3. the table is written to ``data/designed_distributions.json`` (about 2 minutes on 2 cores; deterministic).

Results (efficiency at threshold): R = 0.50: 1.040, 0.60: 1.057, 0.70: 1.066, 0.80: 1.084, 0.90: 1.115, 0.95: 1.144.
Below rate 0.85 this is worse than Table I (1.02-1.04), and at n = 2^16 the codes built from these rows failed more
often than those from Table I (see ``FAMILY_ROWS`` in :mod:`caligo_sweep.reconciliation.degree_distributions`): a
small maximum degree did not buy a smaller finite-length gap. From rate 0.775 up the family uses the designs of
:mod:`caligo_sweep.reconciliation.design_high_rate` (two high degrees up to 40) instead, so it uses none of these.

References
----------
.. [1] T. Richardson, R. Urbanke, *Modern Coding Theory*, Cambridge (2008), Thm. 4.127 (stability condition).
"""

from __future__ import annotations

import json

import numpy as np
from joblib import Parallel, delayed
from scipy.optimize import brentq

from caligo_sweep.reconciliation.degree_distributions import DESIGNED_PATH
from caligo_sweep.reconciliation.density_evolution import BscDensityEvolution, concentrated_check_fractions
from caligo_sweep.reconciliation.reconcile import binary_entropy_bits

DESIGN_RATES = (0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95)
TARGET_EFFICIENCY = 1.06
STABILITY_MARGIN = 0.85
DEGREE_THREE_GRID = (0.24, 0.27, 0.30, 0.33, 0.36)
HIGH_DEGREE_GRID = (8, 10, 12, 15)


def crossover_at_efficiency(rate: float, efficiency: float) -> float:
    """p with ``(1 - rate) / h(p) = efficiency``."""
    return brentq(lambda p: binary_entropy_bits(p) - (1 - rate) / efficiency, 1e-6, 0.5 - 1e-9)


def candidate(rate: float, p: float, degree_three: float, high_degree: int) -> dict[int, float]:
    """Edge fractions of one member of the searched family (see the module docstring)."""
    degree_two = 0.2
    for _ in range(50):  # fixed point: l2 depends on rho'(1), which depends on l2
        variable = {2: degree_two, 3: degree_three, high_degree: 1 - degree_two - degree_three}
        check = concentrated_check_fractions(variable, rate)
        rho_slope = sum(w * (d - 1) for d, w in check.items())
        integral = sum(w / d for d, w in variable.items())
        staircase_cap = 2 * (1 - rate) * integral  # l2 with Lambda_2 = 1 - R
        degree_two = min(STABILITY_MARGIN / (2 * np.sqrt(p * (1 - p)) * rho_slope), staircase_cap, 0.99 - degree_three)
    return {2: degree_two, 3: degree_three, high_degree: 1 - degree_two - degree_three}


def design(rate: float) -> dict:
    """The best candidate for one design rate, with its threshold and efficiency at threshold."""
    p = crossover_at_efficiency(rate, TARGET_EFFICIENCY)
    low, high = crossover_at_efficiency(rate, 1.15), crossover_at_efficiency(rate, 1.0)
    best = None
    for high_degree in HIGH_DEGREE_GRID:
        for degree_three in DEGREE_THREE_GRID:
            variable = candidate(rate, p, degree_three, high_degree)
            if variable[high_degree] <= 0:
                continue
            evolution = BscDensityEvolution(variable, concentrated_check_fractions(variable, rate))
            tolerance = low * 3e-3
            if best is not None and not evolution.converges(best[0] + tolerance)[0]:
                continue  # cannot beat the best so far: one density evolution run instead of a bisection
            threshold = evolution.threshold(low if best is None else best[0] + tolerance, high, tolerance)
            print(f"  R={rate} d={high_degree} l3={degree_three}: p* = {threshold:.5f}", flush=True)
            if best is None or threshold > best[0]:
                best = (threshold, variable)
    return table_row(rate, *best)


def table_row(rate: float, threshold: float, variable: dict[int, float]) -> dict:
    """One JSON row of a designed table: rate, edge fractions, threshold and efficiency at threshold (rounded)."""
    return {
        "rate": rate,
        "variable_edge_fractions": {str(d): round(float(w), 5) for d, w in sorted(variable.items())},
        "threshold": round(threshold, 5),
        "efficiency_at_threshold": round((1 - rate) / binary_entropy_bits(threshold), 4),
    }


def main() -> None:
    """Run the search for every design rate (two processes) and write :data:`DESIGNED_PATH`."""
    table = Parallel(n_jobs=2)(delayed(design)(rate) for rate in DESIGN_RATES)
    DESIGNED_PATH.write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()
