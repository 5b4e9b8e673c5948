"""Honest-channel source statistics that feed the finite-size NSM analysis.

The Erven et al. 2014 chain needs five numbers per run: the number of rounds ``n``, the probability
``P^{1|1}_sent`` that a valid round carried exactly one pair, the no-click probabilities of an honest and of a
dishonest Bob, and the honest error rate ``p_err``. Two sources produce them:

* :func:`epr_link_statistics` -- the simulated EPR link of this package (one heralded two-qubit pair per round);
* :func:`pdc_statistics` -- the PDC source of :class:`caligo_sweep.physics.pdc_source.PDCSource` (Erven 2014).

References
----------
.. [1] C. Erven et al., Nat. Commun. 5, 3418 (2014), arXiv:1308.5098.
.. [2] R. König, S. Wehner, J. Wullschleger, IEEE Trans. Inf. Theory 58, 1962 (2012), arXiv:0906.1030.
"""

from __future__ import annotations

from dataclasses import dataclass

from caligo_sweep.physics.checks import require_positive, require_positive_integer, require_probability
from caligo_sweep.physics.pdc_source import PDCSource


@dataclass(frozen=True)
class SourceStatistics:
    """Per-round statistics of the honest channel, in the notation of Erven et al. 2014.

    Parameters
    ----------
    n_pairs : float
        Rounds ``n`` the storage rate refers to (Erven: pairs before loss; EPR link: delivered pairs), > 0.
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

    n_pairs: float
    p_single_given_valid: float
    p_noclick_honest: float
    p_noclick_dishonest: float
    qber: float

    def __post_init__(self) -> None:
        require_positive("n_pairs", self.n_pairs)
        for name in ("p_single_given_valid", "p_noclick_honest", "p_noclick_dishonest", "qber"):
            require_probability(name, getattr(self, name))


def epr_link_statistics(n_pairs: int, qber_upper: float) -> SourceStatistics:
    """Source statistics of the simulated EPR link: every delivered pair is one round with exactly one pair.

    Parameters
    ----------
    n_pairs : int
        Delivered (heralded) EPR pairs, > 0. Failed attempts are not rounds.
    qber_upper : float
        Finite-size upper confidence bound on the sifted error rate, from the estimation step.

    Returns
    -------
    SourceStatistics
        ``n = n_pairs``, ``P^{1|1}_sent = 1``, ``P^h_{B,noclick} = P^d_{B,noclick} = 0``, ``p_err = qber_upper``;
        hence ``m = n`` and ``m_1 = (1 - 3 zeta) n``.

    Notes
    -----
    Why this mapping is honest for the EPR link:

    * *One pair per round.* The engine delivers exactly one two-qubit state per successful attempt; there are no
      vacuum or multi-pair components, and Alice measures a genuine qubit in a BB84 basis. The uncertainty relation
      behind C_BB84 bounds Alice's outcomes for *any* joint state, so the analysis needs no trust in the pair (a
      dishonest Bob may even prepare it): ``P^{1|1}_sent = 1`` is exact. The multi-pair penalty of a PDC source exists
      because Alice's threshold detectors cannot tell one photon from two; a matter qubit has no such component.
    * *No losses to hide behind.* Success is heralded publicly before measurement, and every heralded pair is a
      round in which Bob's qubit is present and yields an outcome, so ``P^h_{B,noclick} = 0`` and ``m = n``; a
      dishonest Bob has no genuinely lost rounds either (``P^d_{B,noclick} = 0``). Assumption of this mapping: the
      herald is authentic (Bob cannot forge success signals).
    * *Errors.* All honest imperfections (link fidelity, dark counts in the herald, gate and memory noise) appear
      only in ``p_err``; passing an upper confidence bound keeps the error-correction leak conservative.
    * *Finite-size terms.* Of the three ``zeta n`` corrections in ``m_1`` only one is needed here: the acceptance
      window still lets Bob report up to ``zeta n`` rounds as missing; the other two cover fluctuations of counts
      that are deterministic for this source. Keeping all three puts both sources through one chain and is
      conservative (it costs ~0.85 % of the rounds at ``n = 1e6``, ``eps = 2.5e-7``).
    * *Storage normalisation.* ``S = nu n`` counts storable qubits per delivered pair (König et al. [2]_); Erven et
      al. normalise by all pairs before loss, which makes their nu look ~70x smaller. Compare runs through
      ``S``, not ``nu``.
    """
    return SourceStatistics(
        n_pairs=float(require_positive_integer("num_pairs", n_pairs)),
        p_single_given_valid=1.0,
        p_noclick_honest=0.0,
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
        Total photon pairs created, before losses (Erven Table I: 8.00e7), > 0.
    qber : float, optional
        Error rate to use instead of the model's ``p_err``, e.g. the upper confidence bound measured in a
        simulated run. By default the analytic ``source.qber_expected`` is used, as Erven et al. do.

    Returns
    -------
    SourceStatistics
        ``P^{1|1}_sent``, ``P^h_{B,noclick}``, ``P^d_{B,noclick} = P^{0|1}_sent`` and ``p_err`` of the model.
    """
    return SourceStatistics(
        n_pairs=float(n_pairs),
        p_single_given_valid=source.p_single_given_valid,
        p_noclick_honest=source.p_bob_noclick_honest,
        p_noclick_dishonest=source.p_bob_noclick_dishonest,
        qber=source.qber_expected if qber is None else float(qber),
    )
