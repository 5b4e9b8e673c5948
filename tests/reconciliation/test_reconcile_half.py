"""Reconciling one half: leak accounting, tag verification, partial frames, determinism over n_jobs."""

import dataclasses

import numpy as np
import pytest

from caligo_sweep.entropy import binary_entropy
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.reconciliation.build_codes import REDUNDANCY_RATIO
from caligo_sweep.reconciliation.codes import family_redundancies
from caligo_sweep.reconciliation.frames import frame_bounds
from caligo_sweep.reconciliation import (
    alice_message,
    bob_decode,
    code_for_redundancy,
    reconcile_half,
    select_code,
)


def noisy_pair(n_bits: int, p: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n_bits, dtype=np.uint8)
    return x, x ^ (rng.random(n_bits) < p).astype(np.uint8)


def test_leak_is_every_syndrome_and_tag_bit_including_the_partial_frame():
    p = 0.04
    choice = code_for_redundancy(16384, 1.4 * binary_entropy(p))
    n_bits = 3 * choice.payload_bits + 1234
    x, y = noisy_pair(n_bits, p, 1)
    message = alice_message(x, choice, 5, tag_bits=40)
    assert message.syndromes.shape == (4, choice.n_checks)
    assert message.tags.shape == (4, 40)
    result = bob_decode(y, message, p)
    assert result.leak_bits == 4 * (choice.n_checks + 40)
    assert result.efficiency == pytest.approx(result.leak_bits / (n_bits * binary_entropy(p)), rel=1e-12)
    assert result.frames == 4 and result.frame_errors == 0
    np.testing.assert_array_equal(result.bob_bits.unpack(), x)


def test_shortening_reaches_the_requested_redundancy():
    for redundancy in (0.05, 0.1234, 0.3, 0.55, 0.65):
        choice = code_for_redundancy(65536, redundancy)
        assert choice.n_checks / choice.payload_bits == pytest.approx(redundancy, abs=1e-4)
        # inside the family's grid (ratio REDUNDANCY_RATIO = 1.03) at most ~3 % of a frame is shortened; above its top,
        # more
        inside = redundancy < family_redundancies(65536)[-1]
        assert 0 <= choice.n_shortened < (1 - 1 / REDUNDANCY_RATIO + 0.002 if inside else 0.15) * 65536


def test_a_tag_mismatch_is_counted_as_a_frame_error():
    p = 0.03
    choice = code_for_redundancy(16384, 1.5 * binary_entropy(p))
    x, y = noisy_pair(2 * choice.payload_bits, p, 2)
    message = alice_message(x, choice, 7)
    tampered_tags = message.tags.copy()
    tampered_tags[1, 0] ^= 1
    result = bob_decode(y, dataclasses.replace(message, tags=tampered_tags), p)
    np.testing.assert_array_equal(result.frame_success, [True, False])
    assert result.frame_errors == 1


def test_same_seed_gives_the_same_output_for_any_number_of_workers():
    p = 0.05
    x, y = noisy_pair(50_000, p, 3)
    serial = reconcile_half(x, y, p, frame_length=16384, seed=np.random.SeedSequence(9), n_jobs=1)
    parallel = reconcile_half(x, y, p, frame_length=16384, seed=np.random.SeedSequence(9), n_jobs=2)
    assert serial.bob_bits.equals(parallel.bob_bits)
    np.testing.assert_array_equal(serial.frame_success, parallel.frame_success)
    assert serial.leak_bits == parallel.leak_bits and serial.choice == parallel.choice
    assert serial.frames >= 4


def test_tags_depend_on_the_seed():
    choice = code_for_redundancy(16384, 0.3)
    x, _ = noisy_pair(choice.payload_bits, 0.05, 4)
    assert not np.array_equal(alice_message(x, choice, 1).tags, alice_message(x, choice, 2).tags)


def test_selected_code_gives_every_frame_the_measured_design_redundancy():
    from caligo_sweep.reconciliation import design_efficiency

    for p in (0.01, 0.035, 0.05, 0.11):
        for n_bits in (20_000, 50_000, 70_000, 499_519, 3_000_000):
            choice = select_code(p, 65536, n_bits)
            target = design_efficiency(p, choice.frame_length) * binary_entropy(p)
            smallest_frame = np.diff(frame_bounds(n_bits, choice.payload_bits)).min()
            assert choice.n_checks / choice.payload_bits >= target - 1 / choice.payload_bits  # rounding to a bit
            assert choice.n_checks / smallest_frame >= target - 1 / choice.payload_bits


@pytest.mark.parametrize(
    ("key", "kwargs"), [("reconciliation.qber", {"p": 0.5}), ("reconciliation.n_jobs", {"n_jobs": 0})]
)
def test_bad_input_names_its_key(key, kwargs):
    x, y = noisy_pair(1000, 0.05, 5)
    arguments = {"p": 0.05, "frame_length": 16384, "seed": 1, "n_jobs": 1, **kwargs}
    with pytest.raises(ConfigValueError, match=key):
        reconcile_half(x, y, **arguments)


def test_unknown_frame_length_is_refused():
    with pytest.raises(ConfigValueError, match="reconciliation.frame_length"):
        select_code(0.05, 1000, 50_000)


def test_an_empty_half_sends_nothing():
    empty = np.zeros(0, dtype=np.uint8)
    result = reconcile_half(empty, empty, 0.05, frame_length=16384, seed=1)
    assert result.frames == 0 and result.leak_bits == 0 and result.bob_bits.size == 0


def test_threaded_decoding_matches_serial_with_failing_frames():
    # Frames 1 and 3 carry bits independent of Alice's, so they fail after the full 200 passes while the others
    # converge quickly: threads finish out of order, and the output must still be frame-ordered and identical.
    p = 0.04
    choice = code_for_redundancy(16384, 1.4 * binary_entropy(p))
    x, y = noisy_pair(5 * choice.payload_bits, p, 21)
    rng = np.random.default_rng(22)
    for frame in (1, 3):
        y[frame * choice.payload_bits : (frame + 1) * choice.payload_bits] = rng.integers(0, 2, choice.payload_bits)
    message = alice_message(x, choice, 5)
    serial = bob_decode(y, message, p, n_jobs=1)
    np.testing.assert_array_equal(serial.frame_success, [True, False, True, False, True])
    for n_jobs in (2, 3):
        threaded = bob_decode(y, message, p, n_jobs=n_jobs)
        assert threaded.bob_bits.equals(serial.bob_bits)
        np.testing.assert_array_equal(threaded.frame_success, serial.frame_success)
        assert threaded.mean_iterations == serial.mean_iterations
