"""A pumping round's pairs stay out of Check EP until the round ends (an offered pair would be swapped before the
round's other end starts, which SeQUeNCe's BBPSSW refuses: the 40 s bottleneck run of UCP stopped on it)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from caligo_sweep.network.engines import stack_available

if not stack_available():
    pytest.skip("the SeQUeNCe >= 1.3 stack needs Python >= 3.12", allow_module_level=True)

from sequence.resource_management.memory_manager import MemoryInfo  # noqa: E402

from caligo_sweep.network.stack.pool import PairPool  # noqa: E402


def pool_with_pairs(n_pairs: int) -> tuple[PairPool, list[SimpleNamespace]]:
    """Router "r2" holding ``n_pairs`` idle pre-generated pairs with "r1" (r2 is the link's authority)."""
    pairs = [
        SimpleNamespace(index=i, state=MemoryInfo.ENTANGLED, remote_node="r1", entangle_time=float(i))
        for i in range(n_pairs)
    ]
    owner = SimpleNamespace(name="r2", resource_manager=SimpleNamespace(memory_manager=pairs))
    generation = SimpleNamespace(owner=owner, network=None, held={p.index for p in pairs}, claimed=set())
    return PairPool(generation), pairs


def test_pairs_of_a_round_under_way_are_not_offered_until_the_kept_pair_returns():
    pool, pairs = pool_with_pairs(3)
    kept, measured = pool.pump_candidates(pairs[0], pool.manager.memory_manager)
    assert (kept.index, measured.index) == (2, 1)  # the newest two
    assert [info.index for info in pool._idle_pairs("r1")] == [0]
    assert pool.pump_candidates(pairs[0], pool.manager.memory_manager) == []  # one idle pair left: no second round
    kept.state = MemoryInfo.PURIFIED
    measured.state = MemoryInfo.RAW
    next_round = pool.pump_candidates(kept, pool.manager.memory_manager)  # the purified pair is idle again
    assert (pool.purifications_attempted, pool.purifications_succeeded) == (1, 1)
    assert [info.index for info in next_round] == [2, 0]  # and is pumped with the last idle one at once
    assert pool._idle_pairs("r1") == []
