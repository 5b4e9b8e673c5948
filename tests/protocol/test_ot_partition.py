"""The OT partition: I_C matching-basis rounds, I_{1-C} different-basis rounds, sizes independent of C."""

import numpy as np
import pytest

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.protocol.partition import ot_partition


@pytest.mark.parametrize("n_rounds", [0, 1, 2, 17, 10_000])
def test_partition_sizes_are_equal_and_do_not_depend_on_the_choice_bit(n_rounds):
    rng = np.random.default_rng(n_rounds)
    alice = rng.integers(0, 2, n_rounds)
    bob = rng.integers(0, 2, n_rounds)
    matching = int(np.count_nonzero(alice == bob))
    sets = {c: ot_partition(alice, bob, c) for c in (0, 1)}
    for choice, (i0, i1) in sets.items():
        assert i0.size == i1.size == min(matching, n_rounds - matching)
        known, unknown = (i0, i1) if choice == 0 else (i1, i0)
        assert np.all(alice[known] == bob[known])
        assert np.all(alice[unknown] != bob[unknown])
        assert np.intersect1d(i0, i1).size == 0
        assert np.all(np.diff(i0) > 0) and np.all(np.diff(i1) > 0)
    # Alice sees only the pair (I_0, I_1): swapping C swaps the sets and nothing else.
    np.testing.assert_array_equal(sets[0][0], sets[1][1])
    np.testing.assert_array_equal(sets[0][1], sets[1][0])


def test_choice_bit_must_be_zero_or_one():
    with pytest.raises(ConfigValueError, match="protocol.choice_bit"):
        ot_partition(np.zeros(3), np.zeros(3), 2)
