"""The continuous-generation state machines of ACP and UCP, with as-soon-as-possible BBPSSW pumping.

Zhan et al. 2025, Sec. III-A (Fig. 3) and IV-C5/IV-C6. Every node runs both machines:

* S1 (sleep tau ~ U[0, acp_sleep_max_s]) -> on wake, if Counter < MAX_MEMORY_ACP and a memory is free: reserve it
  (Counter + 1), pick a neighbour x from the table and query x; S2 (waiting for x's reply) is one open reservation,
  several may be open at once ("multiple S2 states"). The phantom neighbour means: generate nothing this time.
* S3 at x: on a query, if Counter < MAX and a memory is free, reserve it and reply YES, else reply NO.
* On YES the reservation starts single-heralded generation; on NO the memory is freed (Counter - 1).
* Requests of a link waiting for a pair are told whenever a pair is pooled or a round ends (see ``service.py``).
* A reservation lives ``acp_reservation_s`` from the query; when it expires its memories are freed and an unused
  pre-generated pair is discarded ("after the rule expires, the memory is released").

Purification (if enabled): when a new pair appears on a link that already holds an idle pre-generated pair, the
freshest older pair is measured against the new (kept) pair in one BBPSSW round; the round's classical exchange takes
a neighbour round trip, after which success keeps the purified pair and failure loses both (entanglement pumping).
"""

from __future__ import annotations

from dataclasses import dataclass

from sequence.kernel.event import Event

from caligo_sweep.network.adaptive_table import ProbabilityTable
from caligo_sweep.network.bds import bbpssw
from caligo_sweep.network.memories import MemoryUse, Pair
from caligo_sweep.network.world import NetworkState, link_of


@dataclass(eq=False)
class Reservation:
    """One ACP rule: memory ``memory_a`` of the querying node ``a`` paired with ``memory_x`` of neighbour ``x``."""

    a: int
    memory_a: int
    x: int
    memory_x: int = -1
    generation: Event | None = None
    pair: Pair | None = None
    heralded: bool = False
    expired: bool = False


class ContinuousGeneration:
    """ACP (adaptive tables with phantom) or UCP (fixed uniform tables) on every node of ``network``.

    Counter is the number of memories ACP occupies at the node (reserved, generating or holding a pre-generated
    pair), so MAX_MEMORY_ACP caps ACP's share of the memories as Sec. III-A defines it and leaves the rest to
    requests. It rises on a query and on a YES and falls on NO, on rule expiry, on a lost pair and when a request
    takes a pair over. (Fig. 3 also lets the replying node decrement when generation ends; with that reading the
    hubs of the bottleneck fill all ten memories with pairs of links no request uses any more.) A node whose S1
    condition fails parks instead of polling and sleeps a fresh tau once its Counter drops or a memory frees.
    """

    def __init__(self, network: NetworkState, adaptive: bool) -> None:
        self.network = network
        self.adaptive = adaptive
        self.tables = {
            node: ProbabilityTable(node, neighbours, with_phantom=adaptive)
            for node, neighbours in network.topology.neighbours.items()
        }
        self.parked = dict.fromkeys(self.tables, False)
        self.purifications_attempted = 0
        self.purifications_succeeded = 0
        network.free_listeners.append(self._unpark)

    def start(self) -> None:
        """Schedule every node's first wake-up."""
        for node in self.tables:
            self._sleep(node)

    def _sleep(self, node: int) -> None:
        delay = self.network.rng.random() * self.network.settings.acp_sleep_max_s
        self.network.clock.after(delay, self, "wake", node)

    def _unpark(self, node: int) -> None:
        if self.parked[node]:
            self.parked[node] = False
            self._sleep(node)

    def max_memory_acp(self, node: int) -> int:
        """MAX_MEMORY_ACP of ``node`` (the setting, at every node; ``pool_diagnosis.py`` varies it)."""
        return self.network.settings.max_memory_acp

    def _can_reserve(self, node: int) -> bool:
        memories = self.network.memories[node]
        return memories.use.count(MemoryUse.ACP) < self.max_memory_acp(node) and memories.has_free()

    def wake(self, node: int) -> None:
        """S1 timer: maybe reserve a memory and query a neighbour (S2), then sleep again; park if S1 cannot act."""
        if not self._can_reserve(node):
            self.parked[node] = True
            return
        self._sleep(node)
        neighbour = self.tables[node].select(self.network.rng)
        if neighbour is None:
            return
        reservation = Reservation(node, self.network.memories[node].reserve(MemoryUse.ACP), neighbour)
        self.network.clock.after(self.network.settings.acp_reservation_s, self, "expire", reservation)
        self.network.clock.after(self.network.latency_s(node, neighbour), self, "on_query", reservation)

    def on_query(self, reservation: Reservation) -> None:
        """S3 at the neighbour: reply YES with a reserved memory, or NO."""
        if self._can_reserve(reservation.x) and not reservation.expired:
            reservation.memory_x = self.network.memories[reservation.x].reserve(MemoryUse.ACP)
        latency = self.network.latency_s(reservation.a, reservation.x)
        self.network.clock.after(latency, self, "on_reply", reservation)

    def on_reply(self, reservation: Reservation) -> None:
        """S2 -> S1 at the querying node: start generation on YES, free the memory on NO."""
        if reservation.expired:
            if reservation.memory_x >= 0:
                self.network.free_memory(reservation.x, reservation.memory_x)
            return
        if reservation.memory_x < 0:
            reservation.expired = True  # the rule ends with the NO
            self.network.free_memory(reservation.a, reservation.memory_a)
            return
        reservation.generation = self.network.generate(
            reservation.a, reservation.memory_a, reservation.x, reservation.memory_x, self, "on_generated", reservation
        )

    def on_generated(self, pair: Pair, reservation: Reservation) -> None:
        """A pre-generated pair was heralded: pool it and pump it with an older one."""
        reservation.generation = None
        reservation.heralded = True
        reservation.pair = pair
        pair.owner = reservation
        self.network.pool[pair.link].append(pair)
        self._notify_waiting_requests(pair.link)
        if self.network.settings.purification:
            self._pump(pair.link)

    def _notify_waiting_requests(self, link: tuple[int, int]) -> None:
        waiting, self.network.link_waiters[link] = self.network.link_waiters[link], []
        for retry in waiting:
            retry()

    def expire(self, reservation: Reservation) -> None:
        """The rule expired: release the memories and pair the reservation still holds."""
        if reservation.expired:
            return
        reservation.expired = True
        if reservation.generation is not None:
            self.network.clock.cancel(reservation.generation)
            reservation.generation = None
            self.network.free_memory(reservation.a, reservation.memory_a)
            self.network.free_memory(reservation.x, reservation.memory_x)
        elif reservation.pair is not None:
            if not reservation.pair.busy:
                self._drop(reservation.pair)
        elif not reservation.heralded:  # query or reply in flight; on_reply frees the neighbour's memory
            self.network.free_memory(reservation.a, reservation.memory_a)

    def claim(self, pair: Pair) -> None:
        """Hand a pooled pair over to a request (its memories are reallocated to the request, Sec. IV-C7)."""
        self.network.pool[pair.link].remove(pair)
        pair.owner.pair = None
        pair.owner = None
        u, v = pair.link
        self.network.memories[u].use[pair.memory_u] = MemoryUse.REQUEST
        self.network.memories[v].use[pair.memory_v] = MemoryUse.REQUEST
        self._unpark(u)
        self._unpark(v)

    def _drop(self, pair: Pair) -> None:
        self.network.pool[pair.link].remove(pair)
        pair.owner.pair = None
        self.network.discard(pair)

    def _pump(self, link: tuple[int, int]) -> None:
        idle = [pair for pair in self.network.pool[link] if not pair.busy]
        if len(idle) < 2:
            return
        idle.sort(key=lambda pair: pair.created_s)
        kept, measured = idle[-1], idle[-2]
        kept.busy = measured.busy = True
        self.purifications_attempted += 1
        round_trip = 2.0 * self.network.latency_s(*link)
        self.network.clock.after(round_trip, self, "on_purified", kept, measured)

    def on_purified(self, kept: Pair, measured: Pair) -> None:
        """Both BBPSSW outcomes are known at both nodes: keep the purified pair or lose both."""
        now = self.network.clock.now_s()
        store = self.network.pairs
        settings = self.network.settings
        probability, output = bbpssw(
            store.state(kept, now),
            store.state(measured, now),
            settings.gate_fidelity,
            settings.measure_fidelity,
            settings.purification_twirl,
        )
        self._drop(measured)
        kept.busy = False
        if self.network.rng.random() < probability:
            self.purifications_succeeded += 1
            store.set_state(kept, output, now)
            if kept.owner.expired:
                self._drop(kept)
        else:
            self._drop(kept)
        self._notify_waiting_requests(kept.link)
        self._pump(kept.link)

    def reward(self, node: int, path: tuple[int, ...]) -> None:
        """Algorithm 1 at ``node`` after a request on ``path`` was served (ACP only)."""
        if self.adaptive:
            self.tables[node].update(path, self.network.settings.adaptive_delta)


def idle_pairs(network: NetworkState, u: int, v: int) -> list[Pair]:
    """Pre-generated pairs of link ``(u, v)`` that are not in a purification round."""
    return [pair for pair in network.pool[link_of(u, v)] if not pair.busy]
