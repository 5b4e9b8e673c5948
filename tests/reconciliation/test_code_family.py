"""The shipped code family: reproducible from its script, with the published (edge-perspective) degrees."""

import numpy as np
import pytest
import scipy.sparse

from caligo_sweep.reconciliation.build_codes import family_base_rows, family_code
from caligo_sweep.reconciliation.code_cache import CONSTRUCTION_VERSION
from caligo_sweep.reconciliation.codes import (
    COVER_SEED,
    CYCLIC_COVERS,
    FRAME_GEOMETRY,
    base_code,
    family_check_counts,
    family_redundancies,
    load_code,
)
from caligo_sweep.reconciliation.construction import CHAIN_REACH, BaseCode, build_base_code, lift
from caligo_sweep.reconciliation.decoder import syndrome_of


@pytest.mark.parametrize(("frame_length", "index"), [(16384, 0), (16384, 20), (65536, 25), (65536, 33)])
def test_regenerating_a_shipped_code_gives_identical_arrays(frame_length, index):
    shipped = base_code(frame_length, index)
    rebuilt = family_code(frame_length, shipped.n_base_rows)
    for name in ("rows", "columns", "shifts"):
        np.testing.assert_array_equal(getattr(rebuilt, name), getattr(shipped, name))
    assert rebuilt.design_rate == shipped.design_rate


def _cover_index(rows: int) -> int:
    return int(np.searchsorted(family_check_counts(262144) // FRAME_GEOMETRY[262144][1], rows))


@pytest.mark.parametrize("shipped_index", [0, 40, 87])
def test_a_longer_code_is_a_seeded_cyclic_cover_of_the_shipped_code_and_maps_onto_its_graph(shipped_index):
    covered, degree = CYCLIC_COVERS[262144]
    base = base_code(covered, shipped_index)
    cover = base_code(262144, _cover_index(base.n_base_rows))
    small, large = FRAME_GEOMETRY[covered][1], FRAME_GEOMETRY[262144][1]
    assert (cover.lifting, large, cover.n_base_rows) == (degree * small, degree * small, base.n_base_rows)
    rng = np.random.default_rng(np.random.SeedSequence((COVER_SEED, 262144, shipped_index)))  # from its seed
    np.testing.assert_array_equal(cover.shifts, base.shifts + small * rng.integers(0, degree, base.shifts.size))
    np.testing.assert_array_equal(cover.rows, base.rows)
    np.testing.assert_array_equal(cover.columns, base.columns)
    # the covering map: index (block, z) -> (block, z mod small) sends each edge of the cover onto an edge of the code
    cover_pointer, cover_columns = lift(cover)
    base_pointer, base_columns = lift(base)
    checks = np.repeat(np.arange(cover_pointer.size - 1), np.diff(cover_pointer))
    def project(index_array):
        return index_array // large * small + index_array % large % small
    projected = set(zip(project(checks).tolist(), project(cover_columns.astype(np.int64)).tolist()))
    base_edges = set(zip(np.repeat(np.arange(base_pointer.size - 1), np.diff(base_pointer)).tolist(), base_columns.tolist()))
    assert projected == base_edges
    assert cover_columns.size == degree * base_columns.size  # each edge of the code has degree preimages


def test_covers_exist_at_every_base_row_count_and_off_grid_ones_cover_the_family_member_built_from_its_seed(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    shipped_rows = family_check_counts(65536) // FRAME_GEOMETRY[65536][1]
    cover_rows = family_check_counts(262144) // FRAME_GEOMETRY[262144][1]
    np.testing.assert_array_equal(cover_rows, np.arange(shipped_rows[0], shipped_rows[-1] + 1))
    rows = 48  # between the grid's 47 and 49
    assert rows not in shipped_rows
    cover = base_code(262144, _cover_index(rows))
    member = family_code(65536, rows)  # what build_codes would build at this count
    np.testing.assert_array_equal(cover.shifts % FRAME_GEOMETRY[65536][1], member.shifts)
    np.testing.assert_array_equal(cover.columns, member.columns)
    assert cover.design_rate == member.design_rate
    cached = list((tmp_path / "caligo_sweep" / "codes").iterdir())
    assert [p.name for p in cached] == [f"n65536_rows{rows}_v{CONSTRUCTION_VERSION}.npz"]
    again = base_code(262144, _cover_index(rows))  # read back from the cache: the same code
    np.testing.assert_array_equal(again.shifts, cover.shifts)
    cached[0].write_bytes(b"not a code")  # a damaged cache file is rebuilt, not trusted
    np.testing.assert_array_equal(base_code(262144, _cover_index(rows)).shifts, cover.shifts)


def test_family_covers_qber_half_percent_to_eleven_percent():
    for frame_length, (n_base_columns, _) in FRAME_GEOMETRY.items():
        redundancies = family_redundancies(frame_length)
        if frame_length not in CYCLIC_COVERS:  # the covers have every base-row count in between (tested above)
            assert redundancies.size == len(family_base_rows(n_base_columns))
        assert redundancies[0] <= 0.0454 * 1.0  # h(0.005): rate ~0.955 reachable
        assert redundancies[-1] >= 0.5  # h(0.11) = 0.4999
        # grid ratio 1.03, plus rounding to whole base rows (1/512 at the short length)
        assert np.all(np.diff(redundancies) / redundancies[:-1] < 0.08)


def test_variable_degrees_follow_table_one_in_edge_perspective():
    # Elkouss et al. 2009, Table I, rate 0.5: lambda(x) = 0.14438 x + 0.19026 x^2 + ... (x^k: edges on degree k+1).
    # Node fraction of degree d: (lambda_d / d) / sum_i (lambda_i / i). Degree 2 and 3 dominate; no degree-1 nodes.
    lam = {2: 0.14438, 3: 0.19026, 4: 0.01836, 5: 0.00233, 6: 0.04697, 8: 0.053943, 9: 0.05590, 10: 0.01290,
           11: 0.00162, 14: 0.06159, 15: 0.13115, 17: 0.01481, 47: 0.00879, 49: 0.00650, 55: 0.00210, 56: 0.00099,
           57: 0.11178, 58: 0.06238, 59: 0.05094, 66: 0.02230}
    norm = sum(v / d for d, v in lam.items())
    code = build_base_code(600, 1200, 4, 0.50, np.random.default_rng(0))
    degrees = np.bincount(code.columns, minlength=1200)
    assert degrees.min() >= 2
    for degree in (2, 3, 15, 57):
        assert np.count_nonzero(degrees == degree) == pytest.approx(1200 * lam[degree] / degree / norm, abs=1)
    # Check degrees stay concentrated on two neighbouring values, as rho(x) of the table is.
    check_degrees = np.bincount(code.rows, minlength=600)
    assert check_degrees.max() - check_degrees.min() <= 1


def test_degree_two_columns_form_a_cycle_free_staircase():
    code = load_code(16384, 10)
    column_degree = np.bincount(code.column_index, minlength=code.frame_length)
    rows_of_edges = np.repeat(np.arange(code.n_checks), np.diff(code.row_pointer))
    degree_two = column_degree[code.column_index] == 2
    # The degree-2 subgraph is a forest iff edges = vertices - components; here each column joins two checks, so
    # it suffices that union-find never joins two checks already connected.
    parent = np.arange(code.n_checks)

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    ends = {}
    for row, column in zip(rows_of_edges[degree_two], code.column_index[degree_two]):
        ends.setdefault(int(column), []).append(int(row))
    for a, b in ends.values():
        root_a, root_b = find(a), find(b)
        assert root_a != root_b
        parent[root_a] = root_b


def index_at_rate(frame_length: int, rate: float) -> int:
    """Index of the family code whose rate is nearest ``rate``."""
    return int(np.argmin(np.abs(1 - family_redundancies(frame_length) - rate)))


@pytest.mark.parametrize(("frame_length", "rate"), [(262144, 0.55), (65536, 0.55), (65536, 0.85), (16384, 0.52)])
def test_lifted_graph_has_no_four_cycles_where_the_degrees_allow(frame_length, rate):
    index = index_at_rate(frame_length, rate)
    # Two checks sharing two variables close a 4-cycle: an off-diagonal entry >= 2 of H H^T. From rate 0.85 up
    # (check degrees 60-90 with degree-28/33 columns) the depth-2 neighbourhood of a variable covers nearly every
    # check, so a few 4-cycles remain there (64 at rate 0.887); these codes are in the range where the shift choice
    # can and does avoid them.
    row_pointer, column_index = lift(base_code(frame_length, index))
    matrix = scipy.sparse.csr_matrix(
        (np.ones(column_index.size, dtype=np.int32), column_index, row_pointer),
        shape=(row_pointer.size - 1, frame_length),
    )
    overlaps = (matrix @ matrix.T).tocoo()
    off_diagonal = overlaps.row != overlaps.col
    assert overlaps.data[off_diagonal].max() == 1


def chain_cycles(code) -> int:
    """Pairs of degree-3 columns closing a lifted cycle through two staircase chains of <= CHAIN_REACH variables.

    Rows ``a, b`` of the staircase (rows up to the number of degree-2 columns) are joined by ``|a - b|`` degree-2
    variables with aligned copies, so columns u (rows a, a2) and v (rows b, b2) close a cycle iff
    ``s_ua - s_ua2 = s_vb - s_vb2 (mod lifting)`` with ``a ~ b`` and ``a2 ~ b2`` (distance 0 included: a 4-cycle).
    """
    degrees = np.bincount(code.columns, minlength=code.n_base_columns)
    chain_end = int(np.sum(degrees == 2))
    low = np.flatnonzero(degrees == 3)
    entries = np.isin(code.columns, low)
    order = np.argsort(code.columns[entries].reshape(-1), kind="stable").reshape(-1, 3)
    rows = code.rows[entries].astype(np.int64)[order]
    shifts = code.shifts[entries].astype(np.int64)[order]

    def joined(a, b):
        distance = np.abs(a[:, None] - b[None, :])
        return (distance == 0) | ((distance <= CHAIN_REACH) & (np.maximum(a[:, None], b[None, :]) <= chain_end))

    count = 0
    for i, j in ((0, 1), (0, 2), (1, 2)):
        for k, l in ((0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)):
            closes = joined(rows[:, i], rows[:, k]) & joined(rows[:, j], rows[:, l])
            closes &= ((shifts[:, i] - shifts[:, j])[:, None] - (shifts[:, k] - shifts[:, l])[None, :]) % code.lifting == 0
            np.fill_diagonal(closes, False)
            count += int(closes.sum())
    return count


def test_two_degree_three_columns_and_staircase_chains_make_a_low_weight_codeword():
    # The structure step 5 of the construction avoids, built by hand: staircase on rows 0-7, column u on rows
    # {1, 3, 6}, column v on rows {0, 4, 7}, shift differences s_u - s_v equal (5) on the three row pairs. Copy t of u,
    # copy t - 5 of v and the chains 0-1, 3-4, 6-7 in the copy they meet form a codeword of weight 2 + 3.
    lifting = 16
    staircase = [(k, k, 0) for k in range(7)] + [(k + 1, k, 0) for k in range(7)]
    u = [(1, 7, 9), (3, 7, 2), (6, 7, 14)]
    v = [(0, 8, 4), (4, 8, 13), (7, 8, 9)]
    entries = sorted(staircase + u + v)
    code = BaseCode(8, 9, lifting, *(np.array(column, dtype=np.uint16) for column in zip(*entries)), design_rate=0.0)
    row_pointer, column_index = lift(code)
    t = 3
    word = np.zeros(9 * lifting, dtype=np.uint8)
    word[7 * lifting + t] = word[8 * lifting + (t - 5) % lifting] = 1
    for chain_column, u_shift in ((0, 9), (3, 2), (6, 14)):  # the chain between u's row and v's row
        word[chain_column * lifting + (t - u_shift) % lifting] = 1
    assert word.sum() == 5
    assert not syndrome_of(row_pointer, column_index, word).any()
    assert chain_cycles(code) > 0


def test_shipped_codes_close_no_short_chain_cycle():
    # Every 2^16 code of rate <= 0.93 (QBER from about 0.9 %). The previous construction (4-cycles only) left 6-546
    # such cycles per code in this range, and weight-9 codewords onto which BP converged in about 0.3 % of frames.
    rates = 1 - family_redundancies(65536)
    counts = {index: chain_cycles(base_code(65536, index)) for index in np.flatnonzero(rates <= 0.93)}
    assert len(counts) > 60
    assert not any(counts.values()), {index: count for index, count in counts.items() if count}


def test_lifting_gives_each_check_its_base_rows_circulant_edges_in_stored_order():
    """Check i L + z reads variables j L + (z + s) mod L of its base row's entries (i, j, s), in the stored order
    (the decoder's sums follow the edge order, so the order is part of the code)."""
    code = base_code(16384, 40)
    row_pointer, column_index = lift(code)
    rng = np.random.default_rng(5)
    for check in rng.choice(row_pointer.size - 1, 200, replace=False):
        row, z = divmod(int(check), code.lifting)
        entries = np.flatnonzero(code.rows == row)
        expected = code.columns[entries].astype(np.int64) * code.lifting + (z + code.shifts[entries]) % code.lifting
        np.testing.assert_array_equal(column_index[row_pointer[check] : row_pointer[check + 1]], expected)


def test_without_a_cache_folder_a_code_is_built_and_nothing_is_written(tmp_path, monkeypatch):
    from caligo_sweep.reconciliation.code_cache import cached_member

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr("os.path.expanduser", lambda path: path)  # no home folder known
    monkeypatch.chdir(tmp_path)
    code = cached_member(65536, 48, *FRAME_GEOMETRY[65536])
    np.testing.assert_array_equal(code.shifts, family_code(65536, 48).shifts)
    assert list(tmp_path.iterdir()) == []
