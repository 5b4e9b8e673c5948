"""The pre-generated pairs of one router's links: Check EP for requests, and as-soon-as-possible pumping.

Each link's pool has an authority, the end with the larger name (SeQUeNCe's EP requester role). A request on a
one-link path asks the authority (CHECK, or directly when it is the authority); the authority claims an idle pair
(the freshest or a random one, ``pair_selection``) and OFFERs it to the other end, which takes its memory back from
the purification protocol awaiting a partner and either delivers (it is the initiator) or confirms (TAKEN). Without
an idle pair the authority answers NONE, keeps the request in its waiting list and offers it the next pair that
becomes idle (a herald, or a pumping round that succeeded); the request meanwhile generates on demand. With Table I
a pre-generated pair is delivered one neighbour round trip (0.3 ms) after the request starts.

Purification (``PUMP_PRIORITY``, before any generation rule) runs through SeQUeNCe's EP actions and ``BBPSSW_BDS``:
at the authority whenever its link holds two idle pairs and no request waits on it (kept: the newest, measured: the
next newest), at the other end for every idle pair. A purified pair is pumped again with the next fresh pair
(entanglement pumping, "purification as soon as two pairs share a link"). SeQUeNCe's own EP rules pair only pairs
of equal recorded fidelity (``ep_rule_condition_request``), so a purified pair would never be pumped again; with that
condition (tried) the two-node ACP gives TTS 0.32 ms and fidelity 0.949 (10 s, 2 seeds), below the paper's 0.955,
which pumping reaches (0.955; TTS 0.44-0.50 ms against the paper's 0.39, see the network README).
A round counts as attempted once BBPSSW ran (the memories were paired) and as succeeded when the kept pair comes back
purified.
"""

from __future__ import annotations

from typing import Any

from sequence.components.memory import Memory
from sequence.resource_management.action_condition_set import ep_rule_action_await, ep_rule_action_request
from sequence.resource_management.memory_manager import MemoryInfo, MemoryManager
from sequence.resource_management.rule_manager import Rule

from caligo_sweep.network.stack.adoption import adopt, link_generated
from caligo_sweep.network.stack.context import pair_fidelity
from caligo_sweep.network.stack.messages import AcpMsgType

PUMP_PRIORITY = 0
HELD_STATES = (MemoryInfo.ENTANGLED, MemoryInfo.PURIFIED)


def pump_request_condition(info: MemoryInfo, manager: MemoryManager, args: dict[str, Any]) -> list[MemoryInfo]:
    """Standing EP rule at the authority: [newest, next newest] idle pairs of ``info``'s link, if two exist."""
    return args["pool"].pump_candidates(info, manager)


def pump_await_condition(info: MemoryInfo, _manager: MemoryManager, args: dict[str, Any]) -> list[MemoryInfo]:
    """Standing EP rule at the other end: every idle pre-generated pair whose authority is the other end."""
    pool: PairPool = args["pool"]
    return [info] if pool.is_idle(info) and info.remote_node > pool.name else []


class PairPool:
    """Check EP and pumping of one router's pre-generated pairs.

    Parameters
    ----------
    generation : caligo_sweep.network.stack.pregenerated.PregeneratedPairs
        The router's ACP protocol, which owns this pool (typed ``Any``: the two modules would import each other).
    """

    def __init__(self, generation: Any) -> None:
        self.generation = generation
        self.name = generation.owner.name
        self.network = generation.network
        self.manager = generation.owner.resource_manager
        self.waiting: dict[str, list[Any]] = {}
        self.pumping: set[int] = set()
        self.purifications_attempted = 0
        self.purifications_succeeded = 0

    def load_pumping_rules(self) -> None:
        """Load the two standing pumping rules (for the whole run)."""
        for action, condition in ((ep_rule_action_request, pump_request_condition),
                                  (ep_rule_action_await, pump_await_condition)):
            self.manager.load(Rule(PUMP_PRIORITY, action, condition, {}, {"pool": self}))

    def is_idle(self, info: MemoryInfo) -> bool:
        """Whether ``info`` is a pre-generated pair of ACP's, held, idle and promised to no request."""
        return info.state in HELD_STATES and info.index in self.generation.held and info.index not in self.generation.claimed

    def _idle_pairs(self, neighbour: str) -> list[MemoryInfo]:
        pairs = [info for info in self.manager.memory_manager if self.is_idle(info) and info.remote_node == neighbour]
        return sorted(pairs, key=lambda info: info.entangle_time)

    def pump_candidates(self, info: MemoryInfo, manager: MemoryManager) -> list[MemoryInfo]:
        """See ``pump_request_condition``; also books the outcome of a round whose kept pair comes back."""
        if info.index in self.pumping:
            self.pumping.discard(info.index)
            if info.state in (MemoryInfo.PURIFIED, MemoryInfo.RAW):  # ENTANGLED: the other end could not pair
                self.purifications_attempted += 1
                self.purifications_succeeded += info.state == MemoryInfo.PURIFIED
        if not self.is_idle(info) or info.remote_node > self.name or self.waiting.get(info.remote_node):
            return []
        idle = self._idle_pairs(info.remote_node)
        if len(idle) < 2:
            return []
        self.pumping.add(idle[-1].index)
        return [idle[-1], idle[-2]]

    # --- Check EP ---------------------------------------------------------------------------------------------
    def check(self, request: Any, authority: str) -> None:
        """Ask ``authority`` (maybe this node) for a pre-generated pair for ``request``."""
        if authority == self.name:
            self.on_check(request.initiator_name, request)
        else:
            self.generation.send(authority, AcpMsgType.CHECK, request=request)

    def on_check(self, src: str, request: Any) -> None:
        """At the authority: offer an idle pair, or keep the request waiting and answer NONE."""
        other = request.other_end(self.name)
        pairs = self._idle_pairs(other)
        if not pairs:
            self.waiting.setdefault(other, []).append(request)
            if src == self.name:
                request.service.on_demand(request)
            else:
                self.generation.send(src, AcpMsgType.NONE, request=request)
            return
        self._offer(self._select(pairs), request)

    def on_none(self, _src: str, request: Any) -> None:
        """At the initiator: no pair now; generate on demand meanwhile."""
        request.service.on_demand(request)

    def _offer(self, info: MemoryInfo, request: Any) -> None:
        self.generation.claimed.add(info.index)
        self.generation.send(info.remote_node, AcpMsgType.OFFER, request=request, authority_memory=info.memory.name,
                             memory=info.remote_memo)

    def pair_idle(self, info: MemoryInfo) -> None:
        """A pair of this node became idle (no rule took it): hand it to the first request waiting on its link."""
        if not self.is_idle(info) or info.remote_node > self.name:
            return
        queue = self.waiting.get(info.remote_node, [])
        while queue:
            request = queue.pop(0)
            if request.done:
                continue
            if len(request.path) == 2:
                self._offer(info, request)
                return
            if not link_generated(self.generation.owner, request.reservation, self._middle(info.remote_node)):
                self._adopt_link(info, request)
                return

    # --- links of multi-hop requests (adoption.py) ------------------------------------------------------------
    def check_link(self, request: Any, other: str) -> None:
        """At the authority of link (self, ``other``) of a multi-hop request, at its reservation's start."""
        if request.done or link_generated(self.generation.owner, request.reservation, self._middle(other)):
            return
        pairs = self._idle_pairs(other)
        if pairs:
            self._adopt_link(self._select(pairs), request)
        else:
            self.waiting.setdefault(other, []).append(request)

    def _adopt_link(self, info: MemoryInfo, request: Any) -> None:
        """Both ends adopt their half one latency from now (ADOPT's arrival), so both stop generating at once; if the
        link's own generation succeeded meanwhile (a herald reaches both ends at once), neither adopts."""
        self.generation.claimed.add(info.index)
        self.generation.send(info.remote_node, AcpMsgType.ADOPT, request=request, memory=info.remote_memo,
                             partner=info.memory.name)
        self._later(info.remote_node, "adopt_own", info.memory.name, request)

    def adopt_own(self, memory: str, request: Any) -> None:
        """The authority's half: adopt it (or give the pair back to the pool if the request was served)."""
        info = self._info(memory)
        self.generation.claimed.discard(info.index)
        middle = self._middle(info.remote_node)
        if not request.done and not link_generated(self.generation.owner, request.reservation, middle):
            adopt(self.generation, info.memory, request, middle)
            request.pregenerated_links += 1
            return
        reservation = self.generation.held.get(info.index)
        if reservation is not None and self.name in reservation.released_on_return:
            self.release_pair(info)
        else:
            self.pair_idle(info)

    def on_adopt(self, src: str, request: Any, memory: str, partner: str) -> None:
        """At the other end: adopt this half too (after its BBPSSW round, if one still runs)."""
        info = self._info(memory)
        if info.index not in self.generation.held or info.memory.entangled_memory["memo_id"] != partner:
            return
        if self.generation.purifying(info.index):
            self._later(src, "on_adopt", src, request, memory, partner)
        elif not request.done and not link_generated(self.generation.owner, request.reservation, self._middle(src)):
            adopt(self.generation, info.memory, request, self._middle(src))

    def _middle(self, other: str) -> str:
        return self.network.middle(self.generation.node, int(other[1:]))

    def _select(self, pairs: list[MemoryInfo]) -> MemoryInfo:
        """The pair ``pair_selection`` names among idle ``pairs`` (oldest first)."""
        if self.network.settings.pair_selection == "freshest":
            return pairs[-1]
        return pairs[int(self.network.rng.integers(len(pairs)))]

    def on_offer(self, src: str, request: Any, authority_memory: str, memory: str) -> None:
        """At the other end: take the offered pair for ``request`` (deliver or confirm), or decline it."""
        own: Memory = self.network.timeline.get_entity_by_name(memory)
        info = self.manager.memory_manager.get_info_by_memory(own)
        held = info.index in self.generation.held and own.entangled_memory["memo_id"] == authority_memory
        if request.done or not held or info.state == MemoryInfo.RAW:
            self.generation.send(src, AcpMsgType.DECLINE, memory=authority_memory)
            if not request.done and request.initiator_name == self.name:
                self.check(request, src)
            return
        if self.generation.purifying(info.index):  # its BBPSSW round ends within a neighbour latency
            self._later(src, "on_offer", src, request, authority_memory, memory)
            return
        self.generation.pull(own)
        self.generation.claimed.add(info.index)
        if request.initiator_name == self.name:
            self._deliver(request, own, src, authority_memory)
        else:
            self.generation.send(src, AcpMsgType.TAKEN, request=request, authority_memory=authority_memory,
                                 memory=memory)

    def on_taken(self, src: str, request: Any, authority_memory: str, memory: str) -> None:
        """At the authority, the request's initiator: the other end holds its half; deliver (or drop if late)."""
        info = self._info(authority_memory)
        if not request.done:
            request.service.delivered(request, pair_fidelity(info.memory, self.network.timeline), pregenerated_links=1)
        self.release_pair(info)

    def _deliver(self, request: Any, own: Memory, other_end: str, other_memory: str) -> None:
        request.service.delivered(request, pair_fidelity(own, self.network.timeline), pregenerated_links=1)
        self.generation.send(other_end, AcpMsgType.RELEASE, memory=other_memory, partner=own.name)
        self.generation.free(self._info(own.name).index)

    def release_pair(self, info: MemoryInfo) -> None:
        """Free this half of a pair and RELEASE the other half."""
        self.generation.send(info.remote_node, AcpMsgType.RELEASE, memory=info.remote_memo, partner=info.memory.name)
        self.generation.free(info.index)

    def on_decline(self, _src: str, memory: str) -> None:
        """At the authority: the offered pair is ours again (freed now if its reservation ended meanwhile)."""
        info = self._info(memory)
        self.generation.claimed.discard(info.index)
        reservation = self.generation.held.get(info.index)
        if reservation is not None and self.name in reservation.released_on_return:
            self.release_pair(info)
        else:
            self.pair_idle(info)

    def on_release(self, src: str, memory: str, partner: str) -> None:
        """Free ``memory`` if it still holds the pair whose other half was ``partner`` (after its BBPSSW round)."""
        info = self._info(memory)
        if info.index not in self.generation.held or info.memory.entangled_memory["memo_id"] != partner:
            return
        if self.generation.purifying(info.index):
            self._later(src, "on_release", src, memory, partner)
        else:
            self.generation.free(info.index)

    def _info(self, memory: str) -> MemoryInfo:
        return self.manager.memory_manager.get_info_by_memory(self.network.timeline.get_entity_by_name(memory))

    def _later(self, neighbour: str, method: str, *args: Any) -> None:
        """Call ``method(*args)`` again one latency to ``neighbour`` from now (a BBPSSW round ends by then)."""
        delay = self.network.latency_ps(self.generation.node, int(neighbour[1:]))
        self.network.at(self.network.timeline.now() + delay, self, method, *args)
