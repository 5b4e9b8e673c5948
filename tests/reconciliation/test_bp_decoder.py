"""The layered sum-product decoder against the `ldpc` package, and its behaviour inside and beyond threshold."""

import numpy as np
import pytest
import scipy.sparse
from joblib import Parallel, delayed

from caligo_sweep.entropy import binary_entropy
from caligo_sweep.reconciliation import bob_decode, alice_message, code_for_redundancy
from caligo_sweep.reconciliation.codes import family_redundancies, load_code
from caligo_sweep.reconciliation.construction import build_base_code, lift
from caligo_sweep.reconciliation.decoder import (
    GroupEdges,
    channel_llr,
    decode_posterior,
    decode_syndrome,
    group_edges,
    phi,
    syndrome_of,
)

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
        ours, _, converged = decode_syndrome(row_pointer, column_index, y, p, alice_syndrome, 100)
        # ldpc decodes the error pattern e = x XOR y from its syndrome H e = H x + H y.
        error = peer.decode(alice_syndrome ^ syndrome_of(row_pointer, column_index, y))
        if converged and peer.converge:
            both += 1
            np.testing.assert_array_equal(ours, y ^ error.astype(np.uint8))
        if converged:
            np.testing.assert_array_equal(syndrome_of(row_pointer, column_index, ours), alice_syndrome)
    assert both >= 10  # the comparison is not vacuous


def test_phi_matches_its_closed_form_over_the_whole_range():
    # phi(t) = log((e^t + 1) / (e^t - 1)) in float64, at t log-uniform from 1e-15 (phi = 35) to 60 (phi = 2e-26).
    # A grid uniform in sqrt(t) was off by 10 nats at t = 1e-6 (24.1 instead of 14.5).
    t = np.exp(np.random.default_rng(5).uniform(np.log(1e-15), np.log(60.0), 200_000)).astype(np.float32)
    exact = np.log1p(2.0 / np.expm1(t.astype(np.float64)))
    np.testing.assert_allclose(phi(t), exact, rtol=1e-2, atol=5e-5)
    informative = t < 10.0  # phi(t) > 1e-4: the terms that move a check's output
    np.testing.assert_allclose(phi(t[informative]), exact[informative], rtol=2e-3, atol=5e-5)


@pytest.mark.parametrize("syndrome_bit", [0, 1])
def test_one_check_update_is_the_tanh_rule(syndrome_bit):
    # A single check, one pass: posterior_v = L_v + R_v with R_v = (-1)^s 2 atanh(prod_{u != v} tanh(L_u / 2))
    # (float64). The first input is nearly unknown and the others are reliable: the message to the first one (15 nats)
    # is phi of a sum of about 1e-6, which "sum of all minus own term" loses in float32 and a grid in sqrt(t) misreads.
    llr = np.array([0.001, 16.0, -17.0, 18.0, 19.0, -16.5, 20.0, 17.5], dtype=np.float32)
    row_pointer = np.array([0, llr.size], dtype=np.int64)
    column_index = np.arange(llr.size, dtype=np.int32)
    posterior, passes, _ = decode_posterior(row_pointer, column_index, llr, np.array([syndrome_bit], np.uint8), 1)
    halves = np.tanh(llr.astype(np.float64) / 2)
    expected = np.array([(-1) ** syndrome_bit * 2 * np.arctanh(np.prod(np.delete(halves, v))) for v in range(llr.size)])
    assert passes == 1
    np.testing.assert_allclose(posterior - llr, expected, rtol=1e-3, atol=1e-4)


def test_no_frame_error_well_inside_threshold():
    # 2^14 codes at QBER 3 % with 1.5 h(p) syndrome bits per bit, far above the benchmark's FER <= 1 % point
    # (about 1.25 at this length). 96 frames: a regression to a FER of 5 % would show with probability 1 - 0.95^96
    # > 99 %; the true FER here is far below 1/96, so the test does not flake.
    p = 0.03
    choice = code_for_redundancy(16384, 1.5 * binary_entropy(p))
    rng = np.random.default_rng(3)
    x = rng.integers(0, 2, 96 * choice.payload_bits, dtype=np.uint8)
    y = x ^ (rng.random(x.size) < p).astype(np.uint8)
    result = bob_decode(y, alice_message(x, choice, 1), p)
    assert result.frames == 96
    assert result.frame_errors == 0
    np.testing.assert_array_equal(result.bob_bits.unpack(), x)


def test_bp_converges_on_every_frame_past_the_waterfall():
    # The default-length code the benchmark uses at QBER 4.5 % (unshortened: 1.166 h(p) syndrome bits per bit), where
    # the frame error rate is past its waterfall (FER 1 % is reached at f ~ 1.10 at this QBER, README). A decoder whose
    # phi table was wrong for small arguments left 3/400 such frames unconverged, thousands of bits wrong (an error
    # floor near 1 %); 300 frames catch a floor of 1 % with probability 1 - 0.99^300 = 95 %. BP must end on a word
    # with Alice's syndrome every time (whether it is Alice's word is the code's minimum distance, not the decoder's).
    p = 0.045
    redundancies = family_redundancies(65536)
    code = load_code(65536, int(np.argmin(np.abs(redundancies - 1.166 * binary_entropy(p)))))
    assert code.n_checks / (65536 * binary_entropy(p)) == pytest.approx(1.166, abs=0.02)

    def converges(frame: int) -> bool:
        rng = np.random.default_rng([6, frame])
        x = rng.integers(0, 2, 65536, dtype=np.uint8)
        y = x ^ (rng.random(x.size) < p).astype(np.uint8)
        syndrome = syndrome_of(code.row_pointer, code.column_index, x)
        return decode_syndrome(code.row_pointer, code.column_index, y, p, syndrome, 200)[2]

    converged = Parallel(n_jobs=2, backend="threading")(delayed(converges)(frame) for frame in range(300))
    assert all(converged)


def test_decoding_fails_and_is_flagged_at_qber_one_half():
    # The I_{1-C} case: Bob's bits are independent of Alice's. No frame may be accepted.
    p = 0.05
    choice = code_for_redundancy(16384, 1.3 * binary_entropy(p))
    rng = np.random.default_rng(4)
    x = rng.integers(0, 2, 6 * choice.payload_bits, dtype=np.uint8)
    y = rng.integers(0, 2, x.size, dtype=np.uint8)
    result = bob_decode(y, alice_message(x, choice, 2), p)
    assert result.frame_errors == result.frames == 6
    assert abs(np.mean(result.bob_bits.unpack() != x) - 0.5) < 5 * np.sqrt(0.25 / x.size)


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
        decode_syndrome(row_pointer, np.array(column_index), np.zeros(3, np.uint8), 0.1, np.array(syndrome), 10)


def test_syndrome_is_the_sparse_matrix_product():
    row_pointer, column_index, matrix = small_code(64, 0.50)
    bits = np.random.default_rng(3).integers(0, 2, (5, 1024), dtype=np.uint8)
    for word in bits:
        np.testing.assert_array_equal(syndrome_of(row_pointer, column_index, word), (matrix @ word) % 2)


@pytest.mark.parametrize("frame_length", [16384, 65536])
def test_syndrome_by_consecutive_groups_is_the_sparse_matrix_product_of_the_shipped_codes(frame_length):
    # Quasi-cyclic codes: most groups of 8 checks read 8 consecutive variables per edge (one 8-byte load), the
    # circulants' wraps do not; both paths must give H x mod 2 (scipy, an independent product).
    code = code_for_redundancy(frame_length, 0.3).code()
    matrix = scipy.sparse.csr_matrix(
        (np.ones(code.column_index.size, dtype=np.int64), code.column_index, code.row_pointer),
        shape=(code.n_checks, code.frame_length),
    )
    groups = group_edges(code.row_pointer, code.column_index)
    assert groups.first.size == code.column_index.size // 8  # every group of 8 checks has one degree
    assert 0.5 < np.mean(groups.first >= 0) < 1.0  # both paths are exercised
    assert groups.wrapped.shape == (np.sum(groups.first < 0), 8)
    for word in np.random.default_rng(frame_length).integers(0, 2, (3, code.frame_length), dtype=np.uint8):
        syndrome = syndrome_of(code.row_pointer, code.column_index, word, groups)
        np.testing.assert_array_equal(syndrome, (matrix @ word) % 2)


def test_group_encoding_marks_exactly_the_runs_of_eight():
    # 10 checks of degree 2 on 20 variables: checks 0-7 read (c, c + 8) except check 5's second edge; checks 8, 9
    # (a group of 2, never encoded) read (c - 8, c).
    rows = [(c, c + 8 if c != 5 else 19) for c in range(8)] + [(0, 8), (1, 9)]
    row_pointer = np.arange(0, 21, 2, dtype=np.int64)
    column_index = np.array(rows, dtype=np.int32).ravel()
    groups = group_edges(row_pointer, column_index)
    # first edges of checks 0-7 are 0..7; the second edges break at check 5: row 0 of the table
    np.testing.assert_array_equal(groups.first, [0, -1])
    np.testing.assert_array_equal(groups.wrapped, [[8, 9, 10, 11, 12, 19, 14, 15]])
    matrix = np.zeros((10, 20), dtype=np.int64)
    for check, variables in enumerate(rows):
        matrix[check, list(variables)] = 1
    for word in np.random.default_rng(5).integers(0, 2, (8, 20), dtype=np.uint8):
        np.testing.assert_array_equal(syndrome_of(row_pointer, column_index, word, groups), (matrix @ word) % 2)


def test_syndrome_refuses_an_encoding_that_reads_outside_the_bits():
    row_pointer = np.arange(0, 17, 2, dtype=np.int64)
    column_index = np.array([(c, c + 8) for c in range(8)], dtype=np.int32).ravel()
    groups = group_edges(row_pointer, column_index)
    bad = GroupEdges(np.array([0, 9], dtype=np.int32), groups.wrapped)  # 9 .. 16: past the 16 bits
    with pytest.raises(ValueError, match="not group_edges"):
        syndrome_of(row_pointer, column_index, np.zeros(16, np.uint8), bad)


def test_decoding_stops_at_the_pass_that_meets_the_syndrome_not_one_later():
    # A pass after which the hard decision meets the syndrome ends decoding (checked when every check held right
    # after its own update), so the pass before the last one mostly still misses it; it meets it only where a check
    # failed during that pass and a later flip in it mended the check. A rule that waited for a pass without flips
    # would spend one more pass: every frame would meet the syndrome a pass before it stopped (0 misses).
    # Bound: pilots missed in 29 of 30 and 36 of 40 frames, so with a miss probability of 0.9 the count over
    # n = 40 frames stays above n q - 5 sqrt(n q (1 - q)) = 26.5 (5 sigma), far from the 0 of a confirming rule.
    n_frames, miss_probability = 40, 0.9
    floor = n_frames * miss_probability - 5 * np.sqrt(n_frames * miss_probability * (1 - miss_probability))
    code = code_for_redundancy(16384, 0.3).code()
    rng = np.random.default_rng(7)
    missed = []
    for _ in range(n_frames):
        x = rng.integers(0, 2, code.frame_length, dtype=np.uint8)
        y = x ^ (rng.random(code.frame_length) < 0.03).astype(np.uint8)
        target = syndrome_of(code.row_pointer, code.column_index, x)
        llr = channel_llr(y, 0.03)
        posterior, passes, converged = decode_posterior(code.row_pointer, code.column_index, llr, target, 200)
        assert converged and np.array_equal(posterior < 0, x == 1)
        before, _, _ = decode_posterior(code.row_pointer, code.column_index, llr, target, passes - 1)
        decision = (before < 0).astype(np.uint8)
        missed.append(not np.array_equal(syndrome_of(code.row_pointer, code.column_index, decision), target))
    assert sum(missed) >= floor
