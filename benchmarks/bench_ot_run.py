"""Whole OT run on the default link: wall time per stage, ratio to sampling alone, peak memory.

    python benchmarks/bench_ot_run.py                 # 1e6, 1e7, 1e8 pairs, one worker
    python benchmarks/bench_ot_run.py --sizes 1e8 --n-jobs 2
    python benchmarks/bench_ot_run.py --with-1e9      # adds 1e9 pairs (minutes, several GiB)

Each size runs in its own subprocess, so each peak RSS (``ru_maxrss`` of that process) is its own. In that
process the benchmark first times a sampling-only run of the same size (the bits sampler with nothing filed), then
the whole run with a :class:`~caligo_sweep.app.ot.stopwatch.Stopwatch`. Stages printed: sampling (the quantum
phase without the filing), filing (each batch's rounds into the packed halves), partition, Alice's messages
(syndromes and tags of both halves), decoding (Bob's frames and his tag checks, from the row's throughput),
security, amplification.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def measure(num_pairs: int, n_jobs: int) -> dict:
    """One size in this process: the sampling-only time, the stage times, the whole run and the peak RSS."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from caligo_sweep.app.config_path import config_directory
    from caligo_sweep.app.ot.link import run_ot_link
    from caligo_sweep.app.ot.stages import execution_settings
    from caligo_sweep.app.ot.stopwatch import Stopwatch
    from caligo_sweep.config.build import prepare_ot_link
    from caligo_sweep.config.store import register_configs
    from caligo_sweep.runner.run import run_pairs

    register_configs()
    overrides = ["progress=false", f"num_pairs={num_pairs}", f"workers.n_jobs={n_jobs}", f"max_num_pairs={10**10}"]
    with initialize_config_dir(config_dir=str(config_directory()), version_base="1.3"):
        config = compose(config_name="config", overrides=overrides)
    GlobalHydra.instance().clear()
    spec = prepare_ot_link(config)
    started = time.perf_counter()
    run_pairs(spec.model, **execution_settings(spec), bits_sink=None, progress=False, outer_jobs=None)
    sampling_only = time.perf_counter() - started
    stopwatch = Stopwatch()
    started = time.perf_counter()
    row = run_ot_link(spec, run_id="bench", progress=False, stopwatch=stopwatch).to_flat_dict()
    whole = time.perf_counter() - started
    seconds = stopwatch.seconds
    decoding = row["half_bits"] / row["ec_mbit_per_s"] / 1e6
    stages = {
        "sampling": seconds["quantum phase"] - seconds["filing"],
        "filing": seconds["filing"],
        "partition": seconds["partition"],
        "Alice's messages": seconds["reconciliation"] - decoding,
        "decoding": decoding,
        "security": seconds["security"],
        "amplification": seconds.get("amplification", 0.0),
    }
    return {
        "num_pairs": num_pairs,
        "n_jobs": n_jobs,
        "stages_s": {name: round(value, 3) for name, value in stages.items()},
        "whole_run_s": round(whole, 3),
        "sampling_only_s": round(sampling_only, 3),
        "ratio_to_sampling": round(whole / sampling_only, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "status": row["status"],
        "ot_length_bits": row["ot_length_bits"],
        "ec_efficiency": row["ec_efficiency"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7, 1e8])
    parser.add_argument("--with-1e9", action="store_true", help="also run 1e9 pairs")
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(int(args.child), args.n_jobs)))
        return
    sizes = [*args.sizes, *([1e9] if args.with_1e9 else [])]
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--n-jobs", str(args.n_jobs)],
            check=True, capture_output=True, text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result["stages_s"].items())
        print(
            f"{size:.0e} pairs, n_jobs={args.n_jobs}: whole run {result['whole_run_s']:.2f} s "
            f"({result['num_pairs'] / result['whole_run_s']:.3g} pairs/s; {result['ratio_to_sampling']}x sampling "
            f"alone, {result['sampling_only_s']:.2f} s), peak RSS {result['peak_rss_mib']:.0f} MiB; {stages}; "
            f"{result['status']}, {result['ot_length_bits']:,} OT bits, f = {result['ec_efficiency']:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
