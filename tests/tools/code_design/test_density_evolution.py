"""Density evolution pinned to published BSC thresholds (a discretised DE lands within its grid error of them)."""

import pytest

from caligo_sweep.reconciliation.degree_distributions import THRESHOLDS, VARIABLE_EDGE_FRACTIONS
from tools.code_design.density_evolution import BscDensityEvolution, concentrated_check_fractions

# LLR step 0.05 and phi step 0.001 move thresholds by well under 1 % (measured: (3,6) 0.08394, Table I 0.50: 0.10693,
# 0.70: 0.05042, 0.90: 0.01086); 2 % either side of the reference leaves room and still fails a wrong rule.
MARGIN = 0.02


def test_regular_three_six_threshold_is_0_084():
    # Richardson and Urbanke 2001, Table: BP threshold of the (3,6)-regular ensemble on the BSC, 0.084.
    evolution = BscDensityEvolution({3: 1.0}, {6: 1.0})
    assert evolution.converges(0.084 * (1 - MARGIN))[0]
    assert not evolution.converges(0.084 * (1 + MARGIN))[0]


@pytest.mark.parametrize("rate", [0.70, 0.90])
def test_table_one_thresholds(rate):
    # Elkouss et al. 2009, Table I: p* = 0.0504 at R = 0.70 and 0.0109 at R = 0.90 (check degrees concentrated).
    variable = VARIABLE_EDGE_FRACTIONS[rate]
    evolution = BscDensityEvolution(variable, concentrated_check_fractions(variable, rate))
    assert evolution.converges(THRESHOLDS[rate] * (1 - MARGIN))[0]
    assert not evolution.converges(THRESHOLDS[rate] * (1 + MARGIN))[0]


def test_concentrated_check_degrees_give_the_design_rate():
    variable = {2: 0.2, 3: 0.3, 12: 0.5}
    check = concentrated_check_fractions(variable, 0.6)
    assert max(check) - min(check) == 1
    rate = 1 - sum(w / d for d, w in check.items()) / sum(w / d for d, w in variable.items())
    assert rate == pytest.approx(0.6, abs=1e-12)
