"""Request traffic and on-demand service: reservation, pre-generated-pair-aware link generation, swapping, delivery.

Zhan et al. 2025, Sec. II-A1, IV-C3, IV-C4, V-A2. A request arrives every ``1 / request_rate_hz`` seconds with its
(initiator, responder) drawn from the current traffic matrix and asks for one end-to-end pair above
``request_fidelity_min`` before ``start + request_window_s``. Its lifecycle:

1. reservation along the static path: a request/approval round trip hop by hop, ``2 sum l(u, v)`` over its links
   (SeQUeNCe's RSVP; Eq. 2 per link);
2. per link, "Check EP": claim a pre-generated pair (freshest or random idle pair of the link's pool) or reserve
   one free memory at each end and run single-heralded generation (retried when memories free up); a link still
   waiting takes the first pre-generated pair pooled on it (new, or out of a purification round) and cancels its
   own generation (our reading of "aware of pre-generated EPs", Sec. IV-C3);
3. each intermediate node swaps (Bell measurement, ``bds.swap`` with gate and measurement noise) as soon as both its
   links hold pairs; its outcome reaches the end nodes after Eq. 2 latencies; the pair is delivered when both end
   nodes know every outcome (for a direct link: when the link's pair exists);
4. TTS = delivery time - start time (Eq. 1); the fidelity is that of the end-to-end BDS at delivery, each qubit
   having decohered until it was measured (intermediate nodes) or delivered (end nodes).

A failed swap (probability ``1 - swap_success_prob``) loses every link pair of the request, which starts over at
step 2 when the failure is known. After delivery the end nodes, and the intermediate nodes when the initiator's
path message reaches them, run Algorithm 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sequence.kernel.event import Event

from caligo_sweep.network.acp_protocol import ContinuousGeneration, idle_pairs
from caligo_sweep.network.bds import swap
from caligo_sweep.network.memories import MemoryUse, Pair
from caligo_sweep.network.world import NetworkState, link_of


@dataclass
class RequestRecord:
    """Outcome of one request (one row of the per-request table)."""

    index: int
    start_s: float
    initiator: int
    responder: int
    hops: int
    served: bool
    tts_ms: float
    fidelity: float
    pregenerated_links: int


@dataclass(eq=False)
class _Request:
    index: int
    start_s: float
    path: tuple[int, ...]
    pairs: list[Pair | None] = field(default_factory=list)
    ready_s: list[float] = field(default_factory=list)
    generations: list[Event | None] = field(default_factory=list)
    reserved: list[tuple[int, int] | None] = field(default_factory=list)
    pregenerated: int = 0
    done: bool = False
    delivery: Event | None = None


class RequestService:
    """Generates requests and serves them on ``network``, using pre-generated pairs of ``continuous`` if any."""

    def __init__(self, network: NetworkState, continuous: ContinuousGeneration | None) -> None:
        self.network = network
        self.continuous = continuous
        self.records: list[RequestRecord] = []
        settings = network.settings
        self.period_s = 1.0 / settings.request_rate_hz
        self.num_requests = int(settings.duration_s * settings.request_rate_hz - 1e-9) + 1

    def start(self) -> None:
        """Schedule the first arrival (at time zero)."""
        self.network.clock.after(0.0, self, "arrive", 0)

    def arrive(self, index: int) -> None:
        """Request ``index`` starts now; the next one is scheduled one period later."""
        if index + 1 < self.num_requests:
            self.network.clock.after(self.period_s, self, "arrive", index + 1)
        now = self.network.clock.now_s()
        change = self.network.settings.traffic_change_s
        phase = 1 if change is not None and now >= change else 0
        initiator, responder = self.network.topology.traffic[phase].sample(self.network.rng)
        request = _Request(index, now, self.network.topology.path(initiator, responder))
        self.network.clock.after(self.network.settings.request_window_s, self, "deadline", request)
        path = request.path  # the reservation travels hop by hop and back, as SeQUeNCe's RSVP does
        round_trip = 2.0 * sum(self.network.latency_s(u, v) for u, v in zip(path[:-1], path[1:]))
        self.network.clock.after(round_trip, self, "begin", request)

    def begin(self, request: _Request) -> None:
        """Rules are installed on the path: acquire a pair on every link."""
        if request.done:
            return
        links = len(request.path) - 1
        request.pairs, request.ready_s = [None] * links, [0.0] * links
        request.generations, request.reserved = [None] * links, [None] * links
        for position in range(links):
            self._acquire(request, position)

    def _acquire(self, request: _Request, position: int) -> None:
        if request.done or request.pairs[position] is not None or request.reserved[position] is not None:
            return
        if self._claim_pregenerated(request, position):
            return
        u, v = request.path[position], request.path[position + 1]
        memories_u, memories_v = self.network.memories[u], self.network.memories[v]
        if not (memories_u.has_free() and memories_v.has_free()):
            self.network.on_memory_freed.append(lambda: self._acquire(request, position))
            return
        memory_u, memory_v = memories_u.reserve(MemoryUse.REQUEST), memories_v.reserve(MemoryUse.REQUEST)
        request.reserved[position] = (memory_u, memory_v)
        request.generations[position] = self.network.generate(
            u, memory_u, v, memory_v, self, "on_link_ready", request, position
        )

    def _claim_pregenerated(self, request: _Request, position: int) -> bool:
        """Take an idle pre-generated pair of the link, or watch the link's pool for one; True if taken."""
        if self.continuous is None:
            return False
        u, v = request.path[position], request.path[position + 1]
        candidates = idle_pairs(self.network, u, v)
        if not candidates:
            self.network.link_waiters[link_of(u, v)].append(lambda: self._pool_changed(request, position))
            return False
        if self.network.settings.pair_selection == "freshest":
            pair = max(candidates, key=lambda p: p.created_s)
        else:
            pair = candidates[int(self.network.rng.integers(len(candidates)))]
        self.continuous.claim(pair)
        request.pregenerated += 1
        self.on_link_ready(pair, request, position)
        return True

    def _pool_changed(self, request: _Request, position: int) -> None:
        """The link's pool changed while the link waits: switch from on-demand generation to a pooled pair."""
        if request.done or request.pairs[position] is not None:
            return
        reserved, generation = request.reserved[position], request.generations[position]
        if self._claim_pregenerated(request, position) and reserved is not None:
            self.network.clock.cancel(generation)
            self.network.free_memory(request.path[position], reserved[0])
            self.network.free_memory(request.path[position + 1], reserved[1])

    def on_link_ready(self, pair: Pair, request: _Request, position: int) -> None:
        """A link of the request holds a pair; once all do, schedule delivery."""
        request.generations[position], request.reserved[position] = None, None
        if request.done:
            self.network.discard(pair)
            return
        request.pairs[position] = pair
        request.ready_s[position] = self.network.clock.now_s()
        if all(p is not None for p in request.pairs):
            self._schedule_delivery(request)

    def _swap_times(self, request: _Request) -> list[float]:
        return [max(request.ready_s[k - 1], request.ready_s[k]) for k in range(1, len(request.pairs))]

    def _schedule_delivery(self, request: _Request) -> None:
        path, now = request.path, self.network.clock.now_s()
        swap_times = self._swap_times(request)
        ends = (path[0], path[-1])
        known = [t + self.network.latency_s(path[k + 1], end) for k, t in enumerate(swap_times) for end in ends]
        request.delivery = self.network.clock.after(max(known, default=now) - now, self, "deliver", request)

    def deliver(self, request: _Request) -> None:
        """Every swap outcome is known at both ends: compute the end-to-end state or start over on a failed swap."""
        now = self.network.clock.now_s()
        settings = self.network.settings
        swaps = len(request.pairs) - 1
        if swaps and self.network.rng.random() >= settings.swap_success_prob**swaps:
            self._release(request)
            self.begin(request)
            return
        swap_times = self._swap_times(request)
        qubit_end = [now] + swap_times + [now]
        state = None
        for position, pair in enumerate(request.pairs):
            link_state = self.network.pairs.state_at(pair, (qubit_end[position], qubit_end[position + 1]))
            state = link_state if state is None else swap(
                state, link_state, settings.gate_fidelity, settings.measure_fidelity
            )
        fidelity = float(state[0])
        self._release(request)
        self._finish(request, fidelity > settings.request_fidelity_min, fidelity)
        if self.continuous is not None and fidelity > settings.request_fidelity_min:
            path = request.path
            self.continuous.reward(path[0], path)
            self.continuous.reward(path[-1], path)
            for node in path[1:-1]:
                self.network.clock.after(self.network.latency_s(path[0], node), self.continuous, "reward", node, path)

    def deadline(self, request: _Request) -> None:
        """The request window closed before delivery: the request fails and frees its resources."""
        if request.done:
            return
        self.network.clock.cancel(request.delivery)
        self._release(request)
        self._finish(request, False, float("nan"))

    def _release(self, request: _Request) -> None:
        """Cancel pending generations, free their memories and discard every link pair of ``request``."""
        for position, event in enumerate(request.generations):
            self.network.clock.cancel(event)
            if request.reserved[position] is not None:
                memory_u, memory_v = request.reserved[position]
                self.network.free_memory(request.path[position], memory_u)
                self.network.free_memory(request.path[position + 1], memory_v)
        for pair in request.pairs:
            if pair is not None:
                self.network.discard(pair)
        links = len(request.pairs)
        request.pairs, request.generations, request.reserved = [None] * links, [None] * links, [None] * links

    def _finish(self, request: _Request, served: bool, fidelity: float) -> None:
        request.done = True
        tts_ms = (self.network.clock.now_s() - request.start_s) * 1e3 if served else float("nan")
        self.records.append(
            RequestRecord(
                request.index,
                request.start_s,
                request.path[0],
                request.path[-1],
                len(request.path) - 2,
                served,
                tts_ms,
                fidelity,
                request.pregenerated,
            )
        )
