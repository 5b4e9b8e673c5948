"""Network topologies and traffic matrices of the ACP experiments (Zhan et al. 2025, Sec. V-A1 and V-A2).

Every link is ``link_length_km`` long; routing is static shortest-hop (breadth-first search, ties broken towards
lower node ids), as the paper's pre-configured forwarding tables.

Bottleneck reconstruction (the paper shows the 20-node topology only as a picture, Fig. 7b; its text says all
initiators are left of a bottleneck link, all responders right of it, and every path has two intermediate nodes):
two mirrored halves of ten nodes. Each half has a hub (0 on the left, 10 on the right) linked to its nine other
nodes, which also form a ring (1-2-...-9-1 and 11-12-...-19-11); the bottleneck link joins the hubs. A request from a
left node ``a`` to a right node ``b`` therefore routes ``a - 0 - 10 - b``: two intermediate nodes, unique shortest
path; ring nodes have three neighbours, so their adaptive tables have a real choice. Traffic: uniform over the
nine pairs {1, 2, 3} x {11, 12, 13} before the traffic change and over {6, 7, 8} x {16, 17, 18} after it.

Random topology (for scaling benchmarks): a Newman-Watts small world, a ring plus one random chord per node, with
ten random request pairs three hops apart in each traffic phase.

Autonomous-system topology (Sec. V-A1, Fig. 7c: "a large-scale 200-node autonomous system (AS) network", shown only
as a picture; "all the entanglement paths have exactly four hops"): AS-level graphs have heavy-tailed degrees
(Faloutsos, Faloutsos, Faloutsos, SIGCOMM 1999), so we grow 200 nodes by Barabasi-Albert preferential attachment
(Science 286, 509 (1999)) from a triangle, each new node linking to two distinct existing nodes with probability
proportional to their degree: 397 links, mean degree 3.97, the largest degrees in the tens. Traffic: ten random
pairs whose shortest path has four intermediate nodes in each of two phases (the paper's Fig. 10 shows the same
change of traffic as Fig. 9).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class TrafficMatrix:
    """Request pairs ``(initiator, responder)`` and their probabilities (summing to one)."""

    pairs: tuple[tuple[int, int], ...]
    probabilities: tuple[float, ...]

    def sample(self, rng: np.random.Generator) -> tuple[int, int]:
        """Draw one ``(initiator, responder)`` pair."""
        return self.pairs[int(rng.choice(len(self.pairs), p=np.asarray(self.probabilities)))]


def uniform_traffic(pairs: list[tuple[int, int]]) -> TrafficMatrix:
    """Traffic matrix with equal probability on every listed pair."""
    return TrafficMatrix(tuple(pairs), tuple([1.0 / len(pairs)] * len(pairs)))


@dataclass
class Topology:
    """Undirected graph of ``num_nodes`` nodes with static shortest-hop routing and its traffic phases."""

    num_nodes: int
    edges: tuple[tuple[int, int], ...]
    traffic: tuple[TrafficMatrix, ...]
    neighbours: dict[int, tuple[int, ...]] = field(init=False)
    _paths: dict[tuple[int, int], tuple[int, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        adjacency: dict[int, set[int]] = {node: set() for node in range(self.num_nodes)}
        for u, v in self.edges:
            adjacency[u].add(v)
            adjacency[v].add(u)
        self.neighbours = {node: tuple(sorted(adjacency[node])) for node in range(self.num_nodes)}

    def path(self, source: int, target: int) -> tuple[int, ...]:
        """Shortest-hop path from ``source`` to ``target`` (inclusive), cached."""
        key = (source, target)
        if key not in self._paths:
            self._paths[key] = _bfs_path(self.neighbours, source, target)
        return self._paths[key]


def _bfs_path(neighbours: dict[int, tuple[int, ...]], source: int, target: int) -> tuple[int, ...]:
    parent = {source: source}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target:
            break
        for nxt in neighbours[node]:
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    if target not in parent:
        raise ValueError(f"node {target} is unreachable from node {source}")
    path = [target]
    while path[-1] != source:
        path.append(parent[path[-1]])
    return tuple(reversed(path))


def two_node() -> Topology:
    """Fig. 7a: one link; every request is from node 0 to node 1."""
    return Topology(2, ((0, 1),), (uniform_traffic([(0, 1)]),))


def bottleneck() -> Topology:
    """The 20-node bottleneck topology reconstructed as in the module docstring."""
    edges = [(0, 10)]
    for hub in (0, 10):
        ring = list(range(hub + 1, hub + 10))
        edges += [(hub, node) for node in ring]
        edges += [(ring[k], ring[(k + 1) % len(ring)]) for k in range(len(ring))]
    before = uniform_traffic([(a, b) for a in (1, 2, 3) for b in (11, 12, 13)])
    after = uniform_traffic([(a, b) for a in (6, 7, 8) for b in (16, 17, 18)])
    return Topology(20, tuple(edges), (before, after))


def random_small_world(num_nodes: int, rng: np.random.Generator, pairs_per_phase: int = 10) -> Topology:
    """Ring of ``num_nodes`` plus one random chord per node; traffic phases of random pairs three hops apart."""
    edge_set = {tuple(sorted((k, (k + 1) % num_nodes))) for k in range(num_nodes)}
    for node in range(num_nodes):
        other = int(rng.integers(num_nodes))
        if other != node:
            edge_set.add(tuple(sorted((node, other))))
    topology = Topology(num_nodes, tuple(sorted(edge_set)), ())
    candidates = [
        (a, b) for a in range(num_nodes) for b in range(num_nodes) if a != b and len(topology.path(a, b)) == 4
    ]
    phases = []
    for _ in range(2):
        chosen = rng.choice(len(candidates), size=min(pairs_per_phase, len(candidates)), replace=False)
        phases.append(uniform_traffic([candidates[int(k)] for k in sorted(chosen)]))
    topology.traffic = tuple(phases)
    return topology


def autonomous_system(
    rng: np.random.Generator, num_nodes: int = 200, links_per_node: int = 2, pairs_per_phase: int = 10
) -> Topology:
    """The AS topology of the module docstring, drawn from ``rng``."""
    edges = [(0, 1), (0, 2), (1, 2)]
    ends = [0, 1, 1, 2, 0, 2]  # every node once per link: a uniform draw is a degree-proportional draw
    for node in range(3, num_nodes):
        targets: set[int] = set()
        while len(targets) < links_per_node:
            targets.add(ends[int(rng.integers(len(ends)))])
        for target in sorted(targets):
            edges.append((target, node))
            ends += [target, node]
    topology = Topology(num_nodes, tuple(edges), ())
    candidates = [(a, b) for a in range(num_nodes) for b, hops in hop_counts(topology.neighbours, a).items()
                  if hops == 5 and a != b]  # fmt: skip
    phases = []
    for _ in range(2):
        chosen = rng.choice(len(candidates), size=pairs_per_phase, replace=False)
        phases.append(uniform_traffic([candidates[int(k)] for k in sorted(chosen)]))
    topology.traffic = tuple(phases)
    return topology


def hop_counts(neighbours: dict[int, tuple[int, ...]], source: int) -> dict[int, int]:
    """Links on the shortest path from ``source`` to every reachable node (breadth-first search)."""
    hops = {source: 0}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for nxt in neighbours[node]:
            if nxt not in hops:
                hops[nxt] = hops[node] + 1
                queue.append(nxt)
    return hops
