"""Exact class-dependent Bernoulli bits on packed words."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from caligo_sweep.engine.packed_bernoulli import ALL_ONES, class_function, packed_bernoulli


def _bits(words: np.ndarray) -> np.ndarray:
    return np.unpackbits(words.astype("<u8").view(np.uint8), bitorder="little")


class _ScriptedBits:
    """Stands in for a bit generator: returns prepared words, so every random input can be enumerated."""

    def __init__(self, words: list[int]) -> None:
        self._words = list(words)

    def random_raw(self, size: int) -> np.ndarray:
        out, self._words = self._words[:size], self._words[size:]
        assert len(out) == size, "more random words drawn than scripted"
        return np.array(out, dtype=np.uint64)


class _ScriptedGenerator:
    def __init__(self, words: list[int]) -> None:
        self.bit_generator = _ScriptedBits(words)


def _enumerating_words(levels: int) -> list[int]:
    """Level j's word gives lane l the j-th binary digit of l: the 2**levels lanes see every digit string once."""
    return [sum(((lane >> (levels - 1 - j)) & 1) << lane for lane in range(2**levels)) for j in range(levels)]


@pytest.mark.parametrize("probability", [Fraction(k, 64) for k in (1, 13, 32, 37, 63)])
def test_exact_probability_over_all_random_inputs(probability):
    # With p = k/64, six fair digits decide every lane; over all 64 digit strings exactly k lanes must give 1.
    rng = _ScriptedGenerator(_enumerating_words(6))
    word = packed_bernoulli(rng, 1, [probability])
    assert int(np.bitwise_count(word)[0]) == probability * 64


def test_non_dyadic_probability_is_exact_prefix_by_prefix():
    # p = 1/3 = 0.010101...b: after six digits, floor(64/3) = 21 strings are decided 1, 42 decided 0, and one
    # (the prefix of p itself) is still open; it draws further digits. Script those to continue as "U > p".
    words = _enumerating_words(6) + [ALL_ONES]
    word = packed_bernoulli(_ScriptedGenerator(words), 1, [Fraction(1, 3)])
    assert int(np.bitwise_count(word)[0]) == 21


@pytest.mark.parametrize("probability", [0, 1])
def test_certain_outcomes_draw_nothing(probability):
    word = packed_bernoulli(_ScriptedGenerator([]), 3, [probability])
    assert np.all(word == (ALL_ONES if probability else 0))


@pytest.mark.parametrize("n_selectors", [1, 2, 3])
def test_class_function_matches_truth_table(n_selectors):
    rng = np.random.default_rng(11)
    selectors = [rng.integers(0, 2**64, size=4, dtype=np.uint64) for _ in range(n_selectors)]
    classes = sum(_bits(s).astype(int) << i for i, s in enumerate(selectors))
    tables = list(itertools.product([False, True], repeat=2**n_selectors))
    for table in tables if n_selectors < 3 else tables[::7]:
        got = class_function(table, selectors)
        expected = np.array(table)[classes]
        got_bits = np.full(classes.size, got) if isinstance(got, bool) else _bits(got).astype(bool)
        assert np.array_equal(got_bits, expected), table


@pytest.mark.statistical
def test_class_frequencies_within_five_sigma():
    rng = np.random.default_rng(2024)
    n_words = 4096
    selectors = [rng.bit_generator.random_raw(n_words) for _ in range(3)]
    probabilities = [Fraction(0), 0.5, Fraction(1, 3), 1e-3, 0.97, Fraction(1), 0.123456789, Fraction(5, 7)]
    words = packed_bernoulli(rng, n_words, probabilities, selectors)
    classes = sum(_bits(s).astype(int) << i for i, s in enumerate(selectors))
    bits = _bits(words)
    for c, p in enumerate(probabilities):
        in_class = classes == c
        n, k, p = int(in_class.sum()), int(bits[in_class].sum()), float(p)
        assert abs(k - n * p) <= 5 * np.sqrt(n * p * (1 - p)), (c, p, k, n)


def test_same_generator_state_gives_same_bits():
    def draw(seed):
        rng = np.random.default_rng(seed)
        return packed_bernoulli(rng, 100, [0.01, 0.3], [rng.bit_generator.random_raw(100)])

    assert np.array_equal(draw(5), draw(5))
    assert not np.array_equal(draw(5), draw(6))


def test_rejects_bad_probabilities():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="class probabilities"):
        packed_bernoulli(rng, 1, [0.5, 0.5])
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        packed_bernoulli(rng, 1, [1.5])
