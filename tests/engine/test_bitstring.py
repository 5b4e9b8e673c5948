"""PackedBits and its builder against plain numpy on unpacked bits: windows, joins, differences, file bytes."""

import numpy as np
import pytest

from caligo_sweep.engine.bitstring import PackedBits, PackedBitsBuilder, split_by_mask


@pytest.mark.parametrize("n", [0, 1, 7, 63, 64, 65, 1000, 4097])
def test_round_trip_and_packbits_order(n):
    bits = np.random.default_rng(n).integers(0, 2, n, dtype=np.uint8)
    packed = PackedBits.from_bits(bits)
    assert packed.size == n and packed.words.size == -(-n // 64)
    np.testing.assert_array_equal(packed.unpack(), bits)
    np.testing.assert_array_equal(packed.packbits(), np.packbits(bits))  # ot_outputs.npz bytes are unchanged


def test_windows_are_the_slices():
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 2, 3001, dtype=np.uint8)
    packed = PackedBits.from_bits(bits)
    for start, stop in [(0, 0), (0, 3001), (5, 13), (64, 128), (63, 2999), (3000, 3001), *rng.integers(0, 3001, (40, 2))]:
        start, stop = sorted((int(start), int(stop)))
        np.testing.assert_array_equal(packed.window(start, stop), bits[start:stop])
        words = packed.window_words(start, stop - start)
        np.testing.assert_array_equal(PackedBits(words, stop - start).unpack(), bits[start:stop])
    with pytest.raises(ValueError):
        packed.window(10, 3002)
    with pytest.raises(ValueError):
        packed.window_words(3000, 2)


def test_builder_joins_pieces_of_any_length():
    rng = np.random.default_rng(2)
    pieces = [rng.integers(0, 2, size, dtype=np.uint8) for size in (3, 0, 8, 13, 1, 64, 127, 5, 1000)]
    builder = PackedBitsBuilder()
    for piece in pieces:
        builder.append(piece)
    whole = np.concatenate(pieces)
    assert builder.size == whole.size
    for n_bits in (0, 1, 11, 200, whole.size):
        np.testing.assert_array_equal(builder.build(n_bits).unpack(), whole[:n_bits])
    with pytest.raises(ValueError):
        builder.build(whole.size + 1)


def test_builder_joins_packed_pieces_at_every_offset():
    # Pieces of every length mod 64 after tails of every length mod 64: each one is shifted into place.
    rng = np.random.default_rng(4)
    pieces = [rng.integers(0, 2, size, dtype=np.uint8) for size in [*range(0, 130), 4097, 64, 63, 1]]
    builder = PackedBitsBuilder()
    for piece in pieces:
        builder.append_packed(PackedBits.from_bits(piece))
    np.testing.assert_array_equal(builder.build().unpack(), np.concatenate(pieces))


@pytest.mark.parametrize("portable", [False, True])
@pytest.mark.parametrize("n_bits", [0, 1, 63, 64, 65, 1000, 4096, 10_001])
def test_split_by_mask_is_boolean_indexing(n_bits, portable):
    # The OT's filing: a batch's bits where the bases agree and where they differ, in order (numpy's boolean
    # indexing on the unpacked bits is the reference); mask bits past n_bits are ignored.
    rng = np.random.default_rng(n_bits)
    words = -(-n_bits // 64)
    values, mask = rng.bit_generator.random_raw((2, words))  # uint64 words, every bit uniform
    bits = np.unpackbits(values.view(np.uint8), count=n_bits, bitorder="little")
    chosen = np.unpackbits(mask.view(np.uint8), count=n_bits, bitorder="little").astype(bool)
    selected, rest = split_by_mask(values, mask, n_bits, portable=portable)
    np.testing.assert_array_equal(selected.unpack(), bits[chosen])
    np.testing.assert_array_equal(rest.unpack(), bits[~chosen])


def test_split_by_mask_refuses_short_buffers():
    with pytest.raises(ValueError, match="values needs 2 64-bit words"):
        split_by_mask(np.zeros(1, np.uint64), np.zeros(2, np.uint64), 65)


def test_differences_and_equality():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 2, 777, dtype=np.uint8)
    b = a.copy()
    flipped = np.sort(rng.choice(777, 41, replace=False))
    b[flipped] ^= 1
    pa, pb = PackedBits.from_bits(a), PackedBits.from_bits(b)
    assert pa.count_differences(pb) == 41
    np.testing.assert_array_equal(pa.difference_positions(pb), flipped)
    assert pa.equals(PackedBits.from_bits(a)) and not pa.equals(pb)
    assert not pa.equals(PackedBits.from_bits(a[:-1]))
    with pytest.raises(ValueError):
        pa.count_differences(PackedBits.from_bits(a[:-1]))


def test_bits_past_the_end_must_be_zero():
    with pytest.raises(ValueError, match="past the end"):
        PackedBits(np.array([1 << 10], dtype=np.uint64), 10)
    with pytest.raises(ValueError, match="words"):
        PackedBits(np.zeros(2, dtype=np.uint64), 10)
