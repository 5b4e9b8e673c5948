"""``run_stack``: one seeded ACP/UCP/ODO run on SeQUeNCe's router stack (``acp.engine=sequence``)."""

from __future__ import annotations

import logging

import numpy as np
from sequence.constants import BELL_DIAGONAL_STATE_FORMALISM, SINGLE_HERALDED
from sequence.entanglement_management.generation import EntanglementGenerationA, EntanglementGenerationB
from sequence.entanglement_management.purification.purification_protocol import PurificationProtocol
from sequence.entanglement_management.swapping.swapping_base import EntanglementSwappingA, EntanglementSwappingB
from sequence.topology.router_net_topo import RouterNetTopo
from sequence.utils import log as sequence_log

from caligo_sweep.network.result import AcpResult, summarise
from caligo_sweep.network.settings import AcpSettings
from caligo_sweep.network.simulation import build_topology
from caligo_sweep.network.stack.context import StackNetwork
from caligo_sweep.network.stack.network_config import network_config, node_index
from caligo_sweep.network.stack.pregenerated import PregeneratedPairs
from caligo_sweep.network.stack.requests import RequestService
from caligo_sweep.network.stack.rule_expiry import install as install_rule_expiry
from caligo_sweep.network.topology import Topology
from caligo_sweep.physics.checks import require_integer


def select_bell_diagonal_protocols() -> None:
    """Make SeQUeNCe create single-heralded generation, BBPSSW_BDS and BDS swapping (its class-level choices)."""
    EntanglementGenerationA.set_global_type(SINGLE_HERALDED)
    EntanglementGenerationB.set_global_type(SINGLE_HERALDED)
    PurificationProtocol.set_formalism(BELL_DIAGONAL_STATE_FORMALISM)
    EntanglementSwappingA.set_formalism(BELL_DIAGONAL_STATE_FORMALISM)
    EntanglementSwappingB.set_formalism(BELL_DIAGONAL_STATE_FORMALISM)


def topology_config(
    settings: AcpSettings, seed: int, topology: Topology | None = None
) -> tuple[dict, Topology, np.random.SeedSequence]:
    """The ``RouterNetTopo`` config of one seed's run, its topology and the seed of our decisions.

    ``SeedSequence(seed)`` spawns three children: the topology (random topologies), our decisions and the base of
    the nodes' SeQUeNCe generators, so a seed gives the same run in any process. ``topology`` replaces the one
    ``settings.topology`` names (a custom graph, e.g. a repeater chain).
    """
    seed = require_integer("seed", seed, 0)
    topology_seed, decision_seed, physics_seed = np.random.SeedSequence(seed).spawn(3)
    if topology is None:
        topology = build_topology(settings, np.random.default_rng(topology_seed))
    stop_s = settings.duration_s + settings.request_window_s
    config = network_config(settings, topology, int(physics_seed.generate_state(1)[0]), stop_s)
    config["stop_time"] += 1  # the last request's deadline falls on the stop time
    return config, topology, decision_seed


def build_network(settings: AcpSettings, seed: int, topology: Topology | None = None) -> tuple[StackNetwork, dict]:
    """The run's routers on a fresh timeline (see ``topology_config``), and the config they were built from."""
    config, topology, decision_seed = topology_config(settings, seed, topology)
    sequence_log.logger.setLevel(logging.CRITICAL)
    sequence_log.logger.propagate = False
    select_bell_diagonal_protocols()
    built = RouterNetTopo(config)
    for channel in built.qchannels:
        channel.light_speed = settings.light_speed_m_per_s * 1e-12  # m/ps, read by the channel's init()
    routers = sorted(built.get_nodes_by_type(RouterNetTopo.QUANTUM_ROUTER), key=lambda node: node_index(node.name))
    for router in routers:  # RouterNetTopo (1.3.1) reads neither node key of the config; BBPSSW_BDS and BDS swapping
        router.gate_fid, router.meas_fid = settings.gate_fidelity, settings.measure_fidelity  # read these
        install_rule_expiry(router)
    network = StackNetwork(settings, topology, built.get_timeline(), routers, np.random.default_rng(decision_seed))
    return network, config


def run_stack(settings: AcpSettings, seed: int, topology: Topology | None = None) -> AcpResult:
    """Simulate ``settings.duration_s`` seconds of requests on SeQUeNCe's router stack.

    Parameters
    ----------
    settings : AcpSettings
        Validated settings (Table I defaults).
    seed : int
        Non-negative seed (see ``build_network``).
    topology : Topology, optional
        A graph and traffic other than ``settings.topology``'s.

    Returns
    -------
    AcpResult
        Per-request records and the summary row, as ``run_acp`` (the fast model) returns them.
    """
    if settings.engine != "sequence":
        raise ValueError(f"run_stack is the engine 'sequence'; settings.engine is {settings.engine!r} (see engines.py)")
    network, _ = build_network(settings, seed, topology)
    pairs = {}
    if settings.strategy != "odo":
        for router in network.routers:
            pairs[node_index(router.name)] = PregeneratedPairs(router, network, adaptive=settings.strategy == "acp")
            router.protocols.append(pairs[node_index(router.name)])
    service = RequestService(network, pairs)
    network.timeline.init()
    for protocol in pairs.values():
        protocol.start(with_pumping=settings.purification)
    service.start()
    network.timeline.run()
    attempted = sum(protocol.pool.purifications_attempted for protocol in pairs.values())
    succeeded = sum(protocol.pool.purifications_succeeded for protocol in pairs.values())
    summary = summarise(service.records, settings, network.timeline.run_counter, attempted, succeeded)
    return AcpResult(settings, seed, service.records, summary)
