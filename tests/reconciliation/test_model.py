"""reconciliation=model: the shipped table of measured (f, FER) and its lookup."""

import json

import numpy as np
import pytest

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.reconciliation.codes import FRAME_GEOMETRY
from caligo_sweep.reconciliation.model import TABLE_PATH, design_efficiency, lookup


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "performance.json"
    rows = {"qber": [0.02, 0.04, 0.08], "design_efficiency": [1.2, 1.1, 1.06], "efficiency": [1.25, 1.12, 1.08],
            "fer": [0.0, 0.01, 0.005]}
    path.write_text(json.dumps({"frame_lengths": {"16384": rows}}))
    return path


def test_lookup_interpolates_linearly_between_measured_points(table):
    point = lookup(0.03, 16384, table)
    assert point.efficiency == pytest.approx((1.25 + 1.12) / 2)
    assert point.frame_error_rate == pytest.approx(0.005)
    assert lookup(0.08, 16384, table).efficiency == pytest.approx(1.08)
    assert design_efficiency(0.06, 16384, table) == pytest.approx(1.08)


@pytest.mark.parametrize("qber", [0.0199, 0.081, 0.3])
def test_lookup_refuses_outside_the_measured_range(table, qber):
    with pytest.raises(ConfigValueError, match=r"reconciliation.qber must be a number in \[0.02, 0.08\]"):
        lookup(qber, 16384, table)


def test_lookup_refuses_an_unmeasured_frame_length(table):
    with pytest.raises(ConfigValueError, match="reconciliation.frame_length"):
        lookup(0.05, 65536, table)


def test_shipped_table_covers_every_frame_length_and_is_physical():
    shipped = json.loads(TABLE_PATH.read_text())
    for frame_length in FRAME_GEOMETRY:
        rows = shipped["frame_lengths"][str(frame_length)]
        assert rows["qber"][0] <= 0.01 and rows["qber"][-1] >= 0.11
        assert np.all(np.diff(rows["qber"]) > 0)
        # no code beats the Slepian-Wolf limit nor the best code of its length (normal approximation, Polyanskiy,
        # Poor and Verdu 2010), and every accepted point met the FER criterion
        assert np.all(np.asarray(rows["efficiency"]) > 1.0)
        assert np.all(np.asarray(rows["efficiency"]) > np.asarray(rows["finite_length_limit"]))
        assert np.all(np.asarray(rows["fer"]) <= shipped["max_fer"])
        assert np.all(np.asarray(rows["frame_errors"]) <= np.floor(shipped["max_fer"] * np.asarray(rows["frames"])))
        point = lookup(0.05, frame_length)
        assert 1.0 < point.efficiency < 1.5 and 0.0 <= point.frame_error_rate <= 0.01
