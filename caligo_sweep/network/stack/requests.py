"""Request traffic on SeQUeNCe's router stack: SeQUeNCe's RSVP reservations, pre-generated pairs, delivery, TTS.

Zhan et al. 2025, Sec. II-A1, IV-C, V-A2, as the fast model (``caligo_sweep/network/service.py``) reads them: a
request arrives every ``1 / request_rate_hz`` s, its (initiator, responder) drawn from the current traffic matrix,
and asks for one pair above ``request_fidelity_min`` within ``request_window_s``.

* On demand (ODO, and ACP/UCP when no pre-generated pair is at hand) a request is a SeQUeNCe reservation: the
  initiator's ``reserve_net_resource`` runs RSVP hop by hop along the static route; SeQUeNCe's rule generator loads
  its generation (single-heralded), purification (BBPSSW_BDS, only if a pair is below the requested fidelity) and
  swapping (BDS swapping) rules on every node of the path at the reservation's start, which is the earliest time the
  approval can be back at the initiator. A rejected reservation (no free memory) is retried one neighbour round
  trip later.
* With ACP or UCP a request on a one-link path first asks the link's pool (``pool.py``); a pre-generated pair that
  becomes its own first wins, and the other way's rules are expired. On a multi-hop path every link of the
  reservation may adopt a pre-generated pair instead of generating one (``adoption.py``).
* The pair is delivered when both end nodes hold it; TTS = delivery - arrival (Eq. 1), the fidelity is the Phi+
  weight of its Bell-diagonal state with both qubits decohered to that moment. SeQUeNCe's rules of a served or timed
  out reservation are expired on every node of the path, each when the initiator's message would reach it (Eq. 2),
  and ACP's tables (Algorithm 1) are rewarded on the path: at the end nodes on delivery, at the others when the
  initiator's message reaches them (as in the fast model).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sequence.app.request_app import RequestApp
from sequence.components.memory import Memory
from sequence.kernel.event import Event
from sequence.kernel.process import Process
from sequence.network_management.reservation import Reservation
from sequence.resource_management.memory_manager import MemoryInfo
from sequence.topology.node import QuantumRouter

from caligo_sweep.network.link_timing import PICOSECONDS_PER_SECOND, to_picoseconds
from caligo_sweep.network.service import RequestRecord
from caligo_sweep.network.stack.context import StackNetwork, pair_fidelity
from caligo_sweep.network.stack.network_config import node_index, router_name
from caligo_sweep.network.stack.pregenerated import PregeneratedPairs


@dataclass(eq=False)
class StackRequest:
    """One request in flight."""

    index: int
    start_ps: int
    path: tuple[int, ...]
    service: RequestService
    done: bool = False
    reservation: Reservation | None = None
    ends: dict[str, Memory] = field(default_factory=dict)
    deadline: Event | None = None
    pregenerated_links: int = 0

    @property
    def initiator_name(self) -> str:
        """SeQUeNCe name of the initiator."""
        return router_name(self.path[0])

    @property
    def responder_name(self) -> str:
        """SeQUeNCe name of the responder."""
        return router_name(self.path[-1])

    def other_end(self, name: str) -> str:
        """The end node that is not ``name``."""
        return self.responder_name if name == self.initiator_name else self.initiator_name


class StackRequestApp(RequestApp):
    """SeQUeNCe's request application on one router, reporting reservations and pairs to the ``RequestService``."""

    def __init__(self, node: QuantumRouter, service: RequestService) -> None:
        super().__init__(node)
        self.service = service

    def schedule_reservation(self, reservation: Reservation) -> None:
        """Map the reservation's memories to it from its start to its end (an unmap leaves a newer mapping)."""
        for card in self.node.network_manager.get_timecards():
            if reservation in card.reservations:
                for time, method in ((reservation.start_time, "add_memo_reservation_map"),
                                     (reservation.end_time, "unmap")):
                    self.node.timeline.schedule(Event(time, Process(self, method, [card.memory_index, reservation])))

    def unmap(self, index: int, reservation: Reservation) -> None:
        """End of ``reservation``: forget memory ``index``'s mapping if it is still this reservation's."""
        if self.memo_to_reservation.get(index) is reservation:
            del self.memo_to_reservation[index]

    def get_reservation_result(self, reservation: Reservation, result: bool) -> None:
        """The initiator learns whether RSVP approved; a rejection is retried one neighbour round trip later."""
        super().get_reservation_result(reservation, result)
        self.service.reservation_result(reservation, result)

    def get_memory(self, info: MemoryInfo) -> None:
        """An idle memory: a reservation's pair reaching an end node, or a pre-generated pair or free memory."""
        reservation = self.memo_to_reservation.get(info.index)
        request = self.service.by_identity.get(reservation.identity) if reservation is not None else None
        serving = request is not None and request.reservation is reservation and not request.done
        if info.state in (MemoryInfo.ENTANGLED, MemoryInfo.PURIFIED) and serving:
            if info.remote_node == request.other_end(self.node.name):
                self.service.end_ready(request, self.node.name, info.memory)
            return
        pairs = self.service.pairs.get(node_index(self.node.name))
        if pairs is None:
            return
        if info.state == MemoryInfo.RAW:
            pairs.memory_freed()
        elif info.state in (MemoryInfo.ENTANGLED, MemoryInfo.PURIFIED):
            pairs.pool.pair_idle(info)


class RequestService:
    """Generates the requests of a run and serves them (see the module doc)."""

    def __init__(self, network: StackNetwork, pairs: dict[int, PregeneratedPairs]) -> None:
        self.network = network
        self.pairs = pairs
        self.records: list[RequestRecord] = []
        self.by_identity: dict[int, StackRequest] = {}
        settings = network.settings
        self.period_ps = to_picoseconds(1.0 / settings.request_rate_hz)
        self.window_ps = to_picoseconds(settings.request_window_s)
        self.num_requests = int(settings.duration_s * settings.request_rate_hz - 1e-9) + 1
        for router in network.routers:
            router.set_app(StackRequestApp(router, self))

    def _at(self, time_ps: int, method: str, *args: object) -> Event:
        return self.network.at(time_ps, self, method, *args)

    def start(self) -> None:
        """Schedule the first arrival (at time zero)."""
        self._at(0, "arrive", 0)

    def arrive(self, index: int) -> None:
        """Request ``index`` starts now; the next one is scheduled one period later."""
        now = self.network.timeline.now()
        if index + 1 < self.num_requests:
            self._at(now + self.period_ps, "arrive", index + 1)
        change = self.network.settings.traffic_change_s
        phase = 1 if change is not None and now >= to_picoseconds(change) else 0
        initiator, responder = self.network.topology.traffic[phase].sample(self.network.rng)
        request = StackRequest(index, now, self.network.topology.path(initiator, responder), self)
        request.deadline = self._at(now + self.window_ps, "time_out", request)
        if self.pairs and len(request.path) == 2:
            authority = max(request.initiator_name, request.responder_name)
            self.pairs[initiator].pool.check(request, authority)
        else:
            self.on_demand(request)

    def on_demand(self, request: StackRequest) -> None:
        """Reserve the path through SeQUeNCe's RSVP (start: when the approval can be back at the initiator)."""
        if request.done or request.reservation is not None:
            return
        now = self.network.timeline.now()
        path = request.path
        round_trip = 2 * sum(self.network.latency_ps(u, v) for u, v in zip(path[:-1], path[1:]))
        start, end = now + round_trip + 1, request.start_ps + self.window_ps
        if start >= end:
            return
        self.by_identity[request.index] = request
        fidelity = self.network.settings.request_fidelity_min
        self.network.routers[path[0]].reserve_net_resource(
            request.responder_name, start, end, 1, fidelity, identity=request.index
        )

    def reservation_result(self, reservation: Reservation, approved: bool) -> None:
        """At the initiator: bind an approved reservation to its request, or retry a rejected one."""
        request = self.by_identity[reservation.identity]
        if approved and not request.done:
            request.reservation = reservation
            if self.pairs and len(request.path) > 2:
                for link in zip(request.path[:-1], request.path[1:]):
                    other, authority = sorted(link, key=router_name)
                    self._at(reservation.start_time, "check_link", authority, request, other)
        elif approved:
            self._expire_path(request, reservation)
        else:
            neighbour = self.network.latency_ps(request.path[0], request.path[1])
            self._at(self.network.timeline.now() + 2 * neighbour, "on_demand", request)

    def check_link(self, authority: int, request: StackRequest, other: int) -> None:
        """At the reservation's start: the authority of a link of ``request`` looks for a pre-generated pair."""
        self.pairs[authority].pool.check_link(request, router_name(other))

    def end_ready(self, request: StackRequest, name: str, memory: Memory) -> None:
        """An end node holds the request's pair; once both do, it is delivered."""
        request.ends[name] = memory
        if len(request.ends) == 2:
            self.delivered(request, pair_fidelity(memory, self.network.timeline), request.pregenerated_links)

    def delivered(self, request: StackRequest, fidelity: float, pregenerated_links: int) -> None:
        """Record a served request, reward the tables on its path and expire whatever else serves it."""
        request.done = True
        self.network.timeline.remove_event(request.deadline)
        now = self.network.timeline.now()
        self._record(request, True, (now - request.start_ps) / 1e9, fidelity, pregenerated_links)
        ends = (request.path[0], request.path[-1])
        for node in request.path if self.pairs else ():  # the ends now, the others when the initiator's message arrives
            delay = 0 if node in ends else self.network.latency_ps(request.path[0], node)
            self._at(now + delay, "reward", node, list(request.path))
        if request.reservation is not None:
            self._expire_path(request, request.reservation)

    def reward(self, node: int, path: list[int]) -> None:
        """Algorithm 1 at router ``node`` for a request served on ``path``."""
        self.pairs[node].reward(path)

    def time_out(self, request: StackRequest) -> None:
        """The request's window ended unserved."""
        if request.done:
            return
        request.done = True
        self._record(request, False, float("nan"), float("nan"), 0)
        if request.reservation is not None:
            self._expire_path(request, request.reservation)

    def _record(self, request: StackRequest, served: bool, tts_ms: float, fidelity: float, pregenerated: int) -> None:
        self.records.append(RequestRecord(
            request.index, request.start_ps / PICOSECONDS_PER_SECOND, request.path[0], request.path[-1],
            len(request.path) - 2, served, tts_ms, fidelity, pregenerated,
        ))

    def _expire_path(self, request: StackRequest, reservation: Reservation) -> None:
        """Expire ``reservation``'s rules on every path node when the initiator's message reaches it."""
        now = self.network.timeline.now()
        for node in request.path:
            delay = 0 if node == request.path[0] else self.network.latency_ps(request.path[0], node)
            self._at(max(now + delay, reservation.start_time), "expire_at", node, reservation)

    def expire_at(self, node: int, reservation: Reservation) -> None:
        """Expire ``reservation``'s rules and time cards at router ``node``."""
        router = self.network.routers[node]
        router.resource_manager.expire_rules_by_reservation(reservation)
        router.network_manager.remove_reservation_from_timecards(reservation)
