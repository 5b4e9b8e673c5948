"""The ``RouterNetTopo`` configuration (SeQUeNCe's topology JSON) of an ACP experiment, generated from its settings.

Every node of ``caligo_sweep.network.topology`` becomes a ``QuantumRouter`` ``r<k>`` with ``memories_per_node``
memories (Table I: efficiency, raw fidelity, coherence time, Pauli decoherence weights; gate and measurement
fidelities), every link ``(u, v)`` a ``BSMNode`` ``BSM.r<u>.r<v>`` half-way with a single-heralded BSM (detector
efficiency, linear-optics success probability), two quantum channels of ``link_length_km / 2`` (attenuation in dB/m,
SeQUeNCe's unit) and classical channels both ways.

Classical delays follow the paper's Eq. 2, ``l(u, v) = d(u, v) / c + hop(u, v) D_forward + D_end_process``
(Zhan et al. 2025): router to BSM over ``d / 2`` with no hop (125 us with Table I), router to router over the
shortest path with ``hop`` = forwarding nodes (150 us between neighbours). SeQUeNCe's reservation (RSVP) travels
hop by hop over neighbour channels, so its latency over ``h`` links is ``h`` neighbour delays, not Eq. 2 over the
path; swapping and our ACP messages use the direct channels and so Eq. 2.
"""

from __future__ import annotations

from typing import Any

from caligo_sweep.network.link_timing import classical_latency_s, to_picoseconds
from caligo_sweep.network.settings import AcpSettings
from caligo_sweep.network.topology import Topology, hop_counts

ROUTER_TEMPLATE = "acp_router"
BSM_TEMPLATE = "acp_bsm"
#: Detector time resolution [ps] and count rate [Hz]: fine and fast enough never to drop a herald (not in Table I).
DETECTOR_RESOLUTION_PS = 150
DETECTOR_COUNT_RATE_HZ = 1e11


def router_name(node: int) -> str:
    """SeQUeNCe name of topology node ``node``."""
    return f"r{node}"


def node_index(name: str) -> int:
    """Topology node of the router called ``name`` (inverse of ``router_name``)."""
    return int(name[1:])


def bsm_name(u: int, v: int) -> str:
    """SeQUeNCe name of the BSM node half-way along link ``(u, v)``."""
    low, high = sorted((u, v))
    return f"BSM.{router_name(low)}.{router_name(high)}"


def latency_s(settings: AcpSettings, topology: Topology, u: int, v: int) -> float:
    """Eq. 2 between routers ``u`` and ``v`` over their shortest path, in seconds."""
    return _latency_over_links_s(settings, len(topology.path(u, v)) - 1)


def _latency_over_links_s(settings: AcpSettings, links: int) -> float:
    """Eq. 2 over a shortest path of ``links`` links (``links - 1`` forwarding nodes), in seconds."""
    return classical_latency_s(
        links * settings.link_length_km * 1e3,
        max(links - 1, 0),
        settings.light_speed_m_per_s,
        settings.forward_delay_us * 1e-6,
        settings.end_process_delay_us * 1e-6,
    )


def network_config(settings: AcpSettings, topology: Topology, seed: int, stop_time_s: float) -> dict[str, Any]:
    """The ``RouterNetTopo`` config dict (JSON-serialisable) of ``topology`` with ``settings``.

    Parameters
    ----------
    settings : AcpSettings
        Table I values of the run.
    topology : Topology
        Nodes, links and static routes.
    seed : int
        Base of the per-node seeds of SeQUeNCe's generators (router ``k`` gets ``seed + k``, the BSM node of link
        ``j`` gets ``seed + num_nodes + j``).
    stop_time_s : float
        Simulated seconds after which the timeline stops.
    """
    half_m = settings.link_length_km * 1e3 / 2.0
    herald_ps = to_picoseconds(
        classical_latency_s(
            half_m, 0, settings.light_speed_m_per_s, settings.forward_delay_us * 1e-6, settings.end_process_delay_us * 1e-6
        )
    )
    detector = {
        "efficiency": settings.detector_efficiency,
        "dark_count": 0,
        "time_resolution": DETECTOR_RESOLUTION_PS,
        "count_rate": DETECTOR_COUNT_RATE_HZ,
    }
    templates = {
        ROUTER_TEMPLATE: {
            "MemoryArray": {
                "fidelity": settings.initial_fidelity,
                "efficiency": settings.memory_efficiency,
                "coherence_time": settings.coherence_time_s,
                "decoherence_errors": list(settings.pauli_errors),
            },
            "EntanglementSwapping": {"swapping_success_prob": settings.swap_success_prob},
        },
        BSM_TEMPLATE: {
            "encoding_type": "single_heralded",
            "SingleHeraldedBSM": {"detectors": [detector, dict(detector)], "success_rate": settings.bsm_success_prob},
        },
    }
    nodes: list[dict[str, Any]] = [
        {
            "name": router_name(node),
            "type": "QuantumRouter",
            "seed": seed + node,
            "memo_size": settings.memories_per_node,
            "template": ROUTER_TEMPLATE,
            "gate_fidelity": settings.gate_fidelity,
            "measurement_fidelity": settings.measure_fidelity,
        }
        for node in range(topology.num_nodes)
    ]
    qchannels, cchannels = [], []
    for index, (u, v) in enumerate(topology.edges):
        middle = bsm_name(u, v)
        nodes.append({"name": middle, "type": "BSMNode", "seed": seed + topology.num_nodes + index,
                      "template": BSM_TEMPLATE})
        for end in (u, v):
            qchannels.append({"source": router_name(end), "destination": middle, "distance": half_m,
                              "attenuation": settings.attenuation_db_per_km / 1e3})
            cchannels.append({"source": router_name(end), "destination": middle, "delay": herald_ps})
            cchannels.append({"source": middle, "destination": router_name(end), "delay": herald_ps})
    for u in range(topology.num_nodes):
        for v, links in hop_counts(topology.neighbours, u).items():
            if v != u:
                delay = to_picoseconds(_latency_over_links_s(settings, links))
                cchannels.append({"source": router_name(u), "destination": router_name(v), "delay": delay})
    return {
        "templates": templates,
        "nodes": nodes,
        "qchannels": qchannels,
        "cchannels": cchannels,
        "formalism": "bell_diagonal",
        "stop_time": to_picoseconds(stop_time_s),
    }
