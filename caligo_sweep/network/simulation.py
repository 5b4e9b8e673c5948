"""``run_acp``: one seeded ACP/UCP/ODO network simulation on SeQUeNCe's discrete-event kernel."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from caligo_sweep.network.acp_protocol import ContinuousGeneration
from caligo_sweep.network.clock import Clock
from caligo_sweep.network.result import AcpResult, summarise
from caligo_sweep.network.service import RequestService
from caligo_sweep.network.settings import AcpSettings
from caligo_sweep.network.topology import (
    Topology,
    autonomous_system,
    bottleneck,
    random_small_world,
    two_node,
)
from caligo_sweep.network.world import NetworkState
from caligo_sweep.physics.checks import require_integer


def build_topology(settings: AcpSettings, rng: np.random.Generator) -> Topology:
    """The topology named by ``settings.topology`` (the random one drawn from ``rng``)."""
    if settings.topology == "two_node":
        return two_node()
    if settings.topology == "bottleneck":
        return bottleneck()
    if settings.topology == "autonomous_system":
        return autonomous_system(rng)
    return random_small_world(settings.random_num_nodes, rng)


def run_acp(
    settings: AcpSettings,
    seed: int,
    *,
    generation_factory: Callable[[NetworkState, bool], ContinuousGeneration] = ContinuousGeneration,
) -> AcpResult:
    """Simulate ``settings.duration_s`` seconds of requests on the configured network and strategy.

    Parameters
    ----------
    settings : AcpSettings
        Validated settings (Table I defaults).
    seed : int
        Non-negative seed; ``SeedSequence(seed)`` spawns one child for the topology and one for the simulation, so a
        seed gives the same result in any process.
    generation_factory : callable, optional
        Builds the continuous generation of UCP/ACP from the network state and whether its tables adapt; a subclass
        of :class:`ContinuousGeneration` that counts or varies it (``pool_diagnosis.py``) goes here.

    Returns
    -------
    AcpResult
        Per-request records and the summary row.
    """
    if settings.engine != "model":
        raise ValueError(f"run_acp is the engine 'model'; settings.engine is {settings.engine!r} (see engines.py)")
    seed = require_integer("seed", seed, 0)
    topology_seed, simulation_seed = np.random.SeedSequence(seed).spawn(2)
    topology = build_topology(settings, np.random.default_rng(topology_seed))
    clock = Clock(settings.duration_s + settings.request_window_s)
    network = NetworkState(settings, topology, np.random.default_rng(simulation_seed), clock)
    continuous = None
    if settings.strategy != "odo":
        continuous = generation_factory(network, settings.strategy == "acp")
        continuous.start()
    service = RequestService(network, continuous)
    service.start()
    events = clock.run()
    summary = summarise(
        service.records,
        settings,
        events,
        continuous.purifications_attempted if continuous else 0,
        continuous.purifications_succeeded if continuous else 0,
    )
    return AcpResult(settings, seed, service.records, summary)
