"""Bit-packed pairs: layout, reduction to counts, exact sampling for asymmetric tables."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from caligo_sweep.engine import PACKED_FIELDS, PairBits, sample_bits
from caligo_sweep.engine.bits import conditional_probabilities


def _counts_by_hand(unpacked: dict[str, np.ndarray]) -> np.ndarray:
    index = (
        8 * unpacked["alice_bases"].astype(int)
        + 4 * unpacked["bob_bases"]
        + 2 * unpacked["alice_bits"]
        + unpacked["bob_bits"]
    )
    return np.bincount(index, minlength=16).reshape(2, 2, 4)


@pytest.mark.parametrize("n_pairs", [0, 1, 63, 64, 65, 1000])
def test_counts_reduce_the_unpacked_pairs(damped_model, n_pairs):
    bits = sample_bits(damped_model, n_pairs, np.random.default_rng(n_pairs))
    unpacked = bits.unpack()
    assert all(unpacked[f].size == n_pairs for f in PACKED_FIELDS)
    assert all(getattr(bits, f).size == 8 * (-(-n_pairs // 64)) for f in PACKED_FIELDS)  # whole words
    assert np.array_equal(bits.counts().outcome_counts, _counts_by_hand(unpacked))
    assert bits.counts().attempts == bits.attempts >= n_pairs


def test_padding_bits_are_zero(werner_model):
    bits = sample_bits(werner_model, 70, np.random.default_rng(0))
    for name in PACKED_FIELDS:
        all_bits = np.unpackbits(getattr(bits, name), bitorder="little")
        assert not all_bits[70:].any()


def test_constructor_packs_from_np_packbits():
    rng = np.random.default_rng(4)
    raw = {name: rng.integers(0, 2, size=100, dtype=np.uint8) for name in PACKED_FIELDS}
    bits = PairBits(**{k: np.packbits(v, bitorder="little") for k, v in raw.items()}, n_pairs=100, attempts=150)
    assert all(np.array_equal(bits.unpack()[k], raw[k]) for k in PACKED_FIELDS)
    assert np.array_equal(bits.counts().outcome_counts, _counts_by_hand(raw))
    with pytest.raises(ValueError, match="packed bits"):
        PairBits(**{k: np.zeros(3, np.uint8) for k in PACKED_FIELDS}, n_pairs=100, attempts=100)


def test_concatenate_keeps_pair_order(werner_model):
    rng = np.random.default_rng(9)
    parts = [sample_bits(werner_model, n, rng) for n in (10, 64, 77)]
    joined = PairBits.concatenate(parts)
    assert joined.n_pairs == 151 and joined.attempts == sum(p.attempts for p in parts)
    for name in PACKED_FIELDS:
        assert np.array_equal(joined.unpack()[name], np.concatenate([p.unpack()[name] for p in parts]))


def test_perfect_pairs_agree_in_matching_bases(perfect_model):
    pairs = sample_bits(perfect_model, 10_000, np.random.default_rng(2)).unpack()
    matching = pairs["alice_bases"] == pairs["bob_bases"]
    assert np.array_equal(pairs["alice_bits"][matching], pairs["bob_bits"][matching])


def test_conditionals_multiply_back_to_the_table_exactly(damped_model):
    p_alice_one, p_error = conditional_probabilities(damped_model)
    table = damped_model.outcome_probabilities
    for a in (0, 1):
        for b in (0, 1):
            row = [Fraction(float(v)) for v in table[a, b]]
            total = sum(row)
            for x in (0, 1):
                p_x = p_alice_one[a + 2 * b] if x else 1 - p_alice_one[a + 2 * b]
                q = p_error[a + 2 * b + 4 * x]
                assert p_x * (1 - q) == row[3 * x] / total  # y == x
                assert p_x * q == row[1 + x] / total  # y != x: outcome 01 (x=0) or 10 (x=1)


def test_same_seed_same_bits(damped_model):
    first = sample_bits(damped_model, 5000, np.random.default_rng(12))
    second = sample_bits(damped_model, 5000, np.random.default_rng(12))
    assert all(np.array_equal(getattr(first, f), getattr(second, f)) for f in PACKED_FIELDS)
    assert first.attempts == second.attempts


@pytest.mark.statistical
def test_bits_follow_an_asymmetric_table(damped_model):
    # Per-cell 5-sigma test (false alarm about 6e-7 per cell, 16 cells); catches any index mix-up.
    n = 2_000_000
    counts = sample_bits(damped_model, n, np.random.default_rng(31)).counts()
    basis = counts.basis_pair_counts
    table = damped_model.outcome_probabilities
    sigma = np.sqrt(basis[..., None] * table * (1 - table))
    assert np.all(np.abs(counts.outcome_counts - basis[..., None] * table) <= 5 * sigma + 1e-9)
    assert np.all(np.abs(basis - n / 4) <= 5 * np.sqrt(n * 0.25 * 0.75))
