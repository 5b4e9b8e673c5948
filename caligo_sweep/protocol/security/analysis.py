"""Finite-size security of 1-2 oblivious transfer in the noisy-storage model (Erven et al. 2014 chain).

Given the honest-channel statistics of a run (:class:`SourceStatistics`) and the assumed adversary memory
(:class:`NSMParameters`), :func:`analyse_nsm_security` decides whether an OT string can be certified and how long
it is. The chain, with all logarithms base 2 except inside the Hoeffding width:

1. ``zeta = sqrt(ln(2/eps)/(2n))``; Bob's detections ``m = (1 - P^h_{B,noclick}) n``; single-pair rounds he kept
   ``m_1 = (P^{1|1}_sent - P^h_{B,noclick} + P^d_{B,noclick} - 3 zeta) n``.  **Check A:** ``m_1 > 0``.
2. Min-entropy Bob lacks about one half of Alice's string: ``H = C_BB84(m_1) m_1 / 2 - 1 - log(1/(2 eps))``.
3. Storage ``S = nu n`` qubits of capacity ``C_N`` each.  **Check B:** ``C_N S < H``.
4. Rate per stored qubit ``R = H / S`` and strong-converse exponent ``gamma(R)`` of the memory [2]_.
5. ``ell = floor(S/2 gamma(R) - f h(p_err) m/2 - log(1/(2 eps)))``: residual uncertainty through the noisy
   memory, minus the one-way syndrome of the subset Bob does not decode, minus the privacy-amplification margin.
   **Check C:** ``ell > 0``.

Security error ``3 eps``; correctness error ``2 eps + eps_EC``. The length formula is a reconstruction of [1]_
Eq. (8), whose available transcription is garbled; it reproduces their m and m_1 and, within 0.01 percentage points, both
error-rate thresholds (0.962 % vs 0.954 % at eta = 0.015; 2.383 % vs 2.38 % at eta = 0.25). At their Table I
values it gives 1,802 bits where the paper reports 1,366: ell is a small difference of two ~6.5e4-bit terms, and
the 1-sigma error bar of eta alone (+-0.0001) moves it by about +-540 bits.

References
----------
.. [1] C. Erven et al., "An experimental implementation of oblivious transfer in the noisy storage model",
   Nat. Commun. 5, 3418 (2014), arXiv:1308.5098; Eqs. (1)-(8).
.. [2] R. König, S. Wehner, J. Wullschleger, IEEE Trans. Inf. Theory 58, 1962 (2012), arXiv:0906.1030.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from caligo_sweep.physics.checks import require_in_interval, require_integer, require_probability
from caligo_sweep.protocol.security.asymptotic import individual_attack_conditions
from caligo_sweep.protocol.security.entropy import binary_entropy
from caligo_sweep.protocol.security.finite_size import (
    c_bb84,
    detection_window,
    hoeffding_width,
    security_parameter_bits,
)
from caligo_sweep.protocol.security.sources import SourceStatistics
from caligo_sweep.protocol.security.storage_channel import storage_capacity, strong_converse_exponent


@dataclass(frozen=True)
class NSMParameters:
    """Assumed adversary memory and security parameters of the analysis.

    Parameters
    ----------
    r : float
        Retention probability of the depolarising memory N_r, in [0, 1] (``r = 1``: perfect memory).
        Config key ``nsm.r``.
    nu : float
        Storage rate: storable qubits per round, in [0, 1]; ``S = nu * n``. Config key ``nsm.nu``.
    eps : float
        Security parameter in (0, 1/2); the OT is ``3 eps``-secure. Config key ``nsm.eps``.
    ec_efficiency : float
        Error-correction efficiency f >= 1: a one-way syndrome of k bits costs ``f h(p) k`` bits.
        Config key ``nsm.ec_efficiency``.
    memory_dim : int
        Dimension d of one memory cell (2 for qubits). Config key ``nsm.memory_dim``.
    """

    r: float
    nu: float
    eps: float
    ec_efficiency: float
    memory_dim: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "r", require_probability("nsm.r", self.r))
        object.__setattr__(self, "nu", require_probability("nsm.nu", self.nu))
        eps = require_in_interval("nsm.eps", self.eps, 0.0, 0.5, low_open=True, high_open=True)
        object.__setattr__(self, "eps", eps)
        f = require_in_interval("nsm.ec_efficiency", self.ec_efficiency, 1.0, math.inf)
        object.__setattr__(self, "ec_efficiency", f)
        object.__setattr__(self, "memory_dim", require_integer("nsm.memory_dim", self.memory_dim, 2))


@dataclass(frozen=True)
class NSMSecurityResult:
    """Outcome of the finite-size NSM analysis of one run. Counts are real numbers (expected values).

    Attributes
    ----------
    n_pairs : float
        Rounds n the analysis refers to.
    qber : float
        Error rate p_err used for the leak and the asymptotic conditions.
    hoeffding_width : float
        zeta (two-sided, ``ln(2/eps)``).
    detection_window_low, detection_window_high : float
        Accepted range of Bob's reported detections, ``(1 - P^h_{B,noclick} -+ zeta) n``.
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
        S = nu n.
    rate_R : float
        H / S [bits per stored qubit]; ``inf`` when ``S = 0``; ``nan`` when check A fails.
    gamma : float
        Strong-converse exponent gamma(R) [bits per stored qubit]; 0 when R <= C_N; ``inf`` when ``S = 0``.
    ec_leak_bits : float
        f h(p_err) m / 2: syndrome of the subset Bob does not decode (h evaluated at ``min(p_err, 1/2)``).
    ot_length_margin_bits : float
        Real-valued ``S/2 gamma(R) - f h(p) m/2 - log(1/(2 eps))`` before flooring and clipping (for ``S = 0`` the
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
        A and B and C: an ell-bit 1-2 ROT is certified against general attacks with security error 3 eps.
    q_storage : float
        (1 - r)/2, the bit-flip rate the memory induces on a stored BB84 qubit.
    qber_below_stw_limit : bool
        Schaffner et al. 2009: p_err < 0.110028 (individual attacks, asymptotic).
    qber_below_storage_noise : bool
        Schaffner et al. 2009: p_err < (1 - r)/2 strictly (binding for r >= 0.779944).
    capacity_rate : float
        C_N * nu, storable bits per round.
    kww_capacity_ok : bool
        König et al. 2012 asymptotic condition C_N * nu < 1/2.
    """

    n_pairs: float
    qber: float
    hoeffding_width: float
    detection_window_low: float
    detection_window_high: float
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
    capacity_rate: float
    kww_capacity_ok: bool


def analyse_nsm_security(source: SourceStatistics, nsm: NSMParameters) -> NSMSecurityResult:
    """Run the finite-size NSM security chain for one parameter point.

    Parameters
    ----------
    source : SourceStatistics
        Honest-channel statistics (see :func:`~caligo_sweep.protocol.security.sources.epr_link_statistics` and
        :func:`~caligo_sweep.protocol.security.sources.pdc_statistics`).
    nsm : NSMParameters
        Memory model (r, nu, d) and security parameters (eps, f).

    Returns
    -------
    NSMSecurityResult
        Every intermediate quantity, the three finite-size checks, the asymptotic conditions, and the OT length
        (0 when insecure). An insecure point is a result, never an exception.
    """
    n = source.n_pairs
    eps = nsm.eps
    d = nsm.memory_dim
    pa_margin = security_parameter_bits(eps)

    zeta = float(hoeffding_width(n, eps))
    window_low, window_high = detection_window(n, source.p_noclick_honest, eps)
    m = (1.0 - source.p_noclick_honest) * n
    m1 = (source.p_single_given_valid - source.p_noclick_honest + source.p_noclick_dishonest - 3.0 * zeta) * n
    single_pairs_ok = m1 > 0.0

    capacity = float(storage_capacity(nsm.r, d))
    storage_qubits = nsm.nu * n
    leak = nsm.ec_efficiency * float(binary_entropy(min(source.qber, 0.5))) * m / 2.0

    constant = min_entropy = rate = gamma = margin = math.nan
    if single_pairs_ok:
        constant = float(c_bb84(m1, eps))
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
    ot_length = int(math.floor(margin)) if storage_bound_ok and margin >= 1.0 else 0
    length_positive = ot_length > 0

    individual = individual_attack_conditions(source.qber, nsm.r)
    rate_capacity = capacity * nsm.nu
    return NSMSecurityResult(
        n_pairs=n,
        qber=source.qber,
        hoeffding_width=zeta,
        detection_window_low=window_low,
        detection_window_high=window_high,
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
        capacity_rate=rate_capacity,
        kww_capacity_ok=rate_capacity < 0.5,
    )
