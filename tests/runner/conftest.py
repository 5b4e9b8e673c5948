"""A small Werner-pair model for runner tests, built directly from its outcome table."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.physics.model import PhysicalModel


@pytest.fixture
def model() -> PhysicalModel:
    """Werner pair of fidelity 0.85: QBER = 2 (1 - F) / 3 = 0.1 in matching bases, uniform otherwise."""
    qber = 2 * (1 - 0.85) / 3
    table = np.full((2, 2, 4), 0.25)
    table[0, 0] = table[1, 1] = [(1 - qber) / 2, qber / 2, qber / 2, (1 - qber) / 2]
    return PhysicalModel(
        link_model="depolarise",
        p_success=0.3,
        cycle_time_ns=250.0,
        herald_delay_ns=0.0,
        outcome_probabilities=table,
        fidelity_expected=0.85,
    )
