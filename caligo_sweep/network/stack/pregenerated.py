"""ACP and UCP on SeQUeNCe's router stack: continuous generation, pumping and the pool of pre-generated pairs.

Zhan et al. 2025, Sec. III (Fig. 3, Algorithm 1) and IV-C. One ``PregeneratedPairs`` protocol runs on every
``QuantumRouter`` (``node.protocols``, name ``"acp"``); what SeQUeNCe already has is used as SeQUeNCe runs it:

* **Generation** of a pre-generated pair is SeQUeNCe's single-heralded generation, driven by SeQUeNCe's own
  entanglement-generation rule actions (``eg_rule_action_request`` at the querying node, ``eg_rule_action_await``
  at the neighbour) on the two memories of an ``AcpReservation``, which also holds the memories in their RSVP
  time cards, so requests' reservations and ACP never share a memory.
* **Purification** is SeQUeNCe's ``BBPSSW_BDS`` (twirled BBPSSW on Bell-diagonal states with the nodes' gate and
  measurement fidelities), paired through the resource manager like SeQUeNCe's own EP rules. Two standing rules per
  node: the end with the larger name of a link requests (``ep_rule_action_request``) as soon as the link holds two
  idle pre-generated pairs (kept: the newest, measured: the next newest, as the fast model), the other end awaits
  (``ep_rule_action_await``); SeQUeNCe's ``ep_match_func`` pairs them.
* **What ACP adds**: the S1/S2/S3 state machines (sleep tau ~ U[0, acp_sleep_max_s], QUERY, REPLY with
  MAX_MEMORY_ACP), Algorithm 1's table (``adaptive_table.ProbabilityTable``; UCP: uniform, no phantom), the
  reservation lifetime ``acp_reservation_s``, and "Check EP": the end with the larger name is the authority of its
  link's pool; it hands an idle pair (freshest or random) to a request, or offers the next one that appears to a
  request waiting on the link (requests come before pumping).

Counter (Sec. III-A) = memories ACP holds at the node; a node that cannot act parks and sleeps afresh when a memory
frees. Choices the paper leaves open are those of the fast model (``caligo_sweep/network/README.md``).
"""

from __future__ import annotations

from typing import Any

from sequence.components.memory import Memory
from sequence.entanglement_management.purification.purification_protocol import PurificationProtocol
from sequence.kernel.event import Event
from sequence.network_management.reservation import Reservation
from sequence.protocol import Protocol
from sequence.resource_management.action_condition_set import (
    eg_rule_action_await,
    eg_rule_action_request,
    eg_rule_condition,
)
from sequence.resource_management.memory_manager import MemoryInfo
from sequence.resource_management.rule_manager import Rule
from sequence.topology.node import QuantumRouter

from caligo_sweep.network.adaptive_table import ProbabilityTable
from caligo_sweep.network.stack.context import StackNetwork
from caligo_sweep.network.stack.messages import PROTOCOL_NAME, AcpMessage, AcpMsgType
from caligo_sweep.network.stack.network_config import node_index, router_name
from caligo_sweep.network.stack.pool import PairPool

#: Priority of the generation rules of ACP's reservations (the pool's pumping rules come first).
GENERATION_PRIORITY = 10


class AcpReservation(Reservation):
    """ACP's reservation: one memory at ``initiator`` and one at ``responder`` for ``acp_reservation_s``."""

    def __init__(self, initiator: str, responder: str, start_time: int, end_time: int) -> None:
        super().__init__(initiator, responder, start_time, end_time, memory_size=1, fidelity=1.0)
        self.memory_index: dict[str, int] = {}
        self.rules: dict[str, Rule] = {}
        self.released_on_return: set[str] = set()


class PregeneratedPairs(Protocol):
    """ACP (``adaptive``) or UCP on one router; see the module doc.

    Parameters
    ----------
    owner : QuantumRouter
        The router.
    network : StackNetwork
        The run's shared context.
    adaptive : bool
        ACP's table with the phantom neighbour and Algorithm 1, else UCP's fixed uniform table.
    """

    def __init__(self, owner: QuantumRouter, network: StackNetwork, adaptive: bool) -> None:
        super().__init__(owner, PROTOCOL_NAME, PROTOCOL_NAME)
        self.memories: list[Memory] = []  # SeQUeNCe looks for memories on every protocol of a node
        self.network = network
        self.node = node_index(owner.name)
        self.adaptive = adaptive
        self.table = ProbabilityTable(self.node, network.topology.neighbours[self.node], with_phantom=adaptive)
        self.held: dict[int, AcpReservation] = {}  # memory index -> reservation holding it
        self.claimed: set[int] = set()
        self.parked = False
        self.pool = PairPool(self)

    # --- S1, S2, S3: continuous generation -------------------------------------------------------------------
    def start(self, with_pumping: bool) -> None:
        """Load the standing pumping rules (if ``with_pumping``) and schedule the first wake-up."""
        if with_pumping:
            self.pool.load_pumping_rules()
        self._sleep()

    def after(self, delay_ps: int, method: str, *args: Any) -> Event:
        """Schedule ``self.method(*args)`` ``delay_ps`` picoseconds from now."""
        return self.network.at(self.network.timeline.now() + delay_ps, self, method, *args)

    def _sleep(self) -> None:
        tau_s = self.network.rng.random() * self.network.settings.acp_sleep_max_s
        self.after(int(round(tau_s * 1e12)), "wake")

    def send(self, node: str, msg_type: AcpMsgType, **payload: Any) -> None:
        """Send an ``acp`` message to the ``acp`` protocol of router ``node`` (Eq. 2 latency)."""
        self.owner.send_message(node, AcpMessage(msg_type, **payload))

    def wake(self) -> None:
        """S1: with Counter below MAX_MEMORY_ACP, draw a neighbour and query it with a reserved memory."""
        if len(self.held) >= self.network.settings.max_memory_acp:
            self.parked = True
            return
        neighbour = self.table.select(self.network.rng)
        if neighbour is None:  # the phantom neighbour: generate nothing this time
            self._sleep()
            return
        now = self.network.timeline.now()
        lifetime_ps = int(round(self.network.settings.acp_reservation_s * 1e12))
        reservation = AcpReservation(self.owner.name, router_name(neighbour), now, now + lifetime_ps)
        if self._reserve_memory(reservation) is None:
            self.parked = True
            return
        self._sleep()
        self.send(reservation.responder, AcpMsgType.QUERY, reservation=reservation)

    def _reserve_memory(self, reservation: AcpReservation) -> int | None:
        """Hold a free memory (RAW, time card free for the reservation's span) for ``reservation``."""
        manager = self.owner.resource_manager.memory_manager
        for card in self.owner.network_manager.rsvp.timecards:
            index = card.memory_index
            if index in self.held or manager[index].state != MemoryInfo.RAW or not card.add(reservation):
                continue
            self.held[index] = reservation
            reservation.memory_index[self.owner.name] = index
            self.after(reservation.end_time - self.network.timeline.now(), "expire", reservation)
            return index
        return None

    def _load_generation_rule(self, reservation: AcpReservation, index: int, requesting: bool) -> None:
        other = reservation.responder if requesting else reservation.initiator
        args = {"mid": self.network.middle(self.node, node_index(other)),
                "path": [reservation.initiator, reservation.responder], "index": 0 if requesting else 1,
                "name": self.owner.name, "reservation": reservation}
        action = eg_rule_action_request if requesting else eg_rule_action_await
        rule = Rule(GENERATION_PRIORITY, action, eg_rule_condition, args, {"memory_indices": [index]})
        rule.set_reservation(reservation)
        reservation.rules[self.owner.name] = rule
        self.owner.resource_manager.load(rule)

    def received_message(self, src: str, msg: AcpMessage) -> None:
        """Dispatch an ``acp`` message to its handler (generation here, Check EP in the pool)."""
        handler = self if msg.msg_type in (AcpMsgType.QUERY, AcpMsgType.REPLY) else self.pool
        getattr(handler, f"on_{msg.msg_type.name.lower()}")(src, **msg.payload)

    def on_query(self, src: str, reservation: AcpReservation) -> None:
        """S3: reply yes with a reserved memory (its generation rule awaits the querying node), or no."""
        index = None
        if len(self.held) < self.network.settings.max_memory_acp and self.network.timeline.now() < reservation.end_time:
            index = self._reserve_memory(reservation)
        if index is not None:
            self._load_generation_rule(reservation, index, requesting=False)
        self.send(src, AcpMsgType.REPLY, reservation=reservation, accepted=index is not None)

    def on_reply(self, _src: str, reservation: AcpReservation, accepted: bool) -> None:
        """S2 -> S1: start generation on yes, free the memory on no (or if the reservation already ended)."""
        index = reservation.memory_index.get(self.owner.name)
        if index is None or self.held.get(index) is not reservation:
            return
        if accepted:
            self._load_generation_rule(reservation, index, requesting=True)
        else:
            self.free(index)

    def expire(self, reservation: AcpReservation) -> None:
        """The reservation ended: free its memory here, or (holding a pair) leave it to the link's authority.

        Without a pair (still generating) both ends free their memory at this same moment. A pair's halves are freed
        by the authority (the end with the larger name): once the pair is idle it frees its half and RELEASEs the
        other, so the two ends never disagree about which pairs exist. The other end looks again every neighbour
        latency, and frees its memory itself once it holds no pair (a BBPSSW round that failed after the authority's
        half was already freed).
        """
        index = reservation.memory_index.get(self.owner.name)
        if index is None or self.held.get(index) is not reservation:
            return
        info = self.owner.resource_manager.memory_manager[index]
        if info.remote_memo is None:
            self.free(index)
        elif index in self.claimed:
            reservation.released_on_return.add(self.owner.name)
        elif info.remote_node > self.owner.name or self.purifying(index):
            # wait for the authority's RELEASE, or for the BBPSSW round, which ends within a neighbour latency
            self.after(self.network.latency_ps(self.node, node_index(info.remote_node)), "expire", reservation)
        else:
            self.pool.release_pair(info)

    def purifying(self, index: int) -> bool:
        """Whether a BBPSSW round (paired, not only awaiting a partner) holds memory ``index``."""
        memory = self.owner.resource_manager.memory_manager[index].memory
        running = [*self.owner.protocols, *self.owner.resource_manager.pending_protocols]
        return any(isinstance(protocol, PurificationProtocol) and memory in protocol.memories for protocol in running)

    def free(self, index: int) -> None:
        """Give memory ``index`` back: expire its generation rule (the memory turns RAW) and its time card."""
        reservation = self.held.pop(index)
        self.claimed.discard(index)
        memory = self.owner.resource_manager.memory_manager[index].memory
        self.pull(memory)
        rule = reservation.rules.pop(self.owner.name, None)
        if rule is not None:
            self.owner.resource_manager.expire(rule)
        self.owner.network_manager.rsvp.timecards[index].remove(reservation)
        self.memory_freed()

    def hand_over(self, index: int, reservation: Reservation) -> None:
        """Give the pair in memory ``index`` to a request's ``reservation``: ACP's rule and time card go, the pair stays."""
        acp_reservation = self.held.pop(index)
        self.claimed.discard(index)
        self.pull(self.owner.resource_manager.memory_manager[index].memory)
        rule = acp_reservation.rules.pop(self.owner.name, None)
        if rule is not None:
            self.owner.resource_manager.rule_manager.expire(rule)  # no protocol runs on a memory holding a pair
        card = self.owner.network_manager.rsvp.timecards[index]
        card.remove(acp_reservation)
        card.add(reservation)
        self.memory_freed()

    def memory_freed(self) -> None:
        """A memory of this node became free: a parked S1 sleeps afresh."""
        if self.parked:
            self.parked = False
            self._sleep()

    def pull(self, memory: Memory) -> None:
        """Take ``memory`` back from a purification protocol that awaits a partner (the pair stays as it is)."""
        manager = self.owner.resource_manager
        for protocol in list(manager.waiting_protocols):
            if memory in protocol.memories:
                manager.waiting_protocols.remove(protocol)
                protocol.rule.protocols.remove(protocol)
                memory.detach(protocol)
                memory.attach(memory.memory_array)
                manager.memory_manager.get_info_by_memory(memory).state = MemoryInfo.ENTANGLED

    def reward(self, path: list[int]) -> None:
        """Algorithm 1 after a request on ``path`` was served (ACP only)."""
        if self.adaptive:
            self.table.update(path, self.network.settings.adaptive_delta)
