"""The registry of experiment kinds: each kind once, the app runs any registered kind without knowing its name."""

import json
from dataclasses import replace

import pandas as pd
import pytest

from caligo_sweep.app.gather import gather_sweep
from caligo_sweep.app.kinds import get_kind, register_kind, registered_kinds, unregister_kind
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.runner.workers import available_cores
from tests.conftest import acp_engine


def test_builtin_kinds_are_registered_once_and_have_a_kind_config(composer):
    assert list(registered_kinds()) == ["ot_link", "ot_pdc", "acp"]
    with pytest.raises(ValueError, match="registered already"):
        register_kind(get_kind("acp"))
    for name in registered_kinds():
        assert composer(f"kind={name}").kind == name


def test_unknown_kind_is_refused_with_the_known_ones():
    with pytest.raises(ConfigValueError, match="kind must be one of ot_link, ot_pdc, acp; got 'x'"):
        get_kind("x")


def test_erven2014_preset_is_the_pdc_kind(composer):
    cfg = composer("experiment=erven2014")
    assert cfg.kind == "ot_pdc" and cfg.source.kind == "pdc"


def test_a_new_kind_runs_through_the_app_and_gather(tmp_path, composer):
    """A toy kind (squares its seed) registered in-process: written, resumed and gathered by the generic app."""
    base = get_kind("acp")
    toy = replace(
        base,
        name="toy",
        config_groups=(),
        columns={"seed": (int, "seed"), "square": (int, "seed squared")},
        objective_columns=("square",),
        prepare=lambda cfg: int(cfg.seed),
        check=lambda spec: None,
        run=lambda spec, context: {"run_id": context.run_id, "status": "ok", "seed": spec, "square": spec * spec},
        run_line=lambda row: f"square {row['square']}",
        best_point=lambda table, swept: f"Best point: square {table['square'].max()}",
        figures=lambda table, figures_dir: [],
    )
    register_kind(toy)
    try:
        from caligo_sweep.app.input_checks import check_job

        for seed in (2, 3):
            cfg = composer("kind=ot_link", f"seed={seed}")
            cfg.kind = "toy"
            check_job(cfg)
            _run_in(cfg, tmp_path / str(seed - 2))
        table = gather_sweep(tmp_path)
    finally:
        unregister_kind("toy")
    assert list(table["square"]) == [4, 9] and str(table["square"].dtype) == "Int64"
    assert list(table["kind"]) == ["toy", "toy"]


def _run_in(cfg, run_dir):
    """What run_job does for a job of a multirun, without Hydra's job runtime: prepare, run, write the row."""
    from caligo_sweep.app.kinds import RunContext
    from caligo_sweep.results.io import write_result_json

    kind = get_kind(cfg.kind)
    context = RunContext(run_id=f"{run_dir.parent.name}/{run_dir.name}", run_dir=run_dir, parameters={},
                         progress=False, outer_jobs=None)  # fmt: skip
    write_result_json({"kind": kind.name, **kind.run(kind.prepare(cfg), context)}, run_dir)


@pytest.mark.slow
def test_acp_single_run_and_two_seed_multirun_through_the_cli(cli):
    pytest.importorskip("sequence")
    single = cli("kind=acp", f"acp.engine={acp_engine()}", "acp.duration_s=1", "seed=3")
    assert single.returncode == 0, single.stderr
    assert single.stdout.strip().splitlines()[-1].startswith("ACP: 10/10 requests served, TTS ")
    (row_path,) = (cli.cwd / "outputs" / "runs").glob("*/*/result.json")
    row = json.loads(row_path.read_text())
    assert row["kind"] == "acp" and row["seed"] == 3 and row["acp_strategy"] == "acp"
    assert row["acp_engine"] == acp_engine()
    if acp_engine() == "sequence":  # SeQUeNCe builds the same network again from the config the run wrote
        from sequence.topology.router_net_topo import RouterNetTopo

        built = RouterNetTopo(str(row_path.parent / "topology.json"))
        assert sorted(node.name for node in built.get_nodes_by_type("QuantumRouter")) == ["r0", "r1"]
        assert [node.name for node in built.get_nodes_by_type("BSMNode")] == ["BSM.r0.r1"]
    sweep = cli("kind=acp", f"acp.engine={acp_engine()}", "acp.duration_s=1", "seed=1,2", "-m")
    assert sweep.returncode == 0, sweep.stderr
    (sweep_dir,) = (cli.cwd / "outputs" / "multiruns").glob("*/*")
    table = pd.read_parquet(sweep_dir / "results.parquet")
    assert list(table["seed"]) == [1, 2] and set(table["kind"]) == {"acp"}
    assert str(table["n_requests"].dtype) == "Int64"
    assert (sweep_dir / "figures" / "acp_tts_fidelity.png").is_file()


@pytest.mark.slow
def test_acp_seeds_of_a_run_go_through_the_workers_group_and_pool_like_separate_runs(cli):
    pytest.importorskip("sequence")
    rows = {}
    for n_jobs in (1, 2):
        result = cli("kind=acp", f"acp.engine={acp_engine()}", "acp.duration_s=1", "acp.seeds=2", f"workers.n_jobs={n_jobs}", "seed=7",
                     f"hydra.run.dir=run_{n_jobs}")  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1].endswith("(seeds 7-8)")
        rows[n_jobs] = json.loads((cli.cwd / f"run_{n_jobs}" / "result.json").read_text())
    timing = {"wall_time_s", "n_jobs_effective", "overrides", "run_id"}
    assert {k: v for k, v in rows[1].items() if k not in timing} == {k: v for k, v in rows[2].items() if k not in timing}
    assert rows[2]["n_jobs_effective"] == min(2, available_cores()) and rows[1]["seeds"] == 2
    pooled = pd.read_csv(cli.cwd / "run_2" / "requests.csv")
    for seed in (7, 8):  # the same requests as a run of that seed alone
        assert cli("kind=acp", f"acp.engine={acp_engine()}", "acp.duration_s=1", f"seed={seed}", f"hydra.run.dir=alone_{seed}").returncode == 0
        alone = pd.read_csv(cli.cwd / f"alone_{seed}" / "requests.csv")
        pd.testing.assert_frame_equal(pooled[pooled["seed"] == seed].reset_index(drop=True), alone)
    assert rows[2]["n_requests"] == 20
