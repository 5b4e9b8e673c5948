"""netsquid-netbuilder's heralded double-click link, with netsquid-magic's double-click delivery model.

Each node emits a photon entangled with its memory qubit; the photons travel ``length_km / 2`` each to a midpoint
station that performs a Bell-state measurement with two detectors. A success heralds Psi+ or Psi- (probability
1/2 each). Per single mode, with ``eta`` the per-side detection probability, ``V`` the visibility, ``d`` the dark
count probability and ``r`` photon-number resolution (squid_stack.md section 3.3, restating netsquid-magic's
``DoubleClickDeliverySamplerFactory``):

* ``p_t  = 1/2 eta^2 V (1-d)^(4 if r else 2)``                   true success
* ``p_f1 = 1/2 eta^2 (1-V) (1-d)^(4 if r else 2)``               distinguishable photons: anti-correlated
* ``p_f2 = 0 if r else 1/2 eta^2 (1+V) d (1-d)^2``               two photons in one detector plus a dark count
* ``p_f3 = 2 eta (1-eta) 2d (1-d)^(3 if r else 2)``              one photon plus a dark count: I/4
* ``p_f4 = 4 (1-eta)^2 d^2 (1-d)^2``                             two dark counts: I/4

``S = p_t + p_f1 + p_f2 + p_f3 + p_f4`` and ``p_success = 1 - (1 - S)^num_multiplexing_modes``. The emission
infidelity acts as a Werner parameter ``q = ((4 F_em - 1) / 3)^2`` and the delivered state for label l is
``[p_t q |Psi_l><Psi_l| + p_f1 q (|01><01| + |10><10|)/2 + p_f2 q (|00><00| + |11><11|)/2
+ ((p_t + p_f1 + p_f2)(1 - q) + p_f3 + p_f4) I/4] / S``.

Timing (netsquid-magic ``DoubleClickMagicDistributor._update_parameters`` with emission duration 0): the travel time
per side is ``travel = (length_km / 2) / c`` and one attempt lasts ``2 travel``. The state of the successful K-th
attempt is placed in memory at that attempt's start, ``(K - 1) * cycle`` (state delay 0), and the herald (label)
reaches each node ``2 travel`` later, at ``K * cycle``. The qubits therefore idle in memory for
``herald_delay_ns = 2 travel`` before the application can act on them.

Not modelled (unverified in netbuilder 0.1.x, all neutral at their defaults): per-side overrides (``*_A``/``*_B``),
``emission_duration`` (taken as 0) and the ``coin_prob_*`` coincidence factors (taken as 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import (
    require_bool,
    require_in_interval,
    require_non_negative,
    require_positive,
    require_positive_integer,
    require_probability,
)
from caligo_sweep.physics.links import DEFAULT_SPEED_OF_LIGHT_KM_S, DeliveredBranch, travel_time_ns
from caligo_sweep.physics.states import BellIndex, bell_density_matrix

_CORRELATED_DIAGONAL = np.diag([0.5, 0.0, 0.0, 0.5]).astype(np.complex128)
_ANTICORRELATED_DIAGONAL = np.diag([0.0, 0.5, 0.5, 0.0]).astype(np.complex128)


@dataclass(frozen=True)
class DoubleClickEvents:
    """Single-mode probabilities of the heralding events of one double-click attempt (see module docstring)."""

    p_t: float
    p_f1: float
    p_f2: float
    p_f3: float
    p_f4: float

    @property
    def total(self) -> float:
        """``S``: probability that one mode of one attempt heralds success."""
        return self.p_t + self.p_f1 + self.p_f2 + self.p_f3 + self.p_f4


@dataclass(frozen=True)
class HeraldedDoubleClickLink:
    """The ``heralded`` (heralded-double-click) link of netsquid-netbuilder, symmetric in its two sides.

    Field names are those of netbuilder's ``HeraldedDoubleClickQLinkConfig`` with the unit appended where there is
    one (``length`` -> ``length_km``, ``p_loss_length`` -> ``p_loss_length_db_per_km``, ``speed_of_light`` ->
    ``speed_of_light_km_s``); the defaults are netbuilder's. Range errors name the config key ``link.<netbuilder
    name>``, e.g. ``link.length``.

    Parameters
    ----------
    length_km : float
        Total fibre length [km], >= 0, split half per side.
    p_loss_init : float
        Probability in [0, 1] that a photon is lost on entering the fibre (per side).
    p_loss_length_db_per_km : float
        Fibre attenuation [dB/km], >= 0.
    speed_of_light_km_s : float
        Signal speed in the fibre [km/s], > 0.
    detector_efficiency : float
        Detector efficiency in [0, 1].
    dark_count_probability : float
        Dark count probability per detector and detection window, in [0, 1].
    visibility : float
        Hong-Ou-Mandel visibility in [0, 1].
    emission_fidelity : float
        Fidelity with Phi+ of each memory-photon state at emission, in [1/4, 1]: netsquid-magic uses
        ``(4 F - 1) / 3`` as the probability that the emission is noiseless, which is a probability only there.
    collection_efficiency : float
        Collection efficiency in [0, 1], folded into the initial loss as netsquid-magic does:
        ``p_loss_init <- 1 - (1 - p_loss_init) * collection_efficiency``.
    num_resolving : bool
        Whether the detectors resolve photon numbers.
    num_multiplexing_modes : int
        Number of modes tried per attempt, >= 1; raises the success probability, not the state quality.

    Raises
    ------
    ConfigValueError
        If a field is out of range, or if an attempt can never succeed (``S = 0``, e.g. every photon is lost and
        there are no dark counts), reported under the key ``"link"``.
    """

    length_km: float = 0.0
    p_loss_init: float = 0.0
    p_loss_length_db_per_km: float = 0.25
    speed_of_light_km_s: float = DEFAULT_SPEED_OF_LIGHT_KM_S
    detector_efficiency: float = 1.0
    dark_count_probability: float = 0.0
    visibility: float = 1.0
    emission_fidelity: float = 1.0
    collection_efficiency: float = 1.0
    num_resolving: bool = False
    num_multiplexing_modes: int = 1

    model_name: ClassVar[str] = "heralded"

    def __post_init__(self) -> None:
        checked = {
            "length_km": require_non_negative("link.length", self.length_km),
            "p_loss_init": require_probability("link.p_loss_init", self.p_loss_init),
            "p_loss_length_db_per_km": require_non_negative(
                "link.p_loss_length", self.p_loss_length_db_per_km
            ),
            "speed_of_light_km_s": require_positive("link.speed_of_light", self.speed_of_light_km_s),
            "detector_efficiency": require_probability("link.detector_efficiency", self.detector_efficiency),
            "dark_count_probability": require_probability("link.dark_count_probability", self.dark_count_probability),
            "visibility": require_probability("link.visibility", self.visibility),
            "emission_fidelity": require_in_interval(
                "link.emission_fidelity",
                self.emission_fidelity,
                0.25,
                1.0,
                reason="so that (4 F - 1)/3 is a probability",
            ),
            "collection_efficiency": require_probability("link.collection_efficiency", self.collection_efficiency),
            "num_resolving": require_bool("link.num_resolving", self.num_resolving),
            "num_multiplexing_modes": require_positive_integer(
                "link.num_multiplexing_modes", self.num_multiplexing_modes
            ),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)
        if self.events.total <= 0.0:
            raise ConfigValueError(
                "link",
                "a heralded link whose attempts can succeed (detection probability per side > 0 or "
                "dark_count_probability in (0, 1))",
                {
                    "detection_probability_per_side": self.detection_probability_per_side,
                    "dark_count_probability": self.dark_count_probability,
                },
            )

    @property
    def effective_p_loss_init(self) -> float:
        """Initial loss probability with the collection efficiency folded in."""
        return 1.0 - (1.0 - self.p_loss_init) * self.collection_efficiency

    @property
    def length_per_side_km(self) -> float:
        """Fibre length from one node to the midpoint station [km]."""
        return self.length_km / 2.0

    @property
    def fibre_transmission_per_side(self) -> float:
        """Probability that a photon survives the fibre of one side, ``10^(-p_loss_length L_side / 10)``."""
        return 10.0 ** (-self.p_loss_length_db_per_km * self.length_per_side_km / 10.0)

    @property
    def detection_probability_per_side(self) -> float:
        """``eta``: probability that a photon emitted at one side is detected (insertion, fibre and detector)."""
        return (1.0 - self.effective_p_loss_init) * self.fibre_transmission_per_side * self.detector_efficiency

    @property
    def werner_parameter(self) -> float:
        """``q = q_A q_B`` with ``q_X = (4 F_em - 1) / 3``: weight of the noiseless emission on both sides."""
        return ((4.0 * self.emission_fidelity - 1.0) / 3.0) ** 2

    @property
    def events(self) -> DoubleClickEvents:
        """Single-mode heralding event probabilities."""
        eta = self.detection_probability_per_side
        dark = self.dark_count_probability
        both = eta * eta
        one = 2.0 * eta * (1.0 - eta)
        no_dark_two_photons = (1.0 - dark) ** (4 if self.num_resolving else 2)
        return DoubleClickEvents(
            p_t=0.5 * both * self.visibility * no_dark_two_photons,
            p_f1=0.5 * both * (1.0 - self.visibility) * no_dark_two_photons,
            p_f2=0.0 if self.num_resolving else 0.5 * both * (1.0 + self.visibility) * dark * (1.0 - dark) ** 2,
            p_f3=one * 2.0 * dark * (1.0 - dark) ** (3 if self.num_resolving else 2),
            p_f4=4.0 * (1.0 - eta) ** 2 * dark**2 * (1.0 - dark) ** 2,
        )

    @property
    def p_success(self) -> float:
        """Per-attempt success probability over all multiplexed modes, ``1 - (1 - S)^modes``."""
        return 1.0 - (1.0 - self.events.total) ** self.num_multiplexing_modes

    @property
    def modes_per_attempt(self) -> int:
        """``num_multiplexing_modes``: each mode is one round Alice sends."""
        return self.num_multiplexing_modes

    @property
    def round_trip_time_ns(self) -> float:
        """Signal time node -> midpoint -> node, ``2 * travel_side`` [ns]."""
        return 2.0 * travel_time_ns(self.length_per_side_km, self.speed_of_light_km_s)

    @property
    def cycle_time_ns(self) -> float:
        """One attempt lasts the round trip (emission duration 0) [ns]."""
        return self.round_trip_time_ns

    @property
    def herald_delay_ns(self) -> float:
        """The herald reaches each node one round trip [ns] after the state is in memory."""
        return self.round_trip_time_ns

    def delivered_state(self, bell_index: BellIndex) -> np.ndarray:
        """Density matrix delivered with label ``bell_index`` (PSI_PLUS or PSI_MINUS), before any correction."""
        if bell_index not in (BellIndex.PSI_PLUS, BellIndex.PSI_MINUS):
            raise ValueError(f"a double-click link heralds PSI_PLUS or PSI_MINUS; got {bell_index!r}")
        ev = self.events
        q = self.werner_parameter
        mixed_weight = (ev.p_t + ev.p_f1 + ev.p_f2) * (1.0 - q) + ev.p_f3 + ev.p_f4
        rho = (
            ev.p_t * q * bell_density_matrix(bell_index)
            + ev.p_f1 * q * _ANTICORRELATED_DIAGONAL
            + ev.p_f2 * q * _CORRELATED_DIAGONAL
            + mixed_weight * np.eye(4, dtype=np.complex128) / 4.0
        )
        return rho / ev.total

    @property
    def branches(self) -> tuple[DeliveredBranch, ...]:
        """Psi+ and Psi- branches, probability 1/2 each."""
        return tuple(
            DeliveredBranch(0.5, label, self.delivered_state(label))
            for label in (BellIndex.PSI_PLUS, BellIndex.PSI_MINUS)
        )
