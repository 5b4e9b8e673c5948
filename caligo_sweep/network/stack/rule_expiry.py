"""Expiring a SeQUeNCe rule so that every memory it frees has at most one protocol afterwards.

SeQUeNCe 1.3.1's ``ResourceManager.expire`` frees a rule's memories in two passes: first each memory of the rule's
protocols is set RAW, which lets the next rule covering that memory take it at once (a new protocol, the memory
OCCUPIED); then each memory of the rule's ``memory_indices`` that is not RAW is set RAW again -- the memory just
taken -- so that next rule fires a second time and two protocols wait on one memory (the second pass came with
reservations' early expiry, sequence-toolbox/SeQUeNCe pull request 426, marked there "might delete this").
Besides, a removed generation protocol keeps its scheduled events, and single-heralded ``emit_event`` does not
check that its protocol still runs, so an expired protocol re-prepares a memory that another protocol holds by
then.

Both happen when a memory passes from one reservation to the next while it is busy: a pre-generated pair outlives
its ACP reservation, RSVP gives the memory to a request's reservation from the ACP reservation's end, and the
memory is freed later. Measured on the bottleneck with UCP (seed 0, 4 s, before this module): ACP freed
``r10.MemoryArray[1]`` at 3.90102 s, the request's generation rule created two await protocols on it, the first
generated the link's pair (3.90450 s) and the second, paired later with a new attempt of the neighbour's, reset the
memory (3.90765 s) while a swapping protocol held it; SeQUeNCe's swapping then stopped the run with "Cannot pair
protocol ESA.r10.MemoryArray[1].r10.MemoryArray[3] with ESB.r7.MemoryArray[4]".

The second pass also frees memories that are no longer the rule's: a memory in ``memory_indices`` that a protocol of
another rule holds by then. Measured on the bottleneck with UCP (seed 8, 40 s, after the fix above): a request's
generation rule covered ``r10.MemoryArray[2]`` from the ACP reservation's end and took the memory when ACP's own
attempt on it failed; when ACP then freed the memory (30.40108 s), its rule's expiry set it RAW under the request's
running generation protocol, the request's rule fired again, and two generation chains alternated on the memory
until the second one's next emission (30.42325 s) reset the pair that a swap at r10 held ("Cannot pair protocol
ESA.r10.MemoryArray[2].r10.MemoryArray[5] with ESB.r8.MemoryArray[5]").

``install`` replaces ``expire`` on a router's resource manager with ``expire_rule``, which removes the protocols
first (with their pending events), then sets each affected memory that no other protocol holds RAW once.
"""

from __future__ import annotations

from types import MethodType

from sequence.components.memory import Memory
from sequence.resource_management.memory_manager import MemoryInfo
from sequence.resource_management.resource_manager import ResourceManager
from sequence.resource_management.rule_manager import Rule
from sequence.topology.node import QuantumRouter


def expire_rule(manager: ResourceManager, rule: Rule) -> None:
    """Remove ``rule`` and its protocols from ``manager``'s node, then set each of its memories RAW once.

    The memories are those of the rule's protocols and of its ``memory_indices`` that are not RAW when the protocols
    are gone (as SeQUeNCe's ``expire``), except those a protocol of another rule holds; a protocol's scheduled events
    (generation rounds) are cancelled.
    """
    protocols = manager.rule_manager.expire(rule)
    if protocols is None:
        return
    memories: dict[str, Memory] = {}
    while protocols:
        protocol = protocols.pop()
        for place in (manager.waiting_protocols, manager.pending_protocols, manager.owner.protocols):
            if protocol in place:
                place.remove(protocol)
                break
        for event in getattr(protocol, "scheduled_events", ()):
            manager.owner.timeline.remove_event(event)
        for memory in protocol.memories:
            memory.detach(protocol)
            memory.attach(memory.memory_array)
            memories[memory.name] = memory
    for index in rule.condition_args.get("memory_indices", ()):
        memory = manager.memory_manager.memory_array[index]
        memories.setdefault(memory.name, memory)
    for memory in memories.values():  # each freed memory may start a protocol that takes a later one of them
        raw = manager.memory_manager.get_info_by_memory(memory).state == MemoryInfo.RAW
        if not raw and not held_by_a_protocol(manager, memory):
            manager.update(None, memory, MemoryInfo.RAW)


def held_by_a_protocol(manager: ResourceManager, memory: Memory) -> bool:
    """Whether a protocol on ``manager``'s node (waiting, pending or running) holds ``memory``."""
    running = (*manager.waiting_protocols, *manager.pending_protocols, *manager.owner.protocols)
    return any(memory in protocol.memories for protocol in running)


def install(router: QuantumRouter) -> None:
    """Make ``router``'s resource manager (and so SeQUeNCe's own reservation ends) expire rules by ``expire_rule``."""
    router.resource_manager.expire = MethodType(expire_rule, router.resource_manager)
