"""The measured performance table: efficiency f and frame error rate against QBER, per frame length.

``benchmarks/bench_reconciliation.py`` writes ``data/performance.json``: for each frame length and each measured
QBER, the smallest efficiency (syndrome *and* tag bits per payload bit divided by h(QBER), on a grid of step 0.005)
whose frames all decoded but at most 1 % of them, with the measured efficiency and frame error rate there and its
design efficiency (the syndrome bits alone, divided the same way). Two uses:

* code selection (:func:`design_efficiency`): the rate for a calibrated QBER;
* ``reconciliation=model`` (:func:`lookup`): counts-only runs take (f, FER) from the table instead of decoding.

Values between measured QBERs are interpolated linearly; outside the measured range the lookup refuses, because the
table says nothing there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import require_probability
from caligo_sweep.reconciliation.codes import DATA_DIRECTORY, require_frame_length

TABLE_PATH: Path = DATA_DIRECTORY / "performance.json"


@dataclass(frozen=True)
class ModelPoint:
    """Reconciliation performance predicted by the table.

    Parameters
    ----------
    efficiency : float
        Leak (syndrome + tag bits) per bit of the half, divided by h(QBER).
    frame_error_rate : float
        Fraction of frames whose decoding failed.
    """

    efficiency: float
    frame_error_rate: float


@lru_cache(maxsize=None)
def _table(path: Path) -> dict:
    return json.loads(path.read_text())


def _column(frame_length: int, name: str, path: Path) -> tuple[np.ndarray, np.ndarray]:
    rows = _table(path)["frame_lengths"].get(str(require_frame_length(frame_length)))
    if rows is None:
        raise ConfigValueError("reconciliation.frame_length", f"a length measured in {path.name}", frame_length)
    return np.asarray(rows["qber"], dtype=float), np.asarray(rows[name], dtype=float)


def _interpolate(qber: float, frame_length: int, name: str, path: Path) -> float:
    qber = require_probability("reconciliation.qber", qber)
    grid, values = _column(frame_length, name, path)
    if not grid[0] <= qber <= grid[-1]:
        raise ConfigValueError(
            "reconciliation.qber",
            f"a number in [{grid[0]:g}, {grid[-1]:g}] (measured range for frame length {frame_length})",
            qber,
        )
    return float(np.interp(qber, grid, values))


def measured_qber_range(frame_length: int, path: Path = TABLE_PATH) -> tuple[float, float]:
    """Lowest and highest QBER the table measured for ``frame_length``."""
    grid, _ = _column(frame_length, "qber", path)
    return float(grid[0]), float(grid[-1])


def lookup(qber: float, frame_length: int, path: Path = TABLE_PATH) -> ModelPoint:
    """Measured efficiency and frame error rate at ``qber`` for ``frame_length`` (linear interpolation).

    Raises
    ------
    ConfigValueError
        If ``qber`` lies outside the measured range or the frame length was not measured.
    """
    return ModelPoint(
        efficiency=_interpolate(qber, frame_length, "efficiency", path),
        frame_error_rate=_interpolate(qber, frame_length, "fer", path),
    )


def design_efficiency(qber: float, frame_length: int, path: Path = TABLE_PATH) -> float:
    """Syndrome redundancy over h(qber) that reached FER <= 1e-2 in the benchmark (interpolated)."""
    return _interpolate(qber, frame_length, "design_efficiency", path)
