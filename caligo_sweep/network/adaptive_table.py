"""The adaptive probability table of ACP (Zhan et al. 2025, Sec. III-B, Fig. 4a and Algorithm 1).

Each node keeps one probability per neighbour plus a "phantom" neighbour ``None`` (selecting it means: do not
generate this time). Algorithm 1 adds ``delta`` to every neighbour ``x`` whose link ``(x, node)`` lies on a served
request's path and renormalises, so the table stays a distribution (sum one, entries in [0, 1]) and drifts towards
the links that requests use. Neighbours are drawn by roulette-wheel selection.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PHANTOM = None


class ProbabilityTable:
    """Roulette-wheel table over ``neighbours`` and, if ``with_phantom``, the phantom neighbour ``None``.

    Parameters
    ----------
    node : int
        The node owning the table.
    neighbours : sequence of int
        The node's neighbours.
    with_phantom : bool
        Include the phantom neighbour ``None`` (ACP); the uniform strategy UCP uses no phantom.

    Notes
    -----
    The initial table is uniform over all entries, phantom included (the paper does not give the initial values).
    """

    def __init__(self, node: int, neighbours: Sequence[int], with_phantom: bool = True) -> None:
        self.node = node
        self.entries: list[int | None] = list(neighbours) + ([PHANTOM] if with_phantom else [])
        self.probabilities = np.full(len(self.entries), 1.0 / len(self.entries))

    @property
    def probabilities(self) -> np.ndarray:
        """Selection probability of each entry, in the order of ``entries``."""
        return self._probabilities

    @probabilities.setter
    def probabilities(self, values: np.ndarray) -> None:
        self._probabilities = np.asarray(values, dtype=float)
        self._cumulative = np.cumsum(self._probabilities)

    def select(self, rng: np.random.Generator) -> int | None:
        """Roulette-wheel draw of a neighbour (or ``None`` for the phantom)."""
        index = int(np.searchsorted(self._cumulative, rng.random() * self._cumulative[-1], side="right"))
        return self.entries[min(index, len(self.entries) - 1)]

    def update(self, path: Sequence[int], delta: float) -> None:
        """Algorithm 1: reward each neighbour adjacent to this node on ``path`` by ``delta``, then normalise."""
        links = {frozenset(pair) for pair in zip(path[:-1], path[1:])}
        rewarded = self._probabilities.copy()
        for index, neighbour in enumerate(self.entries):
            if neighbour is not PHANTOM and frozenset((neighbour, self.node)) in links:
                rewarded[index] += delta
        self.probabilities = rewarded / rewarded.sum()

    def probability(self, neighbour: int | None) -> float:
        """Current probability of ``neighbour`` (``None`` for the phantom)."""
        return float(self.probabilities[self.entries.index(neighbour)])
