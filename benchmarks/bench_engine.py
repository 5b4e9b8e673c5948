"""Throughput, parallel scaling and peak memory of the EPR batch engine (a benchmark, never a test).

Run ``python benchmarks/bench_engine.py`` (about 5 minutes on 2 cores) or ``--quick`` (about 20 s). Prints:

1. single-core sampler throughput per link model and path (``sample_counts``, ``sample_bits``, ``PairBits.counts``);
2. ``run_pairs`` pairs per second for n_jobs = 1 and 2 (loky), best of interleaved repeats since a shared
   machine's speed drifts by 10-30 % within minutes, and the parallel efficiency ``pps(2) / (2 * pps(1))``, for the counts path, the bits path reduced in the workers, and the bits path streamed
   to a sink in the parent;
3. peak resident memory (VmHWM of the run's process and of every worker process, summed) of a long counts run
   (10**9 pairs) and a long streamed bits run (10**8 pairs), each in a fresh interpreter;
4. the parallel efficiency of one command-line-like run from a cold start: 2e9 pairs on the bits path (heralded,
   device noise) in a fresh interpreter for n_jobs = 1 and 2, measured by the run's own wall time (``--efficiency``
   runs only this, about a minute).

The link models come from ``caligo_sweep.physics``: a depolarising link (F = 0.95) and a heralded double-click
link (10 km, lossy, dark counts, imperfect visibility) with device memory (T1, T2) and gate noise, whose outcome
table has asymmetric marginals.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from caligo_sweep.engine import PairBits, sample_bits, sample_counts
from caligo_sweep.physics.device import DeviceNoise
from caligo_sweep.physics.heralded import HeraldedDoubleClickLink
from caligo_sweep.physics.links import DepolariseLink
from caligo_sweep.physics.model import PhysicalModel
from caligo_sweep.physics.outcomes import build_physical_model
from caligo_sweep.runner import run_pairs

DEFAULT_BATCH_SIZE = 1 << 20


def representative_models() -> dict[str, PhysicalModel]:
    """A depolarising link and a heralded link with device noise, as a sweep would build them."""
    depolarise = build_physical_model(
        DepolariseLink(fidelity=0.95, prob_success=0.01, t_cycle_ns=1_000.0), DeviceNoise()
    )
    heralded_link = HeraldedDoubleClickLink(
        length_km=10.0,
        p_loss_init=0.2,
        detector_efficiency=0.8,
        dark_count_probability=1e-5,
        visibility=0.9,
        emission_fidelity=0.98,
    )
    device = DeviceNoise(T1_ns=1e6, T2_ns=2e5, single_qubit_gate_depolar_prob=0.002)
    heralded = build_physical_model(heralded_link, device, detector_error=0.01)
    return {"depolarise": depolarise, "heralded+device": heralded}


def _rate(function, n_pairs: int, min_seconds: float) -> float:
    """Pairs per second of ``function()`` (which handles ``n_pairs``), repeated for at least ``min_seconds``."""
    function()  # warm-up
    repeats, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < min_seconds or repeats == 0:
        function()
        repeats += 1
    return repeats * n_pairs / elapsed


def single_core(models: dict[str, PhysicalModel], batch_size: int, min_seconds: float) -> None:
    print(f"\n## 1. Single-core samplers, batch of {batch_size} pairs (pairs per second)")
    print(f"{'model':<16} {'QBER Z/X':>13} {'sample_counts':>14} {'sample_bits':>12} {'bits.counts()':>14}")
    rng = np.random.default_rng(1)
    for name, model in models.items():
        bits = sample_bits(model, batch_size, rng)
        rates = [
            _rate(lambda: sample_counts(model, batch_size, rng), batch_size, min_seconds),
            _rate(lambda: sample_bits(model, batch_size, rng), batch_size, min_seconds),
            _rate(bits.counts, batch_size, min_seconds),
        ]
        qber = f"{model.qber_z_expected:.4f}/{model.qber_x_expected:.4f}"
        print(f"{name:<16} {qber:>13} " + " ".join(f"{r:>13.3e}" for r in rates))


def _cpu_seconds() -> tuple[float, float]:
    """(CPU seconds used by every process on the machine, CPU seconds used by this process and its children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    machine = (sum(fields) - fields[3] - fields[4]) / ticks  # all but idle and iowait
    own_times = os.times()
    own = own_times.user + own_times.system + own_times.children_user + own_times.children_system  # + ended workers
    for pid in _descendants(os.getpid()):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        own += (int(stat[11]) + int(stat[12])) / ticks  # utime + stime of a live worker
    return machine, own


def _timed_run(
    model: PhysicalModel, num_pairs: int, batch_size: int, n_jobs: int, mode: str
) -> tuple[float, float, float]:
    """(pairs per second, other load: cores used meanwhile by processes not of this run, this run's CPU seconds)."""
    streamed = [0]

    def sink(bits: PairBits) -> None:  # a minimal consumer: the bits reach the parent process and are touched
        streamed[0] += bits.alice_bits.nbytes

    machine_before, own_before = _cpu_seconds()
    out = run_pairs(
        model,
        num_pairs=num_pairs,
        seed=12345,
        batch_size=batch_size,
        n_jobs=n_jobs,
        sampling="counts" if mode == "counts" else "bits",
        bits_sink=sink if mode == "bits-stream" else None,
        progress=False,
    )
    machine_after, own_after = _cpu_seconds()
    own = own_after - own_before
    other = (machine_after - machine_before) - own
    return out.pairs_per_second, max(0.0, other) / out.wall_time_s, own


def scaling(models: dict[str, PhysicalModel], batch_size: int, sizes: dict[str, int], repeats: int) -> None:
    print(f"\n## 2. run_pairs scaling, loky, batch {batch_size}, best of {repeats} interleaved runs. pairs/s per n_jobs;"
          "\n# other = cores used meanwhile by other processes on the machine (contaminates the wall-clock numbers);"
          "\n# efficiency = pps2 / (2 pps1); cpu-eff = CPU seconds of the run at n_jobs=1 / at n_jobs=2 (parallel"
          "\n# overhead only: insensitive to other load, blind to idle workers)")  # fmt: skip
    print(f"{'model':<16} {'path':<12} {'num_pairs':>8} {'n_jobs=1':>10} {'other':>5} {'n_jobs=2':>10} {'other':>5} "
          f"{'efficiency':>10} {'cpu-eff':>7}")  # fmt: skip
    for name, model in models.items():
        for mode, num_pairs in sizes.items():
            runs = [[_timed_run(model, num_pairs, batch_size, n_jobs, mode) for n_jobs in (1, 2)] for _ in range(repeats)]
            (pps1, other1, cpu1), (pps2, other2, cpu2) = (max(r[j] for r in runs) for j in (0, 1))
            cpu_efficiency = min(r[0][2] for r in runs) / min(r[1][2] for r in runs)
            line = f"{name:<16} {mode:<12} {num_pairs:>8.0e} {pps1:>10.3e} {other1:>5.2f} {pps2:>10.3e} {other2:>5.2f}"
            print(f"{line} {pps2 / (2 * pps1):>10.0%} {cpu_efficiency:>7.0%}", flush=True)


def _descendants(root_pid: int) -> list[int]:
    """Live descendant processes of ``root_pid`` (loky workers, their resource tracker), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [root_pid]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        found += frontier
    return found


def _tree_peak_rss_kib(root_pid: int) -> tuple[int, int, int]:
    """(VmHWM of the root, sum of VmHWM of its live descendants, number of descendants) in KiB."""

    def hwm(pid: int) -> int:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            return 0
        return next((int(line.split()[1]) for line in lines if line.startswith("VmHWM")), 0)

    descendants = _descendants(root_pid)
    return hwm(root_pid), sum(hwm(pid) for pid in descendants), len(descendants)


def memory_child(mode: str, num_pairs: int, batch_size: int, n_jobs: int) -> None:
    """Run one long run in this fresh interpreter and print its peak memory as JSON."""
    model = representative_models()["heralded+device"]
    start = time.perf_counter()
    pps, other, cpu = _timed_run(model, num_pairs, batch_size, n_jobs, mode)
    root, workers, n_workers = _tree_peak_rss_kib(os.getpid())
    wall = time.perf_counter() - start
    print(json.dumps({"pps": pps, "wall_s": wall, "root_kib": root, "workers_kib": workers, "n_workers": n_workers,
                      "other": other, "cpu_s": cpu}))  # fmt: skip


def _fresh_run(mode: str, num_pairs: int, batch_size: int, n_jobs: int) -> dict:
    """One run in a fresh interpreter (:func:`memory_child`): pool start-up included, as in a command-line run."""
    command = [sys.executable, __file__, "--memory-child", mode, str(num_pairs), str(batch_size), str(n_jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold_efficiency(batch_size: int, num_pairs: int, repeats: int) -> None:
    """Issue 10's measure: the run's own wall time, from a cold start, for n_jobs = 1 and 2; efficiency
    ``pps(2) / (2 pps(1))`` from the best of ``repeats`` interleaved runs."""
    print(f"\n## 4. One run from a cold start (fresh interpreter, pool start-up included): heralded+device, bits path,"
          f"\n# {num_pairs:.0e} pairs, batch {batch_size}, best of {repeats}; other = cores used by other processes")
    runs = [[_fresh_run("bits", num_pairs, batch_size, n_jobs) for n_jobs in (1, 2)] for _ in range(repeats)]
    for n_jobs in (1, 2):
        best = max((r[n_jobs - 1] for r in runs), key=lambda r: r["pps"])
        print(f"n_jobs={n_jobs}  run wall {num_pairs / best['pps']:7.2f} s  {best['pps']:10.3e} pairs/s  "
              f"other {best['other']:.2f}", flush=True)  # fmt: skip
    pps1, pps2 = (max(r[j]["pps"] for r in runs) for j in (0, 1))
    cpu1, cpu2 = (min(r[j]["cpu_s"] for r in runs) for j in (0, 1))
    print(f"2-core efficiency     {pps2 / (2 * pps1):.0%}   (cpu-eff {cpu1 / cpu2:.0%}: CPU seconds at n_jobs=1 / at 2,"
          " insensitive to other load)", flush=True)  # fmt: skip


def memory(batch_size: int, cases: list[tuple[str, int]]) -> None:
    print(f"\n## 3. Peak resident memory (VmHWM), heralded+device, batch {batch_size}, fresh interpreter per run")
    print(f"{'path':<12} {'num_pairs':>10} {'n_jobs':>6} {'wall s':>7} {'pairs/s':>10} {'parent MiB':>10} "
          f"{'workers MiB (n)':>16} {'total MiB':>9}")  # fmt: skip
    for mode, num_pairs in cases:
        for n_jobs in (1, 2):
            r = _fresh_run(mode, num_pairs, batch_size, n_jobs)
            parent, workers = r["root_kib"] / 1024, r["workers_kib"] / 1024
            print(f"{mode:<12} {num_pairs:>10.1e} {n_jobs:>6} {r['wall_s']:>7.1f} {r['pps']:>10.3e} {parent:>10.0f} "
                  f"{workers:>11.0f} ({r['n_workers']}) {parent + workers:>9.0f}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (about 20 s in all)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="pairs per batch")
    parser.add_argument("--efficiency", action="store_true", help="only section 4 (2e9 pairs, about a minute)")
    parser.add_argument("--memory-child", nargs=4, metavar=("MODE", "N", "BATCH", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        mode, num_pairs, batch_size, n_jobs = args.memory_child
        memory_child(mode, int(float(num_pairs)), int(batch_size), int(n_jobs))
        return

    import joblib

    if args.efficiency:
        cold_efficiency(args.batch_size, 2 * 10**9, repeats=3)
        return
    print(f"# bench_engine: numpy {np.__version__}, joblib {joblib.__version__}, {joblib.cpu_count()} cores, "
          f"{'quick' if args.quick else 'full'} mode")  # fmt: skip
    models = representative_models()
    single_core(models, args.batch_size, min_seconds=0.3 if args.quick else 1.0)
    if args.quick:
        sizes = {"counts": 10**10, "bits": 2 * 10**8, "bits-stream": 2 * 10**8}
        cases = [("counts", 10**9), ("bits-stream", 10**7)]
    else:
        sizes = {"counts": 6 * 10**10, "bits": 3 * 10**9, "bits-stream": 3 * 10**9}
        cases = [("counts", 10**9), ("bits-stream", 10**8)]
    scaling(models, args.batch_size, sizes, repeats=1 if args.quick else 3)
    memory(args.batch_size, cases)
    cold_efficiency(args.batch_size, 2 * 10**8 if args.quick else 2 * 10**9, repeats=1 if args.quick else 3)


if __name__ == "__main__":
    main()
