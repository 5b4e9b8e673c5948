"""What the console says at the end: one line for a run, a short summary for a sweep. Pure text from the table."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caligo_sweep.protocol.security import STW_QBER_LIMIT

if TYPE_CHECKING:  # pandas only for a sweep's summary: a single run's line stays cheap
    import pandas as pd

#: Statuses in the order a summary lists them.
_STATUS_ORDER = ("ok", "insecure", "aborted", "failed")


def format_count(count: float) -> str:
    """A pair count as people write it: ``1000000`` -> ``10^6``, ``80000000`` -> ``8x10^7``, ``20000`` -> ``20,000``."""
    count = float(count)
    if count < 1e5:
        return f"{count:,.0f}"
    exponent = int(math.floor(math.log10(count)))
    mantissa = count / 10**exponent
    if math.isclose(mantissa, 1.0):
        return f"10^{exponent}"
    return f"{mantissa:.3g}x10^{exponent}"


def _percent(value: Any) -> str:
    return f"{100.0 * float(value):.2f} %" if _present(value) else "n/a"


def _present(value: Any) -> bool:
    if value is None:
        return False
    try:
        return not bool(value != value)  # NaN is the one float unequal to itself
    except TypeError:  # pandas.NA refuses to be a bool
        return False


def format_run_line(row: Mapping[str, Any]) -> str:
    """One line with a run's answer, from its flat row (``result.json`` or a table row).

    Examples
    --------
    ``secure: 85,389 OT bits from 10^6 pairs (QBER 0.67 %, calibrated upper bound 0.72 %; limit min(11.00 %,
    (1-r)/2 = 12.50 %))``: the OT rounds' measured QBER, the calibration stage's upper bound that decides security,
    and Schaffner et al. 2009's limit min(h^-1(1/2), (1-r)/2); an insecure point gives its reason, a failed run its
    error.
    """
    status = row.get("status")
    if status == "failed":
        return f"failed: {row.get('error')}"
    pairs = format_count(row["num_pairs"]) if _present(row.get("num_pairs")) else "?"
    measured = f"QBER {_percent(row['qber'])}, " if _present(row.get("qber")) else ""
    limit = f"min({_percent(STW_QBER_LIMIT)}, (1-r)/2 = {_percent(row.get('q_storage'))})"
    qber = f"{measured}calibrated upper bound {_percent(row.get('qber_upper'))}; limit {limit}"
    if status == "ok":
        return f"secure: {int(row['ot_length_bits']):,} OT bits from {pairs} pairs ({qber})"
    reason = str(row.get("reason") or "")
    if status == "aborted" and not reason.startswith("insecure: "):
        return f"aborted: no OT from {pairs} pairs ({qber}): {reason}"
    reason = reason.removeprefix("insecure: ")
    word = "aborted (protocol.strict), insecure" if status == "aborted" else "insecure"
    return f"{word}: no OT from {pairs} pairs ({qber}): {reason}"


def format_sweep_summary(
    table: pd.DataFrame,
    sweep_dir: Path,
    figure_paths: Sequence[Path],
    best_point: Callable[[pd.DataFrame, Sequence[str]], str] | None = None,
) -> str:
    """A few lines closing a multirun: runs per status, what was swept, the best point, where the outputs are.

    ``best_point(table, swept)`` gives the best-point line(s) (each experiment kind's own); default
    :func:`format_best_point`.
    """
    counts = table["status"].value_counts()
    lines = [f"Sweep of {len(table)} runs in {sweep_dir}", "", "  status     runs"]
    lines += [f"  {status:<9} {counts[status]:>5}" for status in _STATUS_ORDER if status in counts]
    from caligo_sweep.results.swept import replicate_columns, swept_parameters

    swept = swept_parameters(table)
    if swept:
        described = ", ".join(f"{c} ({table[c].nunique()} values)" for c in swept + replicate_columns(table))
        lines += ["", f"Swept: {described}"]
    lines += ["", (best_point or format_best_point)(table, swept)]
    failed = table[table["status"] == "failed"]
    if len(failed):
        lines.append(f"Failed jobs: {', '.join(failed['run_id'].astype(str))} (their rows give the error)")
    lines += ["", f"Table:   {sweep_dir / 'results.parquet'} (and results.csv)"]
    stems = sorted({path.with_suffix("") for path in figure_paths})
    for index, stem in enumerate(stems):
        formats = ",".join(sorted(p.suffix.lstrip(".") for p in figure_paths if p.with_suffix("") == stem))
        lines.append(f"{'Figures:' if index == 0 else '':<8} {stem}.{{{formats}}}")
    return "\n".join(lines)


def format_best_point(table: pd.DataFrame, swept: Sequence[str]) -> str:
    """The OT summary's best point: the secure row with the longest OT string, and where it lies."""
    secure = table[table["status"] == "ok"]
    if not len(secure):
        return "Best point: none secure (no positive OT length)"
    import pandas as pd

    best = secure.loc[pd.to_numeric(secure["ot_length_bits"]).astype(float).idxmax()]
    where = ", ".join(f"{c}={best[c]}" for c in swept) or f"run {best['run_id']}"
    return f"Best point: {format_run_line(best)}\n  at {where}"
