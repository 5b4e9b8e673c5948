"""The shipped code family: reproducible from its script, with the published (edge-perspective) degrees."""

import numpy as np
import pytest
import scipy.sparse

from caligo_sweep.reconciliation.build_codes import family_base_rows, family_code
from caligo_sweep.reconciliation.codes import FRAME_GEOMETRY, base_code, family_redundancies, load_code
from caligo_sweep.reconciliation.construction import build_base_code, lift


@pytest.mark.parametrize(("frame_length", "index"), [(16384, 0), (16384, 20), (65536, 25), (65536, 33)])
def test_regenerating_a_shipped_code_gives_identical_arrays(frame_length, index):
    shipped = base_code(frame_length, index)
    rebuilt = family_code(frame_length, shipped.n_base_rows)
    for name in ("rows", "columns", "shifts"):
        np.testing.assert_array_equal(getattr(rebuilt, name), getattr(shipped, name))
    assert rebuilt.design_rate == shipped.design_rate


def test_family_covers_qber_half_percent_to_eleven_percent():
    for frame_length, (n_base_columns, _) in FRAME_GEOMETRY.items():
        redundancies = family_redundancies(frame_length)
        assert redundancies.size == len(family_base_rows(n_base_columns))
        assert redundancies[0] <= 0.0454 * 1.0  # h(0.005): rate ~0.955 reachable
        assert redundancies[-1] >= 0.5  # h(0.11) = 0.4999
        # grid ratio 1.08, plus rounding to whole base rows (1/512 at the short length)
        assert np.all(np.diff(redundancies) / redundancies[:-1] < 0.12)


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


@pytest.mark.parametrize(("frame_length", "index"), [(65536, 30), (65536, 16), (16384, 31)])
def test_lifted_graph_has_no_four_cycles_where_the_degrees_allow(frame_length, index):
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
