"""Shared state of one simulated network: clock, random stream, memories, pairs, pre-generated pools, latencies.

It also owns single-heralded link generation (Zhan et al. 2025, Sec. IV-C3): a generation between two reserved
memories draws the number of attempts until the first herald, ``k ~ Geometric(p)``, and heralds the pair
``k * T_attempt`` later in the Werner state of the initial fidelity (one event instead of ``k``: the attempts are
independent, so the herald time has the same distribution). The pair's qubits have idled since the photon emission,
``emission_to_herald_s`` before the herald.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sequence.kernel.event import Event

from caligo_sweep.network.bds import werner
from caligo_sweep.network.clock import Clock
from caligo_sweep.network.link_timing import classical_latency_s, heralded_attempt
from caligo_sweep.network.memories import MemoryUse, NodeMemories, Pair, PairStore
from caligo_sweep.network.settings import AcpSettings
from caligo_sweep.network.topology import Topology


def link_of(u: int, v: int) -> tuple[int, int]:
    """Canonical (sorted) name of the link between ``u`` and ``v``."""
    return (u, v) if u < v else (v, u)


class NetworkState:
    """Everything the protocols of one run share.

    Parameters
    ----------
    settings : AcpSettings
        Validated run settings.
    topology : Topology
        Nodes, links, routing.
    rng : numpy.random.Generator
        The run's only random stream.
    clock : Clock
        The SeQUeNCe timeline wrapper.
    """

    def __init__(self, settings: AcpSettings, topology: Topology, rng: np.random.Generator, clock: Clock) -> None:
        self.settings = settings
        self.topology = topology
        self.rng = rng
        self.clock = clock
        self.memories = {
            node: NodeMemories(node, settings.memories_per_node, clock.quantum_manager)
            for node in range(topology.num_nodes)
        }
        self.pairs = PairStore(clock.quantum_manager, self.memories, settings.coherence_time_s, settings.pauli_errors)
        self.pool: dict[tuple[int, int], list[Pair]] = {link_of(u, v): [] for u, v in topology.edges}
        self.link_length_m = settings.link_length_km * 1e3
        self.attempt = heralded_attempt(
            self.link_length_m,
            settings.attenuation_db_per_km,
            settings.memory_efficiency,
            settings.detector_efficiency,
            settings.bsm_success_prob,
            settings.light_speed_m_per_s,
            settings.forward_delay_us * 1e-6,
            settings.end_process_delay_us * 1e-6,
        )
        self.on_memory_freed: list[Callable[[], None]] = []
        self.free_listeners: list[Callable[[int], None]] = []
        self.link_waiters: dict[tuple[int, int], list[Callable[[], None]]] = {link: [] for link in self.pool}
        self._latency: dict[tuple[int, int], float] = {}

    def latency_s(self, u: int, v: int) -> float:
        """Eq. 2 one-way classical latency between ``u`` and ``v`` along the routing path."""
        key = link_of(u, v)
        if key not in self._latency:
            edges = len(self.topology.path(*key)) - 1
            self._latency[key] = classical_latency_s(
                edges * self.link_length_m,
                max(edges - 1, 0),
                self.settings.light_speed_m_per_s,
                self.settings.forward_delay_us * 1e-6,
                self.settings.end_process_delay_us * 1e-6,
            )
        return self._latency[key]

    def generate(self, u: int, memory_u: int, v: int, memory_v: int, owner: Any, method: str, *args: Any) -> Event:
        """Start single-heralded generation; on herald, ``owner.method(pair, *args)`` runs. Returns the event."""
        attempts = int(self.rng.geometric(self.attempt.success_probability))
        return self.clock.after(
            attempts * self.attempt.duration_s, self, "_herald", u, memory_u, v, memory_v, owner, method, args
        )

    def _herald(self, u: int, memory_u: int, v: int, memory_v: int, owner: Any, method: str, args: tuple) -> None:
        emitted = self.clock.now_s() - self.attempt.emission_to_herald_s
        if u > v:
            u, memory_u, v, memory_v = v, memory_v, u, memory_u
        pair = Pair((u, v), memory_u, memory_v, emitted, emitted)
        self.pairs.create(pair, werner(self.settings.initial_fidelity))
        getattr(owner, method)(pair, *args)

    def free_memory(self, node: int, index: int) -> None:
        """Free one memory that holds no pair (a reservation that ended without a pair)."""
        self.memories[node].use[index] = MemoryUse.FREE
        self._notify_freed(node)

    def discard(self, pair: Pair) -> None:
        """Destroy ``pair`` (measured, expired or delivered) and free its memories."""
        self.pairs.discard(pair)
        self._notify_freed(*pair.link)

    def _notify_freed(self, *nodes: int) -> None:
        for listener in self.free_listeners:
            for node in nodes:
                listener(node)
        if self.on_memory_freed:
            waiting, self.on_memory_freed = self.on_memory_freed, []
            for retry in waiting:
                retry()
