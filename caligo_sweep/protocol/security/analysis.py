"""Finite-size security of 1-2 oblivious transfer in the noisy-storage model (Erven et al. 2014 chain).

Given the honest-channel statistics of a run (:class:`SourceStatistics`) and the assumed adversary memory
(:class:`~caligo_sweep.protocol.security.parameters.NSMParameters`), :func:`analyse_nsm_security` decides whether an OT string can be certified against
general attacks and how long it is. The chain, with all logarithms base 2 except inside the Hoeffding width:

1. ``zeta = sqrt(ln(2/eps)/(2n))`` with ``n`` the rounds Alice *sends* (before loss); Bob's detections
   ``m = (1 - P^h_{B,noclick}) n``; single-pair rounds he kept
   ``m_1 = (P^{1|1}_sent - P^h_{B,noclick} + P^d_{B,noclick} - 3 zeta) n``.  **Loss test:** Alice accepts Bob's
   reported number of detections only inside ``(1 - P^h_{B,noclick} -+ zeta) n``.  **Check A:** ``m_1 > 0``.
2. Min-entropy Bob lacks about one of the two strings: ``H = C_BB84(m_1) m_1 / 2 - 1 - log(1/(2 eps))``.
3. Storage ``S = nu n`` qubits (or an absolute ``S``, as Ng et al. 2012 state it) of capacity ``C_N`` each.
   **Check B:** ``C_N S < H``.
4. Rate per stored qubit ``R = H / S`` and strong-converse exponent ``gamma(R)`` of the memory [2]_.
5. ``ell = floor(S/2 gamma(R) - leak - log(1/(2 eps)))`` with the one-way syndrome of the subset Bob does not
   decode, ``leak = f h(p_err) m/2`` unless the actual leak or the actual subset length is given.
   **Check C:** ``ell > 0``.

Security error ``3 eps``; correctness error ``2 eps + eps_EC``.

The two halvings
----------------
*H = C_BB84 m_1 / 2 - 1 - ...*: the uncertainty relation ([1]_ Eq. 3, from Ng, Berta and Wehner) bounds Bob's
smooth min-entropy about Alice's whole string of single-pair rounds by ``C_BB84 m_1``; Bob must be ignorant of one
of the two substrings ``X|I_0``, ``X|I_1``, and the ``/2 - 1`` is the form of the min-entropy splitting lemma
(Damgård, Fehr, Renner, Salvail, Schaffner, CRYPTO 2007) that gives one of two halves half the entropy less one
bit. Erven et al. print it in their Eq. (7). *(S/2) gamma(R)*: the storage term of [1]_ Eq. (8), halved again as
printed there (nsm_physics.md section 2.4 reconstructs the garbled transcription). Since ``gamma(R) <= R``
(``log2(d lambda_1) >= 0``), ``S gamma(R) <= H``, so ``ell <= H/2 - leak`` for any memory: a positive length needs
``f h(p) m/2 < C_BB84 m_1/4``, i.e. ``h(p) < C_BB84 m_1 / (2 f m) <= 1/(4 f)``. At ``f = 1.2`` this caps the error
rate at about 3.3 % (``f = 1.491``: 2.5 %), whatever ``r`` is -- far below Schaffner et al.'s 11 %, which holds
only against individual-storage attacks and asymptotically. The chain is *sufficient* for security, not necessary:
points it rejects are not shown to be insecure.

Reproduction of Erven et al.: the length formula is a reconstruction of [1]_ Eq. (8), whose available transcription
is garbled; it reproduces their m and m_1 and, within 0.01 percentage points, both error-rate thresholds
(0.962 % vs 0.954 % at eta = 0.015; 2.383 % vs 2.38 % at eta = 0.25). At their Table I values it gives 1,802 bits
where the paper reports 1,366: ell is a small difference of two ~6.5e4-bit terms, and the 1-sigma error bar of
eta alone (+-0.0001) moves it over about 1,261-2,344 bits. C_BB84, R and gamma are not printed in the paper.

References
----------
.. [1] C. Erven et al., "An experimental implementation of oblivious transfer in the noisy storage model",
   Nat. Commun. 5, 3418 (2014), arXiv:1308.5098; Eqs. (1)-(8).
.. [2] R. König, S. Wehner, J. Wullschleger, IEEE Trans. Inf. Theory 58, 1962 (2012), arXiv:0906.1030.
.. [3] C. Schaffner, B. Terhal, S. Wehner, Quantum Inf. Comput. 9, 963 (2009), arXiv:0807.1333; Corollary 7.
.. [4] H. S. Ng, S. K. Joshi, C. Ming, C. Kurtsiefer, S. Wehner, Nat. Commun. 3, 1326 (2012).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from caligo_sweep.physics.checks import require_non_negative
from caligo_sweep.protocol.security.asymptotic import individual_attack_conditions
from caligo_sweep.entropy import binary_entropy
from caligo_sweep.protocol.security.finite_size import (
    c_bb84,
    detection_window,
    hoeffding_width,
    security_parameter_bits,
)
from caligo_sweep.protocol.security.parameters import NSMParameters
from caligo_sweep.protocol.security.sources import SourceStatistics
from caligo_sweep.protocol.security.storage_channel import storage_capacity, strong_converse_exponent


@dataclass(frozen=True)
class NSMSecurityResult:
    """Outcome of the finite-size NSM analysis of one run. Counts are real numbers (expected values).

    Attributes
    ----------
    n_rounds : float
        Rounds n Alice sent (before loss).
    qber : float
        Error rate p_err used for the leak and the asymptotic conditions.
    hoeffding_width : float
        zeta (two-sided, ``ln(2/eps)``).
    detection_window_low, detection_window_high : float
        Loss-test window on Bob's reported detections, ``(1 - P^h_{B,noclick} -+ zeta) n``.
    loss_test_passed : bool or None
        Whether the reported detections lie in the window; None when no count was reported (analytic source).
    m : float
        Expected detections of honest Bob, ``(1 - P^h_{B,noclick}) n``.
    m1 : float
        Finite-size lower bound on single-pair rounds Bob kept (may be negative: check A fails).
    c_bb84 : float
        C_BB84(m1) [bits per single-pair round]; ``nan`` when check A fails.
    min_entropy_bits : float
        H = C_BB84 m1 / 2 - 1 - log(1/(2 eps)) [bits]; ``nan`` when check A fails.
    storage_capacity : float
        C_N of one memory cell [bits per qubit].
    storage_qubits : float
        S = nu n (or the absolute S).
    rate_R : float
        H / S [bits per stored qubit]; ``inf`` when ``S = 0``; ``nan`` when check A fails.
    gamma : float
        Strong-converse exponent gamma(R) [bits per stored qubit]; 0 when R <= C_N; ``inf`` when ``S = 0``.
    ec_leak_bits : float
        Syndrome of the subset Bob does not decode: as given, or ``f h(p_err) k`` for a given subset length k, or
        ``f h(p_err) m / 2`` (h evaluated at ``min(p_err, 1/2)``).
    ot_length_margin_bits : float
        Real-valued ``S/2 gamma(R) - leak - log(1/(2 eps))`` before flooring and clipping (for ``S = 0`` the
        limit ``H/2 - ...``); ``nan`` when check A fails. Its sign change is the security boundary.
    ot_length_bits : int
        Certified OT string length ell; 0 whenever the point is not secure.
    single_pairs_ok : bool
        Check A, Erven Eq. (5): m1 > 0.
    storage_bound_ok : bool
        Check B, Erven Eq. (7): C_N S < H.
    length_positive : bool
        Check C: ell > 0.
    secure : bool
        Loss test (when reported) and A and B and C: an ell-bit 1-2 ROT is certified against general attacks with
        security error 3 eps (finite size, Erven et al. 2014).
    q_storage : float
        (1 - r)/2, the bit-flip rate the memory induces on a stored BB84 qubit.
    qber_below_stw_limit : bool
        Schaffner et al. 2009: p_err < 0.110028 (individual-storage attacks, asymptotic).
    qber_below_storage_noise : bool
        Schaffner et al. 2009: p_err < (1 - r)/2 strictly.
    individual_secure : bool
        Schaffner et al. 2009 Corollary 7 in full, ``p_err < min(0.110028, (1 - r)/2)`` (individual-storage
        attacks, asymptotic).
    capacity_rate : float
        C_N * S / n, storable bits per round sent.
    kww_capacity_ok : bool
        König et al. 2012 asymptotic condition C_N * nu < 1/2 (general attacks, asymptotic).
    """

    n_rounds: float
    qber: float
    hoeffding_width: float
    detection_window_low: float
    detection_window_high: float
    loss_test_passed: Optional[bool]
    m: float
    m1: float
    c_bb84: float
    min_entropy_bits: float
    storage_capacity: float
    storage_qubits: float
    rate_R: float
    gamma: float
    ec_leak_bits: float
    ot_length_margin_bits: float
    ot_length_bits: int
    single_pairs_ok: bool
    storage_bound_ok: bool
    length_positive: bool
    secure: bool
    q_storage: float
    qber_below_stw_limit: bool
    qber_below_storage_noise: bool
    individual_secure: bool
    capacity_rate: float
    kww_capacity_ok: bool


def _leak_bits(
    source: SourceStatistics, nsm: NSMParameters, m: float, ec_leak_bits: Optional[float],
    half_length_bits: Optional[float],
) -> float:
    """The error-correction leak: the actual one, or ``f h(p)`` times the subset length (``m/2`` by default)."""
    if ec_leak_bits is not None and half_length_bits is not None:
        raise ValueError("give at most one of ec_leak_bits and half_length_bits")
    if ec_leak_bits is not None:
        return require_non_negative("ec_leak_bits", ec_leak_bits)
    if nsm.ec_efficiency is None:
        raise ValueError("without an assumed ec_efficiency the chain needs the actual leak (ec_leak_bits)")
    length = m / 2.0 if half_length_bits is None else require_non_negative("half_length_bits", half_length_bits)
    return nsm.ec_efficiency * float(binary_entropy(min(source.qber, 0.5))) * length


def analyse_nsm_security(
    source: SourceStatistics,
    nsm: NSMParameters,
    *,
    ec_leak_bits: Optional[float] = None,
    half_length_bits: Optional[float] = None,
    reported_detections: Optional[float] = None,
) -> NSMSecurityResult:
    """Run the finite-size NSM security chain for one parameter point.

    Parameters
    ----------
    source : SourceStatistics
        Honest-channel statistics (see :func:`~caligo_sweep.protocol.security.sources.epr_link_statistics` and
        :func:`~caligo_sweep.protocol.security.sources.pdc_statistics`).
    nsm : NSMParameters
        Memory model (r, S, d) and security parameters (eps, f, C_BB84 convention).
    ec_leak_bits : float, optional
        Actual error-correction leak [bits] about the subset Bob does not decode (the syndrome length of the
        reconciliation that ran). Default: the estimate ``f h(p_err) m / 2``.
    half_length_bits : float, optional
        Actual length [bits] of that subset; the leak is then ``f h(p_err) half_length_bits``. Give at most one of
        ``ec_leak_bits`` and ``half_length_bits``.
    reported_detections : float, optional
        Detections Bob reported (delivered pairs of a simulated link), checked against the loss-test window.
        Outside it Alice aborts and nothing is certified. Default: no test (analytic source).

    Returns
    -------
    NSMSecurityResult
        Every intermediate quantity, the finite-size checks, the asymptotic conditions, and the OT length (0 when
        insecure). An insecure point is a result, never an exception.

    Raises
    ------
    ValueError
        If both ``ec_leak_bits`` and ``half_length_bits`` are given, or either is negative.
    """
    n = source.n_rounds
    eps = nsm.eps
    d = nsm.memory_dim
    pa_margin = security_parameter_bits(eps)

    zeta = float(hoeffding_width(n, eps))
    window_low, window_high = detection_window(n, source.p_noclick_honest, eps)
    loss_test_passed = None if reported_detections is None else bool(window_low <= reported_detections <= window_high)
    m = (1.0 - source.p_noclick_honest) * n
    m1 = (source.p_single_given_valid - source.p_noclick_honest + source.p_noclick_dishonest - 3.0 * zeta) * n
    single_pairs_ok = m1 > 0.0

    capacity = float(storage_capacity(nsm.r, d))
    storage_qubits = nsm.storage_for(n)
    leak = _leak_bits(source, nsm, m, ec_leak_bits, half_length_bits)

    constant = min_entropy = rate = gamma = margin = math.nan
    if single_pairs_ok:
        constant = float(c_bb84(m1, eps, nsm.c_bb84_term))
        min_entropy = constant * m1 / 2.0 - 1.0 - pa_margin
        if storage_qubits > 0.0:
            rate = min_entropy / storage_qubits
            gamma = float(strong_converse_exponent(rate, nsm.r, d))
            storage_term = 0.5 * storage_qubits * gamma
        else:
            rate = gamma = math.inf
            storage_term = 0.5 * min_entropy
        margin = storage_term - leak - pa_margin
    storage_bound_ok = single_pairs_ok and capacity * storage_qubits < min_entropy
    accepted = loss_test_passed is not False
    ot_length = int(math.floor(margin)) if accepted and storage_bound_ok and margin >= 1.0 else 0
    length_positive = ot_length > 0

    individual = individual_attack_conditions(source.qber, nsm.r)
    rate_capacity = capacity * storage_qubits / n
    return NSMSecurityResult(
        n_rounds=n,
        qber=source.qber,
        hoeffding_width=zeta,
        detection_window_low=window_low,
        detection_window_high=window_high,
        loss_test_passed=loss_test_passed,
        m=m,
        m1=m1,
        c_bb84=constant,
        min_entropy_bits=min_entropy,
        storage_capacity=capacity,
        storage_qubits=storage_qubits,
        rate_R=rate,
        gamma=gamma,
        ec_leak_bits=leak,
        ot_length_margin_bits=margin,
        ot_length_bits=ot_length,
        single_pairs_ok=single_pairs_ok,
        storage_bound_ok=storage_bound_ok,
        length_positive=length_positive,
        secure=length_positive,
        q_storage=individual.q_storage,
        qber_below_stw_limit=individual.qber_below_limit,
        qber_below_storage_noise=individual.qber_below_storage_noise,
        individual_secure=individual.secure,
        capacity_rate=rate_capacity,
        kww_capacity_ok=rate_capacity < 0.5,
    )
