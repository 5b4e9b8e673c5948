"""Materialised pairs streamed to disk batch by batch come back identical, and nothing is overwritten."""

import numpy as np
import pytest

from caligo_sweep.physics.links import DepolariseLink
from caligo_sweep.physics.device import DeviceNoise
from caligo_sweep.physics.outcomes import build_physical_model
from caligo_sweep.results.bits_store import PairBitsWriter, load_pair_bits
from caligo_sweep.runner.run import run_pairs


def test_streamed_batches_reload_to_the_kept_pairs(tmp_path):
    model = build_physical_model(DepolariseLink(0.9, 0.5, 10.0), DeviceNoise.perfect())
    settings = dict(num_pairs=10_007, seed=3, batch_size=1000, sampling="bits", progress=False)
    kept = run_pairs(model, keep_bits=True, **settings)
    streamed = run_pairs(model, bits_sink=PairBitsWriter(tmp_path / "pairs"), **settings)
    assert len(list((tmp_path / "pairs").glob("batch_*.npz"))) == 11
    reloaded = load_pair_bits(tmp_path / "pairs").unpack()
    expected = type(kept.bits[0]).concatenate(kept.bits).unpack()
    for name, values in expected.items():
        np.testing.assert_array_equal(reloaded[name], values)
    assert streamed.counts == kept.counts


def test_writer_refuses_an_existing_folder(tmp_path):
    (tmp_path / "pairs").mkdir()
    with pytest.raises(FileExistsError):
        PairBitsWriter(tmp_path / "pairs")
