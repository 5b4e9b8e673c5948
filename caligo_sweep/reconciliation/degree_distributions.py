"""BSC-optimised LDPC degree distributions (published and designed here) and their conversion to node counts.

:data:`VARIABLE_EDGE_FRACTIONS` is Table I of Elkouss, Leverrier, Alleaume and Boutros [1]_; the designed rows
(:data:`DESIGNED_HIGH_RATE_EDGE_FRACTIONS`, rates 0.475 and 0.775-0.95, maximum degree <= 40) come from the
density-evolution search of :mod:`tools.code_design.design_high_rate`; :data:`FAMILY_ROWS` says which rows
the shipped family uses.
Table I is given in the *edge perspective*:
``lambda(x) = sum_i lambda_i x^(i-1)``, so the coefficient of ``x^k`` is the fraction of edges attached to variable
nodes of degree ``k + 1`` (the paper's Eq. (4)). Reading exponents as degrees gives a broken code (a large fraction
of degree-1 variable nodes), which is the mistake documented for Caligo; :data:`VARIABLE_EDGE_FRACTIONS` therefore
stores *degrees* (exponent + 1) explicitly. Only the variable side is used: check degrees are kept concentrated on
two neighbouring values by the construction, as the paper's ``rho(x)`` also is (up to tiny terms).

References
----------
.. [1] D. Elkouss, A. Leverrier, R. Alleaume, J. J. Boutros, "Efficient reconciliation protocol for
   discrete-variable quantum key distribution", ISIT 2009, arXiv:0901.2140, Table I.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DESIGNED_HIGH_RATE_PATH = Path(__file__).resolve().parent / "data" / "designed_high_rate.json"

#: design rate -> {variable degree: fraction of edges}; degree = exponent of x in Table I plus one.
VARIABLE_EDGE_FRACTIONS: dict[float, dict[int, float]] = {
    0.90: {2: 0.07689, 3: 0.28096, 5: 0.08933, 9: 0.19620, 12: 0.30631, 21: 0.05031},
    0.85: {2: 0.04528, 3: 0.20537, 4: 0.05878, 5: 0.094274, 6: 0.08454, 7: 0.01176, 9: 0.05137, 21: 0.50015},
    0.80: {2: 0.09420, 3: 0.18088, 6: 0.11972, 7: 0.08550, 8: 0.09816, 17: 0.07194, 26: 0.34960},
    0.75: {2: 0.10805, 3: 0.09511, 4: 0.01449, 5: 0.13764, 6: 0.10667, 7: 0.05288, 28: 0.01107, 31: 0.47408},
    0.70: {
        2: 0.05343, 3: 0.29406, 6: 0.00896, 9: 0.15571, 12: 0.12189, 25: 0.19872, 46: 0.09572, 62: 0.02741,
        65: 0.04056, 73: 0.00354,
    },
    0.65: {
        2: 0.10451, 3: 0.15652, 4: 0.08057, 5: 0.00056, 9: 0.12151, 13: 0.10485, 15: 0.10719, 21: 0.00771,
        51: 0.31656,
    },
    0.60: {2: 0.11040, 3: 0.20804, 8: 0.14163, 9: 0.14858, 26: 0.14438, 27: 0.08909, 46: 0.00748, 71: 0.15038},
    0.55: {2: 0.16880, 3: 0.20994, 6: 0.18095, 15: 0.03846, 16: 0.02635, 18: 0.23454, 19: 0.05815, 31: 0.08280},
    0.50: {
        2: 0.14438, 3: 0.19026, 4: 0.01836, 5: 0.00233, 6: 0.04697, 8: 0.053943, 9: 0.05590, 10: 0.01290,
        11: 0.00162, 14: 0.06159, 15: 0.13115, 17: 0.01481, 47: 0.00879, 49: 0.00650, 55: 0.00210, 56: 0.00099,
        57: 0.11178, 58: 0.06238, 59: 0.05094, 66: 0.02230,
    },
}

#: BP thresholds (crossover probability) of the distributions above, from the same table.
THRESHOLDS: dict[float, float] = {
    0.90: 0.0109, 0.85: 0.0199, 0.80: 0.0298, 0.75: 0.0392, 0.70: 0.0504,
    0.65: 0.0633, 0.60: 0.0766, 0.55: 0.0904, 0.50: 0.1071,
}


def _designed_table(path: Path) -> dict[float, dict[int, float]]:
    """Design rate -> edge fractions of a table written by a design script (its rows also hold the thresholds)."""
    return {
        row["rate"]: {int(d): w for d, w in row["variable_edge_fractions"].items()}
        for row in json.loads(path.read_text())
    }


#: Distributions of rate 0.475 and 0.775-0.95 with degrees {2, 3, d1, d2}, d2 <= 40, written by
#: ``python -m tools.code_design.design_high_rate``.
DESIGNED_HIGH_RATE_EDGE_FRACTIONS: dict[float, dict[int, float]] = _designed_table(DESIGNED_HIGH_RATE_PATH)


#: Distributions of the shipped family, (design rate, table), by rate: Table I's 0.50 and 0.65 rows and every designed
#: row (0.475, 0.775-0.95). Each code takes the largest design rate not above its own rate (the smallest for lower
#: rates). Table I rows below 0.775 were chosen by a pilot on n = 2^16 codes (30 frames
#: per point): at QBER 5 %, f = 1.10 (rate 0.685), 0/30 frames failed with the 0.65 row, 4/30 with 0.70 and 6/30 with
#: 0.75; at QBER 8 %, f = 1.10 (rate 0.58), 0/30 with the 0.50 row and 17/30 with 0.65. Designed rows of maximum
#: degree 10-12 lost against Table I below 0.90 (QBER 5 %, f = 1.10: 52/100 failures against 2/100), as did picking
#: the Table I row of highest threshold per code (QBER 3 %, f = 1.10: 18/60 against 10/60): thresholds alone do not
#: rank these codes. From rate 0.85 up the rows of :mod:`tools.code_design.design_high_rate` (degrees
#: {2, 3, 8, 28-33}, efficiency at threshold 1.054-1.072) replace Table I's 0.85 row and the earlier designs of
#: maximum degree <= 15; frame failures of unshortened n = 2^16 codes (max. 200 passes, frame seeds 0..399, a point
#: stopped after 31 failures), old -> new, at f = m / (n h(p)):
#: m = 46 (R 0.955), f 1.26: 31/150 -> 11/400; m = 50 (0.951), f 1.22: 31/97 -> 22/400;
#: m = 58 (0.943), f 1.22: 31/106 -> 11/400; m = 63 (0.938), f 1.22: 31/203 -> 6/400;
#: m = 99 (0.903), f 1.16: 31/153 -> 11/400, f 1.18: 31/399 -> 5/400, f 1.20: 1/400 (new);
#: m = 107 (0.896), f 1.16: 31/153 -> 24/400, f 1.18: 29/400 -> 10/400; m = 125 (0.878), f 1.16: 22/400 -> 2/400;
#: m = 135 (0.868), f 1.14: 31/317 -> 17/400; m = 146 (0.857), f 1.14: 31/339 -> 8/400. Construction seeds 1 and 2
#: of the m = 99 code failed 19 and 24/400 at f 1.16 (seed 0: 11), so the gain is the rows', not the seed's. At n = 2^14
#: (400 frames): m = 29 (0.943), f 1.30: 120 -> 61; m = 50 (0.902), f 1.24: 42 -> 24; m = 63 (0.877), f 1.22: 29 -> 12.
#: The same rows reach down to rate 0.775 (QBER ~3 %): code of rate 0.784 (m = 221 base rows, n = 2^16), p = 0.0302,
#: f = 1.105, frame seeds 0..399: Table I's 0.65 row 27/400 failed frames, the designed 0.775 row 16/400, 0.80 row 13/400.
#: Below rate 0.50 (QBER ~10-11 %) the designed 0.475 row replaces Table I's 0.50 row (see ``design_high_rate``).
FAMILY_ROWS: tuple[tuple[float, dict[float, dict[int, float]]], ...] = tuple(
    sorted(
        [(rate, VARIABLE_EDGE_FRACTIONS) for rate in (0.50, 0.65)]
        + [(rate, DESIGNED_HIGH_RATE_EDGE_FRACTIONS) for rate in DESIGNED_HIGH_RATE_EDGE_FRACTIONS],
        key=lambda row: row[0],
    )
)


def family_distribution(rate: float) -> tuple[float, dict[float, dict[int, float]]]:
    """Design rate and table (Table I or a designed one, see :data:`FAMILY_ROWS`) of a family code.

    The row is the one of :data:`FAMILY_ROWS` with the largest design rate not above ``rate`` (the smallest one for
    lower rates).
    """
    eligible = [row for row in FAMILY_ROWS if row[0] <= rate + 1e-12] or [FAMILY_ROWS[0]]
    return eligible[-1]


def variable_degree_counts(
    design_rate: float,
    n_columns: int,
    max_degree: int,
    table: dict[float, dict[int, float]] = VARIABLE_EDGE_FRACTIONS,
) -> dict[int, int]:
    """Number of variable nodes of each degree for ``n_columns`` nodes.

    Converts the edge-perspective fractions to node fractions, ``Lambda_d = (lambda_d / d) / sum_i lambda_i / i``,
    caps degrees at ``max_degree`` and rounds by largest remainder so that the counts sum to ``n_columns``.

    Parameters
    ----------
    design_rate : float
        A key of ``table``.
    n_columns : int
        Number of variable nodes.
    max_degree : int
        Largest degree allowed (a base-matrix column cannot have more edges than there are rows).
    table : dict
        Design rate -> edge fractions: :data:`VARIABLE_EDGE_FRACTIONS` (Table I) or a designed table.

    Returns
    -------
    dict[int, int]
        Degree -> number of variable nodes, only positive counts.
    """
    edge_fractions = table[design_rate]
    degrees = np.array(sorted(edge_fractions))
    weights = np.array([edge_fractions[int(d)] for d in degrees]) / degrees
    node_fractions = weights / weights.sum()
    exact = node_fractions * n_columns
    counts = np.floor(exact).astype(int)
    shortfall = n_columns - int(counts.sum())
    counts[np.argsort(-(exact - counts), kind="stable")[:shortfall]] += 1
    capped: dict[int, int] = {}
    for degree, count in zip(np.minimum(degrees, max_degree), counts):
        if count > 0:
            capped[int(degree)] = capped.get(int(degree), 0) + int(count)
    return capped
