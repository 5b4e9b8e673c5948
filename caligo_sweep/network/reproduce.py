"""Reproduce Figures 8, 9 and 10 of Zhan et al. (2025): several seeds per strategy, in parallel, compared with the paper.

Run ``python -m caligo_sweep.network.reproduce --case two_node --seeds 10`` (and ``--case bottleneck``, ``--case
autonomous_system``, the latter e.g. with ``--seeds 2 --duration-s 2`` on a small machine; ``--engine model`` for
the fast model, ``--strategies odo,acp`` for some strategies only, ``--first-seed 4 --add earlier_requests.csv`` to
add seeds to an earlier run's); it prints the per-strategy seed mean and spread
next to the paper's numbers and writes the figure (PNG + SVG) and the tables.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pandas as pd
from joblib import Parallel, delayed

from caligo_sweep.network.engines import run_network
from caligo_sweep.network.figures import draw_request_series, save_figure
from caligo_sweep.network.result import AcpResult, strategy_label
from caligo_sweep.network.settings import AcpSettings

#: Strategy variants of each case (settings overrides on top of the case's base settings).
VARIANTS = {
    "two_node": [
        dict(strategy="odo", purification=False),
        dict(strategy="acp", purification=True),
        dict(strategy="acp", purification=False, pair_selection="freshest"),
        dict(strategy="acp", purification=False, pair_selection="random"),
    ],
    "bottleneck": [
        dict(strategy="odo", purification=False),
        dict(strategy="ucp", purification=True),
        dict(strategy="acp", purification=True),
    ],
    "autonomous_system": [
        dict(strategy="odo", purification=False),
        dict(strategy="ucp", purification=True),
        dict(strategy="acp", purification=True),
    ],
}
BASE = {
    "two_node": AcpSettings(engine="model", topology="two_node", duration_s=20.0),
    "bottleneck": AcpSettings(engine="model", topology="bottleneck", duration_s=40.0, traffic_change_s=20.0),
    "autonomous_system": AcpSettings(
        engine="model", topology="autonomous_system", duration_s=40.0, traffic_change_s=20.0
    ),
}
#: The paper's numbers (Sec. V-B1 and V-B2) per strategy label: mean TTS (ms) and mean fidelity.
PAPER = {
    "two_node": {
        "ODO": {"tts_mean_ms": 5.95, "fidelity_mean": 0.949},
        "ACP": {"tts_mean_ms": 0.39, "fidelity_mean": 0.955},
        "ACP (no purif., freshest)": {"tts_mean_ms": 0.3, "fidelity_mean": 0.943},
        "ACP (no purif., random)": {"tts_mean_ms": 0.3, "fidelity_mean": 0.937},
    },
    "bottleneck": {
        "ODO": {"tts_mean_ms": 13.3, "fidelity_mean": 0.84},
        "UCP": {"tts_mean_ms": 10.3, "fidelity_mean": 0.84},
        "ACP": {"tts_mean_ms": 4.0, "fidelity_mean": 0.86},
    },
    "autonomous_system": {  # Sec. V-B3: the TTS means; Fig. 10 shows fidelities of 0.7-0.8, ACP's ~0.05 higher
        "ODO": {"tts_mean_ms": 15.7},
        "UCP": {"tts_mean_ms": 13.6},
        "ACP": {"tts_mean_ms": 6.8},
    },
}


def case_variants(case: str, strategies: set[str] | None = None) -> list[dict]:
    """The strategy variants of ``case``: all, or those whose strategy is in ``strategies``."""
    return [variant for variant in VARIANTS[case] if strategies is None or variant["strategy"] in strategies]


def run_case(
    case: str,
    seeds: int,
    n_jobs: int = -1,
    base: AcpSettings | None = None,
    strategies: set[str] | None = None,
    first_seed: int = 0,
) -> list[AcpResult]:
    """Run the strategy variants of ``case`` (all, or those of ``strategies``) for seeds ``first_seed`` to
    ``first_seed + seeds - 1`` in parallel (joblib, loky)."""
    base = BASE[case] if base is None else base
    seed_range = range(first_seed, first_seed + seeds)
    jobs = [(replace(base, **variant), seed) for variant in case_variants(case, strategies) for seed in seed_range]
    return Parallel(n_jobs=n_jobs)(delayed(run_network)(settings, seed) for settings, seed in jobs)


def per_seed_means(requests: pd.DataFrame, change_s: float | None) -> pd.DataFrame:
    """Per (strategy, seed): the means over served requests that ``summarise`` puts in a run's row (tts_mean_ms,
    fidelity_mean, and with a traffic change at ``change_s`` seconds tts_mean_ms_before_change / _after_change)."""
    served = requests[requests["served"]]
    keys = ["strategy", "seed"]
    means = served.groupby(keys, sort=False).agg(tts_mean_ms=("tts_ms", "mean"), fidelity_mean=("fidelity", "mean"))
    if change_s is not None:
        for name, phase in (("before_change", served[served["start_s"] < change_s]),
                            ("after_change", served[served["start_s"] >= change_s])):
            means[f"tts_mean_ms_{name}"] = phase.groupby(keys, sort=False)["tts_ms"].mean()
    return means.reset_index()


def compare_with_paper(case: str, requests: pd.DataFrame, change_s: float | None) -> pd.DataFrame:
    """Per strategy: seed mean, min and max of the run means (``per_seed_means``), next to the paper's value."""
    rows = per_seed_means(requests, change_s)
    metrics = [column for column in rows if column not in ("strategy", "seed")]
    table = rows.groupby("strategy", sort=False)[metrics].agg(["mean", "min", "max"])
    table.columns = [f"{metric}_{stat}" for metric, stat in table.columns]
    table.insert(0, "seeds", rows.groupby("strategy", sort=False)["seed"].nunique())
    for metric in ("tts_mean_ms", "fidelity_mean"):
        table[f"{metric}_paper"] = [PAPER[case].get(label, {}).get(metric) for label in table.index]
    return table


def refuse_repeated_runs(planned: list[tuple[str, int]], earlier: list[pd.DataFrame]) -> None:
    """Refuse (SystemExit, one line) a (strategy, seed) that the planned runs and the earlier request tables, or two
    earlier tables, both hold, so that no run is counted twice; checked before anything runs."""
    keys = [pd.DataFrame(planned, columns=["strategy", "seed"])]
    keys += [frame[["strategy", "seed"]].drop_duplicates() for frame in earlier]
    repeated = pd.concat(keys, ignore_index=True)[lambda k: k.duplicated()]
    if not repeated.empty:
        pairs = ", ".join(f"{strategy} seed {seed}" for strategy, seed in repeated.itertuples(index=False))
        raise SystemExit(f"--add: runs present twice ({pairs}); give each (strategy, seed) once")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(VARIANTS), required=True)
    parser.add_argument("--seeds", type=int, default=10, help="seeds to run (0 with --add: only pool earlier runs)")
    parser.add_argument("--first-seed", type=int, default=0, help="run seeds first-seed .. first-seed + seeds - 1")
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--duration-s", type=float, default=None, help="override the case's simulated time")
    parser.add_argument("--engine", choices=("sequence", "model"), default="sequence")
    parser.add_argument(
        "--strategies", default=None, help="comma-separated strategies of the case to run, e.g. odo,acp (default: all)"
    )
    parser.add_argument(
        "--add",
        type=Path,
        nargs="*",
        default=[],
        help="requests CSVs of earlier runs of the same case, engine and duration (other seeds) to pool with these",
    )
    parser.add_argument("--out", type=Path, default=Path("outputs/acp"))
    args = parser.parse_args(argv)
    if args.seeds < 0 or args.first_seed < 0 or (args.seeds == 0 and not args.add):
        parser.error(f"--seeds must be >= 1 (or 0 with --add: pool earlier runs only) and --first-seed >= 0; "
                     f"got {args.seeds} and {args.first_seed}")
    missing = [str(path) for path in args.add if not path.is_file()]
    if missing:
        parser.error(f"--add: no such file: {', '.join(missing)}")
    base = replace(BASE[args.case], engine=args.engine)
    if args.duration_s is not None:
        change = None if base.traffic_change_s is None else args.duration_s / 2.0
        base = replace(base, duration_s=args.duration_s, traffic_change_s=change)
    strategies = None if args.strategies is None else set(args.strategies.split(","))
    allowed = sorted({variant["strategy"] for variant in VARIANTS[args.case]})
    if strategies is not None and not strategies <= set(allowed):
        parser.error(f"--strategies must name strategies of case {args.case} among {allowed}; got {args.strategies!r}")
    earlier = [pd.read_csv(path) for path in args.add]
    labels = [strategy_label(replace(base, **variant)) for variant in case_variants(args.case, strategies)]
    seed_range = range(args.first_seed, args.first_seed + args.seeds)
    refuse_repeated_runs([(label, seed) for label in labels for seed in seed_range], earlier)
    results = run_case(args.case, args.seeds, args.n_jobs, base, strategies, args.first_seed) if args.seeds else []
    requests = pd.concat([r.requests_frame() for r in results] + earlier, ignore_index=True)
    table = compare_with_paper(args.case, requests, base.traffic_change_s)
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.precision", 4):
        print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{args.case}_{args.engine}"
    table.to_csv(args.out / f"{stem}_summary.csv")
    requests.to_csv(args.out / f"{stem}_requests.csv", index=False)
    bin_s = min(1.0 if args.case == "two_node" else 2.0, base.duration_s / 10)
    seeds = requests["seed"].nunique()
    figure = draw_request_series(requests, base.traffic_change_s, bin_s, f"{args.case} ({args.engine}): {seeds} seeds")
    for path in save_figure(figure, args.out / f"{stem}_tts_fidelity"):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
