"""The paper's Eq. 2 latency and the single-heralded attempt computed by hand from Table I."""

from __future__ import annotations

import pytest

from caligo_sweep.network.link_timing import classical_latency_s, heralded_attempt


def test_eq2_neighbour_round_trip_is_the_papers_0_3_ms():
    one_way = classical_latency_s(10e3, 0, 2e8, 20e-6, 100e-6)
    assert one_way == pytest.approx(50e-6 + 100e-6)
    assert 2 * one_way == pytest.approx(0.3e-3)


def test_eq2_with_forwarding_nodes():
    # 30 km over three links, two forwarding nodes: 150 us + 2 * 20 us + 100 us
    assert classical_latency_s(30e3, 2, 2e8, 20e-6, 100e-6) == pytest.approx(290e-6)


def test_heralded_attempt_from_table_one():
    attempt = heralded_attempt(10e3, 0.2, 0.6, 0.95, 0.5, 2e8, 20e-6, 100e-6)
    photon = 0.6 * 10 ** (-0.1) * 0.95  # 1 dB over the 5 km arm
    assert attempt.success_probability == pytest.approx(photon**2 * 0.5, rel=1e-12)
    # pairing round trip 300 us + NEGOTIATE 150 us + flight 25 us + herald 25 us + 100 us (SeQUeNCe's round)
    assert attempt.duration_s == pytest.approx(600e-6)
    assert attempt.emission_to_herald_s == pytest.approx(150e-6)
