"""Parametric down-conversion (PDC) photon-pair source with threshold detectors, as modelled by Erven et al. 2014.

A Sagnac PDC source emits ``k`` photon pairs with the thermal-like probability

    P^k_src = (k + 1) (mu/2)^k / (1 + mu/2)^(k+2),

where ``mu`` is the mean pair number per coherence time (Eqs. 9-11 of [1]_). Alice keeps a round ("valid round")
when exactly one of her two detectors clicks; every probability below is conditioned on that event, following
Wehner et al. 2010 App. C.2 [2]_. Losses are a beam splitter of transmittance ``eta``, detectors have dark-count
probability ``p_dark`` per coherence time, a photon lands in the wrong detector with probability ``e_det``, and
double clicks are resolved by a fair coin.

Conservative convention copied from [1]_: the *total* transmittance ``eta = eta_A eta_B`` is applied to Alice's
*and* to Bob's detection. This turns ~6 % of Alice's valid rounds into dark-count rounds with no pair
(``P^{0|1}_sent = 0.0598`` at the Erven Table I values), which is what reproduces their m and m_1.

References
----------
.. [1] C. Erven et al., "An experimental implementation of oblivious transfer in the noisy storage model",
   Nat. Commun. 5, 3418 (2014), arXiv:1308.5098; Eqs. (9)-(12), Methods, Table I.
.. [2] S. Wehner, M. Curty, C. Schaffner, H.-K. Lo, "Implementation of two-party protocols in the noisy-storage
   model", Phys. Rev. A 81, 052336 (2010), arXiv:0911.2302; App. C.2, Eqs. (C11)-(C14), (C21)-(C27).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike

from caligo_sweep.physics.checks import require_in_interval, require_positive

#: Relative truncation tolerance of the pair-number sum: the source probability mass beyond the last kept pair
#: number is at most this fraction of the valid-round probability, so every P^{k|1}_sent is exact to ~1e-15.
PAIR_SUM_TOLERANCE = 1e-15


def pair_number_distribution(mu: float, k: ArrayLike) -> np.ndarray | float:
    """Probability ``P^k_src`` that the PDC source emits exactly ``k`` pairs ([1]_ Eq. 10).

    Parameters
    ----------
    mu : float
        Mean photon-pair number per coherence time (> 0).
    k : array_like of int
        Pair numbers (>= 0).

    Returns
    -------
    numpy.ndarray or float
        ``(k+1) (mu/2)^k / (1+mu/2)^(k+2)``, computed in log space so that large ``k`` does not overflow.
        This is a negative binomial of order 2 with ``q = x/(1+x)``, ``x = mu/2``, and mean ``mu``.
    """
    k = np.asarray(k, dtype=np.float64)
    half_mu = 0.5 * mu
    log_p = np.log1p(k) + k * math.log(half_mu) - (k + 2.0) * math.log1p(half_mu)
    p = np.exp(log_p)
    return float(p) if p.ndim == 0 else p


def _tail_mass(mu: float, first: float) -> float:
    """``P(pairs >= first) = q^first (1 + first (1 - q))`` for the order-2 negative binomial, q = x/(1+x)."""
    half_mu = 0.5 * mu
    q = half_mu / (1.0 + half_mu)
    return math.exp(first * math.log(q) + math.log1p(first / (1.0 + half_mu)))


def _max_pair_number(mu: float, target_mass: float) -> int:
    """Smallest K with ``P(pairs > K) <= target_mass``."""
    if _tail_mass(mu, 1.0) <= target_mass:
        return 0
    from scipy.optimize import brentq  # scipy.optimize takes ~0.1 s to import: only when a PDC source is used

    upper = 2.0
    while _tail_mass(mu, upper) > target_mass:
        upper *= 2.0
    first = brentq(lambda j: math.log(_tail_mass(mu, j)) - math.log(target_mass), 1.0, upper)
    return int(math.ceil(first))


@dataclass(frozen=True)
class PDCSource:
    """Erven et al. 2014 PDC source and detection model; all probabilities are per valid round.

    Parameters
    ----------
    mu : float
        Mean photon-pair number per coherence time, > 0 (Erven Table I: 3.145e-5). Config key ``source.mu``.
    eta : float
        Total transmittance including detector efficiency, applied to both Alice and Bob (Erven: 0.0150).
        Config key ``source.eta``.
    e_det : float
        Intrinsic detection error: probability that a photon clicks the wrong detector, in [0, 1/2]
        (Erven: 0.0093). Config key ``source.e_det``.
    p_dark : float
        Dark-count probability per detector per coherence time, in [0, 1) (Erven: 1.5e-8, worst detector).
        Config key ``source.p_dark``.
    """

    mu: float
    eta: float
    e_det: float
    p_dark: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", require_positive("source.mu", self.mu))
        object.__setattr__(self, "eta", require_in_interval("source.eta", self.eta, 0.0, 1.0, low_open=True))
        object.__setattr__(self, "e_det", require_in_interval("source.e_det", self.e_det, 0.0, 0.5))
        p_dark = require_in_interval("source.p_dark", self.p_dark, 0.0, 1.0, high_open=True)
        object.__setattr__(self, "p_dark", p_dark)

    @cached_property
    def sent_given_valid(self) -> np.ndarray:
        """``P^{k|1}_sent`` for k = 0..K: pair-number distribution given that Alice saw exactly one click.

        ``A_k = P^k_src (1 - p_dark) [p_dark (1-eta)^k + (1/(k+1)) sum_{j<k} ((1-eta)^j - (1-eta)^k)]`` is the
        (half) probability of exactly one click at Alice given k pairs ([2]_ C21), normalised over k. The sum is cut
        at the smallest K whose source tail is below ``PAIR_SUM_TOLERANCE`` times ``A_0 + A_1``.
        """
        transmit_miss = 1.0 - self.eta
        a_low = (1.0 - self.p_dark) * (
            pair_number_distribution(self.mu, 0) * self.p_dark
            + pair_number_distribution(self.mu, 1) * (self.p_dark * transmit_miss + 0.5 * self.eta)
        )
        k_max = max(_max_pair_number(self.mu, PAIR_SUM_TOLERANCE * a_low), 2)
        k = np.arange(k_max + 1)
        miss = transmit_miss ** k
        misses_below = np.cumsum(miss) - miss
        inner = self.p_dark * miss + (misses_below - k * miss) / (k + 1.0)
        weights = pair_number_distribution(self.mu, k) * (1.0 - self.p_dark) * inner
        return weights / weights.sum()

    @property
    def p_single_given_valid(self) -> float:
        """``P^{1|1}_sent``: probability that a valid round carried exactly one pair (Erven's "P_sent")."""
        return float(self.sent_given_valid[1])

    @property
    def p_bob_signal_noclick(self) -> float:
        """``P^h_{B,S,noclick} = sum_k P^{k|1}_sent (1-eta)^k``: no photon of the round reaches Bob's detectors."""
        k = np.arange(self.sent_given_valid.size)
        return float(np.sum(self.sent_given_valid * (1.0 - self.eta) ** k))

    @property
    def p_bob_noclick_honest(self) -> float:
        """``P^h_{B,noclick}``: neither of honest Bob's two detectors clicks (no signal and no dark count)."""
        return self.p_bob_signal_noclick * (1.0 - self.p_dark) ** 2

    @property
    def p_bob_click_honest(self) -> float:
        """``P^h_{B,click} = 1 - P^h_{B,noclick}``: fraction of valid rounds honest Bob reports as detected."""
        return 1.0 - self.p_bob_noclick_honest

    @property
    def p_bob_noclick_dishonest(self) -> float:
        """``P^d_{B,noclick} = P^{0|1}_sent``: a dishonest Bob with perfect channel and detectors misses only the
        rounds in which Alice's click was a dark count and no pair was emitted."""
        return float(self.sent_given_valid[0])

    @property
    def p_bob_error_joint(self) -> float:
        """``P^h_{B,err}``: joint probability that honest Bob clicks *and* records the wrong bit.

        Signal click: wrong detector with ``e_det`` and no dark count, or right detector plus a dark count in the
        other one (coin flip), or wrong detector plus a dark count in the right one. No signal: dark counts alone
        (one dark count gives a random bit, two give a coin flip).
        """
        p_dark = self.p_dark
        signal_click = 1.0 - self.p_bob_signal_noclick
        with_signal = (
            self.e_det * (1.0 - p_dark) ** 2
            + (1.0 - self.e_det) * 0.5 * p_dark
            + self.e_det * p_dark * (1.5 - p_dark)
        )
        dark_only = p_dark * (1.0 - p_dark) + 0.5 * p_dark**2
        return signal_click * with_signal + self.p_bob_signal_noclick * dark_only

    @property
    def qber_expected(self) -> float:
        """``p_err = P^h_{B,err} / P^h_{B,click}``: error rate of the rounds honest Bob detects."""
        return self.p_bob_error_joint / self.p_bob_click_honest
