"""Kind ``acp``: adaptive continuous entanglement generation on a SeQUeNCe network (Zhan et al. 2025).

One run simulates ``acp.seeds`` independent seeds (``seed``, ``seed + 1``, ...) of the engine ``acp.engine``
(:mod:`caligo_sweep.network.engines`: SeQUeNCe's router stack, or the fast model) with the settings of the ``acp``
group, in parallel through the ``workers`` group (``n_jobs``, ``backend``) exactly as an OT run spreads its batches;
each seed's simulation is
deterministic, so the row is the same for any number of workers. The row holds every setting (``acp_<key>``), the
root seed, the seed count and the TTS/fidelity summary over the requests of all seeds; the run's folder holds the
per-request table ``requests.csv`` (with a ``seed`` column) that the sweep figures (TTS and fidelity per request
over time, Figs. 8-9 of the paper) are drawn from. Seeds can also be the jobs of a multirun (``seed=1,2,3 -m``).
Needs the ``network`` extra (SeQUeNCe).
"""

from __future__ import annotations

import json
import time
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omegaconf import DictConfig, OmegaConf

from caligo_sweep.app.kinds.base import ExperimentKind, RunContext
from caligo_sweep.network.settings import AcpSettings
from caligo_sweep.physics.checks import require_integer

if TYPE_CHECKING:
    import pandas as pd

#: Per-request table of a run, in the run's folder.
REQUESTS_FILE = "requests.csv"
#: SeQUeNCe ``RouterNetTopo`` config of the run's root seed (engine sequence), in the run's folder.
TOPOLOGY_FILE = "topology.json"
#: Pauli weights [p_X, p_Y, p_Z] of ``acp.pauli_errors`` as three columns.
PAULI_COLUMNS = ("acp_pauli_error_x", "acp_pauli_error_y", "acp_pauli_error_z")
#: Columns of :func:`caligo_sweep.network.result.summarise`, with their types and meanings.
SUMMARY_COLUMNS: dict[str, tuple[type, str]] = {
    "strategy_label": (str, "strategy as the paper's legends name it: ODO, UCP, ACP, ACP (no purif., freshest)"),
    "n_requests": (int, "requests issued during the run"),
    "n_requests_served": (int, "requests served with one end-to-end pair above `acp.request_fidelity_min` in time"),
    "served_fraction": (float, "n_requests_served / n_requests"),
    "tts_mean_ms": (float, "mean time-to-serve of the served requests, ms"),
    "tts_median_ms": (float, "median time-to-serve of the served requests, ms"),
    "tts_std_ms": (float, "sample standard deviation of the time-to-serve, ms"),
    "fidelity_mean": (float, "mean end-to-end fidelity of the served requests"),
    "fidelity_std": (float, "sample standard deviation of the end-to-end fidelity"),
    "pregenerated_link_fraction": (float, "fraction of the served requests' links served by a pre-generated pair"),
    "purifications_attempted": (int, "BBPSSW purifications attempted"),
    "purification_success_fraction": (float, "fraction of the purifications that succeeded"),
    "events_executed": (int, "discrete events the simulation executed"),
    "tts_mean_ms_before_change": (float, "mean time-to-serve of requests before `acp.traffic_change_s`, ms"),
    "tts_mean_ms_after_change": (float, "mean time-to-serve of requests from `acp.traffic_change_s` on, ms"),
    "wall_time_s": (float, "wall-clock time of the run, s"),
}


#: Key of the ``acp`` group that belongs to the run, not to the simulated network.
SEEDS_KEY = "seeds"


@dataclass(frozen=True)
class AcpRunSpec:
    """One validated ACP run: the network settings, the root seed, the seed count and the workers."""

    settings: AcpSettings
    seed: int
    seeds: int
    n_jobs: int
    backend: str

    @property
    def run_seeds(self) -> list[int]:
        """The seeds the run simulates: ``seed, seed + 1, ..., seed + seeds - 1``."""
        return list(range(self.seed, self.seed + self.seeds))


def settings_columns() -> dict[str, tuple[type, str]]:
    """One column per ``acp`` key (the Pauli weights as three), typed from :class:`AcpSettings`."""
    hints = typing.get_type_hints(AcpSettings)
    columns: dict[str, tuple[type, str]] = {}
    for key in AcpSettings.__dataclass_fields__:
        if key == "pauli_errors":
            for column, axis in zip(PAULI_COLUMNS, "XYZ"):
                columns[column] = (float, f"config key `acp.pauli_errors` [{'XYZ'.index(axis)}]: weight p_{axis}")
            continue
        arguments = [a for a in typing.get_args(hints[key]) if a is not type(None)] or [hints[key]]
        kind = arguments[0] if arguments[0] in (bool, int, float) else str
        columns[f"acp_{key}"] = (kind, f"config key `acp.{key}` (see `caligo_sweep/network/settings.py`)")
    return columns


def prepare_acp(cfg: DictConfig) -> AcpRunSpec:
    """Validate the ``acp`` group and the seed; refuse the kind when SeQUeNCe is not installed.

    Raises
    ------
    caligo_sweep.errors.ConfigValueError
        Naming the key, the allowed values and the value.
    """
    from caligo_sweep.network.engines import check_engine_available
    from caligo_sweep.runner.workers import check_backend, check_n_jobs

    values = OmegaConf.to_container(cfg.acp, resolve=True)
    seeds = require_integer(f"acp.{SEEDS_KEY}", values.pop(SEEDS_KEY, 1), 1)
    settings = AcpSettings.from_mapping(values)
    check_engine_available(settings)
    workers = cfg.workers  # n_jobs and backend; batch_size sizes OT batches (a seed is the unit of work here)
    return AcpRunSpec(
        settings, require_integer("seed", cfg.seed, 0), seeds, check_n_jobs(workers.n_jobs),
        check_backend(workers.backend),
    )  # fmt: skip


def run_acp_kind(spec: AcpRunSpec, context: RunContext) -> dict[str, Any]:
    """The run's seeds of the network simulation, in parallel over the ``workers``; writes ``requests.csv``; the row."""
    import pandas as pd

    from caligo_sweep.network.result import summarise
    from caligo_sweep.runner.workers import resolve_n_jobs

    started = time.perf_counter()
    seeds = spec.run_seeds
    n_jobs = resolve_n_jobs(spec.n_jobs, len(seeds), context.outer_jobs)
    results = _simulate(spec.settings, seeds, n_jobs, spec.backend)
    wall_time_s = time.perf_counter() - started
    context.run_dir.mkdir(parents=True, exist_ok=True)
    requests = pd.concat([result.requests_frame() for result in results], ignore_index=True)
    requests.drop(columns=["strategy"]).to_csv(context.run_dir / REQUESTS_FILE, index=False)
    if spec.settings.engine == "sequence":
        from caligo_sweep.network.stack.simulation import topology_config

        config, _, _ = topology_config(spec.settings, spec.seed)
        (context.run_dir / TOPOLOGY_FILE).write_text(json.dumps(config, indent=1))
    summary = summarise(
        [record for result in results for record in result.records],
        spec.settings,
        events_executed=sum(int(result.summary["events_executed"]) for result in results),
        purifications_attempted=sum(int(result.summary["purifications_attempted"]) for result in results),
        purifications_succeeded=sum(_purifications_succeeded(result.summary) for result in results),
    )
    overrides = {"overrides": context.parameters["overrides"]} if "overrides" in context.parameters else {}
    row = {**results[0].row(), **summary, "seed": spec.seed}
    return {
        "run_id": context.run_id, "status": "ok", **row, "seeds": spec.seeds, "n_jobs_effective": n_jobs,
        "wall_time_s": wall_time_s, **overrides,
    }  # fmt: skip


def _purifications_succeeded(summary: Mapping[str, Any]) -> int:
    """Successful purifications of one seed, from its attempted count and success fraction (nan without attempts)."""
    attempted = int(summary["purifications_attempted"])
    return round(float(summary["purification_success_fraction"]) * attempted) if attempted else 0


def _simulate(settings: AcpSettings, seeds: list[int], n_jobs: int, backend: str) -> list[Any]:
    """:func:`~caligo_sweep.network.engines.run_network` for every seed, on ``n_jobs`` workers of ``backend``."""
    from caligo_sweep.network.engines import run_network  # SeQUeNCe only when a network is simulated

    if n_jobs == 1:
        return [run_network(settings, seed) for seed in seeds]
    from joblib import Parallel, delayed

    from caligo_sweep.runner.workers import backend_session

    with backend_session(backend, n_jobs) as parallel_backend:
        return Parallel(n_jobs=n_jobs, backend=parallel_backend)(delayed(run_network)(settings, s) for s in seeds)


def unfinished_acp_row(run_id: str, status: str, error: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The row of a failed or interrupted ACP run: identity, error and the ``acp`` settings given."""
    columns = dict(parameters)
    pauli = columns.pop("acp_pauli_errors", None)
    if pauli is not None:
        columns.update(zip(PAULI_COLUMNS, pauli))
    return {"run_id": run_id, "status": status, "error": error, **columns}


def acp_run_line(row: Mapping[str, Any]) -> str:
    """``ACP: 10/10 requests served, TTS 0.397 ms (median 0.31 ms), fidelity 0.9561 (seed 1)``."""
    if row.get("status") != "ok":
        return f"{row.get('status')}: {row.get('error')}"
    seed, seeds = int(row["seed"]), int(row["seeds"])
    which = f"seed {seed}" if seeds == 1 else f"seeds {seed}-{seed + seeds - 1}"
    return (
        f"{row['strategy_label']}: {row['n_requests_served']}/{row['n_requests']} requests served, "
        f"TTS {row['tts_mean_ms']:.4g} ms (median {row['tts_median_ms']:.4g} ms), "
        f"fidelity {row['fidelity_mean']:.4f} ({which})"
    )


def acp_best_point(table: pd.DataFrame, swept: Sequence[str]) -> str:
    """The strategy and swept values with the lowest seed-mean TTS."""
    done = table[table["status"] == "ok"]
    if not len(done):
        return "Best point: none (no ACP run finished)"
    keys = ["strategy_label", *(c for c in swept if c != "strategy_label")]
    means = done.groupby(keys, dropna=False)[["tts_mean_ms", "fidelity_mean"]].mean()
    best = means["tts_mean_ms"].astype(float).idxmin()
    values = best if isinstance(best, tuple) else (best,)
    where = ", ".join(f"{key}={value}" for key, value in zip(keys, values))
    seeds = int(done.groupby(keys, dropna=False)["seeds"].sum().loc[best])
    return (
        f"Best point: lowest mean TTS {means.loc[best, 'tts_mean_ms']:.4g} ms, fidelity "
        f"{means.loc[best, 'fidelity_mean']:.4f}, over {seeds} seed(s)\n  at {where}"
    )


def acp_figures(table: pd.DataFrame, figures_dir: Path) -> list[Path]:
    """TTS and fidelity per request over time, one line per strategy (Figs. 8-9), from the runs' ``requests.csv``.

    A sweep over an ``acp`` setting also gets ``acp_tts_vs_<column>``: seed-mean TTS against it per strategy.
    """
    import pandas as pd

    from caligo_sweep.network.figures import draw_tts_fidelity, save_figure
    from caligo_sweep.network.result import AcpResult
    from caligo_sweep.network.service import RequestRecord

    sweep_dir = figures_dir.parent
    results = []
    for _, row in table[table["status"] == "ok"].iterrows():
        path = sweep_dir / str(row["run_id"]).rsplit("/", 1)[-1] / REQUESTS_FILE
        if not path.is_file():
            continue
        settings = _settings_of(row)
        for seed, frame in pd.read_csv(path).groupby("seed"):
            records = [RequestRecord(**record) for record in frame.drop(columns=["seed"]).to_dict("records")]
            results.append(AcpResult(settings, int(seed), records, {}))
    if not results:
        return []
    paths = save_figure(draw_tts_fidelity(results, bin_s=_bin_width(results)), figures_dir / "acp_tts_fidelity")
    from caligo_sweep.results.swept import swept_parameters

    for column in swept_parameters(table[table["status"] == "ok"]):
        paths += save_figure(_tts_against(table, column), figures_dir / f"acp_tts_vs_{column}")
    return paths


def _settings_of(row: pd.Series) -> AcpSettings:
    values = {key: _plain(row[f"acp_{key}"]) for key in AcpSettings.__dataclass_fields__ if key != "pauli_errors"}
    return AcpSettings(**values, pauli_errors=tuple(float(row[c]) for c in PAULI_COLUMNS))


def _plain(value: Any) -> Any:
    """A table cell as the Python value a setting takes (``<NA>`` -> None, numpy scalars -> Python)."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _bin_width(results: list[Any]) -> float:
    """Time bins of about 1/20 of the run, at least one request period, at most 1 s."""
    settings = results[0].settings
    return min(1.0, max(1.0 / settings.request_rate_hz, settings.duration_s / 20.0))


def _tts_against(table: pd.DataFrame, column: str) -> Any:
    """Seed-mean TTS (min-max band over seeds) against ``column``, one line per strategy."""
    from matplotlib.figure import Figure

    done = table[table["status"] == "ok"]
    figure = Figure(figsize=(6.0, 4.0), layout="constrained")
    ax = figure.subplots()
    for index, (label, part) in enumerate(done.groupby("strategy_label")):
        stats = part.groupby(column)["tts_mean_ms"].agg(["mean", "min", "max"]).sort_index()
        x = stats.index.to_numpy()
        ax.plot(x, stats["mean"], marker="o", color=f"C{index}", label=label)
        ax.fill_between(x, stats["min"], stats["max"], color=f"C{index}", alpha=0.2)
    ax.set_xlabel(column)
    ax.set_ylabel("mean time-to-serve (ms)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return figure


KIND = ExperimentKind(
    name="acp",
    description="ACP entanglement generation on a SeQUeNCe network (Zhan et al. 2025); needs the network extra",
    config_groups=("acp", "workers"),
    columns={
        **settings_columns(),
        "seed": (int, "root seed of the run: it simulates seeds seed, seed + 1, ..., seed + seeds - 1"),
        "seeds": (int, "independent seeds the run simulated, in parallel over `workers.n_jobs` (config `acp.seeds`)"),
        "n_jobs_effective": (int, "workers that simulated the seeds"),
        **SUMMARY_COLUMNS,
    },
    objective_columns=tuple(c for c, (kind, _) in SUMMARY_COLUMNS.items() if kind in (int, float)),
    prepare=prepare_acp,
    check=lambda spec: None,
    run=run_acp_kind,
    unfinished_row=unfinished_acp_row,
    run_line=acp_run_line,
    best_point=acp_best_point,
    figures=acp_figures,
)
