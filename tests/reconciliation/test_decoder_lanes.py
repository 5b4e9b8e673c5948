"""The multi-frame SIMD decoder against the scalar single-frame kernel: same bits, passes and flags, any lane."""

import numpy as np
import pytest

from caligo_sweep.reconciliation import select_code
from caligo_sweep.reconciliation.decoder import (
    KNOWN_BIT_LLR,
    KNOWN_SYMBOL,
    LANES,
    channel_llr,
    decode_frames,
    decode_posterior,
    lanes_use_avx2,
    syndrome_of,
)


def noisy_frames(code, n_frames: int, rng: np.random.Generator):
    """Frames from easy to hopeless for a code designed for QBER 5 % (so lanes stop after very different numbers of
    passes), with 500 known zero bits each: (Bob's symbols, crossover per frame, syndromes)."""
    crossover = np.linspace(0.01, 0.08, n_frames)
    rng.shuffle(crossover)
    x = rng.integers(0, 2, (n_frames, code.frame_length), dtype=np.uint8)
    known = rng.choice(code.frame_length, 500, replace=False)
    x[:, known] = 0
    y = x ^ (rng.random(x.shape) < crossover[:, None]).astype(np.uint8)
    y[:, known] = KNOWN_SYMBOL
    syndromes = np.stack([syndrome_of(code.row_pointer, code.column_index, x[f]) for f in range(n_frames)])
    return y, crossover, syndromes


@pytest.fixture(scope="module")
def frames():
    code = select_code(0.05, 16384, 10**6).code()
    y, crossover, syndromes = noisy_frames(code, 3 * LANES + 3, np.random.default_rng(2026))
    return code, y, crossover, syndromes


@pytest.fixture(scope="module")
def reference(frames):
    """The scalar single-frame kernel on the LLRs channel_llr gives (KNOWN_BIT_LLR at known bits)."""
    code, y, crossover, syndromes = frames
    decoded = []
    for f in range(len(y)):
        llr = np.where(y[f] == KNOWN_SYMBOL, np.float32(KNOWN_BIT_LLR), channel_llr(y[f] == 1, crossover[f]))
        decoded.append(decode_posterior(code.row_pointer, code.column_index, llr, syndromes[f], 60))
    return (
        np.stack([(posterior < 0).astype(np.uint8) for posterior, _, _ in decoded]),
        np.array([passes for _, passes, _ in decoded]),
        np.array([converged for _, _, converged in decoded]),
    )


@pytest.mark.parametrize("kernel", ["checks", "frames"])
@pytest.mark.parametrize("portable", [False, True])
def test_every_frame_decodes_as_the_single_frame_kernel(frames, reference, portable, kernel):
    code, y, crossover, syndromes = frames
    bits, iterations, converged = decode_frames(
        code.row_pointer, code.column_index, y.copy(), crossover, syndromes, 60, portable=portable, kernel=kernel
    )
    np.testing.assert_array_equal(iterations, reference[1])
    np.testing.assert_array_equal(converged, reference[2])
    np.testing.assert_array_equal(bits, reference[0])
    # not vacuous: frames converge after different numbers of passes, and some never do
    assert converged.any() and not converged.all() and np.unique(iterations).size > 3


@pytest.mark.parametrize("kernel", ["checks", "frames"])
@pytest.mark.parametrize("count", [1, 2, LANES + 1])
def test_a_frame_does_not_depend_on_its_neighbours(frames, reference, kernel, count):
    code, y, crossover, syndromes = frames
    order = np.random.default_rng(7).permutation(len(y))[:count]
    bits, iterations, converged = decode_frames(
        code.row_pointer, code.column_index, y[order], crossover[order], syndromes[order], 60, kernel=kernel
    )
    np.testing.assert_array_equal(bits, reference[0][order])
    np.testing.assert_array_equal(iterations, reference[1][order])
    np.testing.assert_array_equal(converged, reference[2][order])


def test_a_graph_whose_check_groups_share_a_variable_is_decoded_in_frame_lanes(frames, reference):
    """Checks 0 and 1 of the code (one group of 8) made to share a variable: "checks" refuses, "auto" falls back."""
    code, y, crossover, syndromes = frames
    row_pointer, column_index = code.row_pointer, code.column_index.copy()
    column_index[row_pointer[1]] = column_index[row_pointer[0]]  # check 1's first edge reads check 0's first variable
    assert column_index[row_pointer[1] : row_pointer[2]].size == np.unique(column_index[row_pointer[1] : row_pointer[2]]).size
    altered = np.stack([syndrome_of(row_pointer, column_index, (y[f] == 1).astype(np.uint8)) for f in range(3)])
    with pytest.raises(ValueError, match="kernel 'checks' needs groups of 8 checks"):
        decode_frames(row_pointer, column_index, y[:3].copy(), crossover[:3], altered, 20, kernel="checks")
    auto = decode_frames(row_pointer, column_index, y[:3].copy(), crossover[:3], altered, 20)
    lanes = decode_frames(row_pointer, column_index, y[:3].copy(), crossover[:3], altered, 20, kernel="frames")
    for got, expected in zip(auto, lanes):
        np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError, match="kernel must be one of"):
        decode_frames(row_pointer, column_index, y[:3].copy(), crossover[:3], altered, 20, kernel="fast")


def _cpu_has_avx2() -> bool:
    """Whether the kernel reports the avx2 flag (Linux); False where /proc/cpuinfo is missing."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            return any(line.startswith("flags") and " avx2" in line for line in cpuinfo)
    except OSError:
        return False


def test_the_vector_build_is_used_on_x86_64():
    import platform

    if platform.machine() not in {"x86_64", "AMD64"}:
        pytest.skip("AVX2 is an x86 instruction set")
    if not _cpu_has_avx2():
        pytest.skip("this CPU (or its /proc/cpuinfo) reports no AVX2")
    assert lanes_use_avx2()


def test_malformed_frame_arrays_are_refused(frames):
    code, y, crossover, syndromes = frames
    with pytest.raises(ValueError, match="one frame row and one syndrome row per frame"):
        decode_frames(code.row_pointer, code.column_index, y.copy(), 0.05, syndromes[:-1], 10)
    with pytest.raises(ValueError, match="a syndrome bit per check"):
        decode_frames(code.row_pointer, code.column_index, y.copy(), 0.05, syndromes[:, :-1], 10)
    with pytest.raises(ValueError, match="max_iterations"):
        decode_frames(code.row_pointer, code.column_index, y.copy(), 0.05, syndromes, 0)
    with pytest.raises(ValueError, match=r"\(0, 1/2\)"):
        decode_frames(code.row_pointer, code.column_index, y.copy(), 0.5, syndromes, 10)
    with pytest.raises(ValueError, match="uint8"):
        decode_frames(code.row_pointer, code.column_index, y.astype(np.int64), 0.05, syndromes, 10)
