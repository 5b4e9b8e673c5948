"""Frame plans: every frame keeps the design redundancy, and no plan sends more than full frames plus a remainder."""

import numpy as np
import pytest

from caligo_sweep.entropy import binary_entropy
from caligo_sweep.reconciliation import design_efficiency, select_code
from caligo_sweep.reconciliation.build_codes import REDUNDANCY_RATIO
from caligo_sweep.reconciliation.codes import family_redundancies
from caligo_sweep.reconciliation.frames import (
    MAX_SHORTENED_FRACTION,
    code_for_redundancy,
    frame_bounds,
    payload_positions,
    plan_frames,
    plan_leak_bits,
)

LENGTHS = (20_000, 49_999, 60_001, 65_536, 70_000, 131_071, 499_519, 2_000_003)
REDUNDANCIES = (0.06, 0.1, 0.2, 0.33, 0.55)


@pytest.mark.parametrize("redundancy", REDUNDANCIES)
def test_every_frame_of_a_plan_has_the_redundancy_and_the_plan_never_leaks_more(redundancy):
    for n_bits in LENGTHS:
        plan = plan_frames(65536, redundancy, n_bits, tag_bits=32)
        sizes = np.diff(frame_bounds(n_bits, plan.payload_bits))
        assert sizes.sum() == n_bits and sizes.max() == min(plan.payload_bits, n_bits)
        assert plan.n_checks >= redundancy * sizes.max() - 1  # the syndrome covers the largest frame (to a bit)
        assert plan.n_checks == round(family_redundancies(65536)[plan.code_index] * 65536)
        full_frames = code_for_redundancy(65536, redundancy)
        assert plan_leak_bits(plan, n_bits, 32) <= plan_leak_bits(full_frames, n_bits, 32)
        if plan != full_frames:  # an equal-frame plan: shortened within the measured limit
            assert plan.n_shortened <= MAX_SHORTENED_FRACTION * 65536
            assert sizes.max() - sizes.min() < sizes.size


def test_equal_frames_remove_the_cost_of_a_small_remainder():
    redundancy = 0.2
    full_frames = code_for_redundancy(65536, redundancy)
    n_bits = 4 * full_frames.payload_bits + 500  # a fifth frame of 500 bits would pay a whole syndrome
    plan = plan_frames(65536, redundancy, n_bits, tag_bits=32)
    # equal frames of the next code up cost at most one step of the family's redundancy grid over the ideal leak
    assert plan_leak_bits(plan, n_bits, 32) <= REDUNDANCY_RATIO * redundancy * n_bits + 5 * 33
    assert plan_leak_bits(full_frames, n_bits, 32) > 1.2 * redundancy * n_bits


def test_a_half_too_short_for_long_frames_uses_the_shorter_code_and_a_long_one_the_configured_length():
    p = 0.05
    short = select_code(p, 65536, 70_000)  # two 2^16 frames would carry 35,000 bits each
    assert short.frame_length == 16384
    long_plan = select_code(p, 65536, 70_000 * 30)
    assert long_plan.frame_length == 65536
    for n_bits in (70_000, 2_100_000):  # the winner sends no more than the best plan of either length
        chosen = select_code(p, 65536, n_bits)
        for length in (65536, 16384):
            rival = plan_frames(length, design_efficiency(p, length) * binary_entropy(p), n_bits, 32)
            assert plan_leak_bits(chosen, n_bits, 32) <= plan_leak_bits(rival, n_bits, 32)
    assert select_code(p, 16384, 2_100_000).frame_length == 16384  # never longer than configured


@pytest.mark.parametrize("p", [0.01, 0.03, 0.05, 0.1])
def test_plans_for_halves_of_1e3_to_1e9_bits_take_2_18_frames_when_they_send_fewer_bits(p):
    """The plan with 2^18 codes allowed never sends more than the 2^16-only plan, and long halves use 2^18."""
    plans = {}
    for n_bits in np.unique(np.logspace(3, 9, 25).round().astype(np.int64)).tolist():
        chosen = select_code(p, 262144, n_bits)
        up_to_2_16 = select_code(p, 65536, n_bits)
        assert plan_leak_bits(chosen, n_bits, 32) <= plan_leak_bits(up_to_2_16, n_bits, 32)
        for length in (262144, 65536, 16384):  # the winner is the best plan of any allowed length
            rival = plan_frames(length, design_efficiency(p, length) * binary_entropy(p), n_bits, 32)
            assert plan_leak_bits(chosen, n_bits, 32) <= plan_leak_bits(rival, n_bits, 32)
        plans[n_bits] = chosen.frame_length
    assert plans[1000] == 16384 and plans[10**9] == 262144
    if p <= 0.05:  # 2^18 saves 2-7 % of the leak here: long halves always take it
        assert all(plans[n] == 262144 for n in plans if n >= 1_000_000)
    assert select_code(p, 65536, 10**9).frame_length == 65536  # never longer than configured


@pytest.mark.parametrize("payload_bits", [1, 65536 - 9830, 65535, 65536])
def test_payload_positions_are_the_last_of_the_shortening_order_sorted(payload_bits):
    # The shortened positions are the first frame_length - payload_bits of the code's shortening order; the payload
    # goes everywhere else, in increasing order (what Alice's and Bob's frames both assume).
    code = code_for_redundancy(65536, 0.3).code()
    positions = payload_positions(code, payload_bits)
    np.testing.assert_array_equal(positions, np.sort(code.shortening_order[65536 - payload_bits :]))
