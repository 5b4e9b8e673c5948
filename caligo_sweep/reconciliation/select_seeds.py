"""Best-of-K construction seeds by measured frame errors (``python -m caligo_sweep.reconciliation.select_seeds``).

Codes built from the same degree distribution with different seeds differ a lot at n = 2^16: at QBER 5 % and design
efficiency 1.08 (code of rate 0.69, 100 frames), the shipped seed failed 11 frames and four other seeds 2, 3, 5 and 6.
For each code of the default length whose rate lies in ``RATE_RANGE`` (QBER about 3-11 %), this script builds
``N_CANDIDATES`` seeds, decodes the same ``N_FRAMES`` frames (unshortened, at the crossover probability of efficiency
``DESIGN_EFFICIENCY``, 200 BP passes) with each and keeps the seed with the fewest failures (the lowest index on a
tie). The choice is written to ``data/family_seeds.json``, which ``build_codes`` reads, so rebuilding the family
never decodes anything (and does not depend on the floating-point details of the machine).
"""

from __future__ import annotations

import json

import numpy as np
from joblib import Parallel, delayed

from caligo_sweep.reconciliation.build_codes import SEEDS_PATH, family_base_rows, family_code
from caligo_sweep.reconciliation.codes import DEFAULT_FRAME_LENGTH, FRAME_GEOMETRY
from caligo_sweep.reconciliation.construction import lift
from caligo_sweep.reconciliation.decoder import channel_llr, decode_syndrome, syndrome_of
from caligo_sweep.reconciliation.design_distributions import crossover_at_efficiency

RATE_RANGE = (0.45, 0.82)
N_CANDIDATES = 3
N_FRAMES = 100
DESIGN_EFFICIENCY = 1.07
MAX_ITERATIONS = 200
_FRAME_SEED = 424242


def frame_failures(frame_length: int, n_base_rows: int, candidate: int) -> int:
    """Frames (of :data:`N_FRAMES`) that one candidate code fails to decode."""
    code = family_code(frame_length, n_base_rows, candidate)
    row_pointer, column_index = lift(code)
    rate = 1 - n_base_rows / code.n_base_columns
    p = crossover_at_efficiency(rate, DESIGN_EFFICIENCY)
    rng = np.random.default_rng(np.random.SeedSequence((_FRAME_SEED, frame_length, n_base_rows)))
    failures = 0
    for _ in range(N_FRAMES):
        x = rng.integers(0, 2, frame_length, dtype=np.uint8)
        y = x ^ (rng.random(frame_length) < p).astype(np.uint8)
        syndrome = syndrome_of(row_pointer, column_index, x)
        bits, _, ok = decode_syndrome(row_pointer, column_index, channel_llr(y, p), syndrome, MAX_ITERATIONS)
        failures += not ok or bool(np.any(bits != x))
    return failures


def main() -> None:
    """Measure every candidate of every code in range (two processes) and write the chosen seeds."""
    frame_length = DEFAULT_FRAME_LENGTH
    n_base_columns = FRAME_GEOMETRY[frame_length][0]
    shapes = [m for m in family_base_rows(n_base_columns) if RATE_RANGE[0] <= 1 - m / n_base_columns <= RATE_RANGE[1]]
    jobs = [(m, k) for m in shapes for k in range(N_CANDIDATES)]
    counts = Parallel(n_jobs=2)(delayed(frame_failures)(frame_length, m, k) for m, k in jobs)
    chosen = {}
    for m in shapes:
        failures = [c for (rows, _), c in zip(jobs, counts) if rows == m]
        chosen[str(m)] = int(np.argmin(failures))
        print(f"n={frame_length} rows={m}: failures per seed {failures} -> seed {chosen[str(m)]}", flush=True)
    SEEDS_PATH.write_text(json.dumps({str(frame_length): chosen}, indent=1) + "\n")


if __name__ == "__main__":
    main()
