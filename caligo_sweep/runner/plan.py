"""How one run's pairs are split into batches, and which random stream each batch uses.

Seeding contract (ARCHITECTURE.md, Randomness): batch ``i`` draws from ``SeedSequence(seed).spawn(n_batches)[i]``.
That child is ``SeedSequence(seed, spawn_key=(i,))``, so :func:`batch_seed_sequence` builds it from the batch index
alone, without materialising all children (a run of 10**9 pairs in small batches would otherwise hold millions of
SeedSequence objects). The stream of a batch depends only on ``(seed, i)``: not on the worker, the order of
completion, ``n_jobs`` or the joblib backend, which is what makes results bit-identical across them.

References
----------
NumPy, "Parallel random number generation", ``numpy.random.SeedSequence.spawn``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from caligo_sweep.physics.checks import require_integer, require_positive_integer


def check_seed(seed: int) -> int:
    """Return ``seed`` as int, or raise ConfigValueError (key ``seed``) unless it is an integer >= 0."""
    return require_integer("seed", seed, 0)


@dataclass(frozen=True)
class BatchPlan:
    """Split ``num_pairs`` pairs into consecutive batches of ``batch_size`` (the last one may be smaller).

    Parameters
    ----------
    num_pairs : int
        Pairs to deliver in the run, >= 1 (config key ``num_pairs``).
    batch_size : int
        Pairs per batch, >= 1 (config key ``workers.batch_size``). Memory per batch is about ``batch_size / 2``
        bytes on the bits path and constant on the counts path.
    """

    num_pairs: int
    batch_size: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "num_pairs", require_positive_integer("num_pairs", self.num_pairs))
        object.__setattr__(self, "batch_size", require_positive_integer("workers.batch_size", self.batch_size))

    @property
    def n_batches(self) -> int:
        """Number of batches, ``ceil(num_pairs / batch_size)``."""
        return -(-self.num_pairs // self.batch_size)

    def size_of(self, index: int) -> int:
        """Pairs in batch ``index`` (0-based)."""
        if not 0 <= index < self.n_batches:
            raise IndexError(f"batch index {index} outside [0, {self.n_batches})")
        return min(self.batch_size, self.num_pairs - index * self.batch_size)

    @property
    def sizes(self) -> np.ndarray:
        """Pairs of every batch, int64 array of length ``n_batches`` summing to ``num_pairs``."""
        sizes = np.full(self.n_batches, self.batch_size, dtype=np.int64)
        sizes[-1] = self.size_of(self.n_batches - 1)
        return sizes


def batch_seed_sequence(seed: int, index: int) -> np.random.SeedSequence:
    """The SeedSequence of batch ``index``: identical to ``SeedSequence(seed).spawn(n)[index]`` for any ``n > index``."""
    return np.random.SeedSequence(check_seed(seed), spawn_key=(int(index),))


def batch_seed_sequences(seed: int, n_batches: int) -> list[np.random.SeedSequence]:
    """All batch SeedSequences of a run, ``SeedSequence(seed).spawn(n_batches)``."""
    return np.random.SeedSequence(check_seed(seed)).spawn(n_batches)


#: Single-core speed of the two sampling paths, the slow end of what ``benchmarks/bench_engine.py`` measures on the
#: heralded link with device noise (docs/performance.md), so that estimates err long: the counts path costs a
#: fixed time per batch [s], the bits path a time per pair (pairs per second) plus a time per batch (seeding,
#: dispatch and hand-over: ``workers.batch_size=1`` measured 3.4e-4 to 6.4e-4 s per batch).
COUNTS_SECONDS_PER_BATCH = 5e-5
BITS_PAIRS_PER_SECOND = 1.5e8
BITS_SECONDS_PER_BATCH = 6e-4
#: Peak memory of one batch in flight on the bits path [bytes per pair]: 1.43 measured with batches of 2e8 pairs
#: (peak RSS above a run of small batches), rounded up. The counts path holds no per-pair arrays.
BITS_BATCH_BYTES_PER_PAIR = 1.5


def estimated_run_seconds(num_pairs: int, batch_size: int, sampling: str, n_workers: int) -> float:
    """Rough wall time [s] of sampling ``num_pairs`` pairs on ``n_workers`` cores (for size limits and messages)."""
    n_batches = -(-int(num_pairs) // max(1, int(batch_size)))
    if sampling == "counts":
        single_core = n_batches * COUNTS_SECONDS_PER_BATCH
    else:
        single_core = num_pairs / BITS_PAIRS_PER_SECOND + n_batches * BITS_SECONDS_PER_BATCH
    return single_core / max(1, n_workers)


def estimated_batch_bytes(batch_size: int, sampling: str) -> float:
    """Rough peak memory [bytes] of one batch being sampled (each worker holds one)."""
    return 0.0 if sampling == "counts" else batch_size * BITS_BATCH_BYTES_PER_PAIR
