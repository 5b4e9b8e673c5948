"""The shipped LDPC code family: lazy, cached loading of quasi-cyclic codes and their lifted parity-check matrices.

The ``.npz`` files in ``caligo_sweep/reconciliation/data`` are written by
``python -m caligo_sweep.reconciliation.build_codes``; runs only read them.

Lengths above 2^16 ship no file: the code of index ``i`` and length ``d * 2^16`` is a ``d``-fold cyclic cover of the
2^16 code ``i``, the same base matrix with circulants of size ``d * 64`` whose shifts ``s + 64 u`` keep the 2^16
shift ``s`` modulo 64, with ``u`` in ``0 .. d - 1`` drawn from ``SeedSequence((COVER_SEED, length, i))``. Reducing a
variable or check index modulo 64 within its circulant maps the cover onto the 2^16 graph, so every cycle of the
cover maps to a closed walk of the 2^16 graph: the cover has no 4-cycle (the 2^16 codes have none) and has the same
degree profile and rate, while the 2^16 graph's short cycles mostly open into longer ones. Measured (QBER 5 %,
design efficiency 1.068, the 2^16 code of that redundancy): 1/128 frames of 2^18 bits failed, 100/512 of 2^16.

The covers exist at every base-row count between the shipped grid's ends (the grid's ratio of 1.03 left plans of few
long frames up to 3 % above their design redundancy); a count between grid points covers the family member that
:mod:`~caligo_sweep.reconciliation.code_cache` builds on first use. The covers of the grid's own codes keep the seeds
they were measured with (:func:`code_key`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.reconciliation.code_cache import cached_member
from caligo_sweep.reconciliation.construction import BaseCode, lift
from caligo_sweep.reconciliation.degree_distributions import family_distribution

DATA_DIRECTORY = Path(__file__).resolve().parent / "data"
#: frame length (bits) -> (base columns, circulant size).
FRAME_GEOMETRY: dict[int, tuple[int, int]] = {262144: (1024, 256), 65536: (1024, 64), 16384: (512, 32)}
#: frame length -> (shipped length whose base matrices it covers, cover degree); see the module docstring.
CYCLIC_COVERS: dict[int, tuple[int, int]] = {262144: (65536, 4)}
DEFAULT_FRAME_LENGTH = 262144
COVER_SEED = 20180218
#: Key offset of the covers whose base-row count lies between the shipped grid's points (see code_key()).
OFF_GRID_KEY = 1_000_000
_SHORTENING_SEED = 1306


@dataclass(frozen=True, eq=False)
class LdpcCode:
    """One lifted code of the family.

    Parameters
    ----------
    frame_length : int
        Code length n (bits).
    index : int
        Position in the family (increasing redundancy, i.e. decreasing rate).
    n_checks : int
        Syndrome length m (bits).
    design_rate : float
        Table I distribution used.
    row_pointer, column_index : numpy.ndarray
        Parity-check matrix in compressed-row form.
    shortening_order : numpy.ndarray
        Fixed public permutation of the columns: a frame shortened by ``s`` bits fixes the first ``s`` of them.
    """

    frame_length: int
    index: int
    n_checks: int
    design_rate: float
    row_pointer: np.ndarray
    column_index: np.ndarray
    shortening_order: np.ndarray

    @property
    def rate(self) -> float:
        """Mother-code rate ``1 - m / n``."""
        return 1.0 - self.n_checks / self.frame_length


def family_path(frame_length: int) -> Path:
    """Location of the code file of one frame length (of the length it covers, for a cover)."""
    return DATA_DIRECTORY / f"ldpc_codes_n{CYCLIC_COVERS.get(frame_length, (frame_length,))[0]}.npz"


def require_frame_length(frame_length: int) -> int:
    """Check that a code family exists for ``frame_length`` and return it."""
    if frame_length not in FRAME_GEOMETRY:
        raise ConfigValueError("reconciliation.frame_length", f"one of {sorted(FRAME_GEOMETRY)}", frame_length)
    return int(frame_length)


@lru_cache(maxsize=None)
def _family_arrays(frame_length: int) -> dict[str, np.ndarray]:
    """The family's arrays; for a cover: every base-row count from the covered family's first to its last."""
    require_frame_length(frame_length)
    if frame_length in CYCLIC_COVERS:
        covered = _family_arrays(CYCLIC_COVERS[frame_length][0])
        rows = np.arange(covered["n_base_rows"][0], covered["n_base_rows"][-1] + 1, dtype=np.int64)
        columns = int(covered["n_base_columns"])
        return {
            "n_base_rows": rows,
            "n_base_columns": np.int64(columns),
            "lifting": np.int64(FRAME_GEOMETRY[frame_length][1]),
            "design_rate": np.array([family_distribution(1.0 - m / columns)[0] for m in rows]),
        }
    with np.load(family_path(frame_length)) as data:
        return {key: data[key] for key in data.files}


def code_key(frame_length: int, index: int) -> int:
    """The number that seeds code ``index``'s shortening order and cover shifts.

    Its index for a shipped length. For a cover: the index of the covered code when its base-row count is on the
    shipped grid, else :data:`OFF_GRID_KEY` plus the count.
    """
    if frame_length not in CYCLIC_COVERS:
        return int(index)
    rows = int(_family_arrays(frame_length)["n_base_rows"][index])
    shipped = _family_arrays(CYCLIC_COVERS[frame_length][0])["n_base_rows"]
    position = int(np.searchsorted(shipped, rows))
    return position if position < shipped.size and shipped[position] == rows else OFF_GRID_KEY + rows


def cover_shifts(frame_length: int, key: int, shifts: np.ndarray) -> np.ndarray:
    """Circulant shifts of the code of :func:`code_key` ``key`` at ``frame_length`` from those of the code it covers.

    For a shipped length the shifts are returned unchanged; for a cover of degree ``d`` each becomes
    ``s + lifting * u`` with ``u`` uniform in ``0 .. d - 1`` from ``SeedSequence((COVER_SEED, frame_length, key))``.
    """
    shifts = np.asarray(shifts, dtype=np.int64)
    if frame_length not in CYCLIC_COVERS:
        return shifts
    covered, degree = CYCLIC_COVERS[frame_length]
    rng = np.random.default_rng(np.random.SeedSequence((COVER_SEED, frame_length, key)))
    return shifts + FRAME_GEOMETRY[covered][1] * rng.integers(0, degree, shifts.size, dtype=np.int64)


def family_redundancies(frame_length: int) -> np.ndarray:
    """``1 - R`` of every code of a frame length, increasing."""
    arrays = _family_arrays(frame_length)
    return arrays["n_base_rows"] / float(arrays["n_base_columns"])


def family_check_counts(frame_length: int) -> np.ndarray:
    """Syndrome length ``m`` (int64) of every code of a frame length, increasing."""
    arrays = _family_arrays(frame_length)
    return arrays["n_base_rows"].astype(np.int64) * int(arrays["lifting"])


def _shipped_code(frame_length: int, index: int) -> BaseCode:
    arrays = _family_arrays(frame_length)
    edges = slice(int(arrays["edge_offsets"][index]), int(arrays["edge_offsets"][index + 1]))
    return BaseCode(
        n_base_rows=int(arrays["n_base_rows"][index]),
        n_base_columns=int(arrays["n_base_columns"]),
        lifting=int(arrays["lifting"]),
        rows=arrays["rows"][edges],
        columns=arrays["columns"][edges],
        shifts=arrays["shifts"][edges],
        design_rate=float(arrays["design_rate"][index]),
    )


def base_code(frame_length: int, index: int) -> BaseCode:
    """The quasi-cyclic description of one code: shipped, or for a cover the covered code with its cover's shifts.

    A covered code between the shipped grid's points comes from
    :func:`~caligo_sweep.reconciliation.code_cache.cached_member`.
    """
    if frame_length not in CYCLIC_COVERS:
        return _shipped_code(frame_length, index)
    covered = CYCLIC_COVERS[frame_length][0]
    key = code_key(frame_length, index)
    if key < OFF_GRID_KEY:
        code = _shipped_code(covered, key)
    else:
        code = cached_member(covered, key - OFF_GRID_KEY, *FRAME_GEOMETRY[covered])
    return replace(code, lifting=FRAME_GEOMETRY[frame_length][1], shifts=cover_shifts(frame_length, key, code.shifts))


@lru_cache(maxsize=8)
def load_code(frame_length: int, index: int) -> LdpcCode:
    """Lift one shipped code (cached: a worker lifts each code it needs once)."""
    description = base_code(frame_length, index)
    row_pointer, column_index = lift(description)
    order = np.random.default_rng(np.random.SeedSequence((_SHORTENING_SEED, frame_length, code_key(frame_length, index))))
    return LdpcCode(
        frame_length=frame_length,
        index=index,
        n_checks=row_pointer.size - 1,
        design_rate=description.design_rate,
        row_pointer=row_pointer,
        column_index=column_index,
        shortening_order=order.permutation(frame_length).astype(np.int64),
    )
