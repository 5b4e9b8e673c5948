"""What every protocol of one SeQUeNCe-stack ACP run shares: settings, topology, routers, timeline, our generator."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sequence.components.memory import Memory
from sequence.kernel.event import Event
from sequence.kernel.process import Process
from sequence.kernel.timeline import Timeline
from sequence.topology.node import QuantumRouter

from caligo_sweep.network.link_timing import to_picoseconds
from caligo_sweep.network.settings import AcpSettings
from caligo_sweep.network.stack.network_config import bsm_name, latency_s
from caligo_sweep.network.topology import Topology


@dataclass
class StackNetwork:
    """One run's network.

    Attributes
    ----------
    settings : AcpSettings
        The run's settings.
    topology : Topology
        Nodes, links, routes and traffic.
    timeline : Timeline
        SeQUeNCe's timeline (Bell-diagonal formalism).
    routers : list of QuantumRouter
        ``routers[k]`` is topology node ``k``.
    rng : numpy.random.Generator
        Our decisions (sleep periods, table draws, traffic, random pair selection); the physics draws from the
        nodes' own SeQUeNCe generators, seeded by the topology config.
    """

    settings: AcpSettings
    topology: Topology
    timeline: Timeline
    routers: list[QuantumRouter]
    rng: np.random.Generator
    _latency_ps: dict[tuple[int, int], int] = field(default_factory=dict)

    def latency_ps(self, u: int, v: int) -> int:
        """Eq. 2 between routers ``u`` and ``v`` [ps] (the delay of their direct classical channel)."""
        key = (u, v)
        if key not in self._latency_ps:
            self._latency_ps[key] = to_picoseconds(latency_s(self.settings, self.topology, u, v))
        return self._latency_ps[key]

    def at(self, time_ps: int, owner: object, method: str, *args: object) -> Event:
        """Schedule ``owner.method(*args)`` at simulated time ``time_ps`` [ps] and return the event."""
        event = Event(time_ps, Process(owner, method, list(args)))
        self.timeline.schedule(event)
        return event

    def middle(self, u: int, v: int) -> str:
        """Name of the BSM node of link ``(u, v)``."""
        return bsm_name(u, v)


def pair_fidelity(memory: Memory, timeline: Timeline) -> float:
    """Phi+ fidelity now of the pair held by ``memory`` and its entangled partner, both decohered to now."""
    partner = timeline.get_entity_by_name(memory.entangled_memory["memo_id"])
    memory.bds_decohere()
    partner.bds_decohere()
    return float(timeline.quantum_manager.get(memory.qstate_key).state[0])
