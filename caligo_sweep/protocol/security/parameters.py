"""The adversary's memory and the security parameters the NSM analysis assumes (config group ``nsm``).

:class:`NSMParameters` validates every value once, with one-line errors naming the config key, when the run's
config is prepared (:mod:`caligo_sweep.config.build`); :func:`~caligo_sweep.protocol.security.analysis.analyse_nsm_security`
reads it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import (
    require_in_interval,
    require_integer,
    require_non_negative,
    require_probability,
)
from caligo_sweep.protocol.security.finite_size import C_BB84_TERMS


@dataclass(frozen=True)
class NSMParameters:
    """Assumed adversary memory and security parameters of the analysis.

    Parameters
    ----------
    r : float
        Retention probability of the depolarising memory N_r *after the wait* Delta t, in [0, 1] (``r = 1``:
        perfect memory). Config key ``nsm.r``, or derived from ``nsm.memory_time_ns`` by
        :func:`~caligo_sweep.protocol.security.storage_channel.retention_after_wait`.
    nu : float or None
        Storage rate: storable qubits per round Alice sends, in [0, 1]; ``S = nu * n``. Config key ``nsm.nu``.
        Give exactly one of ``nu`` and ``storage_qubits``.
    eps : float
        Security parameter in (0, 1/2); the OT is ``3 eps``-secure. Config key ``nsm.eps``.
    ec_efficiency : float or None
        Assumed error-correction efficiency f >= 1: a one-way syndrome of k bits costs ``f h(p) k`` bits.
        Config key ``reconciliation.efficiency`` (with ``reconciliation=assumed``). None: no assumption, the chain must be
        given the actual leak (``ec_leak_bits``).
    memory_dim : int
        Dimension d of one memory cell (2 for qubits). Config key ``nsm.memory_dim``.
    storage_qubits : float or None
        Absolute storage S [qubits], >= 0, as Ng et al. 2012 state it. Config key ``nsm.storage_qubits``.
    c_bb84_term : str
        Finite-size term of C_BB84: ``"erven2014"`` (``log2(1/(2 eps))``) or ``"ng2012"`` (``log2(2/eps^2)``).
        Config key ``nsm.c_bb84_term``.
    """

    r: float
    nu: Optional[float]
    eps: float
    ec_efficiency: Optional[float] = None
    memory_dim: int = 2
    storage_qubits: Optional[float] = None
    c_bb84_term: str = "erven2014"

    def __post_init__(self) -> None:
        object.__setattr__(self, "r", require_probability("nsm.r", self.r))
        if self.nu is not None and self.storage_qubits is not None:
            raise ConfigValueError("nsm.storage_qubits", "null when nsm.nu is given (give one of them)",
                                   self.storage_qubits)
        if self.nu is None and self.storage_qubits is None:
            raise ConfigValueError("nsm.nu", "a number in [0, 1] when nsm.storage_qubits is null (give one of them)",
                                   self.nu)
        if self.nu is not None:
            object.__setattr__(self, "nu", require_probability("nsm.nu", self.nu))
        else:
            object.__setattr__(self, "storage_qubits", require_non_negative("nsm.storage_qubits", self.storage_qubits))
        eps = require_in_interval("nsm.eps", self.eps, 0.0, 0.5, low_open=True, high_open=True)
        object.__setattr__(self, "eps", eps)
        if self.ec_efficiency is not None:
            f = require_in_interval("reconciliation.efficiency", self.ec_efficiency, 1.0, math.inf)
            object.__setattr__(self, "ec_efficiency", f)
        object.__setattr__(self, "memory_dim", require_integer("nsm.memory_dim", self.memory_dim, 2))
        if self.c_bb84_term not in C_BB84_TERMS:
            raise ConfigValueError("nsm.c_bb84_term", f"one of {', '.join(C_BB84_TERMS)}", self.c_bb84_term)

    def storage_for(self, n_rounds: float) -> float:
        """Storage S [qubits] of an adversary facing ``n_rounds`` rounds: ``nu * n_rounds`` or the absolute S."""
        return self.nu * n_rounds if self.nu is not None else float(self.storage_qubits)
