"""Summarise a caligo_sweep multirun as two r-by-parameter tables: the strict condition and the OT length.

Reads a sweep folder under outputs/ (the newest one by default) and prints plain-text tables; it computes nothing that is
not already in the table.

    python -m caligo_sweep experiment=security_boundary
    python experiments/security_boundary_report.py                      # newest sweep
    python experiments/security_boundary_report.py outputs/multiruns/2026-11-23/00-00-00-000000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from caligo_sweep.results.locate import newest_sweep
from caligo_sweep.results.swept import swept_parameters


def report(table: pd.DataFrame) -> str:
    """Text tables of ``secure_individual_asymptotic`` and ``ot_length_bits`` over r and the other parameters."""
    done = table[table["status"] != "failed"]
    series = [c for c in swept_parameters(done) if c != "nsm_r"] or ["link"]
    individual = done.pivot_table(index=series, columns="nsm_r", values="secure_individual_asymptotic", aggfunc="first")
    length = done.pivot_table(index=series, columns="nsm_r", values="ot_length_bits", aggfunc="first")
    failed = table[table["status"] == "failed"]
    lines = [
        f"{len(table)} runs: {table['status'].value_counts().to_dict()}",
        "",
        "Individual-storage attacks, asymptotic (Schaffner et al. 2009): Q upper bound < min(0.11, (1-r)/2):",
        "",
        individual.map(lambda ok: "yes" if ok else "no").to_string(),
        "",
        "General attacks, finite size (Erven et al. 2014 chain; sufficient, not necessary): OT length ell [bits]:",
        "",
        length.to_string(),
    ]
    if len(failed):
        lines += ["", "Failed runs:", "", failed[["run_id", "error"]].to_string(index=False)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", nargs="?", type=Path, help="sweep folder (default: newest under outputs/)")
    args = parser.parse_args(argv)
    sweep_dir = args.sweep_dir or newest_sweep(Path("outputs"), experiment="security_boundary")
    print(f"# {sweep_dir}\n")
    print(report(pd.read_parquet(sweep_dir / "results.parquet")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
