"""Cost of the ACP network simulation (a benchmark, never a test): seconds per simulated second and per request.

Run ``python benchmarks/bench_acp.py`` or ``--quick``. For the two-node topology, the 20-node bottleneck and the
200-node autonomous system (a fifth of the simulated time), for ODO and ACP with purification, and for both engines
(``model``, and
``sequence`` where SeQUeNCe >= 1.3 is installed, i.e. on Python >= 3.12), it runs ``--seeds`` seeds in parallel with
joblib (loky, like the OT batches of the ``workers`` group) and prints per run: CPU seconds per simulated second,
the ratio of the SeQUeNCe stack's to the model's, CPU milliseconds per request, SeQUeNCe events per simulated
second, mean TTS and fidelity, and the worker's peak resident memory; plus the wall time of the parallel batch.
SeQUeNCe's logger is off in both engines.
"""

from __future__ import annotations

import argparse
import resource
import time
from dataclasses import replace

import numpy as np
from joblib import Parallel, delayed

from caligo_sweep.network.engines import run_network, stack_available
from caligo_sweep.network.settings import AcpSettings


def _timed_run(settings: AcpSettings, seed: int) -> dict[str, float]:
    start = time.process_time()
    result = run_network(settings, seed)
    cpu_s = time.process_time() - start
    return {
        "cpu_s": cpu_s,
        "requests": result.summary["n_requests"],
        "events": result.summary["events_executed"],
        "tts_ms": result.summary["tts_mean_ms"],
        "fidelity": result.summary["fidelity_mean"],
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short simulated times")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--n-jobs", type=int, default=-1)
    args = parser.parse_args()
    duration = 1.0 if args.quick else 4.0
    topologies = {  # name: (shape, simulated seconds)
        "2 nodes": (dict(topology="two_node"), duration),
        "20 nodes (bottleneck)": (dict(topology="bottleneck", traffic_change_s=duration / 2), duration),
        "200 nodes (AS)": (dict(topology="autonomous_system", traffic_change_s=duration / 10), duration / 5),
    }
    strategies = {"ODO": dict(strategy="odo", purification=False), "ACP+purif.": dict(strategy="acp")}
    engines = ["model"] + (["sequence"] if stack_available() else [])
    print(f"{duration:g} simulated s per run (AS: a fifth), {args.seeds} seeds per row, n_jobs={args.n_jobs}, "
          f"engines {engines}")  # fmt: skip
    header = f"{'topology':<24} {'strategy':<11} {'engine':<9} {'cpu s/sim s':>12} {'vs model':>9}"
    print(header + f" {'cpu ms/req':>11} {'events/sim s':>13} {'TTS ms':>8} {'fidelity':>9} {'RSS MiB':>8} {'wall s':>7}")
    with Parallel(n_jobs=args.n_jobs) as parallel:
        for topology, (shape, simulated_s) in topologies.items():
            for strategy, overrides in strategies.items():
                model_cpu = None
                for engine in engines:
                    settings = replace(AcpSettings(engine=engine, **shape), duration_s=simulated_s, **overrides)
                    wall = time.perf_counter()
                    runs = parallel(delayed(_timed_run)(settings, seed) for seed in range(args.seeds))
                    wall = time.perf_counter() - wall
                    cpu = np.mean([r["cpu_s"] for r in runs]) / simulated_s
                    model_cpu = cpu if engine == "model" else model_cpu
                    per_request = np.mean([r["cpu_s"] / r["requests"] for r in runs]) * 1e3
                    events = np.mean([r["events"] for r in runs]) / simulated_s
                    tts, fidelity = np.mean([r["tts_ms"] for r in runs]), np.mean([r["fidelity"] for r in runs])
                    peak = max(r["peak_rss_mib"] for r in runs)
                    print(
                        f"{topology:<24} {strategy:<11} {engine:<9} {cpu:>12.4f} {cpu / model_cpu:>8.1f}x"
                        f" {per_request:>11.3f} {events:>13.0f} {tts:>8.3f} {fidelity:>9.4f} {peak:>8.0f} {wall:>7.1f}"
                    )


if __name__ == "__main__":
    main()
