"""The pool diagnosis counts without changing the run, its counts add up, and the hubs' cap is the only change."""

from __future__ import annotations

import pytest

pytest.importorskip("sequence")

from caligo_sweep.network.memories import MemoryUse  # noqa: E402
from caligo_sweep.network.pool_diagnosis import HUBS, HubCappedGeneration, diagnose  # noqa: E402
from caligo_sweep.network.settings import AcpSettings  # noqa: E402
from caligo_sweep.network.simulation import run_acp  # noqa: E402

SHORT = AcpSettings(engine="model", topology="bottleneck", duration_s=1.0)


@pytest.fixture(scope="module")
def counted():
    return diagnose(SHORT, seed=3)


def test_counting_leaves_the_run_unchanged(counted):
    result, _ = counted
    assert result.requests_frame().equals(run_acp(SHORT, seed=3).requests_frame())


def test_counts_add_up_to_the_requests_pregenerated_links(counted):
    result, counts = counted
    assert sum(counts.claimed.values()) == sum(record.pregenerated_links for record in result.records) > 0
    for link, heralded in counts.heralded.items():
        assert counts.claimed[link] <= heralded <= counts.started[link]


def test_hub_cap_equal_to_max_memory_acp_changes_nothing(counted):
    result, counts = counted
    same, same_counts = diagnose(SHORT, seed=3, hub_max_memory_acp=SHORT.max_memory_acp)
    assert same.requests_frame().equals(result.requests_frame())
    assert same_counts.started == counts.started


def test_raised_hub_cap_lets_only_the_hubs_hold_more_acp_memories():
    peak: dict[int, int] = {}

    class Watched(HubCappedGeneration):
        def on_generated(self, pair, reservation):
            super().on_generated(pair, reservation)
            for node in pair.link:
                count = self.network.memories[node].use.count(MemoryUse.ACP)
                peak[node] = max(peak.get(node, 0), count)

    run_acp(SHORT, 3, generation_factory=lambda network, adaptive: Watched(network, adaptive, HUBS, 9))
    assert max(peak[hub] for hub in HUBS) > SHORT.max_memory_acp
    assert max(count for node, count in peak.items() if node not in HUBS) <= SHORT.max_memory_acp
