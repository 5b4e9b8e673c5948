"""Cost of the ACP network simulation (a benchmark, never a test): seconds per simulated second and per request.

Run ``python benchmarks/bench_acp.py`` (about 2 minutes on 2 cores) or ``--quick`` (about 15 s). For the two-node
topology, the 20-node bottleneck and a random small world of ``--random-nodes`` nodes, and for ODO and ACP with
purification, it runs ``--seeds`` seeds in parallel with joblib (loky, like the OT batches of the ``workers`` group)
and prints per run: CPU seconds per simulated second, CPU milliseconds per request, SeQUeNCe events per simulated
second, and the worker's peak resident memory; plus the wall time of the parallel batch. SeQUeNCe's logger is off
(``caligo_sweep.network.clock``).
"""

from __future__ import annotations

import argparse
import resource
import time
from dataclasses import replace

import numpy as np
from joblib import Parallel, delayed

from caligo_sweep.network.settings import AcpSettings
from caligo_sweep.network.simulation import run_acp


def _timed_run(settings: AcpSettings, seed: int) -> dict[str, float]:
    start = time.process_time()
    result = run_acp(settings, seed)
    cpu_s = time.process_time() - start
    return {
        "cpu_s": cpu_s,
        "requests": result.summary["n_requests"],
        "events": result.summary["events_executed"],
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short simulated times")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--random-nodes", type=int, default=60)
    args = parser.parse_args()
    duration = 2.0 if args.quick else 10.0
    topologies = {
        "2 nodes": AcpSettings(topology="two_node"),
        "20 nodes (bottleneck)": AcpSettings(topology="bottleneck", traffic_change_s=duration / 2),
        f"{args.random_nodes} nodes (random)": AcpSettings(
            topology="random", random_num_nodes=args.random_nodes, traffic_change_s=duration / 2
        ),
    }
    strategies = {"ODO": dict(strategy="odo", purification=False), "ACP+purif.": dict(strategy="acp")}
    print(f"{duration:g} simulated s per run, {args.seeds} seeds per row, n_jobs={args.n_jobs}")
    header = f"{'topology':<24} {'strategy':<11} {'cpu s/sim s':>12} {'cpu ms/request':>15} {'events/sim s':>13}"
    print(header + f" {'peak RSS MiB':>13} {'batch wall s':>13}")
    with Parallel(n_jobs=args.n_jobs) as parallel:
        for topology, base in topologies.items():
            for strategy, overrides in strategies.items():
                settings = replace(base, duration_s=duration, **overrides)
                wall = time.perf_counter()
                runs = parallel(delayed(_timed_run)(settings, seed) for seed in range(args.seeds))
                wall = time.perf_counter() - wall
                cpu = np.mean([r["cpu_s"] for r in runs])
                per_request = np.mean([r["cpu_s"] / r["requests"] for r in runs]) * 1e3
                events = np.mean([r["events"] for r in runs]) / duration
                peak = max(r["peak_rss_mib"] for r in runs)
                print(
                    f"{topology:<24} {strategy:<11} {cpu / duration:>12.4f} {per_request:>15.3f} {events:>13.0f}"
                    f" {peak:>13.0f} {wall:>13.1f}"
                )


if __name__ == "__main__":
    main()
