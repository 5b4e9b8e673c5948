"""Pre-generated pairs on the links of multi-hop requests: adopting a pair into the request's SeQUeNCe reservation.

At its reservation's start every link of a multi-hop request asks its pool's authority (``pool.py``) for an idle
pre-generated pair, unless the link's own generation has already succeeded. Each end of the link then adopts its
half (the authority at once, the other end when the ADOPT message arrives): ACP lets go of the memory (its
generation rule and time card; the pair stays), the memory enters the reservation's time card, the reservation's
generation rule for that link is expired (its memory turns RAW), and the memory's index is added to the
``memory_indices`` of the reservation's other rules on that node, so SeQUeNCe's own swapping (and purification)
rules take the pair as if the reservation had generated it. A link without an idle pair keeps generating and takes
the first pair that becomes idle on it (our reading of "aware of pre-generated EPs", Sec. IV-C3, as in the fast
model).
"""

from __future__ import annotations

from typing import Any

from sequence.components.memory import Memory
from sequence.network_management.reservation import Reservation
from sequence.resource_management.action_condition_set import eg_rule_action_await, eg_rule_action_request
from sequence.resource_management.memory_manager import MemoryInfo
from sequence.resource_management.rule_manager import Rule
from sequence.topology.node import QuantumRouter

GENERATION_ACTIONS = (eg_rule_action_request, eg_rule_action_await)


def reservation_rules(router: QuantumRouter, reservation: Reservation) -> list[Rule]:
    """The rules of ``reservation`` loaded on ``router``."""
    return [rule for rule in router.resource_manager.rule_manager.rules if rule.reservation is reservation]


def generation_rule(router: QuantumRouter, reservation: Reservation, middle: str) -> Rule | None:
    """The reservation's generation rule on ``router`` for the link through the BSM node ``middle``."""
    for rule in reservation_rules(router, reservation):
        if rule.action in GENERATION_ACTIONS and rule.action_args.get("mid") == middle:
            return rule
    return None


def link_generated(router: QuantumRouter, reservation: Reservation, middle: str) -> bool:
    """Whether the reservation's own generation on the link through ``middle`` already holds a pair here."""
    rule = generation_rule(router, reservation, middle)
    if rule is None:
        return True  # expired: the link was served (generated or adopted)
    manager = router.resource_manager.memory_manager  # a pair, idle or taken by a swapping protocol
    return any(manager[index].remote_memo is not None for index in rule.condition_args["memory_indices"])


def adopt(pairs: Any, memory: Memory, request: Any, middle: str) -> None:
    """At one end of a link: move the pre-generated pair in ``memory`` from ACP into ``request``'s reservation.

    ``pairs`` is the router's ``PregeneratedPairs``; see the module doc for the steps.
    """
    router: QuantumRouter = pairs.owner
    reservation = request.reservation
    info = router.resource_manager.memory_manager.get_info_by_memory(memory)
    pairs.hand_over(info.index, reservation)
    own_generation = generation_rule(router, reservation, middle)
    if own_generation is not None:
        router.resource_manager.expire(own_generation)
    for rule in reservation_rules(router, reservation):
        indices = rule.condition_args.get("memory_indices")
        if rule.action not in GENERATION_ACTIONS and indices is not None and info.index not in indices:
            # a new list: SeQUeNCe's rule builders share index lists between rules, generation rules included
            rule.condition_args["memory_indices"] = [*indices, info.index]
    if router.name in (request.initiator_name, request.responder_name):
        router.app.memo_to_reservation[info.index] = reservation
    router.resource_manager.update(None, memory, MemoryInfo.ENTANGLED)
