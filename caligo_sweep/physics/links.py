"""Entanglement links: what one successful attempt delivers, how often an attempt succeeds and how long it takes.

Every link model exposes the same delivery interface (:class:`LinkModel`): ``p_success`` per attempt,
``cycle_time_ns`` per attempt, ``herald_delay_ns`` (the time the delivered qubits sit in memory before the
application is told about them), and ``branches``, the delivered states with their Bell labels and probabilities.
A pair that needs K attempts (K geometric with parameter ``p_success``) reaches the application after
``K * cycle_time_ns`` of simulated time (squid_stack.md sections 2.1-2.2 and 3.1).

This module holds the two simple links of netsquid-netbuilder, ``perfect`` and ``depolarise``; the heralded
double-click link lives in :mod:`caligo_sweep.physics.heralded`. Fields carry their unit in the name
(``t_cycle_ns``); range errors name the user's config key, which is netbuilder's field name under ``link.``
(``link.t_cycle``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Protocol

import numpy as np

from caligo_sweep.physics.checks import require_in_interval, require_positive
from caligo_sweep.physics.states import BellIndex, bell_density_matrix, maximally_mixed

#: netsquid-netbuilder's default speed of light in fibre [km/s].
DEFAULT_SPEED_OF_LIGHT_KM_S = 200_000.0


def travel_time_ns(length_km: float, speed_of_light_km_s: float) -> float:
    """One-way signal travel time [ns] over ``length_km`` of fibre at ``speed_of_light_km_s``."""
    return length_km / speed_of_light_km_s * 1e9


def _checked_travel_time_ns(length_km: float, speed_of_light_km_s: float) -> float:
    """Travel time [ns] over a fibre given by the user, after checking ``link.length`` and ``link.speed_of_light``.

    The length must be > 0: it is the attempt time of a perfect or depolarise link, and a 0 ns attempt would make
    the pair rate infinite.
    """
    length = require_positive("link.length", length_km)
    speed = require_positive("link.speed_of_light", speed_of_light_km_s)
    return travel_time_ns(length, speed)


@dataclass(frozen=True)
class DeliveredBranch:
    """One possible outcome of a successful attempt: the two-qubit state and the Bell label the link reports.

    Parameters
    ----------
    probability : float
        Probability of this branch given that the attempt succeeded; the branches of a link sum to one.
    bell_index : BellIndex
        Label reported to both nodes; the receiver corrects the state towards Phi+ according to it.
    rho : numpy.ndarray
        4 x 4 density matrix of the delivered pair (qubit 0 Alice, qubit 1 Bob), read-only.
    """

    probability: float
    bell_index: BellIndex
    rho: np.ndarray = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        rho = np.array(self.rho, dtype=np.complex128)
        rho.setflags(write=False)
        object.__setattr__(self, "rho", rho)
        object.__setattr__(self, "bell_index", BellIndex(self.bell_index))


class LinkModel(Protocol):
    """Delivery interface shared by every link model."""

    model_name: ClassVar[str]

    @property
    def p_success(self) -> float:
        """Probability that one attempt succeeds."""

    @property
    def cycle_time_ns(self) -> float:
        """Duration of one attempt [ns]."""

    @property
    def herald_delay_ns(self) -> float:
        """Time [ns] the delivered qubits wait in memory before the application may act on them."""

    @property
    def branches(self) -> tuple[DeliveredBranch, ...]:
        """Delivered states given success, with their labels and probabilities."""

    @property
    def detection_probability_per_side(self) -> float:
        """Probability that a photon emitted at one side is detected; ``nan`` for links without photons."""

    @property
    def modes_per_attempt(self) -> int:
        """Modes tried per attempt (rounds Alice sends per attempt)."""


class _DirectDelivery:
    """Timing shared by the links without photons: the label arrives with the state (netbuilder label_delay 0)."""

    @property
    def herald_delay_ns(self) -> float:
        """The delivered qubits are usable at once."""
        return 0.0

    @property
    def detection_probability_per_side(self) -> float:
        """Not defined: no photon is detected."""
        return float("nan")

    @property
    def modes_per_attempt(self) -> int:
        """One mode per attempt."""
        return 1


@dataclass(frozen=True)
class PerfectLink(_DirectDelivery):
    """netsquid-netbuilder's ``perfect`` link: exact Phi+ at every attempt.

    The builder makes a ``PerfectStateMagicDistributor(state_delay, label_delay=0, cycle_time=state_delay)``, so a
    pair arrives ``state_delay_ns`` after the request and is never stored before the application sees it.

    Parameters
    ----------
    state_delay_ns : float
        Time from request to delivery [ns], > 0 (an attempt takes time; netbuilder ``PerfectQLinkConfig.state_delay``, default 1000 ns).
    """

    state_delay_ns: float = 1000.0

    model_name: ClassVar[str] = "perfect"

    def __post_init__(self) -> None:
        object.__setattr__(self, "state_delay_ns", require_positive("link.state_delay", self.state_delay_ns))

    @classmethod
    def from_length(cls, length_km: float, speed_of_light_km_s: float = DEFAULT_SPEED_OF_LIGHT_KM_S) -> PerfectLink:
        """Link whose delay is the one-way travel time ``length_km / speed_of_light_km_s`` (netbuilder's rule)."""
        return cls(state_delay_ns=_checked_travel_time_ns(length_km, speed_of_light_km_s))

    @property
    def p_success(self) -> float:
        """Every attempt succeeds."""
        return 1.0

    @property
    def cycle_time_ns(self) -> float:
        """One attempt lasts the state delay [ns]."""
        return self.state_delay_ns

    @property
    def branches(self) -> tuple[DeliveredBranch, ...]:
        """A single branch: Phi+ with label PHI_PLUS."""
        return (DeliveredBranch(1.0, BellIndex.PHI_PLUS, bell_density_matrix(BellIndex.PHI_PLUS)),)


@dataclass(frozen=True)
class DepolariseLink(_DirectDelivery):
    """netsquid-netbuilder's ``depolarise`` link: a Werner pair of given fidelity, heralded with a fixed rate.

    The delivered state is ``(1 - p) |Phi+><Phi+| + p I/4`` with ``p = prob_max_mixed = 4 (1 - F) / 3``
    (netbuilder ``fidelity_to_prob_max_mixed``), labelled PHI_PLUS, so the receiver applies no correction. The
    builder's distributor has ``cycle_time = state_delay = t_cycle`` and ``label_delay = 0``.

    Parameters
    ----------
    fidelity : float
        Fidelity F of the delivered pair with Phi+, in (1/2, 1]. ``prob_max_mixed`` alone would allow
        F in [1/4, 1], but a Werner pair with F <= 1/2 is separable: it carries no entanglement, so the
        oblivious-transfer protocol built on it is meaningless, and ARCHITECTURE.md lists "fidelity <= 0.5" as
        invalid input.
    prob_success : float
        Probability that one attempt succeeds, in (0, 1].
    t_cycle_ns : float
        Duration of one attempt [ns], > 0 (a 0 ns attempt would make the pair rate infinite; netbuilder
        ``t_cycle``).
    """

    fidelity: float
    prob_success: float
    t_cycle_ns: float

    model_name: ClassVar[str] = "depolarise"

    def __post_init__(self) -> None:
        fidelity = require_in_interval(
            "link.fidelity", self.fidelity, 0.5, 1.0, low_open=True, reason="at or below 1/2 the pair is separable"
        )
        prob_success = require_in_interval("link.prob_success", self.prob_success, 0.0, 1.0, low_open=True)
        object.__setattr__(self, "fidelity", fidelity)
        object.__setattr__(self, "prob_success", prob_success)
        object.__setattr__(self, "t_cycle_ns", require_positive("link.t_cycle", self.t_cycle_ns))

    @classmethod
    def from_length(
        cls,
        fidelity: float,
        prob_success: float,
        length_km: float,
        speed_of_light_km_s: float = DEFAULT_SPEED_OF_LIGHT_KM_S,
    ) -> DepolariseLink:
        """Link whose attempt time is the one-way travel time ``length_km / speed_of_light_km_s`` (netbuilder)."""
        t_cycle_ns = _checked_travel_time_ns(length_km, speed_of_light_km_s)
        return cls(fidelity=fidelity, prob_success=prob_success, t_cycle_ns=t_cycle_ns)

    @property
    def prob_max_mixed(self) -> float:
        """Weight of I/4 in the delivered state, ``4 (1 - F) / 3``."""
        return 4.0 * (1.0 - self.fidelity) / 3.0

    @property
    def p_success(self) -> float:
        """Per-attempt success probability (``prob_success``)."""
        return self.prob_success

    @property
    def cycle_time_ns(self) -> float:
        """One attempt lasts ``t_cycle_ns``."""
        return self.t_cycle_ns

    @property
    def branches(self) -> tuple[DeliveredBranch, ...]:
        """A single branch: the Werner state, labelled PHI_PLUS."""
        p_mixed = self.prob_max_mixed
        rho = (1.0 - p_mixed) * bell_density_matrix(BellIndex.PHI_PLUS) + p_mixed * maximally_mixed()
        return (DeliveredBranch(1.0, BellIndex.PHI_PLUS, rho),)
