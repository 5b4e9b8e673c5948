"""Why ACP's pools stay empty on the bottleneck: pre-generation effort and use per link, on the fast model.

    python -m caligo_sweep.network.pool_diagnosis --seeds 3 --duration-s 10

runs ACP with purification on the 20-node bottleneck (first traffic matrix, Table I settings) twice per seed: as
shipped, and with the two hubs allowed ``--hub-max-memory-acp`` ACP memories instead of MAX_MEMORY_ACP (every other
node keeps it). For each link that the requests use it prints the single-heralded generations started, the pairs
heralded and the pairs that requests took, per request (for the hub-hub link (0, 10), which every request crosses,
the last is the share of requests that found it pre-generated), and for each run the mean and median TTS. The counts
come from :class:`CountedGeneration`, a subclass of the model's
:class:`~caligo_sweep.network.acp_protocol.ContinuousGeneration` that only counts (same seed, same requests);
:class:`HubCappedGeneration` changes only the hubs' cap. A diagnosis, not a configuration: the shipped engine reads
MAX_MEMORY_ACP as the paper defines it, at every node.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable

import numpy as np

from caligo_sweep.network.acp_protocol import ContinuousGeneration, Reservation
from caligo_sweep.network.memories import Pair
from caligo_sweep.network.result import AcpResult
from caligo_sweep.network.settings import AcpSettings
from caligo_sweep.network.simulation import run_acp
from caligo_sweep.network.world import NetworkState, link_of

#: The bottleneck's hubs (``topology.bottleneck``) and the links its first traffic matrix uses.
HUBS = (0, 10)
USED_LINKS = ((0, 1), (0, 2), (0, 3), (0, 10), (10, 11), (10, 12), (10, 13))


class CountedGeneration(ContinuousGeneration):
    """ACP/UCP as shipped, counting per link the generations started, the pairs heralded and the pairs claimed."""

    def __init__(self, network: NetworkState, adaptive: bool) -> None:
        super().__init__(network, adaptive)
        self.started: Counter[tuple[int, int]] = Counter()
        self.heralded: Counter[tuple[int, int]] = Counter()
        self.claimed: Counter[tuple[int, int]] = Counter()

    def on_reply(self, reservation: Reservation) -> None:
        if not reservation.expired and reservation.memory_x >= 0:
            self.started[link_of(reservation.a, reservation.x)] += 1
        super().on_reply(reservation)

    def on_generated(self, pair: Pair, reservation: Reservation) -> None:
        self.heralded[pair.link] += 1
        super().on_generated(pair, reservation)

    def claim(self, pair: Pair) -> None:
        self.claimed[pair.link] += 1
        super().claim(pair)


class HubCappedGeneration(CountedGeneration):
    """:class:`CountedGeneration` whose nodes in ``hubs`` may hold ``hub_max_memory_acp`` ACP memories."""

    def __init__(self, network: NetworkState, adaptive: bool, hubs: Iterable[int], hub_max_memory_acp: int) -> None:
        super().__init__(network, adaptive)
        self.hubs = frozenset(hubs)
        self.hub_max_memory_acp = hub_max_memory_acp

    def max_memory_acp(self, node: int) -> int:
        return self.hub_max_memory_acp if node in self.hubs else super().max_memory_acp(node)


def diagnose(
    settings: AcpSettings, seed: int, hub_max_memory_acp: int | None = None
) -> tuple[AcpResult, CountedGeneration]:
    """One model run with counting (and, if ``hub_max_memory_acp`` is given, the hubs' cap changed)."""
    built: list[CountedGeneration] = []

    def factory(network: NetworkState, adaptive: bool) -> CountedGeneration:
        if hub_max_memory_acp is None:
            built.append(CountedGeneration(network, adaptive))
        else:
            built.append(HubCappedGeneration(network, adaptive, HUBS, hub_max_memory_acp))
        return built[-1]

    result = run_acp(settings, seed, generation_factory=factory)
    return result, built[0]


def _report(label: str, runs: list[tuple[AcpResult, CountedGeneration]]) -> None:
    n_requests = sum(len(result.records) for result, _ in runs)
    tts = np.array([record.tts_ms for result, _ in runs for record in result.records if record.served])
    print(f"{label}: {n_requests} requests, TTS mean {tts.mean():.2f} ms, median {np.median(tts):.2f} ms")
    for link in USED_LINKS:
        started = sum(counts.started[link] for _, counts in runs)
        heralded = sum(counts.heralded[link] for _, counts in runs)
        claimed = sum(counts.claimed[link] for _, counts in runs)
        print(
            f"  link {link}: {started / n_requests:6.1f} generations started, {heralded / n_requests:6.1f} pairs "
            f"heralded, {claimed / n_requests:.2f} pairs taken per request"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--duration-s", type=float, default=10.0)
    parser.add_argument("--hub-max-memory-acp", type=int, default=10)
    args = parser.parse_args(argv)
    settings = AcpSettings(engine="model", topology="bottleneck", duration_s=args.duration_s)
    shipped = [diagnose(settings, seed) for seed in range(args.seeds)]
    capped = [diagnose(settings, seed, args.hub_max_memory_acp) for seed in range(args.seeds)]
    _report(f"shipped (MAX_MEMORY_ACP = {settings.max_memory_acp} at every node)", shipped)
    _report(f"hubs at {args.hub_max_memory_acp} ACP memories", capped)


if __name__ == "__main__":
    main()
