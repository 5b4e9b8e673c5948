"""A run on joblib's dask backend, against a running dask.distributed cluster, gives the serial run's row."""

from __future__ import annotations

import dataclasses

import pytest

from caligo_sweep.app.ot import run_ot_link
from caligo_sweep.config.build import prepare_ot_link

distributed = pytest.importorskip("distributed")

#: Columns that describe the execution, not the sample: they may differ between the two runs.
EXECUTION = {"run_id", "n_jobs", "n_jobs_effective", "wall_time_s", "pairs_per_second", "ec_mbit_per_s", "parameters"}


def _row(composer, *overrides: str) -> dict:
    spec = prepare_ot_link(composer("link=heralded", "device=generic", "num_pairs=300000", "workers.batch_size=40000",
                                *overrides))  # fmt: skip
    return dataclasses.asdict(run_ot_link(spec, run_id="r", progress=False))


def _sample(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in EXECUTION}


@pytest.mark.parametrize("sampling", ["counts", "bits"])
def test_dask_backend_on_a_local_cluster_gives_the_serial_row(composer, sampling):
    serial = _row(composer, f"engine.sampling={sampling}")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with cluster, distributed.Client(cluster), distributed.get_task_stream() as tasks:
        on_dask = _row(composer, f"engine.sampling={sampling}", "workers.backend=dask", "workers.n_jobs=2")
    assert on_dask["n_jobs_effective"] == 2 and len(tasks.data) > 0  # the batches ran on the cluster
    assert _sample(on_dask) == _sample(serial)
    assert serial["status"] in {"ok", "insecure"} and serial["n_pairs"] == 300000
