"""Search BSC degree distributions of bounded maximum degree (``python -m caligo_sweep.reconciliation.design_distributions``).

Finite-length codes lose less to their density-evolution threshold when the maximum variable degree is small [1]_;
the Table I distributions reach degrees 51-73. This script searches the family ``lambda(x) = l2 x + l3 x^2 +
(1 - l2 - l3) x^(d-1)`` (degrees 2, 3 and one high degree d; a coarse grid around the optimum of a wider pilot at rate 0.5), with check degrees concentrated on two neighbouring
values, for each design rate of :data:`DESIGN_RATES`:

1. ``l2`` is set to ``STABILITY_MARGIN`` times the stability bound ``1 / (2 sqrt(p (1 - p)) rho'(1))`` [2]_ at the
   crossover probability of efficiency ``TARGET_EFFICIENCY`` (capped so that the degree-2 nodes fit a staircase:
   ``Lambda_2 <= 1 - R``);
2. the threshold of every ``(l3, d)`` on the grid is bisected by density evolution; the highest wins;
3. the table is written to ``data/designed_distributions.json``, which the code
   construction reads (the search is deterministic; runs and ``build_codes`` never repeat it).

References
----------
.. [1] T. Richardson, A. Shokrollahi, R. Urbanke, "Design of capacity-approaching irregular low-density parity-check
   codes", IEEE Trans. Inf. Theory 47, 619 (2001), Sec. VI (small maximum degrees for short codes).
.. [2] T. Richardson, R. Urbanke, *Modern Coding Theory*, Cambridge (2008), Thm. 4.127 (stability condition).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from scipy.optimize import brentq

from caligo_sweep.reconciliation.density_evolution import BscDensityEvolution, concentrated_check_fractions

DESIGNED_PATH = Path(__file__).resolve().parent / "data" / "designed_distributions.json"
DESIGN_RATES = (0.50, 0.60, 0.70, 0.80, 0.90)
TARGET_EFFICIENCY = 1.06
STABILITY_MARGIN = 0.85
DEGREE_THREE_GRID = (0.27, 0.30, 0.33)
HIGH_DEGREE_GRID = (10, 12, 15)


def binary_entropy(p: float) -> float:
    """h(p) in bits."""
    return float(-p * np.log2(p) - (1 - p) * np.log2(1 - p))


def crossover_at_efficiency(rate: float, efficiency: float) -> float:
    """p with ``(1 - rate) / h(p) = efficiency``."""
    return brentq(lambda p: binary_entropy(p) - (1 - rate) / efficiency, 1e-6, 0.5 - 1e-9)


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
            threshold = evolution.threshold(low, high, tolerance=low * 3e-3)
            print(f"  R={rate} d={high_degree} l3={degree_three}: p* = {threshold:.5f}", flush=True)
            if best is None or threshold > best[0]:
                best = (threshold, variable)
    threshold, variable = best
    return {
        "rate": rate,
        "variable_edge_fractions": {str(d): round(float(w), 5) for d, w in sorted(variable.items())},
        "threshold": round(threshold, 5),
        "efficiency_at_threshold": round((1 - rate) / binary_entropy(threshold), 4),
    }


def main() -> None:
    """Run the search for every design rate and write :data:`DESIGNED_PATH`."""
    table = Parallel(n_jobs=2)(delayed(design)(rate) for rate in DESIGN_RATES)
    print(table, flush=True)
    DESIGNED_PATH.write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()
