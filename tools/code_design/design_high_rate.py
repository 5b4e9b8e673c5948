"""Density-evolution search of BSC degree distributions with two high variable degrees.

Run ``python -m tools.code_design.design_high_rate`` (one process, deterministic).

An earlier search with one high degree, ``lambda(x) = l2 x + l3 x^2 + (1 - l2 - l3) x^(d-1)`` with d <= 15 (same
``l2`` rule, grid over ``(l3, d)``), reached efficiencies at threshold of 1.040 at R = 0.50, 1.066 at 0.70, 1.084 at
0.80, 1.115 at 0.90 and 1.144 at 0.95: worse than Table I below rate 0.85, and its codes failed more often than
Table I's at n = 2^16, so a small maximum degree did not buy a smaller finite-length gap (that search is in the
history of this repository). This search widens the family to

    lambda(x) = l2 x + l3 x^2 + (1 - l2 - l3) (t x^(d1 - 1) + (1 - t) x^(d2 - 1)),

with check degrees concentrated on two neighbouring values (:func:`concentrated_check_fractions`), for each rate of
:data:`DESIGN_RATES`:

1. ``l2`` is the largest value that both keeps ``STABILITY_MARGIN`` times below the stability bound
   ``1 / (2 sqrt(p (1 - p)) rho'(1))`` [1]_ (:func:`stability_bound`) at the crossover probability of efficiency
   ``TARGET_EFFICIENCY`` and lets the degree-2 nodes fit the construction's staircase (node fraction
   ``Lambda_2 <= 1 - R``);
2. ``(l3, d1, t, d2)`` is improved by coordinate search on the grids below from each point of :data:`STARTS`: each
   pass tries the two grid neighbours of every coordinate in turn and keeps a move if density evolution converges
   just above the best threshold so far (a bisection then locates the new threshold); the landscape has several
   local optima (one start alone stopped at efficiency 1.08 at rate 0.90, the other reaches 1.06);
3. the table is written to ``data/designed_high_rate.json`` (about 20 minutes on one core).

Written for the high rates (hence the name) and then run below them: the rows of R = 0.55, 0.60, 0.65 and 0.70 (1.028-1.033
at threshold) did not beat Table I's at n = 2^16 (QBER 5 %, f = 1.09: 14/400 failed frames against 8/400; QBER 8 %:
2/400 against 1/400), but below rate 0.50, where the family had only Table I's 0.50 row (maximum degree 66), the
0.475 row did: 3/400 against 33/400 at QBER 10 %, f = 1.10, and 34/400 against 143/400 at QBER 11 %.

Results (efficiency at threshold; degrees {2, 3, 8, d2}, ``l2`` at the staircase cap): R = 0.475: 1.022 (d2 = 28),
0.775: 1.043 (d2 = 40),
0.80: 1.045 (28), 0.825: 1.049 (28), 0.85: 1.054 (28), 0.875: 1.060 (28), 0.90: 1.063 (33), 0.925: 1.060 (33),
0.95: 1.072 (28).

The maximum degree stays below the number of base rows of every family code of rate <= 0.955 (46 at n = 2^16).

References
----------
.. [1] T. Richardson, R. Urbanke, *Modern Coding Theory*, Cambridge (2008), Thm. 4.127 (stability condition).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np

from scipy.optimize import brentq

from caligo_sweep.reconciliation.degree_distributions import DESIGNED_HIGH_RATE_PATH
from tools.code_design.density_evolution import BscDensityEvolution, concentrated_check_fractions
from caligo_sweep.entropy import binary_entropy

DESIGN_RATES = (0.475, 0.775, 0.80, 0.825, 0.85, 0.875, 0.90, 0.925, 0.95)
TARGET_EFFICIENCY = 1.06
STABILITY_MARGIN = 0.85
#: coordinate grids: l3, d1, t (share of the high-degree edges on d1), d2
GRIDS: tuple[tuple[float, ...], ...] = (
    (0.12, 0.16, 0.20, 0.24, 0.28, 0.32, 0.36, 0.40),
    (4, 5, 6, 7, 8, 10, 12),
    (0.0, 0.2, 0.4, 0.6, 0.8),
    (14, 17, 20, 24, 28, 33, 40),
)
#: a point of the search: (l3, d1, t, d2)
Point = tuple[float, int, float, int]
#: starting points of the coordinate search (a small and a large maximum degree); the best end point wins
STARTS = ((0.28, 6, 0.4, 20), (0.20, 8, 0.4, 33))


def crossover_at_efficiency(rate: float, efficiency: float) -> float:
    """Crossover probability p with ``(1 - rate) / h(p) = efficiency``."""
    return brentq(lambda p: binary_entropy(p) - (1 - rate) / efficiency, 1e-6, 0.5 - 1e-9)


def table_row(rate: float, threshold: float, variable: dict[int, float]) -> dict:
    """One JSON row of the designed table: rate, edge fractions, threshold and efficiency at threshold (rounded)."""
    return {
        "rate": rate,
        "variable_edge_fractions": {str(d): round(float(w), 5) for d, w in sorted(variable.items())},
        "threshold": round(threshold, 5),
        "efficiency_at_threshold": round((1 - rate) / binary_entropy(threshold), 4),
    }


def stability_bound(crossover_probability: float, check_edge_fractions: dict[int, float]) -> float:
    """Largest ``lambda_2`` for which the fixed point at zero error is stable on a BSC.

    ``lambda'(0) rho'(1) < 1 / B`` with the Bhattacharyya constant ``B = 2 sqrt(p (1 - p))`` [1]_.
    """
    p = crossover_probability
    rho_slope = sum(w * (d - 1) for d, w in check_edge_fractions.items())
    return 1.0 / (2.0 * np.sqrt(p * (1.0 - p)) * rho_slope)


def candidate(rate: float, p: float, point: Point) -> dict[int, float]:
    """Edge fractions of one member of the searched family (see the module docstring)."""
    degree_three, low_degree, low_share, high_degree = point
    degree_two = 0.05
    for _ in range(60):  # fixed point: l2 depends on rho'(1), which depends on l2
        rest = 1.0 - degree_two - degree_three
        variable = {2: degree_two, 3: degree_three}
        variable[low_degree] = variable.get(low_degree, 0.0) + rest * low_share
        variable[high_degree] = variable.get(high_degree, 0.0) + rest * (1.0 - low_share)
        variable = {d: w for d, w in variable.items() if w > 0}
        check = concentrated_check_fractions(variable, rate)
        integral = sum(w / d for d, w in variable.items())
        staircase_cap = 2.0 * (1.0 - rate) * integral  # l2 with Lambda_2 = 1 - R
        degree_two = min(STABILITY_MARGIN * stability_bound(p, check), staircase_cap)
    return variable


def _coordinate_search(
    rate: float,
    evolution: Callable[[Point], tuple[dict[int, float], BscDensityEvolution]],
    start: Point,
    low: float,
    high: float,
    tolerance: float,
) -> tuple[float, dict[int, float]]:
    """Threshold and edge fractions at the end of the coordinate search from ``start`` (step 2 of the docstring)."""
    best_point = start
    best_variable, trial = evolution(start)
    best_threshold = trial.threshold(low, high, tolerance)
    print(f"  R={rate} start {start}: p* = {best_threshold:.5f}", flush=True)
    improved = True
    while improved:
        improved = False
        for axis, grid in enumerate(GRIDS):
            position = grid.index(best_point[axis])
            for neighbour in (position - 1, position + 1):
                if not 0 <= neighbour < len(grid):
                    continue
                point = best_point[:axis] + (grid[neighbour],) + best_point[axis + 1 :]
                if point[1] >= point[3]:
                    continue  # d1 < d2
                variable, trial = evolution(point)
                if not trial.converges(best_threshold + tolerance)[0]:
                    continue  # cannot beat the best so far: one density evolution run instead of a bisection
                best_threshold = trial.threshold(best_threshold + tolerance, high, tolerance)
                best_point, best_variable, improved = point, variable, True
                print(f"  R={rate} {point}: p* = {best_threshold:.5f}", flush=True)
                break
    return best_threshold, best_variable


def design(rate: float) -> dict:
    """The best distribution found for one design rate, with its threshold and efficiency at threshold."""
    p = crossover_at_efficiency(rate, TARGET_EFFICIENCY)
    low, high = crossover_at_efficiency(rate, 1.25), crossover_at_efficiency(rate, 1.0)
    tolerance = low * 2e-3

    def evolution(point: Point) -> tuple[dict[int, float], BscDensityEvolution]:
        variable = candidate(rate, p, point)
        return variable, BscDensityEvolution(variable, concentrated_check_fractions(variable, rate))

    best_threshold, best_variable = max(
        (_coordinate_search(rate, evolution, start, low, high, tolerance) for start in STARTS), key=lambda r: r[0]
    )
    return table_row(rate, best_threshold, best_variable)


def main() -> None:
    """Run the search for every design rate and write :data:`DESIGNED_HIGH_RATE_PATH`."""
    table = [design(rate) for rate in DESIGN_RATES]
    DESIGNED_HIGH_RATE_PATH.write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()
