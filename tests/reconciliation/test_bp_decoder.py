"""The layered sum-product decoder against the `ldpc` package, and its behaviour inside and beyond threshold."""

import numpy as np
import pytest
import scipy.sparse

from caligo_sweep.reconciliation import binary_entropy_bits, bob_decode, alice_message, code_for_redundancy
from caligo_sweep.reconciliation.construction import build_base_code, lift
from caligo_sweep.reconciliation.decoder import channel_llr, decode_syndrome, syndrome_of

ldpc = pytest.importorskip("ldpc")


def small_code(n_base_rows: int, design_rate: float):
    """A 1024-bit code (128 base columns, circulants of 8) built by the shipped construction."""
    code = build_base_code(n_base_rows, 128, 8, design_rate, np.random.default_rng(n_base_rows))
    row_pointer, column_index = lift(code)
    matrix = scipy.sparse.csr_matrix(
        (np.ones(column_index.size, dtype=np.uint8), column_index, row_pointer), shape=(row_pointer.size - 1, 1024)
    )
    return row_pointer, column_index, matrix


@pytest.mark.parametrize(("n_base_rows", "design_rate", "p"), [(64, 0.50, 0.04), (64, 0.50, 0.08), (26, 0.80, 0.02)])
def test_same_decoded_words_as_ldpc_product_sum(n_base_rows, design_rate, p):
    row_pointer, column_index, matrix = small_code(n_base_rows, design_rate)
    peer = ldpc.BpDecoder(matrix, error_rate=p, max_iter=100, bp_method="product_sum", schedule="serial")
    rng = np.random.default_rng(17)
    both = 0
    for _ in range(40):
        x = rng.integers(0, 2, 1024, dtype=np.uint8)
        y = x ^ (rng.random(1024) < p).astype(np.uint8)
        alice_syndrome = syndrome_of(row_pointer, column_index, x)
        ours, _, converged = decode_syndrome(row_pointer, column_index, channel_llr(y, p), alice_syndrome, 100)
        # ldpc decodes the error pattern e = x XOR y from its syndrome H e = H x + H y.
        error = peer.decode(alice_syndrome ^ syndrome_of(row_pointer, column_index, y))
        if converged and peer.converge:
            both += 1
            np.testing.assert_array_equal(ours, y ^ error.astype(np.uint8))
        if converged:
            np.testing.assert_array_equal(syndrome_of(row_pointer, column_index, ours), alice_syndrome)
    assert both >= 10  # the comparison is not vacuous


def test_no_frame_error_well_inside_threshold():
    # 2^14 codes at QBER 3 % with 1.5 h(p) syndrome bits per bit, far above the benchmark's FER <= 1 % point
    # (about 1.25 at this length). 96 frames: a regression to a FER of 5 % would show with probability 1 - 0.95^96
    # > 99 %; the true FER here is far below 1/96, so the test does not flake.
    p = 0.03
    choice = code_for_redundancy(16384, 1.5 * binary_entropy_bits(p))
    rng = np.random.default_rng(3)
    x = rng.integers(0, 2, 96 * choice.payload_bits, dtype=np.uint8)
    y = x ^ (rng.random(x.size) < p).astype(np.uint8)
    result = bob_decode(y, alice_message(x, choice, 1), p)
    assert result.frames == 96
    assert result.frame_errors == 0
    np.testing.assert_array_equal(result.bob_bits, x)


def test_decoding_fails_and_is_flagged_at_qber_one_half():
    # The I_{1-C} case: Bob's bits are independent of Alice's. No frame may be accepted.
    p = 0.05
    choice = code_for_redundancy(16384, 1.3 * binary_entropy_bits(p))
    rng = np.random.default_rng(4)
    x = rng.integers(0, 2, 6 * choice.payload_bits, dtype=np.uint8)
    y = rng.integers(0, 2, x.size, dtype=np.uint8)
    result = bob_decode(y, alice_message(x, choice, 2), p)
    assert result.frame_errors == result.frames == 6
    assert abs(np.mean(result.bob_bits != x) - 0.5) < 5 * np.sqrt(0.25 / x.size)


@pytest.mark.parametrize(
    ("column_index", "syndrome", "message"),
    [
        ([0, 1, 1, 3], [0, 0], "column_index out of range"),  # variable 3 of a 3-variable frame
        ([0, 1, 1, 2], [0], "a syndrome bit per check"),
    ],
)
def test_malformed_graph_is_refused_before_decoding(column_index, syndrome, message):
    # The C kernel indexes without bounds checks; the graph is validated first.
    row_pointer = np.array([0, 2, 4], dtype=np.int64)
    with pytest.raises(ValueError, match=message):
        decode_syndrome(row_pointer, np.array(column_index), np.ones(3, np.float32), np.array(syndrome), 10)
