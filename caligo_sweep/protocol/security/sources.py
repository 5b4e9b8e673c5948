"""Honest-channel source statistics that feed the finite-size NSM analysis.

The Erven et al. 2014 chain needs five numbers per run: the number of rounds ``n`` Alice sends, the probability
``P^{1|1}_sent`` that a valid round carried exactly one pair, the no-click probabilities of an honest and of a
dishonest Bob, and the honest error rate ``p_err``. Two sources produce them:

* :func:`epr_link_statistics` -- the simulated EPR link of this package (one round per entanglement attempt);
* :func:`pdc_statistics` -- the PDC source of :class:`caligo_sweep.physics.pdc_source.PDCSource` (Erven 2014).

References
----------
.. [1] C. Erven et al., Nat. Commun. 5, 3418 (2014), arXiv:1308.5098.
.. [2] R. König, S. Wehner, J. Wullschleger, IEEE Trans. Inf. Theory 58, 1962 (2012), arXiv:0906.1030.
.. [3] S. Wehner, M. Curty, C. Schaffner, H.-K. Lo, Phys. Rev. A 81, 052336 (2010), arXiv:0911.2302; Sec. V.
"""

from __future__ import annotations

from dataclasses import dataclass

from caligo_sweep.physics.checks import (
    require_in_interval,
    require_positive,
    require_positive_integer,
    require_probability,
)
from caligo_sweep.physics.pdc_source import PDCSource


@dataclass(frozen=True)
class SourceStatistics:
    """Per-round statistics of the honest channel, in the notation of Erven et al. 2014.

    Parameters
    ----------
    n_rounds : float
        Rounds ``n`` Alice sends, before loss (Erven: pairs created; EPR link: entanglement attempts times modes),
        > 0. The storage ``S = nu n`` and the Hoeffding width refer to it.
    p_single_given_valid : float
        ``P^{1|1}_sent``: probability that a valid round carried exactly one pair.
    p_noclick_honest : float
        ``P^h_{B,noclick}``: probability that honest Bob reports no detection in a valid round.
    p_noclick_dishonest : float
        ``P^d_{B,noclick}``: probability that a dishonest Bob with perfect equipment gets no detection.
    qber : float
        ``p_err``: error rate of honest Bob's detected rounds, in [0, 1]. Pass an upper confidence bound when it
        comes from a measurement.
    """

    n_rounds: float
    p_single_given_valid: float
    p_noclick_honest: float
    p_noclick_dishonest: float
    qber: float

    def __post_init__(self) -> None:
        require_positive("n_rounds", self.n_rounds)
        for name in ("p_single_given_valid", "p_noclick_honest", "p_noclick_dishonest", "qber"):
            require_probability(name, getattr(self, name))


def epr_link_statistics(n_rounds: int, qber_upper: float, *, detection_probability: float = 1.0) -> SourceStatistics:
    """Source statistics of the simulated EPR link, with rounds counted as Wehner et al. 2010 and Erven 2014 do.

    Parameters
    ----------
    n_rounds : int
        Rounds Alice sent, > 0: one round per entanglement attempt, or per mode of a multiplexed attempt. Failed
        attempts are rounds; the run measures their number.
    qber_upper : float
        Upper confidence bound on the sifted error rate (the calibration stage's bound).
    detection_probability : float
        Probability in (0, 1] that one round delivers a pair to honest Bob: the link's ``p_success`` per
        attempt, divided by the modes per attempt (one pair per attempt at most). 1 for a lossless link.

    Returns
    -------
    SourceStatistics
        ``n = n_rounds``, ``P^{1|1}_sent = 1``, ``P^h_{B,noclick} = 1 - detection_probability``,
        ``P^d_{B,noclick} = 0``, ``p_err = qber_upper``; hence ``m = detection_probability n`` (expected delivered
        pairs) and ``m_1 = (detection_probability - 3 zeta) n``. For ``detection_probability = 1``: ``m = n``.

    Notes
    -----
    Why this mapping is conservative:

    * *Rounds are emissions.* As in [1]_ and [3]_, the adversary's storage ``S = nu n`` is counted per round Alice
      *sends*, not per pair delivered; counting delivered pairs would give a lossy link an adversary ``1/p``
      times weaker than the literature's for the same ``nu``.
    * *One qubit per round.* Every attempt puts exactly one qubit of Alice's in flight; there are no vacuum or
      multi-pair components, and Alice measures a genuine qubit in a BB84 basis, so ``P^{1|1}_sent = 1``. The
      uncertainty relation behind C_BB84 bounds Alice's outcomes for any joint state, so the pair need not be
      trusted.
    * *What a dishonest Bob may do per attempt.* He may own the whole channel and the heralding station: receive
      Alice's qubit through a lossless channel in every attempt, keep it, and declare success or failure at will,
      after seeing what he received. Alice only checks that the number of declared successes lies in the window
      ``[(p - zeta) n, (p + zeta) n]`` around the honest expectation (the loss test). His no-click probability
      ``P^d_{B,noclick}`` enters ``m_1`` with a plus sign (rounds he genuinely misses are rounds he cannot have
      chosen to keep); 0, a Bob who never misses a qubit, is its smallest value and therefore the conservative
      choice. He may thus discard up to ``(1 - p + zeta) n`` rounds of his choice; every round he keeps is a
      single-qubit round, and ``m_1`` counts them with the two further widths of [1]_ Eq. (3).
    * *Errors.* All honest imperfections (link fidelity, dark counts in the herald, gate and memory noise) appear
      only in ``p_err``; passing an upper confidence bound keeps the error-correction leak conservative.
    * *Assumption.* Heralded successes are reported faithfully by an honest Bob; a dishonest one gains nothing
      from forging them beyond what the loss test allows, which the bullet above already grants him.
    """
    p_click = require_in_interval("detection_probability", detection_probability, 0.0, 1.0, low_open=True)
    return SourceStatistics(
        n_rounds=float(require_positive_integer("n_rounds", n_rounds)),
        p_single_given_valid=1.0,
        p_noclick_honest=1.0 - p_click,
        p_noclick_dishonest=0.0,
        qber=float(qber_upper),
    )


def pdc_statistics(source: PDCSource, n_pairs: float, qber: float | None = None) -> SourceStatistics:
    """Source statistics of the Erven et al. 2014 PDC model.

    Parameters
    ----------
    source : PDCSource
        Source and detector parameters (mu, eta, e_det, p_dark).
    n_pairs : float
        Total photon pairs created, before losses (Erven Table I: 8.00e7), > 0: the rounds ``n``.
    qber : float, optional
        Error rate to use instead of the model's ``p_err``, e.g. the upper confidence bound measured in a
        simulated run. By default the analytic ``source.qber_expected`` is used, as Erven et al. do.

    Returns
    -------
    SourceStatistics
        ``P^{1|1}_sent``, ``P^h_{B,noclick}``, ``P^d_{B,noclick} = P^{0|1}_sent`` and ``p_err`` of the model.
    """
    return SourceStatistics(
        n_rounds=float(n_pairs),
        p_single_given_valid=source.p_single_given_valid,
        p_noclick_honest=source.p_bob_noclick_honest,
        p_noclick_dishonest=source.p_bob_noclick_dishonest,
        qber=source.qber_expected if qber is None else float(qber),
    )
