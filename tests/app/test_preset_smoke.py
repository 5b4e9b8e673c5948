"""CI smoke sweeps: every experiment preset in conf/experiment/ runs end to end at size=smoke, and the notebook of
the same name in experiments/ runs on its output. A new preset (or notebook) is covered without editing this file."""

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from tests.conftest import acp_engine

ROOT = Path(__file__).parents[2]
PRESETS = sorted(path.stem for path in (ROOT / "conf" / "experiment").glob("*.yaml"))
NOTEBOOKS = sorted(path.stem for path in (ROOT / "experiments").glob("*.ipynb"))
#: Figures each kind of sweep must produce (the heatmaps stand for any sweep of two parameters).
EXPECTED_FIGURES = {"link_length_km": "rate_distance", "num_pairs": "finite_size"}


def test_every_notebook_belongs_to_a_preset():
    assert NOTEBOOKS and set(NOTEBOOKS) <= set(PRESETS), "a notebook runs on the smoke sweep of its preset"


def test_notebooks_are_committed_without_outputs():
    for name in NOTEBOOKS:
        book = nbformat.read(ROOT / "experiments" / f"{name}.ipynb", as_version=4)
        code = [cell for cell in book.cells if cell.cell_type == "code"]
        assert all(not cell.outputs and cell.execution_count is None for cell in code), name


@pytest.mark.slow
@pytest.mark.parametrize("preset", PRESETS)
def test_preset_runs_at_smoke_size(cli, preset):
    engine = []
    if preset.startswith("acp_"):
        pytest.importorskip("sequence")
        engine = [f"acp.engine={acp_engine()}"]
    result = cli(f"experiment={preset}", "size=smoke", *engine)
    assert result.returncode == 0, result.stderr
    sweeps = list((cli.cwd / "outputs" / "multiruns").glob("*/*"))
    if not sweeps:  # a single-run preset: its one line answers on stdout
        (path,) = (cli.cwd / "outputs" / "runs").glob("*/*/result.json")
        row = json.loads(path.read_text())
        assert row["status"] in {"ok", "insecure"}
        assert result.stdout.strip().splitlines()[-1].startswith(("secure: ", "insecure: "))
        return
    (sweep_dir,) = sweeps
    table = pd.read_parquet(sweep_dir / "results.parquet")
    if set(table["kind"]) == {"acp"}:
        _check_acp_sweep(table, sweep_dir, result.stdout)
        return
    assert len(table) >= 4 and set(table["status"]) <= {"ok", "insecure", "aborted"}
    # aborted only where a frame of I_C really failed (per-frame FER up to 1e-2 at the table's design point)
    assert (table.loc[table["status"] == "aborted", "ec_frame_errors"] > 0).all()
    assert (table["status"] == "ok").any(), "a preset should show at least one secure point at smoke size"
    assert str(table["ot_length_bits"].dtype) == "Int64"
    figures = {path.name for path in (sweep_dir / "figures").iterdir()}
    for column, figure in EXPECTED_FIGURES.items():
        if table[column].nunique() > 1:
            assert {f"{figure}.png", f"{figure}.svg"} <= figures
    assert {"heatmaps.png", "heatmaps.svg"} <= figures or {"ot_length_and_qber.png"} <= figures
    assert f"Sweep of {len(table)} runs" in result.stdout and "Figures:" in result.stdout
    if preset in NOTEBOOKS:
        _execute_notebook(ROOT / "experiments" / f"{preset}.ipynb", cli.cwd)


def _check_acp_sweep(table: pd.DataFrame, sweep_dir: Path, stdout: str) -> None:
    """An ACP preset at smoke size: one ok row per seed, every request served, Fig. 8/9 drawn."""
    assert len(table) >= 2 and set(table["status"]) == {"ok"} and table["seed"].nunique() == len(table)
    assert (table["n_requests_served"] == table["n_requests"]).all()
    assert ((table["fidelity_mean"] > 0.5) & (table["fidelity_mean"] < 1.0)).all()
    figures = {path.name for path in (sweep_dir / "figures").iterdir()}
    assert {"acp_tts_fidelity.png", "acp_tts_fidelity.svg"} <= figures
    assert "Best point: lowest mean TTS" in stdout and "Figures:" in stdout


def _execute_notebook(path: Path, cwd: Path) -> None:
    """Run every cell in ``cwd`` (so the notebook finds the sweep under outputs/); any error fails the test."""
    book = nbformat.read(path, as_version=4)
    NotebookClient(book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    images = [o for c in book.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, f"{path.name} showed no figure"
