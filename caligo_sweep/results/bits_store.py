"""Storing the materialised pairs of a run (``engine.sampling=bits``, ``engine.save_bits=true``).

Each batch is written as it arrives, in batch order, to ``<run folder>/pairs/batch_<index>.npz`` (bit-packed
bases and outcomes, little bit order, as :class:`~caligo_sweep.engine.PairBits` holds them), so memory stays bounded
by the batch size. :func:`load_pair_bits` joins them again for a later phase (e.g. reconciliation).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from caligo_sweep.engine import PACKED_FIELDS, PairBits


class PairBitsWriter:
    """A ``bits_sink`` for :func:`~caligo_sweep.runner.run.run_pairs` that writes each batch to ``folder``.

    Parameters
    ----------
    folder : pathlib.Path
        Folder to create; it must not exist yet (no earlier output is overwritten).
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=False)
        self.folder = folder
        self._next_index = 0

    def __call__(self, bits: PairBits) -> None:
        """Write the next batch."""
        path = self.folder / f"batch_{self._next_index:06d}.npz"
        arrays = {name: getattr(bits, name) for name in PACKED_FIELDS}
        np.savez(path, n_pairs=bits.n_pairs, attempts=bits.attempts, **arrays)
        self._next_index += 1


def load_pair_bits(folder: Path) -> PairBits:
    """All batches written by :class:`PairBitsWriter`, joined in batch order into one :class:`PairBits`."""
    paths = sorted(folder.glob("batch_*.npz"))
    if not paths:
        raise FileNotFoundError(f"no batch_*.npz files in {folder}")
    parts = []
    for path in paths:
        with np.load(path) as stored:
            parts.append(
                PairBits(
                    **{name: stored[name] for name in PACKED_FIELDS},
                    n_pairs=int(stored["n_pairs"]),
                    attempts=int(stored["attempts"]),
                )
            )
    return PairBits.concatenate(parts)
