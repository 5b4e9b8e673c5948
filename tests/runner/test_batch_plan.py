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


@pytest.mark.parametrize("n_batches", [1, 2, 7, 100, 1907])
@pytest.mark.parametrize("n_jobs", [2, 3, 8])
def test_guided_chunks_cover_every_batch_once_shrinking_to_single_batches(n_batches, n_jobs):
    import math

    from caligo_sweep.runner.dispatch import guided_chunks

    chunks = guided_chunks(n_batches, n_jobs)
    assert [i for chunk in chunks for i in chunk] == list(range(n_batches))
    sizes = [len(chunk) for chunk in chunks]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
    assert sizes[0] == math.ceil(n_batches / (2 * n_jobs))  # a worker's first task: half its fair share
    assert len(chunks) <= 2 * n_jobs * (math.log(n_batches) + 1) + 1
