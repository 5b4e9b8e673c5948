"""Batch plan and per-batch seed sequences."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.runner import BatchPlan, batch_seed_sequence, batch_seed_sequences


@pytest.mark.parametrize(("num_pairs", "batch_size", "n_batches", "last"), [(10, 3, 4, 1), (9, 3, 3, 3), (1, 5, 1, 1)])
def test_plan_splits_every_pair_once(num_pairs, batch_size, n_batches, last):
    plan = BatchPlan(num_pairs, batch_size)
    assert plan.n_batches == n_batches
    assert plan.sizes.sum() == num_pairs and plan.sizes[-1] == last
    assert [plan.size_of(i) for i in range(n_batches)] == plan.sizes.tolist()
    with pytest.raises(IndexError):
        plan.size_of(n_batches)


@pytest.mark.parametrize(
    ("num_pairs", "batch_size", "key"),
    [(0, 10, "num_pairs"), (2.5, 10, "num_pairs"), (10, 0, "workers.batch_size"), (10, True, "workers.batch_size")],
)
def test_plan_rejects_bad_values_naming_the_key(num_pairs, batch_size, key):
    with pytest.raises(ConfigValueError) as info:
        BatchPlan(num_pairs, batch_size)
    assert info.value.key == key


def test_batch_seed_is_the_spawned_child_of_its_index():
    children = batch_seed_sequences(42, 6)
    for index, child in enumerate(children):
        assert np.array_equal(batch_seed_sequence(42, index).generate_state(8), child.generate_state(8))
    assert not np.array_equal(children[0].generate_state(8), children[1].generate_state(8))
    with pytest.raises(ConfigValueError) as info:
        batch_seed_sequence(-1, 0)
    assert info.value.key == "seed"
