"""How fast the command line answers, and the per-job cost of Hydra in a multirun of small runs, as a user sees it.

    python benchmarks/bench_hydra_overhead.py [--jobs 100] [--repeats 3]

Runs ``python -m caligo_sweep`` in a scratch folder and prints the wall time (best of ``--repeats``) of

* ``--help``, ``--cfg job`` and one run of 1000 pairs (each should answer in under a second);
* a multirun of ``--jobs`` runs of 1000 pairs (sampling and analysis take a few ms each), and from it

    overhead per job = (wall time of the multirun - wall time of the single run) / (jobs - 1)

which is what every further job of a sweep costs on top of its own work: the check of its swept value, composition,
output folder, logging, ``.hydra/`` files, ``result.json`` and its share of the final table. The start-up of Python
and the imports are in both runs and cancel. Peak memory is not the point here; see ``bench_engine.py``.
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
    """Seconds one ``python -m caligo_sweep *args`` takes; fails loudly if the command fails."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "caligo_sweep", *args], cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100, help="jobs in the multirun (>= 2)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command; the fastest counts")
    args = parser.parse_args()
    values = ",".join(f"{0.3 + 0.6 * i / args.jobs:.4f}" for i in range(args.jobs))  # nsm.r in [0.3, 0.9)
    with tempfile.TemporaryDirectory() as scratch:
        cwd = Path(scratch)
        answers = {
            "--help": min(wall_time(["--help"], cwd) for _ in range(args.repeats)),
            "--cfg job": min(wall_time(["--cfg", "job"], cwd) for _ in range(args.repeats)),
        }
        single = min(wall_time(TINY, cwd) for _ in range(args.repeats))
        sweep = min(wall_time([*TINY, f"nsm.r={values}", "-m"], cwd) for _ in range(args.repeats))
    per_job = (sweep - single) / (args.jobs - 1)
    for command, seconds in answers.items():
        print(f"{command:<22}{seconds:7.2f} s")
    print(f"run of 1000 pairs     {single:7.2f} s")
    print(f"multirun of {args.jobs:3d} jobs  {sweep:7.2f} s")
    print(f"overhead per job      {per_job:7.3f} s")


if __name__ == "__main__":
    main()
