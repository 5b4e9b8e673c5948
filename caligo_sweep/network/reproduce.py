"""Reproduce Figures 8, 9 and 10 of Zhan et al. (2025): several seeds per strategy, in parallel, compared with the paper.

Run ``python -m caligo_sweep.network.reproduce --case two_node --seeds 10`` (and ``--case bottleneck``, ``--case
autonomous_system``, the latter e.g. with ``--seeds 2 --duration-s 2`` on a small machine; ``--engine model`` for
the fast model, ``--strategies odo,acp`` for some strategies only); it prints the per-strategy seed mean and spread
next to the paper's numbers and writes the figure (PNG + SVG) and the tables.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pandas as pd
from joblib import Parallel, delayed

from caligo_sweep.network.engines import run_network
from caligo_sweep.network.figures import draw_tts_fidelity, save_figure
from caligo_sweep.network.result import AcpResult
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


def run_case(
    case: str, seeds: int, n_jobs: int = -1, base: AcpSettings | None = None, strategies: set[str] | None = None
) -> list[AcpResult]:
    """Run the strategy variants of ``case`` (all, or those of ``strategies``) for seeds ``0`` to ``seeds - 1`` in
    parallel (joblib, loky)."""
    base = BASE[case] if base is None else base
    variants = [v for v in VARIANTS[case] if strategies is None or v["strategy"] in strategies]
    jobs = [(replace(base, **variant), seed) for variant in variants for seed in range(seeds)]
    return Parallel(n_jobs=n_jobs)(delayed(run_network)(settings, seed) for settings, seed in jobs)


def compare_with_paper(case: str, results: list[AcpResult]) -> pd.DataFrame:
    """Per strategy: seed mean, min and max of the run means, next to the paper's value."""
    rows = pd.DataFrame([{**result.summary, "seed": result.seed} for result in results])
    metrics = ["tts_mean_ms", "fidelity_mean"] + [c for c in rows if c.startswith("tts_mean_ms_")]
    table = rows.groupby("strategy_label", sort=False)[metrics].agg(["mean", "min", "max"])
    table.columns = [f"{metric}_{stat}" for metric, stat in table.columns]
    for metric in ("tts_mean_ms", "fidelity_mean"):
        table[f"{metric}_paper"] = [PAPER[case].get(label, {}).get(metric) for label in table.index]
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(VARIANTS), required=True)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--duration-s", type=float, default=None, help="override the case's simulated time")
    parser.add_argument("--engine", choices=("sequence", "model"), default="sequence")
    parser.add_argument(
        "--strategies", default=None, help="comma-separated strategies of the case to run, e.g. odo,acp (default: all)"
    )
    parser.add_argument("--out", type=Path, default=Path("outputs/acp"))
    args = parser.parse_args(argv)
    base = replace(BASE[args.case], engine=args.engine)
    if args.duration_s is not None:
        change = None if base.traffic_change_s is None else args.duration_s / 2.0
        base = replace(base, duration_s=args.duration_s, traffic_change_s=change)
    strategies = None if args.strategies is None else set(args.strategies.split(","))
    allowed = sorted({variant["strategy"] for variant in VARIANTS[args.case]})
    if strategies is not None and not strategies <= set(allowed):
        parser.error(f"--strategies must name strategies of case {args.case} among {allowed}; got {args.strategies!r}")
    results = run_case(args.case, args.seeds, args.n_jobs, base, strategies)
    table = compare_with_paper(args.case, results)
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.precision", 4):
        print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{args.case}_{args.engine}"
    table.to_csv(args.out / f"{stem}_summary.csv")
    pd.concat([r.requests_frame() for r in results]).to_csv(args.out / f"{stem}_requests.csv", index=False)
    bin_s = min(1.0 if args.case == "two_node" else 2.0, base.duration_s / 10)
    figure = draw_tts_fidelity(results, bin_s=bin_s, title=f"{args.case} ({args.engine}): {args.seeds} seeds")
    for path in save_figure(figure, args.out / f"{stem}_tts_fidelity"):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
