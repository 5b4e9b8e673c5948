"""Bits handed from loky workers to the parent through shared memory: exact, bounded, cleaned up."""

from __future__ import annotations

import numpy as np
import pytest

from caligo_sweep.engine import PACKED_FIELDS, sample_bits
from caligo_sweep.runner import dispatch as dispatch_module
from caligo_sweep.runner import run_pairs
from caligo_sweep.runner import transport

_RUN = dict(num_pairs=100_000, seed=3, batch_size=4_000, sampling="bits", progress=False)


def test_export_then_import_is_the_identity(model, tmp_path):
    bits = sample_bits(model, 1_000, np.random.default_rng(0))
    handle = transport.export_bits(bits, str(tmp_path), index=5)
    back = transport.import_bits(handle)
    assert not list(tmp_path.iterdir())  # the file is gone once read
    assert back.n_pairs == bits.n_pairs and back.attempts == bits.attempts
    for name in PACKED_FIELDS:
        assert np.array_equal(getattr(back, name), getattr(bits, name))


@pytest.mark.parametrize("root_exists", [True, False])
def test_streaming_holds_at_most_one_window_and_cleans_up(model, tmp_path, monkeypatch, root_exists):
    root = tmp_path if root_exists else tmp_path / "missing"
    monkeypatch.setattr(transport, "SHARED_MEMORY_ROOT", str(root))
    monkeypatch.setattr(dispatch_module, "BITS_IN_FLIGHT_BYTES", 1)  # smallest window: 2 batches per worker
    in_flight: list[int] = []
    hand_overs: list[str] = []

    def counting_import(handle):
        hand_overs.append(handle.path)
        return transport.import_bits(handle)

    monkeypatch.setattr(dispatch_module, "import_bits", counting_import)

    def sink(_bits) -> None:
        in_flight.append(sum(1 for _ in root.glob("caligo-sweep-*/*.bits")) if root_exists else 0)

    streamed = run_pairs(model, **_RUN, n_jobs=2, keep_bits=True, bits_sink=sink)
    reference = run_pairs(model, **_RUN, n_jobs=1, keep_bits=True)
    assert len(in_flight) == streamed.n_batches == 25
    assert max(in_flight) <= 2 * 2 - 1  # the batch being consumed has already been read back
    assert len(hand_overs) == (25 if root_exists else 0)  # every batch came through shared memory, or none
    assert all(path.startswith(str(root)) for path in hand_overs)
    assert not list(tmp_path.glob("**/caligo-sweep-*"))
    assert streamed.counts == reference.counts
    assert all(np.array_equal(a.bob_bits, b.bob_bits) for a, b in zip(streamed.bits, reference.bits))


@pytest.mark.filterwarnings("ignore:.*tasks have been successfully executed:UserWarning")  # joblib on abort
def test_a_failing_sink_leaves_no_shared_files(model, tmp_path, monkeypatch):
    monkeypatch.setattr(transport, "SHARED_MEMORY_ROOT", str(tmp_path))

    def sink(_bits) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        run_pairs(model, **_RUN, n_jobs=2, bits_sink=sink)
    assert not list(tmp_path.iterdir())
