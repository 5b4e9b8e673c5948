"""High-rate designed distributions: stability bound against density evolution, and the shipped rows' constraints."""

import pytest

from caligo_sweep.reconciliation.degree_distributions import DESIGNED_HIGH_RATE_EDGE_FRACTIONS, THRESHOLDS
from tools.code_design.density_evolution import BscDensityEvolution, concentrated_check_fractions
from tools.code_design.design_high_rate import stability_bound


def test_stability_bound_closed_form_for_regular_checks():
    # Richardson-Urbanke Thm. 4.127 for the BSC: lambda_2 (d_c - 1) 2 sqrt(p (1 - p)) < 1; at p = 0.01, d_c = 40:
    # 1 / (39 * 2 * sqrt(0.0099)) = 0.128851...
    assert stability_bound(0.01, {40: 1.0}) == pytest.approx(0.1288510, rel=1e-6)


@pytest.mark.parametrize("factor, converges", [(1.15, False), (0.85, True)])
def test_density_evolution_obeys_the_stability_bound(factor, converges):
    # lambda(x) = l2 x + (1 - l2) x^7 with regular checks: at p = 0.006 (well below the threshold once l2 is small)
    # density evolution converges iff l2 is below the bound, up to the discretisation.
    check = {40: 1.0}
    p = 0.006
    degree_two = factor * stability_bound(p, check)
    evolution = BscDensityEvolution({2: degree_two, 8: 1 - degree_two}, check)
    assert bool(evolution.converges(p)[0]) is converges


@pytest.mark.parametrize("rate", sorted(DESIGNED_HIGH_RATE_EDGE_FRACTIONS))
def test_high_rate_rows_fit_the_construction(rate):
    # degree-2 nodes fit the staircase (node fraction <= 1 - R) and the largest degree stays below the 46 base rows
    # of the highest-rate family code at n = 2^16
    variable = DESIGNED_HIGH_RATE_EDGE_FRACTIONS[rate]
    node_weights = {d: w / d for d, w in variable.items()}
    assert node_weights[2] / sum(node_weights.values()) <= 1 - rate + 1e-4
    assert max(variable) <= 46


def test_high_rate_row_beats_table_one_threshold_at_rate_0_90():
    # Elkouss et al. 2009, Table I: p* = 0.0109 at R = 0.90 (f = 1.153); the shipped designed row (p* = 0.01205,
    # efficiency 1.063, by its own search) decodes 8 % above that.
    variable = DESIGNED_HIGH_RATE_EDGE_FRACTIONS[0.90]
    evolution = BscDensityEvolution(variable, concentrated_check_fractions(variable, 0.90))
    assert evolution.converges(THRESHOLDS[0.90] * 1.08)[0]
