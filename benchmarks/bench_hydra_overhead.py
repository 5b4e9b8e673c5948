"""Per-job cost of Hydra in a multirun of small runs (basic launcher), measured from outside as a user sees it.

    python benchmarks/bench_hydra_overhead.py [--jobs 40]

Runs ``python -m caligo_sweep`` once with one tiny job and once as a multirun of ``--jobs`` tiny jobs (1000 pairs
each, so sampling and analysis take about 2 ms), in a scratch folder, and prints

    overhead per job = (wall time of the multirun - wall time of the single run) / (jobs - 1)

which is what every further job of a sweep costs on top of its own work: composition, output folder, logging,
``.hydra/`` files and ``result.json``. The start-up of Python, the imports and the preflight are in both runs and
cancel. Best of ``--repeats`` runs each.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TINY = ["num_pairs=1000", "workers.batch_size=1000", "progress=false"]


def wall_time(args: list[str], cwd: Path) -> float:
    """Seconds one ``python -m caligo_sweep *args`` takes; fails loudly if the run fails."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "caligo_sweep", *args], cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=40, help="jobs in the multirun (>= 2)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command; the fastest counts")
    args = parser.parse_args()
    values = ",".join(f"{0.3 + 0.01 * i:.2f}" for i in range(args.jobs))
    with tempfile.TemporaryDirectory() as scratch:
        cwd = Path(scratch)
        single = min(wall_time(TINY, cwd) for _ in range(args.repeats))
        sweep = min(wall_time([*TINY, f"nsm.r={values}", "-m"], cwd) for _ in range(args.repeats))
    per_job = (sweep - single) / (args.jobs - 1)
    print(f"single run            {single:7.2f} s")
    print(f"multirun of {args.jobs:3d} jobs  {sweep:7.2f} s")
    print(f"overhead per job      {per_job:7.3f} s")


if __name__ == "__main__":
    main()
