"""The whole chain, config -> physics -> engine -> sifting, measures what the physics predicts (5 sigma)."""

import numpy as np
import pytest

from caligo_sweep.config.build import prepare_ot_link
from caligo_sweep.protocol.sifting import sift_counts
from caligo_sweep.runner.run import run_pairs

POINTS = [
    ("link=perfect",),
    ("link=depolarise", "link.fidelity=0.9", "link.prob_success=0.3"),
    ("link=heralded",),
    ("link=heralded", "device=generic", "device.T1=1e6", "device.T2=1e5", "device.detector_error=0.02"),
    ("link=heralded", "link.eta=0.3", "eta=end_to_end", "link.num_multiplexing_modes=4"),
    ("link=auto", "link.dark_count_probability=1e-3", "link.length=20"),
]


def _within_five_sigma(k: int, n: int, p: float) -> bool:
    sigma = np.sqrt(max(p * (1 - p), 1e-12) / n)
    return abs(k / n - p) < 5 * sigma + 1e-12


@pytest.mark.statistical
@pytest.mark.parametrize("sampling", ["counts", "bits"])
@pytest.mark.parametrize("overrides", POINTS, ids=" ".join)
def test_measured_qber_and_attempts_match_the_model(composer, overrides, sampling):
    spec = prepare_ot_link(composer(*overrides))
    model = spec.model
    n_pairs = 400_000
    output = run_pairs(model, num_pairs=n_pairs, seed=11, batch_size=100_000, sampling=sampling, progress=False)
    sifted = sift_counts(output.counts.outcome_counts)
    assert _within_five_sigma(sifted.n_errors_z, sifted.n_sifted_z, model.qber_z_expected)
    assert _within_five_sigma(sifted.n_errors_x, sifted.n_sifted_x, model.qber_x_expected)
    assert _within_five_sigma(sifted.n_sifted, n_pairs, 0.5)  # bases match half the time
    # attempts per pair ~ Geometric(p): mean 1/p, variance (1-p)/p^2
    p = model.p_success
    mean_attempts = output.counts.attempts / n_pairs
    assert abs(mean_attempts - 1 / p) < 5 * np.sqrt((1 - p) / p**2 / n_pairs) + 1e-12
    assert output.sim_time_ns == pytest.approx(output.counts.attempts * model.cycle_time_ns)
