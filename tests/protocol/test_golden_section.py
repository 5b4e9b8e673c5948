"""Golden-section maximisation against closed-form maxima and scipy's bounded Brent search."""

import math

import pytest
from scipy.optimize import minimize_scalar

from caligo_sweep.protocol.security.golden_section import maximum_of_unimodal


@pytest.mark.parametrize(
    ("function", "low", "high", "maximum"),
    [
        (lambda x: -((x - 0.3) ** 2), 0.0, 1.0, 0.0),
        (lambda x: -x * math.log(x), 0.0, 1.0, 1.0 / math.e),  # at x = 1/e
        (lambda x: math.sin(x), 0.0, 3.0, 1.0),  # at pi/2
        (lambda x: x, 0.0, 1.0, 1.0),  # at the edge: approached within xatol
    ],
)
def test_closed_form_maxima(function, low, high, maximum):
    assert maximum_of_unimodal(function, low, high, 1e-10) == pytest.approx(maximum, abs=2e-10)


def test_agrees_with_scipy_bounded_brent_on_a_skewed_function():
    def skewed(u: float) -> float:
        return math.log1p(u) - u**3

    ours = maximum_of_unimodal(skewed, 0.0, 2.0, 1e-10)
    reference = minimize_scalar(lambda u: -skewed(u), bounds=(0.0, 2.0), method="bounded", options={"xatol": 1e-10})
    assert ours == pytest.approx(-reference.fun, abs=1e-14)


def test_bad_interval_is_refused():
    with pytest.raises(ValueError, match="low < high"):
        maximum_of_unimodal(math.sin, 1.0, 1.0, 1e-10)
