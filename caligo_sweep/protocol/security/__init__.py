"""Security analysis of 1-2 oblivious transfer in the noisy-storage model (NSM).

Pure functions and frozen dataclasses, no sampling. The pipeline entry point is :func:`analyse_nsm_security`,
fed by :func:`epr_link_statistics` (simulated EPR link) or :func:`pdc_statistics` (Erven et al. 2014 PDC source).

Modules
-------
entropy            binary entropy and its inverse
storage_channel    capacity, strong-converse exponent and retention after the wait of the depolarising memory
finite_size        Hoeffding width, detection window (loss test), C_BB84 and its finite-size conventions
asymptotic         Schaffner-Terhal-Wehner and König-Wehner-Wullschleger conditions
sources            honest-channel statistics of the two sources
analysis           the finite-size chain and its result
qber_consistency   binomial test of the measured error rate against the model
"""

from caligo_sweep.protocol.security.analysis import NSMSecurityResult, analyse_nsm_security
from caligo_sweep.protocol.security.parameters import NSMParameters
from caligo_sweep.protocol.security.asymptotic import (
    STW_QBER_LIMIT,
    STW_R_TILDE,
    IndividualAttackConditions,
    capacity_rate,
    individual_attack_conditions,
    kww_capacity_secure,
    q_storage,
)
from caligo_sweep.entropy import binary_entropy, inverse_binary_entropy
from caligo_sweep.protocol.security.finite_size import C_BB84_TERMS, c_bb84, detection_window, hoeffding_width
from caligo_sweep.protocol.security.qber_consistency import QberConsistency, qber_consistent
from caligo_sweep.protocol.security.sources import SourceStatistics, epr_link_statistics, pdc_statistics
from caligo_sweep.protocol.security.storage_channel import (
    retention_after_wait,
    storage_capacity,
    strong_converse_exponent,
)

__all__ = [
    "C_BB84_TERMS",
    "STW_QBER_LIMIT",
    "STW_R_TILDE",
    "IndividualAttackConditions",
    "NSMParameters",
    "NSMSecurityResult",
    "QberConsistency",
    "SourceStatistics",
    "analyse_nsm_security",
    "binary_entropy",
    "c_bb84",
    "capacity_rate",
    "detection_window",
    "epr_link_statistics",
    "hoeffding_width",
    "individual_attack_conditions",
    "inverse_binary_entropy",
    "kww_capacity_secure",
    "pdc_statistics",
    "q_storage",
    "qber_consistent",
    "retention_after_wait",
    "storage_capacity",
    "strong_converse_exponent",
]
