"""Batch samplers of EPR pairs for a frozen :class:`~caligo_sweep.physics.model.PhysicalModel`.

Two exact paths: :func:`sample_counts` draws the sufficient statistics of a batch in O(1) work, and
:func:`sample_bits` materialises bit-packed bases and outcomes (``PairBits.counts()`` reduces them to the same
statistics).
"""

from caligo_sweep.engine.bits import PACKED_FIELDS, PairBits, sample_bits
from caligo_sweep.engine.counts import PairCounts, sample_attempts, sample_counts

#: Names accepted for ``engine.sampling``.
SAMPLING_METHODS = ("counts", "bits")

__all__ = [
    "PACKED_FIELDS",
    "PairBits",
    "PairCounts",
    "SAMPLING_METHODS",
    "sample_attempts",
    "sample_bits",
    "sample_counts",
]
