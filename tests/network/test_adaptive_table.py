"""Algorithm 1 against hand-computed tables; roulette-wheel frequencies."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.network.adaptive_table import ProbabilityTable


def test_update_rewards_links_on_the_path_and_renormalises():
    table = ProbabilityTable(0, [1, 2, 3])  # 1, 2, 3 and the phantom, 1/4 each
    table.update([1, 0, 3], delta=0.05)
    assert table.probabilities == pytest.approx(np.array([0.30, 0.25, 0.30, 0.25]) / 1.10)
    table.update([5, 2, 0], delta=0.05)  # only the link (2, 0) touches node 0
    previous = np.array([0.30, 0.25, 0.30, 0.25]) / 1.10
    assert table.probabilities == pytest.approx((previous + [0, 0.05, 0, 0]) / 1.05)


def test_update_ignores_paths_not_through_the_node():
    table = ProbabilityTable(0, [1, 2])
    table.update([1, 2, 4], delta=0.05)
    assert table.probabilities == pytest.approx([1 / 3] * 3)


def test_table_stays_a_distribution_under_many_rewards():
    table = ProbabilityTable(4, [1, 2, 3, 5, 6])
    rng = np.random.default_rng(7)
    for _ in range(2000):
        neighbours = rng.choice([1, 2, 3, 5, 6], size=2, replace=False)
        table.update([int(neighbours[0]), 4, int(neighbours[1])], delta=0.05)
        assert table.probabilities.sum() == pytest.approx(1.0)
        assert np.all((table.probabilities >= 0) & (table.probabilities <= 1))
    assert table.probability(None) < 1e-6  # the phantom is never rewarded


def test_roulette_frequencies_follow_the_table():
    table = ProbabilityTable(0, [1, 2])
    table.probabilities = np.array([0.6, 0.3, 0.1])
    rng = np.random.default_rng(11)
    draws = 20000
    picks = [table.select(rng) for _ in range(draws)]
    for entry, p in zip([1, 2, None], table.probabilities):
        count = sum(pick == entry for pick in picks)
        assert abs(count - draws * p) < 5 * np.sqrt(draws * p * (1 - p))
