"""Batch plan, per-batch seeding and parallel execution of the EPR batches of one run."""

from caligo_sweep.runner.plan import BatchPlan, batch_seed_sequence, batch_seed_sequences
from caligo_sweep.runner.run import RunOutput, run_pairs
from caligo_sweep.runner.workers import BACKENDS, effective_n_jobs

__all__ = [
    "BACKENDS",
    "BatchPlan",
    "RunOutput",
    "batch_seed_sequence",
    "batch_seed_sequences",
    "effective_n_jobs",
    "run_pairs",
]
