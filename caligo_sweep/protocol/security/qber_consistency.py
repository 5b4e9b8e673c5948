"""Is the measured error rate consistent with the physics model's prediction?

Under the model, each sifted round is an error independently with probability ``q`` (given the number of sifted
rounds, each is a Z-Z or X-X match with probability 1/2, so the per-round error probability is the basis average
``qber_expected``). The error count is therefore exactly Binomial(n_sifted, q), and the check is the exact
two-sided binomial test at a stated false-alarm rate ``alpha``: it flags ``k`` errors when

    P(K <= k) <= alpha/2    or    P(K >= k) <= alpha/2.

An honest run is flagged with probability at most ``alpha`` for every ``n_sifted`` and ``q``; the tolerance on the
error rate shrinks like ``sqrt(q (1-q) / n_sifted)``, unlike a fixed tolerance such as 0.01, which raises false
alarms on small samples and misses real mismatches on large ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import bdtr, bdtrc, bdtrik

from caligo_sweep.protocol.estimation import require_error_count

#: Default false-alarm rate: about a 5-sigma two-sided normal tail, so a sweep of thousands of honest runs
#: raises no false alarm in practice.
DEFAULT_FALSE_ALARM_RATE = 1e-6


@dataclass(frozen=True)
class QberConsistency:
    """Outcome of the model-vs-measurement check on the error rate.

    Attributes
    ----------
    consistent : bool
        The measured count lies inside the acceptance region.
    qber_measured : float
        ``n_errors / n_sifted`` (``nan`` when ``n_sifted = 0``).
    qber_expected : float
        Model prediction the count was tested against.
    acceptance_low, acceptance_high : float
        Accepted error-rate range ``[k_low, k_high] / n_sifted``.
    tolerance : float
        Allowed deviation from ``qber_expected`` on the side of the observation: ``acceptance_high -
        qber_expected`` if the measurement is at or above the prediction, else ``qber_expected - acceptance_low``.
    false_alarm_rate : float
        ``alpha``: probability that an honest run is flagged (upper bound; the binomial is discrete).
    """

    consistent: bool
    qber_measured: float
    qber_expected: float
    acceptance_low: float
    acceptance_high: float
    tolerance: float
    false_alarm_rate: float


def _acceptance_counts(n_sifted: int, qber_expected: float, alpha: float) -> tuple[int, int]:
    """Smallest k with P(K <= k) > alpha/2 and largest k with P(K >= k) > alpha/2.

    ``bdtrik`` (the inverse of the binomial CDF in k) gives a starting point; exact CDF (``bdtr``) and survival
    (``bdtrc``) values then settle the integers. scipy.special instead of scipy.stats keeps a run's start-up short.
    """
    half = alpha / 2.0

    def start(probability: float) -> int:
        guess = bdtrik(probability, n_sifted, qber_expected)
        return min(n_sifted, max(0, int(guess))) if math.isfinite(guess) else round(n_sifted * qber_expected)

    k_low = start(half)
    while k_low > 0 and bdtr(k_low - 1, n_sifted, qber_expected) > half:
        k_low -= 1
    while k_low < n_sifted and bdtr(k_low, n_sifted, qber_expected) <= half:
        k_low += 1
    k_high = start(1.0 - half)  # P(K >= k) = bdtrc(k - 1)
    while k_high < n_sifted and bdtrc(k_high, n_sifted, qber_expected) > half:
        k_high += 1
    while k_high > 0 and bdtrc(k_high - 1, n_sifted, qber_expected) <= half:
        k_high -= 1
    return k_low, k_high


def qber_consistent(
    n_errors: int,
    n_sifted: int,
    qber_expected: float,
    false_alarm_rate: float = DEFAULT_FALSE_ALARM_RATE,
) -> QberConsistency:
    """Exact two-sided binomial test of a measured error count against the model's error rate.

    Parameters
    ----------
    n_errors : int
        Observed errors among the sifted rounds, ``0 <= n_errors <= n_sifted``.
    n_sifted : int
        Sifted rounds (>= 0). With none, nothing can contradict the model and the result is consistent.
    qber_expected : float
        Model error rate in [0, 1] (``PhysicalModel.qber_expected``).
    false_alarm_rate : float
        ``alpha`` in (0, 1): maximal probability of flagging a run that follows the model.

    Returns
    -------
    QberConsistency
        The decision, the acceptance region and the tolerance it implies.
    """
    if not 0.0 < false_alarm_rate < 1.0:
        raise ValueError(f"false_alarm_rate must lie in (0, 1); got {false_alarm_rate!r}")
    if not 0.0 <= qber_expected <= 1.0:
        raise ValueError(f"qber_expected must lie in [0, 1]; got {qber_expected!r}")
    require_error_count(n_errors, n_sifted)
    if n_sifted == 0:
        nan = float("nan")
        return QberConsistency(True, nan, float(qber_expected), 0.0, 1.0, nan, float(false_alarm_rate))
    k_low, k_high = _acceptance_counts(n_sifted, qber_expected, false_alarm_rate)
    measured = n_errors / n_sifted
    low, high = k_low / n_sifted, k_high / n_sifted
    tolerance = high - qber_expected if measured >= qber_expected else qber_expected - low
    return QberConsistency(
        consistent=k_low <= n_errors <= k_high,
        qber_measured=measured,
        qber_expected=float(qber_expected),
        acceptance_low=low,
        acceptance_high=high,
        tolerance=tolerance,
        false_alarm_rate=float(false_alarm_rate),
    )
