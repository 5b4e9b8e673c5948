"""Quantum memories of a node and the entangled pairs they hold (Zhan et al. 2025, Sec. II-A, IV-C1, IV-C2, IV-C7).

Each node has ``memories_per_node`` memories, each free, held by ACP (reserved for or holding a pre-generated pair)
or held by a request. A pair's Bell-diagonal state is
stored in SeQUeNCe's ``QuantumManagerBellDiagonal`` under the two memories' keys, decohered lazily: whenever the pair
is read, the time-dependent Pauli channel (``bds.decohere``) is applied for the time since the last read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from caligo_sweep.network.bds import decohere


class MemoryUse(Enum):
    """Who holds a memory."""

    FREE = 0
    ACP = 1
    REQUEST = 2


class NodeMemories:
    """The memory array of one node: its uses and SeQUeNCe quantum-manager keys."""

    def __init__(self, node: int, size: int, quantum_manager: Any) -> None:
        self.node = node
        self.use = [MemoryUse.FREE] * size
        self.keys = [quantum_manager.new() for _ in range(size)]

    def has_free(self) -> bool:
        """True if some memory is free."""
        return MemoryUse.FREE in self.use

    def reserve(self, use: MemoryUse) -> int:
        """Take the lowest free memory for ``use`` and return its index (caller checks ``has_free`` first)."""
        index = self.use.index(MemoryUse.FREE)
        self.use[index] = use
        return index


@dataclass(eq=False)
class Pair:
    """An entangled pair between the memories ``memory_u`` of node ``link[0]`` and ``memory_v`` of ``link[1]``."""

    link: tuple[int, int]
    memory_u: int
    memory_v: int
    created_s: float
    updated_s: float
    busy: bool = False
    owner: Any = field(default=None, repr=False)


class PairStore:
    """States of all live pairs in SeQUeNCe's Bell-diagonal quantum manager, with lazy Pauli decoherence."""

    def __init__(
        self,
        quantum_manager: Any,
        memories: dict[int, NodeMemories],
        coherence_time_s: float,
        pauli_errors: tuple[float, float, float],
    ) -> None:
        self.quantum_manager = quantum_manager
        self.memories = memories
        self.coherence_time_s = coherence_time_s
        self.pauli_errors = pauli_errors

    def _keys(self, pair: Pair) -> list[int]:
        u, v = pair.link
        return [self.memories[u].keys[pair.memory_u], self.memories[v].keys[pair.memory_v]]

    def create(self, pair: Pair, state: np.ndarray) -> Pair:
        """Store ``state`` (a BDS vector) as the state of ``pair`` at ``pair.created_s``."""
        self.quantum_manager.set(self._keys(pair), list(state))
        return pair

    def state(self, pair: Pair, now_s: float) -> np.ndarray:
        """BDS of ``pair`` at ``now_s`` (both qubits idle since the last read); stores the decohered state."""
        idle = now_s - pair.updated_s
        state = self.state_at(pair, (now_s, now_s))
        if idle > 0.0:
            self.set_state(pair, state, now_s)
        return state

    def state_at(self, pair: Pair, end_times_s: tuple[float, float]) -> np.ndarray:
        """BDS of ``pair`` when its two qubits stop idling at their own ``end_times_s`` (not stored)."""
        stored = np.asarray(self.quantum_manager.get(self._keys(pair)[0]).state)
        idle = tuple(max(end - pair.updated_s, 0.0) for end in end_times_s)
        return decohere(stored, idle, self.coherence_time_s, self.pauli_errors)

    def set_state(self, pair: Pair, state: np.ndarray, now_s: float) -> None:
        """Overwrite the state of ``pair`` as of ``now_s`` (after purification or decoherence)."""
        self.quantum_manager.set(self._keys(pair), [float(x) for x in np.clip(state, 0.0, 1.0)])
        pair.updated_s = now_s

    def discard(self, pair: Pair) -> None:
        """Forget the state of ``pair`` and free its two memories."""
        for key in self._keys(pair):
            self.quantum_manager.states.pop(key, None)
        u, v = pair.link
        self.memories[u].use[pair.memory_u] = MemoryUse.FREE
        self.memories[v].use[pair.memory_v] = MemoryUse.FREE
