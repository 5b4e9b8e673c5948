"""Frozen, validated settings of the non-physics groups (nsm, workers, engine, protocol) and the run size.

Built once from the composed config by :func:`caligo_sweep.config.build.prepare_run`; each constructor checks its
ranges and names the user's config key in the error.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import (
    require_bool,
    require_in_interval,
    require_non_negative,
    require_positive_integer,
    require_probability,
)

#: joblib backends a run can use; dask and ray need their optional extras installed.
BACKENDS = ("loky", "threading", "dask", "ray")
#: Engine sampling paths.
SAMPLING_PATHS = ("counts", "bits")
#: Embedded engines.
ENGINES = ("numpy",)


@dataclass(frozen=True)
class NsmParameters:
    """Adversary storage model and security parameters.

    Parameters
    ----------
    r : float
        Probability that the depolarising storage N_r(rho) = r rho + (1 - r) I/d keeps a qubit, in [0, 1].
    nu : float
        Storage rate: storable qubits per transmitted pair, in [0, 1].
    delta_t_ns : float
        Wait time Delta t between the end of the quantum phase and the basis announcement [ns], >= 0.
    eps : float
        Security parameter epsilon, in (0, 1).
    ec_efficiency : float
        Error-correction efficiency f >= 1 (syndrome length f h(p) per bit).
    memory_dim : int
        Dimension d >= 2 of one storage cell.
    """

    r: float
    nu: float
    delta_t_ns: float
    eps: float
    ec_efficiency: float
    memory_dim: int

    def __post_init__(self) -> None:
        require_probability("nsm.r", self.r)
        require_probability("nsm.nu", self.nu)
        require_non_negative("nsm.delta_t_ns", self.delta_t_ns)
        require_in_interval("nsm.eps", self.eps, 0.0, 1.0, low_open=True, high_open=True)
        require_in_interval("nsm.ec_efficiency", self.ec_efficiency, 1.0, float("inf"), high_open=True)
        if require_positive_integer("nsm.memory_dim", self.memory_dim) < 2:
            raise ConfigValueError("nsm.memory_dim", "an integer >= 2", self.memory_dim)


@dataclass(frozen=True)
class WorkerSettings:
    """How the EPR batches of one run are executed (``workers`` group)."""

    n_jobs: int
    batch_size: int
    backend: str
    progress: bool

    def __post_init__(self) -> None:
        if (
            isinstance(self.n_jobs, bool)
            or not isinstance(self.n_jobs, numbers.Integral)
            or not (self.n_jobs >= 1 or self.n_jobs == -1)
        ):
            raise ConfigValueError("workers.n_jobs", "an integer >= 1, or -1 for every core", self.n_jobs)
        require_positive_integer("workers.batch_size", self.batch_size)
        _require_choice("workers.backend", self.backend, BACKENDS)
        require_bool("workers.progress", self.progress)


@dataclass(frozen=True)
class EngineSettings:
    """Which engine and sampling path produce the pairs (``engine`` group)."""

    name: str
    sampling: str
    keep_bits: bool

    def __post_init__(self) -> None:
        _require_choice("engine.name", self.name, ENGINES)
        _require_choice("engine.sampling", self.sampling, SAMPLING_PATHS)
        require_bool("engine.keep_bits", self.keep_bits)


@dataclass(frozen=True)
class ProtocolSettings:
    """Run-time policy of the protocol (``protocol`` group)."""

    strict: bool
    qber_eps: float
    strict_timing: bool

    def __post_init__(self) -> None:
        require_bool("protocol.strict", self.strict)
        require_in_interval("protocol.qber_eps", self.qber_eps, 0.0, 1.0, low_open=True, high_open=True)
        require_bool("protocol.strict_timing", self.strict_timing)


def require_seed(value: object) -> int:
    """The root seed: a non-negative integer (numpy's SeedSequence takes no negative entropy)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ConfigValueError("seed", "an integer >= 0", value)
    return int(value)


def _require_choice(key: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ConfigValueError(key, f"one of {', '.join(choices)}", value)
    return str(value)
