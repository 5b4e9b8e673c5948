"""Generate the shipped LDPC code family (``python -m caligo_sweep.reconciliation.build_codes``).

For every supported frame length the family holds one quasi-cyclic code per point of a geometric grid of redundancies
``1 - R`` from 0.045 to 0.60 (ratio 1.03, so 88 codes at 2^16, 86 at 2^14 after rounding to whole base rows): from
QBER about 0.5 % (R ~ 0.95) to 11 % (R ~ 0.45). Each code uses the variable degree distribution of the largest
design rate not above its own among ``FAMILY_ROWS``: rows 0.50 and 0.65 of Table I, below rate 0.50 and from rate
0.775 up the designs of :mod:`tools.code_design.design_high_rate` (see
:mod:`caligo_sweep.reconciliation.degree_distributions` for the measurements behind the choice). Rates between grid
points are reached at run time by shortening (see :mod:`caligo_sweep.reconciliation.frames`), which changes the leak
by exactly the syndrome length and needs no proof, unlike puncturing. Shortening costs more than its share: at QBER
1 % and design efficiency 1.19 the rate-0.91 code shortened by 6.5 % failed 5/400 frames, the rate-0.90 code
unshortened (f = 1.191) 0/400. The grid ratio of 1.03 (1.08 before) therefore keeps the shortened fraction below
about 3 % inside the grid (redundancies above the last code, about 0.59, are reached by shortening it further); with
it the QBER 1 % point went from f = 1.206 to 1.196 (2/400 frames failed at design 1.19).

The output is reproducible bit for bit: every code draws from its own ``SeedSequence((FAMILY_SEED, n, m))``. Choosing
the best of three construction seeds per code by measured frame errors bought nothing measurable: with 100 frames
per candidate at f = 1.07 the three seeds of each 2^16 code of rate 0.47-0.81 failed within Poisson noise of each
other (for example 16/16/19, 42/41/40, 43/37/48 frames), so the family no longer does it. Runs never call this module;
they load the ``.npz`` files it writes (about 1.7 MB in total).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from caligo_sweep.reconciliation.code_cache import family_member
from caligo_sweep.reconciliation.codes import CYCLIC_COVERS, DATA_DIRECTORY, FRAME_GEOMETRY, family_path
from caligo_sweep.reconciliation.construction import BaseCode

REDUNDANCY_MIN = 0.045
REDUNDANCY_MAX = 0.60
REDUNDANCY_RATIO = 1.03


def family_base_rows(n_base_columns: int) -> list[int]:
    """Base-row counts of the family: the geometric redundancy grid rounded to whole base rows."""
    n_points = int(np.floor(np.log(REDUNDANCY_MAX / REDUNDANCY_MIN) / np.log(REDUNDANCY_RATIO))) + 1
    redundancies = REDUNDANCY_MIN * REDUNDANCY_RATIO ** np.arange(n_points)
    return sorted({int(round(r * n_base_columns)) for r in redundancies})


def family_code(frame_length: int, n_base_rows: int) -> BaseCode:
    """Build the family member of ``frame_length`` with ``n_base_rows`` base rows (deterministic)."""
    n_base_columns, lifting = FRAME_GEOMETRY[frame_length]
    return family_member(frame_length, n_base_rows, n_base_columns, lifting)


def write_family(frame_length: int, path: Path) -> None:
    """Build every code of one frame length and save them as one compressed ``.npz``."""
    n_base_columns, lifting = FRAME_GEOMETRY[frame_length]
    codes = [family_code(frame_length, rows) for rows in family_base_rows(n_base_columns)]
    np.savez_compressed(
        path,
        n_base_rows=np.array([c.n_base_rows for c in codes], dtype=np.int64),
        design_rate=np.array([c.design_rate for c in codes]),
        edge_offsets=np.cumsum([0] + [c.rows.size for c in codes]).astype(np.int64),
        rows=np.concatenate([c.rows for c in codes]),
        columns=np.concatenate([c.columns for c in codes]),
        shifts=np.concatenate([c.shifts for c in codes]),
        n_base_columns=np.int64(n_base_columns),
        lifting=np.int64(lifting),
    )


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: regenerate the code files (into the package data directory by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIRECTORY, help="output directory")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for frame_length in (n for n in FRAME_GEOMETRY if n not in CYCLIC_COVERS):  # covers ship no file
        target = args.out / family_path(frame_length).name
        write_family(frame_length, target)
        print(f"wrote {target} ({target.stat().st_size / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
