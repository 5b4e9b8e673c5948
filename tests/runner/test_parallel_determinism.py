"""Same seed and batch size give bit-identical results for every n_jobs and joblib backend."""

from __future__ import annotations

import importlib.util

import pytest

from caligo_sweep.runner import run_pairs
from caligo_sweep.runner.workers import available_cores

_RUN = dict(num_pairs=200_003, seed=2026, batch_size=16_384, progress=False)


def _fingerprint(out) -> tuple:
    bits = tuple(
        b.tobytes() for batch in out.bits or () for b in (batch.alice_bases, batch.bob_bases, batch.alice_bits, batch.bob_bits)
    )
    return out.counts.outcome_counts.tobytes(), out.counts.attempts, bits


def _reference(model, sampling: str) -> tuple:
    return _fingerprint(run_pairs(model, **_RUN, n_jobs=1, sampling=sampling, keep_bits=sampling == "bits"))


def _optional(backend: str, module: str):
    missing = importlib.util.find_spec(module) is None
    return pytest.param(backend, marks=[pytest.mark.slow, pytest.mark.skipif(missing, reason=f"{module} not installed")])


@pytest.mark.parametrize("backend", ["loky", "threading"])
@pytest.mark.parametrize("n_jobs", [2, 4])
@pytest.mark.parametrize("sampling", ["counts", "bits"])
def test_identical_for_n_jobs_and_core_backends(model, backend, n_jobs, sampling):
    out = run_pairs(model, **_RUN, n_jobs=n_jobs, backend=backend, sampling=sampling, keep_bits=sampling == "bits")
    assert out.n_jobs_effective == min(n_jobs, available_cores())  # more workers than cores are capped
    assert _fingerprint(out) == _reference(model, sampling)


@pytest.mark.parametrize("backend", [_optional("dask", "distributed"), _optional("ray", "ray")])
def test_identical_for_optional_backends(model, backend):
    for sampling in ("counts", "bits"):
        out = run_pairs(model, **_RUN, n_jobs=2, backend=backend, sampling=sampling, keep_bits=sampling == "bits")
        assert out.n_jobs_effective == 2
        assert _fingerprint(out) == _reference(model, sampling)


def test_different_seed_or_batch_size_changes_the_sample(model):
    reference = _reference(model, "counts")
    assert _fingerprint(run_pairs(model, **{**_RUN, "seed": 2027})) != reference
    assert _fingerprint(run_pairs(model, **{**_RUN, "batch_size": 16_385})) != reference
