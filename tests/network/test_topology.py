"""The reconstructed topologies: the AS graph's size, degrees and four-hop traffic; the bottleneck's routes."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.network.topology import autonomous_system, bottleneck, hop_counts


def test_autonomous_system_is_a_connected_preferential_attachment_graph():
    topology = autonomous_system(np.random.default_rng(3))
    degrees = np.array([len(topology.neighbours[n]) for n in range(200)])
    assert topology.num_nodes == 200 and len(topology.edges) == 3 + 2 * 197  # triangle + two links per new node
    assert len(set(map(frozenset, topology.edges))) == len(topology.edges)  # no multi-edge
    assert len(hop_counts(topology.neighbours, 0)) == 200  # connected
    assert degrees.min() >= 2 and degrees.mean() == (2 * len(topology.edges)) / 200
    assert degrees.max() > 5 * degrees.mean()  # heavy tail: hubs, as AS graphs have


def test_autonomous_system_traffic_has_four_intermediate_nodes_and_follows_the_seed():
    first, again = autonomous_system(np.random.default_rng(3)), autonomous_system(np.random.default_rng(3))
    assert first.edges == again.edges and first.traffic == again.traffic
    assert autonomous_system(np.random.default_rng(4)).edges != first.edges
    assert len(first.traffic) == 2
    for phase in first.traffic:
        assert len(phase.pairs) == 10 and sum(phase.probabilities) == pytest.approx(1.0)
        assert all(len(first.path(a, b)) - 2 == 4 for a, b in phase.pairs)


def test_hop_counts_match_the_routes():
    topology = bottleneck()
    hops = hop_counts(topology.neighbours, 1)
    assert all(hops[target] == len(topology.path(1, target)) - 1 for target in range(20))
