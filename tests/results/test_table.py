"""The sweep table: one column per quantity, units in names, nullable integers, a data dictionary that cannot drift."""

import json
from pathlib import Path

import pandas as pd
import pytest

from caligo_sweep.app.kinds.columns_doc import all_kinds_dictionary as data_dictionary
from caligo_sweep.app.gather import gather_sweep
from caligo_sweep.results.io import write_result_json
from caligo_sweep.results.row import ResultRow, column_names, config_column

DOCS = Path(__file__).parents[2] / "docs" / "columns.md"


def test_docs_columns_md_is_the_generated_data_dictionary():
    assert DOCS.read_text() == data_dictionary(), (
        "docs/columns.md is stale: python -m caligo_sweep.app.kinds.columns_doc > docs/columns.md"
    )
    assert all(f"| `{name}` |" in DOCS.read_text() for name in column_names())


def test_config_keys_become_one_column_with_its_unit():
    parameters = {"workers_n_jobs": 2, "engine_name": "numpy", "nsm_delta_t_ns": 5.0, "link_length": 10.0,
                  "device_T1": 1e9, "link_fidelity": 0.9, "nsm_r": 0.4}
    flat = ResultRow(run_id="x", status="failed", parameters=parameters).to_flat_dict()
    assert flat["n_jobs"] == 2 and flat["engine"] == "numpy" and flat["delta_t_ns"] == 5.0 and flat["nsm_r"] == 0.4
    assert flat["link_length_km"] == 10.0 and flat["device_T1_ns"] == 1e9 and flat["link_fidelity"] == 0.9
    assert not {"workers_n_jobs", "engine_name", "nsm_delta_t_ns", "link_length", "device_T1"} & set(flat)
    assert config_column("link.length") == "link_length_km" and config_column("workers.batch_size") == "batch_size"


def test_failed_rows_keep_integer_and_boolean_columns_typed(tmp_path):
    ok = ResultRow(run_id="0", status="ok", num_pairs=1000, ot_length_bits=12, secure=True,
                   parameters={"link_num_multiplexing_modes": 3, "link_length": 10.0, "protocol_strict": False})
    failed = ResultRow(run_id="1", status="failed", error="boom", parameters={"link_length": 20.0})
    write_result_json(ok, tmp_path / "0")
    write_result_json(failed, tmp_path / "1")
    table = gather_sweep(tmp_path)  # the path every sweep table takes
    assert str(table["ot_length_bits"].dtype) == "Int64" and str(table["num_pairs"].dtype) == "Int64"
    assert str(table["secure"].dtype) == "boolean" and str(table["protocol_strict"].dtype) == "boolean"
    assert str(table["link_num_multiplexing_modes"].dtype) == "Int64"
    assert str(table["link_length_km"].dtype) == "float64"
    assert table["ot_length_bits"].tolist()[0] == 12 and pd.isna(table["ot_length_bits"].tolist()[1])
    table.to_parquet(tmp_path / "t.parquet")
    assert str(pd.read_parquet(tmp_path / "t.parquet")["ot_length_bits"].dtype) == "Int64"
    assert json.loads((tmp_path / "1" / "result.json").read_text())["link_length_km"] == 20.0


@pytest.mark.parametrize("umask", [0o002, 0o022, 0o077])
def test_tables_and_the_job_list_get_the_users_umask_not_0600(tmp_path, umask):
    import os
    import stat

    from caligo_sweep.app.sweep_state import PLAN_FILE, write_plan
    from caligo_sweep.results.io import write_sweep_table

    previous = os.umask(umask)
    try:
        write_sweep_table(pd.DataFrame({"run_id": ["a/0"], "status": ["ok"]}), tmp_path)
        write_plan(tmp_path, [["nsm.r=0.5"]])
        (tmp_path / "plain.txt").write_text("a file made the ordinary way")
    finally:
        os.umask(previous)
    expected = stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
    assert expected == 0o666 & ~umask
    for name in ("results.parquet", "results.csv", PLAN_FILE):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected, name
