"""Exact Bernoulli bits packed 64 to a machine word, with the probability of each bit chosen by its class.

A bit with success probability ``p`` is ``1`` exactly when a uniform variate ``U`` in [0, 1) lies below ``p``. Both
numbers are compared digit by digit in binary, most significant digit first: the first position where the digits of
``U`` (fresh fair random bits) and of ``p`` differ decides the comparison, and a bit is left *undecided* as long as
they agree. Each round decides half of the remaining bits, so a batch of ``N`` bits needs about ``log2(N) + 2`` rounds,
and after a few rounds only the rare machine words that still hold an undecided bit are carried on (compaction).

Exactness: the digits of ``p`` are produced from ``fractions.Fraction(p)`` by exact long division, so the bit is 1
with probability *exactly* ``p`` for every rational ``p`` (every float64 is a dyadic rational), including
non-dyadic rationals such as conditional probabilities ``t1 / (t0 + t1)``. There is no ``2**-k`` quantisation: the
only assumption is that the bit generator's raw output consists of independent fair bits.

Bit layout: bit ``i`` of word ``w`` (least significant first) holds item ``64 * w + i``.

References
----------
D. E. Knuth and A. C. Yao, "The complexity of nonuniform random number generation", in *Algorithms and
Complexity: New Directions and Recent Results*, Academic Press (1976): generating a biased bit by comparing fair
random digits with the binary expansion of ``p`` uses two fair bits on average.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence, Union

import numpy as np

#: Number of items packed into one machine word.
WORD_BITS = 64
#: A word with every bit set.
ALL_ONES = np.uint64(0xFFFF_FFFF_FFFF_FFFF)

#: A word array, or a constant word (``True`` for all ones, ``False`` for all zeros) that needs no array.
Words = Union[np.ndarray, bool]


class _BinaryExpansion:
    """Binary digits of a rational number in (0, 1), produced on demand by exact long division."""

    def __init__(self, probability: Fraction) -> None:
        self._remainder = probability.numerator
        self._denominator = probability.denominator

    def next_digit(self) -> bool:
        """Return the next binary digit after the point and advance."""
        self._remainder *= 2
        if self._remainder >= self._denominator:
            self._remainder -= self._denominator
            return True
        return False

    @property
    def exhausted(self) -> bool:
        """True when every remaining digit is zero (the number is dyadic and fully emitted)."""
        return self._remainder == 0


def _mux(select: np.ndarray, if_one: Words, if_zero: Words) -> Words:
    """Bitwise ``select ? if_one : if_zero`` with constant folding."""
    if if_one is if_zero:
        return if_zero
    if if_zero is False:
        return select if if_one is True else select & if_one
    if if_zero is True:
        return ~select if if_one is False else ~select | if_one
    if if_one is False:
        return if_zero & ~select
    if if_one is True:
        return if_zero | select
    return if_zero ^ (select & (if_zero ^ if_one))


def class_function(truth_table: Sequence[bool], selectors: Sequence[np.ndarray]) -> Words:
    """Evaluate a boolean function of each item's class, bitwise over packed words.

    Parameters
    ----------
    truth_table : sequence of bool
        Length ``2**k``: the value for class ``c = sum_i 2**i * selector_bit_i``.
    selectors : sequence of numpy.ndarray
        ``k`` uint64 word arrays of equal length; bit ``j`` of ``selectors[i]`` is bit ``i`` of item ``j``'s class.

    Returns
    -------
    numpy.ndarray or bool
        The packed values, or ``True`` / ``False`` when the function is constant (no array is built).
    """
    if all(truth_table):
        return True
    if not any(truth_table):
        return False
    half = len(truth_table) // 2
    low, high = tuple(truth_table[:half]), tuple(truth_table[half:])
    if low == high:
        return class_function(low, selectors[:-1])
    return _mux(selectors[-1], class_function(high, selectors[:-1]), class_function(low, selectors[:-1]))


def _materialise(words: Words, n_words: int) -> np.ndarray:
    """A fresh writable word array from a word array or a constant."""
    if words is True:
        return np.full(n_words, ALL_ONES, dtype=np.uint64)
    if words is False:
        return np.zeros(n_words, dtype=np.uint64)
    return np.array(words, dtype=np.uint64, copy=True)


def packed_bernoulli(
    rng: np.random.Generator,
    n_words: int,
    probabilities: Sequence[Fraction],
    selectors: Sequence[np.ndarray] = (),
) -> np.ndarray:
    """Draw ``64 * n_words`` independent Bernoulli bits whose probability depends on each bit's class.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of fair random bits (its bit generator's ``random_raw`` output is used directly).
    n_words : int
        Number of uint64 words to fill.
    probabilities : sequence of fractions.Fraction
        Length ``2**len(selectors)``: exact success probability of each class, each in [0, 1].
    selectors : sequence of numpy.ndarray
        Packed class bits, see :func:`class_function`. Empty: every bit has ``probabilities[0]``.

    Returns
    -------
    numpy.ndarray
        uint64 array of ``n_words`` words; bit ``j`` is 1 with probability exactly ``probabilities[class_j]``.
    """
    probabilities = [Fraction(p) for p in probabilities]
    if len(probabilities) != 2 ** len(selectors):
        raise ValueError(f"need {2 ** len(selectors)} class probabilities; got {len(probabilities)}")
    if any(not 0 <= p <= 1 for p in probabilities):
        raise ValueError(f"class probabilities must lie in [0, 1]; got {[float(p) for p in probabilities]}")
    result = _materialise(class_function([p == 1 for p in probabilities], selectors), n_words)
    expansions = [_BinaryExpansion(p) if 0 < p < 1 else None for p in probabilities]
    alive = tuple(e is not None for e in expansions)
    undecided = _materialise(class_function(alive, selectors), n_words)
    active_index: np.ndarray | None = None  # word indices of ``undecided`` into ``result``; None means all
    selectors = list(selectors)
    cache: dict[tuple[bool, ...], Words] = {}
    while any(alive):
        n_active = np.count_nonzero(undecided)
        if n_active == 0:
            break
        if 2 * n_active < undecided.size:
            keep = np.flatnonzero(undecided)
            active_index = keep if active_index is None else active_index[keep]
            undecided = undecided[keep]
            selectors = [s[keep] for s in selectors]
            cache.clear()
        digits = tuple(a and e.next_digit() for a, e in zip(alive, expansions))
        if digits not in cache:
            cache[digits] = class_function(digits, selectors)
        threshold = cache[digits]
        fair = rng.bit_generator.random_raw(undecided.size)
        if threshold is False:  # U digit 1 > p digit 0 decides "U >= p"; U digit 0 stays undecided
            undecided &= ~fair
        else:
            differ = fair ^ threshold if threshold is not True else ~fair
            decided = undecided & differ
            undecided ^= decided
            if threshold is not True:
                decided &= threshold  # decided with U digit 0 < p digit 1: U < p
            if active_index is None:
                result |= decided
            else:
                result[active_index] |= decided
        still_alive = tuple(a and not e.exhausted for a, e in zip(alive, expansions))
        if still_alive != alive:  # remaining digits of p all zero: undecided U >= p
            alive = still_alive
            remaining = class_function(alive, selectors)
            if remaining is False:
                break
            if remaining is not True:
                undecided &= remaining
    return result
