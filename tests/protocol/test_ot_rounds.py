"""The streamed partition of a bits-path run: equal to the whole-run partition, sizes independent of C, oblivious."""

import numpy as np
import pytest

from caligo_sweep.engine import PairBits, sample_bits
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.links import DepolariseLink
from caligo_sweep.physics.outcomes import build_physical_model
from caligo_sweep.physics.device import DeviceNoise
from caligo_sweep.protocol.ot_rounds import RoundFiler, choose_bit
from caligo_sweep.protocol.partition import ot_partition


@pytest.fixture(scope="module")
def batches():
    model = build_physical_model(DepolariseLink(fidelity=0.97, prob_success=1.0, t_cycle_ns=1000.0), DeviceNoise())
    return [sample_bits(model, size, np.random.default_rng(i)) for i, size in enumerate((1000, 4093, 1, 20000))]


def _filed(batches, choice_bit):
    filer = RoundFiler()
    for batch in batches:
        filer(batch)
    return filer.partition(choice_bit)


@pytest.mark.parametrize("choice_bit", [0, 1])
def test_streamed_partition_equals_the_partition_of_the_whole_run(batches, choice_bit):
    whole = PairBits.concatenate(batches).unpack()
    sets = ot_partition(whole["alice_bases"], whole["bob_bases"], choice_bit)
    halves = _filed(batches, choice_bit)
    for j in (0, 1):
        np.testing.assert_array_equal(halves.alice[j].unpack(), whole["alice_bits"][sets[j]])
        np.testing.assert_array_equal(halves.bob[j].unpack(), whole["bob_bits"][sets[j]])


def test_half_sizes_are_equal_and_independent_of_the_choice_bit(batches):
    sizes = {c: _filed(batches, c) for c in (0, 1)}
    assert {h.alice[0].size for h in sizes.values()} == {h.alice[1].size for h in sizes.values()} == {
        sizes[0].half_bits
    }
    # Alice receives (I_0, I_1): swapping C swaps the halves and nothing else.
    np.testing.assert_array_equal(sizes[0].alice[0].unpack(), sizes[1].alice[1].unpack())
    np.testing.assert_array_equal(sizes[0].alice[1].unpack(), sizes[1].alice[0].unpack())


@pytest.mark.parametrize("choice_bit", [0, 1])
def test_bob_is_oblivious_of_the_other_half(batches, choice_bit):
    halves = _filed(batches, choice_bit)
    n = halves.half_bits
    # different bases: Bob's bit is independent of Alice's, error rate 1/2 (5 sigma of a binomial mean)
    assert abs(halves.other_half_error_rate() - 0.5) < 5 * 0.5 / np.sqrt(n)
    # matching bases: the Werner QBER 2(1 - F)/3 = 2 %
    known_errors = halves.alice[choice_bit].count_differences(halves.bob[choice_bit]) / n
    assert abs(known_errors - 0.02) < 5 * np.sqrt(0.02 * 0.98 / n)


def test_choice_bit_is_given_or_drawn_from_its_own_stream():
    assert choose_bit("0", 1) == 0 and choose_bit("1", 1) == 1
    drawn = [choose_bit("random", seed) for seed in range(200)]
    assert drawn == [choose_bit("random", seed) for seed in range(200)]
    assert abs(sum(drawn) - 100) < 5 * np.sqrt(50)
    with pytest.raises(ConfigValueError, match="protocol.choice_bit"):
        choose_bit("2", 1)
