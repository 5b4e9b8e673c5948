"""Expiring a rule on SeQUeNCe's stack (``stack/rule_expiry.py``): a memory freed by one rule while the next rule
covering it is loaded ends with one protocol, not two, a memory another rule's protocol holds is left to it, and an
expired generation protocol's rounds are cancelled.
Needs SeQUeNCe >= 1.3 (Python >= 3.12)."""

from __future__ import annotations

import pytest

from caligo_sweep.network.engines import stack_available

if not stack_available():
    pytest.skip("the SeQUeNCe stack engine needs SeQUeNCe >= 1.3 (Python >= 3.12)", allow_module_level=True)

from sequence.kernel.event import Event  # noqa: E402
from sequence.kernel.process import Process  # noqa: E402
from sequence.resource_management.action_condition_set import (  # noqa: E402
    eg_rule_action_await,
    eg_rule_condition,
)
from sequence.resource_management.memory_manager import MemoryInfo  # noqa: E402
from sequence.resource_management.rule_manager import Rule  # noqa: E402

from caligo_sweep.network.settings import AcpSettings  # noqa: E402
from caligo_sweep.network.stack.simulation import build_network  # noqa: E402


def _generation_rule(network, priority: int) -> Rule:
    """An await-side generation rule of router r1 on its memory 0 (link r0-r1)."""
    args = {"mid": network.middle(0, 1), "path": ["r0", "r1"], "index": 1}
    return Rule(priority, eg_rule_action_await, eg_rule_condition, args, {"memory_indices": [0]})


def _router_with_memory_zero():
    """A built network's router r1 (timeline initialised) and its memory 0."""
    network, _ = build_network(AcpSettings(), seed=0)
    network.timeline.init()
    router = network.routers[1]
    return network, router, router.resource_manager.memory_manager[0].memory


def _protocols_on(router, memory) -> list:
    manager = router.resource_manager
    running = [*manager.waiting_protocols, *manager.pending_protocols, *router.protocols]
    return [protocol for protocol in running if memory in protocol.memories]


def test_a_freed_memory_gets_one_protocol_of_the_next_rule():
    network, router, memory = _router_with_memory_zero()
    first, second = _generation_rule(network, 10), _generation_rule(network, 20)
    router.resource_manager.load(first)  # takes the RAW memory: one protocol, memory OCCUPIED
    router.resource_manager.load(second)  # covers the same memory, waits for it
    assert _protocols_on(router, memory) == first.protocols
    router.resource_manager.expire(first)  # SeQUeNCe 1.3.1's own expire leaves two protocols of ``second`` here
    assert _protocols_on(router, memory) == second.protocols and len(second.protocols) == 1
    assert router.resource_manager.memory_manager[0].state == MemoryInfo.OCCUPIED


def test_a_memory_held_by_another_rules_protocol_is_left_to_it():
    network, router, memory = _router_with_memory_zero()
    holder, covering = _generation_rule(network, 20), _generation_rule(network, 10)
    router.resource_manager.load(holder)  # takes the RAW memory: one protocol of ``holder``
    router.resource_manager.load(covering)  # lists the same memory in its memory_indices, holds nothing
    running = list(holder.protocols)
    router.resource_manager.expire(covering)  # SeQUeNCe 1.3.1's expire sets the memory RAW: ``holder`` fires again
    assert _protocols_on(router, memory) == running == holder.protocols
    assert router.resource_manager.memory_manager[0].state == MemoryInfo.OCCUPIED


def test_an_expired_generation_protocols_rounds_are_cancelled():
    network, router, _ = _router_with_memory_zero()
    rule = _generation_rule(network, 10)
    router.resource_manager.load(rule)
    protocol = rule.protocols[0]
    emission = Event(network.timeline.now() + 10**6, Process(protocol, "emit_event", []))
    network.timeline.schedule(emission)
    protocol.scheduled_events.append(emission)
    router.resource_manager.expire(rule)
    assert emission.is_invalid() and not _protocols_on(router, protocol.memory)
    assert router.resource_manager.memory_manager[0].state == MemoryInfo.RAW
