"""The OT rounds of a bits-path run, streamed batch by batch into the two halves of the honest 1-2 ROT.

Bob's partition (:mod:`caligo_sweep.protocol.partition`) puts the matching-basis rounds into ``I_C`` and the
different-basis rounds into ``I_{1-C}``, each cut to the shorter count and kept in time order. A run's pairs arrive
one batch at a time, in batch (= time) order, so :class:`RoundFiler` files each batch's rounds by basis agreement as
it arrives and drops the batch: what it keeps is Alice's and Bob's bits on the matching rounds and on the different
rounds, bit-packed (:class:`~caligo_sweep.engine.bitstring.PackedBits`), i.e. the two halves being built (half a
byte per pair), never the bases or the whole run's pairs; the halves stay packed through reconciliation and
amplification. The
simulator holds both parties' records, so it can file the rounds before the wait; nothing filed is used before
:meth:`RoundFiler.partition`, which the OT run calls only after the timing barrier has revealed the bases. The
result equals :func:`~caligo_sweep.protocol.partition.ot_partition` applied to the concatenated run (tested).

Random streams of the OT under the run's root seed (batch ``i`` uses the one-element key ``(i,)``, the calibration
:data:`~caligo_sweep.protocol.calibration.CALIBRATION_SPAWN_KEY`): Bob's random choice bit, Alice's verification-tag
seeds of half ``j`` and her privacy-amplification seed of half ``j`` each have their own key below.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, TypeVar

import numpy as np

from caligo_sweep.engine import PairBits
from caligo_sweep.engine.bitstring import PackedBits, PackedBitsBuilder, split_by_mask
from caligo_sweep.errors import ConfigValueError

#: Values of ``protocol.choice_bit``.
CHOICE_BITS = ("0", "1", "random")
#: Spawn key of Bob's random choice bit.
CHOICE_SPAWN_KEY = (0xC401CE, 0xB17)
#: Spawn-key prefix of Alice's verification-tag seeds; half ``j`` uses ``RECONCILIATION_SPAWN_KEY + (j,)``.
RECONCILIATION_SPAWN_KEY = (0xEC, 0x7A6)
#: Spawn-key prefix of Alice's two Toeplitz seeds; half ``j`` uses ``AMPLIFICATION_SPAWN_KEY + (j,)``.
AMPLIFICATION_SPAWN_KEY = (0x9A, 0x5EED)


def ot_seed(seed: int, key: tuple[int, ...]) -> np.random.SeedSequence:
    """The OT stream ``key`` of the run's root ``seed``."""
    return np.random.SeedSequence(seed, spawn_key=key)


Result = TypeVar("Result")


def for_both_halves(work: Callable[[int], Result], n_jobs: int) -> tuple[Result, Result]:
    """``(work(0), work(1))``, in two threads when ``n_jobs >= 2`` (the C kernels the halves run release the GIL).

    The results do not depend on ``n_jobs``: each half draws from its own stream.
    """
    if n_jobs >= 2:
        with ThreadPoolExecutor(max_workers=2) as pool:
            first, second = pool.map(work, (0, 1))
        return first, second
    return work(0), work(1)


def choose_bit(setting: str, seed: int) -> int:
    """Bob's choice bit C from ``protocol.choice_bit``: ``"0"``, ``"1"``, or ``"random"`` (a fair bit, own stream).

    Raises
    ------
    ConfigValueError
        For any other value.
    """
    if setting not in CHOICE_BITS:
        raise ConfigValueError("protocol.choice_bit", "0, 1 or random", setting)
    if setting == "random":
        return int(np.random.default_rng(ot_seed(seed, CHOICE_SPAWN_KEY)).integers(2))
    return int(setting)


@dataclass(frozen=True, eq=False)
class OtHalves:
    """The two halves after the partition: Alice's ``x|I_j`` and Bob's ``y|I_j`` (packed, equal lengths).

    Parameters
    ----------
    choice_bit : int
        Bob's C: ``I_C`` is the matching-basis half.
    alice : tuple of PackedBits
        ``(x|I_0, x|I_1)``.
    bob : tuple of PackedBits
        ``(y|I_0, y|I_1)``; Bob uses only ``y|I_C``, ``y|I_{1-C}`` is kept for the obliviousness diagnostic.
    """

    choice_bit: int
    alice: tuple[PackedBits, PackedBits] = field(repr=False)
    bob: tuple[PackedBits, PackedBits] = field(repr=False)

    @property
    def half_bits(self) -> int:
        """Length of each half, ``min(#matching, #different)``."""
        return self.alice[0].n_bits

    def other_half_error_rate(self) -> float:
        """Bob's disagreement with x on ``I_{1-C}`` (about 1/2: his basis differed); nan for empty halves."""
        other = 1 - self.choice_bit
        if self.half_bits == 0:
            return float("nan")
        return self.alice[other].count_differences(self.bob[other]) / self.half_bits


class RoundFiler:
    """Files the rounds of each arriving batch by basis agreement (a ``run_pairs`` bits sink)."""

    def __init__(self) -> None:
        self._alice = {True: PackedBitsBuilder(), False: PackedBitsBuilder()}  # keyed by "bases match"
        self._bob = {True: PackedBitsBuilder(), False: PackedBitsBuilder()}

    def __call__(self, batch: PairBits) -> None:
        """Take one batch (in batch order) and keep only the bits of its rounds, split by basis agreement."""
        matching = ~(batch.alice_bases ^ batch.bob_bases)
        for bits, builders in ((batch.alice_bits, self._alice), (batch.bob_bits, self._bob)):
            agree, differ = split_by_mask(bits, matching, batch.n_pairs)
            builders[True].append_packed(agree)
            builders[False].append_packed(differ)

    def partition(self, choice_bit: int) -> OtHalves:
        """Bob's partition for choice bit C (after the bases are revealed): both halves cut to the shorter count."""
        if choice_bit not in (0, 1):
            raise ConfigValueError("protocol.choice_bit", "0 or 1", choice_bit)
        length = min(self._alice[True].size, self._alice[False].size)
        known = (self._alice[True].build(length), self._bob[True].build(length))
        unknown = (self._alice[False].build(length), self._bob[False].build(length))
        halves = (known, unknown) if choice_bit == 0 else (unknown, known)
        return OtHalves(
            choice_bit=choice_bit,
            alice=(halves[0][0], halves[1][0]),
            bob=(halves[0][1], halves[1][1]),
        )
