"""Reconciliation and privacy-amplification benchmark; writes the shipped performance table (a benchmark, not a test).

Run ``python benchmarks/bench_reconciliation.py`` (about 50 minutes on 2 cores), ``--quick`` (about 2 minutes,
fewer frames, a smaller QBER grid; it writes ``*_quick`` files and leaves the shipped table alone unless ``--table``
is given) or ``--speed-only`` (items 2-4 alone, at the shipped table's QBER-5 % level; about 1 minute).
``--lengths 262144`` re-measures only the listed frame lengths and keeps the shipped rows of the others (the 2^18
rows: about 70 minutes); each length gets the same number of bits per level (400 frames of 2^16, 100 of 2^18).
``--whole-runs 1e7`` prints, instead, the row's ``ec_efficiency`` of whole runs at QBER 1-10 % with frames up to
2^16 and up to 2^18, beside the finite-length limit of the code length used, and the OT length that
``reconciliation=model`` gives on the same sampled bits (about 1 minute). Prints and writes
(``docs/``, next to the README's other figure):

1. for each frame length and QBER 0.5, 1, 2, ..., 11 %: the smallest efficiency f = (syndrome + tag bits) /
   (bits h(QBER)) on a grid of step 0.005 whose frame error rate is at most 1 % over ``--frames`` frames (a level is
   abandoned as soon as it exceeds that), then confirmed on ``--confirm-frames`` fresh frames (one level up at a
   time until at most 1 % of those fail), with the measured f, the design efficiency (syndrome bits alone, which
   selects the code in a run), the confirmation's FER and its 95 % upper bound, and BP passes; a table (CSV) and a figure of f and FER against QBER (PNG and SVG);
   the same rows become ``caligo_sweep/reconciliation/data/performance.json``. Each row also carries the finite-length
   limit: the efficiency that the best code of that length could reach at FER 1 % (normal approximation [1]_);
2. decoder throughput at QBER 5 % (Mbit/s of Bob's bits per core), the 2-core parallel efficiency
   ``rate(2) / (2 rate(1))`` (frames in 2 threads), and the ``ldpc`` package's product-sum BP on the same frames as a
   ratio;
3. Toeplitz hashing of 10^6 bits to 10^5 bits (best of 5);
4. peak resident memory (decoding threads share this process).

References
----------
.. [1] Y. Polyanskiy, H. V. Poor, S. Verdu, "Channel coding rate in the finite blocklength regime", IEEE Trans.
   Inf. Theory 56, 2307 (2010), Eq. (296) for the BSC; by the duality of syndrome coding with channel coding the same
   expansion gives the fewest syndrome bits per source bit, ``h(p) + sqrt(V / n) Q^-1(FER) + log2(n) / (2 n)``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import time
from pathlib import Path

import numpy as np
import scipy.sparse
from scipy.stats import beta, norm

from caligo_sweep.amplification import draw_toeplitz_seed, toeplitz_hash
from caligo_sweep.entropy import binary_entropy
from caligo_sweep.reconciliation import FRAME_GEOMETRY, alice_message, bob_decode
from caligo_sweep.reconciliation.frames import embed, payload_positions
from caligo_sweep.reconciliation.model import TABLE_PATH, lookup
from caligo_sweep.reconciliation.reconcile import DEFAULT_MAX_ITERATIONS, DEFAULT_TAG_BITS
from decoder_speed_by_qber import choice_for_efficiency, noisy_strings

RESULTS = Path(__file__).resolve().parents[1] / "docs"
QBERS = (0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11)
QUICK_QBERS = (0.01, 0.03, 0.05, 0.08, 0.11)
EFFICIENCY_STEP = 0.005
MAX_FER = 0.01


def finite_length_limit(p: float, n_bits: int, fer: float = MAX_FER) -> float:
    """Smallest efficiency any code of ``n_bits`` payload bits reaches at frame error rate ``fer`` on a BSC(``p``).

    Normal approximation [1]_ with the channel dispersion ``V = p (1 - p) log2((1 - p) / p)^2`` (bits^2).
    """
    dispersion = p * (1 - p) * np.log2((1 - p) / p) ** 2
    rate = binary_entropy(p) + np.sqrt(dispersion / n_bits) * norm.isf(fer) + np.log2(n_bits) / (2 * n_bits)
    return float(rate / binary_entropy(p))


def run_level(frame_length: int, p: float, level: float, n_frames: int, rng, n_jobs: int) -> dict | None:
    """Decode up to ``n_frames`` frames at one efficiency level; None as soon as more than 1 % of them failed."""
    allowed = int(np.floor(MAX_FER * n_frames))
    choice = choice_for_efficiency(frame_length, p, level)
    errors = frames = leak = bits = 0
    iterations = []
    while frames < n_frames:
        count = min(8 * n_jobs, n_frames - frames)
        x, y = noisy_strings(rng, count * choice.payload_bits, p)
        message = alice_message(x, choice, np.random.SeedSequence(int(rng.integers(2**63))))
        result = bob_decode(y, message, p, n_jobs)
        errors += result.frame_errors
        frames += result.frames
        leak += result.leak_bits
        bits += x.size
        iterations.append(result.mean_iterations)
        if errors > allowed:
            return None
    return {
        "qber": p,
        "level": round(level, 4),
        "design_efficiency": round(choice.n_checks / choice.payload_bits / binary_entropy(p), 6),
        "efficiency": leak / (bits * binary_entropy(p)),
        "fer": errors / frames,
        "frames": frames,
        "frame_errors": errors,
        "mean_iterations": float(np.mean(iterations)),
        "code_rate": choice.rate,
        "finite_length_limit": finite_length_limit(p, choice.payload_bits),
    }


def search_level(frame_length: int, p: float, n_frames: int, start: float, rng, n_jobs: int) -> float:
    """Smallest level ``start + k * EFFICIENCY_STEP`` at which at most 1 % of ``n_frames`` frames fail.

    From ``start`` the search goes up until a level passes, or down while levels pass (the last passing one counts).
    """
    level = start
    while run_level(frame_length, p, level, n_frames, rng, n_jobs) is None:
        level = round(level + EFFICIENCY_STEP, 4)
    while level - EFFICIENCY_STEP >= 1.0:
        if run_level(frame_length, p, level - EFFICIENCY_STEP, n_frames, rng, n_jobs) is None:
            break
        level = round(level - EFFICIENCY_STEP, 4)
    return level


def measure_point(
    frame_length: int, p: float, n_frames: int, confirm_frames: int, start: float, rng, n_jobs: int
) -> dict:
    """The searched level, confirmed on ``confirm_frames`` fresh frames (one level up at a time until confirmed).

    The row reports the confirmation frames alone: they are an independent sample, whereas the search's own count
    is biased low (its level was kept because it passed). ``fer_upper_95`` is the one-sided 95 % Clopper-Pearson
    bound on the frame error rate.
    """
    level = search_level(frame_length, p, n_frames, start, rng, n_jobs)
    searched = level
    while (row := run_level(frame_length, p, level, confirm_frames, rng, n_jobs)) is None:
        level = round(level + EFFICIENCY_STEP, 4)
    errors, frames = row["frame_errors"], row["frames"]
    row["fer_upper_95"] = float(beta.ppf(0.95, errors + 1, frames - errors))
    row["searched_level"] = searched
    return row


def efficiency_table(frame_length: int, qbers, n_frames: int, confirm_frames: int, rng, n_jobs: int) -> list[dict]:
    rows = []
    for p in sorted(qbers, reverse=True):  # the efficiency needed grows as the QBER falls: start near the last one
        start = rows[-1]["level"] if rows else 1.10
        row = measure_point(frame_length, p, n_frames, confirm_frames, start, rng, n_jobs)
        rows.append(row)
        print(
            f"  n={frame_length} QBER={p:.3f}: f={row['efficiency']:.4f} FER={row['fer']:.4f} "
            f"({row['frame_errors']}/{row['frames']}, 95 % bound {row['fer_upper_95']:.4f}; searched level "
            f"{row['searched_level']}) passes={row['mean_iterations']:.1f} limit={row['finite_length_limit']:.3f}",
            flush=True,
        )
    return sorted(rows, key=lambda row: row["qber"])


def throughput(frame_length: int, level: float, n_frames: int, rng) -> dict:
    """Decoder Mbit/s at QBER 5 % (efficiency ``level``) in 1 and 2 threads, and the ldpc package on the same frames."""
    from ldpc import BpDecoder

    p = 0.05
    choice = choice_for_efficiency(frame_length, p, level)
    x, y = noisy_strings(rng, n_frames * choice.payload_bits, p)
    message = alice_message(x, choice, 11)
    bob_decode(y, message, p, 2)  # warm up (lifted code in the cache)
    one = two = 0.0
    for _ in range(3):  # interleaved, best of 3: the shared machine's speed drifts within minutes
        one = max(one, bob_decode(y, message, p, 1).decoder_mbit_per_s)
        two = max(two, bob_decode(y, message, p, 2).decoder_mbit_per_s)
    code = choice.code()
    matrix = scipy.sparse.csr_matrix(
        (np.ones(code.column_index.size, dtype=np.uint8), code.column_index, code.row_pointer),
        shape=(code.n_checks, code.frame_length),
    )
    positions = payload_positions(code, choice.payload_bits)
    channel = np.full(code.frame_length, 1e-9)
    channel[positions] = p
    peer = BpDecoder(matrix, error_channel=channel, max_iter=DEFAULT_MAX_ITERATIONS, bp_method="product_sum")
    n_peer = min(3, n_frames)
    started = time.perf_counter()
    for frame in range(n_peer):
        bob_frame = embed(code, y[frame * choice.payload_bits : (frame + 1) * choice.payload_bits], positions)
        bob_syndrome = (matrix @ bob_frame) % 2
        peer.decode((message.syndromes[frame] ^ bob_syndrome).astype(np.uint8))
    peer_rate = n_peer * choice.payload_bits / (time.perf_counter() - started) / 1e6
    return {
        "mbit_per_s_1": one,
        "mbit_per_s_2": two,
        "parallel_efficiency": two / (2 * one),
        "ldpc_mbit_per_s": peer_rate,
    }


#: QBERs of the whole-run comparison; the default depolarising link with fidelity F has QBER 2 (1 - F) / 3.
RUN_QBERS = (0.01, 0.03, 0.05, 0.07, 0.10)


def whole_runs(num_pairs: int, seed: int = 0) -> list[dict]:
    """``ec_efficiency`` of whole runs on the default depolarising link, with frames up to 2^16 and up to 2^18.

    Each run is the command ``python -m caligo_sweep num_pairs=... link.fidelity=F reconciliation.frame_length=n``
    (composed in this process); the finite-length limit is that of the code length the plan used, at the row's
    calibrated ``qber_upper`` (the QBER the code is chosen for, and the one ``ec_efficiency`` divides by).
    """
    import tempfile

    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from caligo_sweep.app.config_path import config_directory
    from caligo_sweep.app.ot.link import run_ot_link
    from caligo_sweep.config.build import prepare_ot_link
    from caligo_sweep.config.store import register_configs

    register_configs()

    def run(overrides: list[str]) -> dict:
        with initialize_config_dir(config_dir=str(config_directory()), version_base="1.3"):
            config = compose(config_name="config", overrides=overrides)
        GlobalHydra.instance().clear()
        with tempfile.TemporaryDirectory() as run_dir:
            return run_ot_link(prepare_ot_link(config), run_id="bench", progress=False, run_dir=run_dir).to_flat_dict()

    rows = []
    for qber in RUN_QBERS:
        for longest in (65536, 262144):
            overrides = ["progress=false", f"num_pairs={num_pairs}", f"seed={seed}", f"link.fidelity={1 - 1.5 * qber:.6f}",
                         f"reconciliation.frame_length={longest}"]  # fmt: skip
            row = run(overrides)
            modelled = run([*overrides, "reconciliation=model"])  # the table model on the same sampled bits
            limit = finite_length_limit(row["qber_upper"], row["ec_code_length_bits"])
            rows.append({"qber": qber, **{key: row[key] for key in (
                "qber_upper", "ec_frame_length_bits", "ec_code_length_bits", "ec_frames", "ec_frame_errors",
                "ec_efficiency", "ot_length_bits")}, "finite_length_limit": limit,
                "model_ot_length_bits": modelled["ot_length_bits"]})  # fmt: skip
            print(
                f"  QBER {100 * qber:.0f} %, frames <= {longest}: code {row['ec_code_length_bits']}, "
                f"{row['ec_frames']} frames ({row['ec_frame_errors']} failed), f = {row['ec_efficiency']:.3f} "
                f"(limit {limit:.3f}), OT {row['ot_length_bits']} bits (reconciliation=model: "
                f"{modelled['ot_length_bits']})", flush=True
            )
    return rows


def load_note() -> str:
    """The machine's 1-minute load average (other processes share the 2 cores; timings scale with it)."""
    return f"[load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores]"


def toeplitz_seconds(rng) -> float:
    x = rng.integers(0, 2, 10**6, dtype=np.uint8)
    seed = draw_toeplitz_seed(rng, 10**6, 10**5)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        toeplitz_hash(x, seed, 10**5)
        times.append(time.perf_counter() - started)
    return min(times)


def plot(tables: dict[int, list[dict]], stem: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_f, ax_fer) = plt.subplots(1, 2, figsize=(10, 4))
    for frame_length, rows in tables.items():
        q = [100 * r["qber"] for r in rows]
        line, = ax_f.plot(q, [r["efficiency"] for r in rows], "o-", label=f"n = {frame_length}")
        limit = [r["finite_length_limit"] for r in rows]
        ax_f.plot(q, limit, "--", c=line.get_color(), lw=1, label=f"n = {frame_length}, best code at FER 1 % [PPV10]")
        ax_fer.plot(q, [max(r["fer"], 1e-4) for r in rows], "o-", label=f"n = {frame_length}")
    ax_f.axhline(1.1, ls=":", c="grey")
    ax_f.axhline(1.2, ls="--", c="grey")
    ax_f.set(xlabel="QBER (%)", ylabel="efficiency f = leak / (bits h(QBER))", title="Measured efficiency")
    ax_fer.set(xlabel="QBER (%)", ylabel="frame error rate (0 plotted at 1e-4)", yscale="log", title="FER")
    ax_fer.axhline(MAX_FER, ls=":", c="grey")
    for ax in (ax_f, ax_fer):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    for suffix in (".png", ".svg"):
        fig.savefig(stem.with_suffix(suffix), dpi=120)


def shipped_rows(frame_lengths) -> dict[int, list[dict]]:
    """The shipped table's rows of ``frame_lengths`` (kept as measured when ``--lengths`` re-measures others)."""
    shipped = json.loads(TABLE_PATH.read_text())["frame_lengths"]
    tables = {}
    for n in frame_lengths:
        columns = shipped[str(n)]
        tables[n] = [dict(zip(columns, values)) for values in zip(*columns.values())]
    return tables


def search(args: argparse.Namespace, rng: np.random.Generator) -> dict[int, list[dict]]:
    """The efficiency search of every frame length; writes the CSV, the figure and (unless quick) the table."""
    n_frames = args.frames or (16 if args.quick else 400)
    confirm_frames = args.confirm_frames or 4 * n_frames
    qbers = QUICK_QBERS if args.quick else QBERS
    RESULTS.mkdir(exist_ok=True)
    print(f"efficiency search: {n_frames} frames per level, {confirm_frames} to confirm, FER <= {MAX_FER}", flush=True)
    tables = shipped_rows(set(FRAME_GEOMETRY) - set(args.lengths)) if args.lengths else {}
    for frame_length in sorted(args.lengths or FRAME_GEOMETRY, reverse=True):
        scale = 65536 / frame_length  # the same bits per level at every length
        tables[frame_length] = efficiency_table(
            frame_length, qbers, round(n_frames * scale), round(confirm_frames * scale), rng, args.jobs
        )
    tables = dict(sorted(tables.items(), reverse=True))
    stem = RESULTS / ("reconciliation_efficiency_quick" if args.quick else "reconciliation_efficiency")
    with open(stem.with_suffix(".csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["frame_length", *next(iter(tables.values()))[0]])
        writer.writeheader()
        for frame_length, rows in tables.items():
            writer.writerows({"frame_length": frame_length, **row} for row in rows)
    plot(tables, stem)
    table_path = args.table or (None if args.quick else TABLE_PATH)
    if table_path is not None:
        command = "python benchmarks/bench_reconciliation.py" + (
            f" --lengths {' '.join(map(str, args.lengths))}" if args.lengths else "")
        kept = json.loads(TABLE_PATH.read_text()).get("commands", {}) if args.lengths else {}
        payload = {
            "commands": {  # which command measured each length's rows
                str(n): kept.get(str(n), "python benchmarks/bench_reconciliation.py")
                if args.lengths and n not in args.lengths else command
                for n in tables
            },
            "tag_bits": DEFAULT_TAG_BITS,
            "max_iterations": DEFAULT_MAX_ITERATIONS,
            "max_fer": MAX_FER,
            "frame_lengths": {
                str(n): {key: [row[key] for row in rows] for key in rows[0]} for n, rows in tables.items()
            },
        }
        table_path.write_text(json.dumps(payload, indent=1) + "\n")
        print(f"wrote {table_path}")
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer frames and QBER points (about 1 minute)")
    parser.add_argument("--frames", type=int, default=None, help="frames per efficiency level (default 400, quick 16)")
    parser.add_argument(
        "--confirm-frames", type=int, default=None, help="frames confirming the found level (default 4 x --frames)"
    )
    parser.add_argument(
        "--lengths", type=int, nargs="+", choices=sorted(FRAME_GEOMETRY), default=None,
        help="measure only these frame lengths; the shipped table's rows of the others are kept",
    )
    parser.add_argument("--jobs", type=int, default=2, help="decoding threads for the efficiency search")
    parser.add_argument("--table", type=Path, default=None, help="where to write performance.json")
    parser.add_argument(
        "--speed-only", action="store_true", help="skip the search; time the decoder at the shipped table's QBER-5 %% level"
    )
    parser.add_argument(
        "--whole-runs", type=float, default=None, metavar="PAIRS",
        help="only the whole-run comparison: ec_efficiency of runs of PAIRS pairs (e.g. 1e7) with frames up to 2^16 and 2^18",
    )
    args = parser.parse_args()
    if args.whole_runs is not None:
        print(f"whole runs of {args.whole_runs:.0e} pairs, default depolarising link, seed 0:")
        whole_runs(int(args.whole_runs))
        return
    rng = np.random.default_rng(np.random.SeedSequence(2024))
    if args.speed_only:
        level = lookup(0.05, 65536).efficiency  # the shipped table's measured f at QBER 5 %
    else:
        level = next(row["level"] for row in search(args, rng)[65536] if abs(row["qber"] - 0.05) < 1e-9)
    speed = throughput(65536, level, 16 if args.quick else 256, rng)
    print(
        f"decoder at QBER 5 %, n=65536, f={level:.4f}: {speed['mbit_per_s_1']:.2f} Mbit/s "
        f"per core, {speed['mbit_per_s_2']:.2f} Mbit/s in 2 threads (parallel efficiency "
        f"{speed['parallel_efficiency']:.2f}); ldpc product_sum {speed['ldpc_mbit_per_s']:.3f} Mbit/s "
        f"(ours / ldpc = {speed['mbit_per_s_1'] / speed['ldpc_mbit_per_s']:.1f}) {load_note()}"
    )
    print(f"Toeplitz 10^6 -> 10^5 bits: {toeplitz_seconds(rng):.3f} s {load_note()}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak resident memory (this process + largest child): {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
