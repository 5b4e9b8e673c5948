"""Classical latency (the paper's Eq. 2) and the single-heralded link-generation attempt (probability and duration).

Zhan et al., "Design and Simulation of the Adaptive Continuous Entanglement Generation Protocol" (2025), Eq. 2:
``l(u, v) = d(u, v) / c + hop(u, v) * D_forward + D_end_process``. ``hop`` counts the intermediate nodes that forward
the packet (path edges minus one): with the paper's values a neighbour round trip is ``2 (10 km / 2e8 m/s + 100 us)
= 0.3 ms``, the round trip the paper quotes for ACP's two-node TTS.

Single-heralded generation between neighbours ``u`` and ``v`` through a photonic BSM half-way: each attempt both
memories emit a photon (probability ``memory_efficiency``), each photon crosses ``d / 2`` of fibre (transmission
``10^(-alpha d / 20)``) and is detected (``detector_efficiency``) and the linear-optics BSM succeeds with
``bsm_success_prob``. One attempt lasts as long as SeQUeNCe's single-heralded round (``sequence`` >= 1.3, the
``acp.engine=sequence`` stack): the resource manager pairs the two generation protocols (request and response, two
Eq. 2 latencies), NEGOTIATE schedules both emissions one more latency later, then the photon flight to the BSM
(``d / 2c``) and the heralding message back (Eq. 2 over ``d / 2``, no hop): 600 us with Table I. (A first reading,
NEGOTIATE and its ACK only, gave 450 us and a two-node ODO TTS of 4.7 ms against SeQUeNCe's 6.15 ms and the paper's
5.95 ms.)
"""

from __future__ import annotations

from dataclasses import dataclass

PICOSECONDS_PER_SECOND = 10**12


def classical_latency_s(
    distance_m: float, hops: int, light_speed_m_per_s: float, forward_delay_s: float, end_process_delay_s: float
) -> float:
    """Eq. 2: one-way classical latency in seconds over a path of ``distance_m`` with ``hops`` forwarding nodes."""
    return distance_m / light_speed_m_per_s + hops * forward_delay_s + end_process_delay_s


def to_picoseconds(seconds: float) -> int:
    """Seconds to SeQUeNCe's integer picosecond clock."""
    return int(round(seconds * PICOSECONDS_PER_SECOND))


@dataclass(frozen=True)
class HeraldedAttempt:
    """One single-heralded generation attempt on a link of ``link_length_m``.

    Attributes
    ----------
    success_probability : float
        ``(memory_efficiency * fibre transmission over d/2 * detector_efficiency)^2 * bsm_success_prob``.
    duration_s : float
        Seconds per attempt: three node-to-node latencies, the photon flight ``d / 2c`` and the heralding message.
    emission_to_herald_s : float
        Seconds from the photon emission to the herald's arrival (flight plus heralding message): the memory qubit
        of a heralded pair has already idled this long.
    """

    success_probability: float
    duration_s: float
    emission_to_herald_s: float


def heralded_attempt(
    link_length_m: float,
    attenuation_db_per_km: float,
    memory_efficiency: float,
    detector_efficiency: float,
    bsm_success_prob: float,
    light_speed_m_per_s: float,
    forward_delay_s: float,
    end_process_delay_s: float,
) -> HeraldedAttempt:
    """Success probability and duration of one single-heralded attempt between two neighbours (see module doc)."""
    arm_transmission = 10.0 ** (-attenuation_db_per_km * link_length_m / 2e3 / 10.0)
    photon = memory_efficiency * arm_transmission * detector_efficiency
    neighbour_latency = classical_latency_s(link_length_m, 0, light_speed_m_per_s, forward_delay_s, end_process_delay_s)
    herald_latency = classical_latency_s(
        link_length_m / 2.0, 0, light_speed_m_per_s, forward_delay_s, end_process_delay_s
    )
    flight = link_length_m / 2.0 / light_speed_m_per_s
    return HeraldedAttempt(
        photon**2 * bsm_success_prob, 3.0 * neighbour_latency + flight + herald_latency, flight + herald_latency
    )
