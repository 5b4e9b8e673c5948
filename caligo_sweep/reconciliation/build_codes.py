"""Generate the shipped LDPC code family (``python -m caligo_sweep.reconciliation.build_codes``).

For every supported frame length the family holds one quasi-cyclic code per point of a geometric grid of redundancies
``1 - R`` from 0.045 to 0.60 (ratio 1.08, so 34 codes): from QBER about 0.5 % (R ~ 0.95) to 11 % (R ~ 0.45). Each
code uses the variable degree distribution of the largest design rate not above its own among ``FAMILY_ROWS``:
rows 0.50, 0.65 and 0.80 of Table I, and from rate 0.85 up the designs of
:mod:`caligo_sweep.reconciliation.design_high_rate` (see
:mod:`caligo_sweep.reconciliation.degree_distributions` for the measurements behind the choice). Rates between grid
points are reached at run time by shortening (see :mod:`caligo_sweep.reconciliation.frames`), which changes the leak
by exactly the syndrome length and needs no proof, unlike puncturing; a grid ratio of 1.08 keeps the shortened
fraction below about 8 % inside the grid (redundancies above the last code, about 0.57, are reached by shortening it
further).

The output is reproducible bit for bit: every code draws from its own ``SeedSequence((FAMILY_SEED, n, m))``, or, for
the codes of QBER 3-11 % at the default length, from the best of three seeds chosen by measured frame errors
(:mod:`caligo_sweep.reconciliation.select_seeds`, choice stored in ``data/family_seeds.json``).
Runs never call this module; they load the ``.npz`` files it writes (a few hundred kB in total).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from caligo_sweep.reconciliation.codes import DATA_DIRECTORY, FRAME_GEOMETRY, family_path
from caligo_sweep.reconciliation.construction import BaseCode, build_base_code
from caligo_sweep.reconciliation.degree_distributions import family_distribution

FAMILY_SEED = 20090114
REDUNDANCY_MIN = 0.045
REDUNDANCY_MAX = 0.60
REDUNDANCY_RATIO = 1.08
SEEDS_PATH = DATA_DIRECTORY / "family_seeds.json"


def family_base_rows(n_base_columns: int) -> list[int]:
    """Base-row counts of the family: the geometric redundancy grid rounded to whole base rows."""
    n_points = int(np.floor(np.log(REDUNDANCY_MAX / REDUNDANCY_MIN) / np.log(REDUNDANCY_RATIO))) + 1
    redundancies = REDUNDANCY_MIN * REDUNDANCY_RATIO ** np.arange(n_points)
    return sorted({int(round(r * n_base_columns)) for r in redundancies})


def chosen_seed(frame_length: int, n_base_rows: int) -> int:
    """Construction seed index of a family code: the best-of-K choice of ``select_seeds``, 0 where none was made."""
    chosen = json.loads(SEEDS_PATH.read_text()).get(str(frame_length), {})
    return int(chosen.get(str(n_base_rows), 0))


def family_code(frame_length: int, n_base_rows: int, seed_index: int | None = None) -> BaseCode:
    """Build the family member of ``frame_length`` with ``n_base_rows`` base rows (deterministic).

    ``seed_index`` picks the construction seed (default: :func:`chosen_seed`); seed 0 draws from
    ``SeedSequence((FAMILY_SEED, n, m))``, seed k > 0 from ``SeedSequence((FAMILY_SEED, n, m, k))``.
    """
    n_base_columns, lifting = FRAME_GEOMETRY[frame_length]
    rate = 1.0 - n_base_rows / n_base_columns
    if seed_index is None:
        seed_index = chosen_seed(frame_length, n_base_rows)
    entropy = (FAMILY_SEED, frame_length, n_base_rows) + ((seed_index,) if seed_index else ())
    rng = np.random.default_rng(np.random.SeedSequence(entropy))
    design_rate, table = family_distribution(rate)
    return build_base_code(n_base_rows, n_base_columns, lifting, design_rate, rng, table=table)


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
    for frame_length in FRAME_GEOMETRY:
        target = args.out / family_path(frame_length).name
        write_family(frame_length, target)
        print(f"wrote {target} ({target.stat().st_size / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
