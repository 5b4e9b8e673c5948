"""Discretised density evolution of sum-product decoding of LDPC codes on the binary symmetric channel.

Density evolution [1]_ tracks the distribution of the messages of belief propagation on a cycle-free graph with
edge-perspective degree distributions ``lambda`` (variables) and ``rho`` (checks). By channel symmetry the all-zero
word can be assumed, so a message is wrong when its LLR is negative. The BP *threshold* is the largest crossover
probability p for which the message error probability goes to zero.

Discretisation, after Chung, Forney, Richardson and Urbanke [2]_:

* variable-to-check messages live on a uniform LLR grid ``k * step`` (``|LLR| <= LLR_SATURATION``) whose step divides
  the channel LLR ``log((1 - p) / p)`` exactly; the variable-node rule (a sum) is a convolution, done by FFT and
  saturated at the grid ends;
* check messages are handled in the domain ``(sign, phi(|LLR|))`` with ``phi(t) = -log tanh(t / 2)``, where the
  check-node rule is again a sum (of ``phi`` values, with the XOR of the signs): a convolution over the group
  ``Z_2 x R+``, done by FFT on a uniform ``phi`` grid of step ``PHI_STEP``. A sum beyond the grid's end means an LLR
  below half an LLR step and is counted as such (all ``phi`` values are positive, so this saturation is exact);
* a value between two grid points is split between them so that its mean is kept (a check sums up to ~50 small
  ``phi`` values, which rounding to the nearest point would set to 0). The ``phi`` grid cannot resolve LLRs above
  ``phi(PHI_STEP / 2)`` (8.3 nats): grid point 0 is read back as that LLR, not as infinity. This cap lets the error
  probability settle on an artificial floor near ``1e-3 p`` below threshold instead of going to 0, so a fixed point
  under ``FLOOR_FRACTION * p`` counts as success (above threshold the fixed point holds about 10 % of p).

Checked against published values (tests): regular (3,6) ensemble 0.0839 (0.084 [1]_); Table I of Elkouss et al.
rows 0.50, 0.70, 0.90: 0.1069, 0.0504, 0.0109 (published 0.1071, 0.0504, 0.0109). About 1-20 s per threshold.

References
----------
.. [1] T. J. Richardson, R. L. Urbanke, "The capacity of low-density parity-check codes under message-passing
   decoding", IEEE Trans. Inf. Theory 47, 599 (2001); BSC threshold of the regular (3,6) ensemble: 0.084.
.. [2] S.-Y. Chung, G. D. Forney, T. J. Richardson, R. Urbanke, "On the design of low-density parity-check codes
   within 0.0045 dB of the Shannon limit", IEEE Commun. Lett. 5, 58 (2001).
"""

from __future__ import annotations

import numpy as np

LLR_SATURATION = 30.0
LLR_STEP = 0.05
PHI_STEP = 0.001
#: message error probability counted as decoding success
TARGET_ERROR = 1e-7
#: a fixed point below this fraction of p counts as success (see the module docstring)
FLOOR_FRACTION = 1e-2


def _phi(t: np.ndarray) -> np.ndarray:
    """``-log tanh(t / 2)`` (its own inverse on t > 0)."""
    t = np.asarray(t, dtype=float)
    return np.log1p(2.0 / np.expm1(np.maximum(t, 1e-300)))


def _split(position: np.ndarray, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Lower grid index and the weight of the next one for fractional grid positions, capped at ``last``."""
    position = np.minimum(np.nan_to_num(position, posinf=last), last)
    lower = np.floor(position).astype(np.int64)
    return np.minimum(lower, last), position - lower


def _scatter(split: tuple[np.ndarray, np.ndarray], mass: np.ndarray, size: int) -> np.ndarray:
    """Histogram of ``mass`` put on the grid points of ``split`` (see :func:`_split`); the step may be negative."""
    lower, upper_weight = split
    step = np.where(upper_weight < 0, -1, 1)
    weight = np.abs(upper_weight)
    return np.bincount(lower, mass * (1 - weight), size) + np.bincount(lower + step * (weight > 0), mass * weight, size)


def _power(values: np.ndarray, exponent: int, size: int) -> np.ndarray:
    """``exponent``-fold linear self-convolution of a phi-domain array (binary powering), tails folded as below."""
    result = None
    base = values
    while exponent:
        if exponent & 1:
            result = base if result is None else _convolve(result, base, size)
        exponent >>= 1
        if exponent:
            base = _convolve(base, base, size)
    return result


def _convolve(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """Linear convolution of two phi-domain arrays of length ``size``, the part beyond the grid added to its end."""
    n_fft = 1 << int(np.ceil(np.log2(2 * size)))
    full = np.fft.irfft(np.fft.rfft(a, n_fft) * np.fft.rfft(b, n_fft), n_fft)[: 2 * size - 1]
    out = full[:size].copy()
    out[-1] += full[size:].sum()
    return out


class BscDensityEvolution:
    """Density evolution for one pair of edge-perspective degree distributions.

    Parameters
    ----------
    variable_edge_fractions, check_edge_fractions : dict[int, float]
        Degree -> fraction of edges (each summing to 1 within 3e-3, published tables are rounded; renormalised).
    """

    def __init__(self, variable_edge_fractions: dict[int, float], check_edge_fractions: dict[int, float]):
        self.variable = {int(d): float(w) for d, w in variable_edge_fractions.items() if w > 0}
        self.check = {int(d): float(w) for d, w in check_edge_fractions.items() if w > 0}
        for name, fractions in (("variable", self.variable), ("check", self.check)):
            if abs(sum(fractions.values()) - 1.0) > 3e-3 or min(fractions) < 2:
                raise ValueError(f"{name} edge fractions must be on degrees >= 2 and sum to 1; got {fractions}")
        self.variable = {d: w / sum(self.variable.values()) for d, w in self.variable.items()}
        self.check = {d: w / sum(self.check.values()) for d, w in self.check.items()}

    def converges(self, crossover_probability: float, max_iterations: int = 1000) -> tuple[bool, int]:
        """Whether the message error probability falls below :data:`TARGET_ERROR`, and the iterations used."""
        p = float(crossover_probability)
        channel_llr = np.log((1.0 - p) / p)
        channel_steps = max(1, int(round(channel_llr / LLR_STEP)))
        step = channel_llr / channel_steps
        half = int(np.ceil(LLR_SATURATION / step))
        levels = np.arange(-half, half + 1)
        # x grid -> phi grid and back; each value is split between its two neighbouring grid points so that the mean
        # is kept (a check sums many small phi values, which plain rounding would set to 0)
        n_phi = int(np.ceil(_phi(step / 2) / PHI_STEP)) + 2
        to_phi = _split(_phi(np.abs(levels) * step) / PHI_STEP, n_phi - 1)
        to_phi[0][levels == 0], to_phi[1][levels == 0] = n_phi - 1, 0.0
        negative = levels < 0
        # phi grid point 0 stands for phi in [0, PHI_STEP / 2), read back as the LLR of PHI_STEP / 2 (not infinity:
        # a wrong check input of large |LLR| must not turn into a wrong check output of infinite |LLR|)
        from_phi = _split(_phi(np.maximum(np.arange(n_phi), 0.5) * PHI_STEP) / step, half)
        max_degree = max(self.variable)
        n_fft = 1 << int(np.ceil(np.log2(2 * (max_degree * half + channel_steps) + 2)))
        channel = np.zeros(n_fft)
        channel[channel_steps] = 1.0 - p
        channel[-channel_steps] = p
        channel_transform = np.fft.rfft(channel)

        message = np.zeros(levels.size)
        message[half + channel_steps] = 1.0 - p
        message[half - channel_steps] = p
        previous = np.inf
        for iteration in range(1, max_iterations + 1):
            # check node, in (sign, phi) coordinates: G+ = P+ + P-, G- = P+ - P- turn the sign XOR into a product
            zero_mass = message[half]
            plus = _scatter(to_phi, message * ~negative, n_phi)
            minus = _scatter(to_phi, message * negative, n_phi)
            plus[-1] -= zero_mass / 2
            minus[-1] += zero_mass / 2
            even = np.zeros(n_phi)
            odd = np.zeros(n_phi)
            for degree, weight in self.check.items():
                g_plus = _power(plus + minus, degree - 1, n_phi)
                g_minus = _power(plus - minus, degree - 1, n_phi)
                even += weight * (g_plus + g_minus) / 2
                odd += weight * (g_plus - g_minus) / 2
            check_message = _scatter((half + from_phi[0], from_phi[1]), np.maximum(even, 0), levels.size)
            check_message += _scatter((half - from_phi[0], -from_phi[1]), np.maximum(odd, 0), levels.size)
            # variable node: channel + (d - 1) check messages, signed indices taken modulo n_fft
            wrapped = np.zeros(n_fft)
            wrapped[levels % n_fft] = check_message
            transform = np.fft.rfft(wrapped)
            total = np.zeros_like(transform)
            for degree, weight in self.variable.items():
                total += weight * transform ** (degree - 1)
            summed = np.maximum(np.fft.irfft(total * channel_transform, n_fft), 0)
            signed = np.roll(summed, n_fft // 2)  # index i <-> level i - n_fft // 2
            centre = n_fft // 2
            message = signed[centre - half : centre + half + 1].copy()
            message[0] += signed[: centre - half].sum()
            message[-1] += signed[centre + half + 1 :].sum()
            message /= message.sum()
            error = message[:half].sum() + message[half] / 2
            if error < TARGET_ERROR:
                return True, iteration
            if error > previous * (1 - 1e-7):
                return error < FLOOR_FRACTION * p, iteration
            previous = error
        return False, max_iterations

    def threshold(self, low: float, high: float, tolerance: float = 2e-4, max_iterations: int = 1000) -> float:
        """Largest p in ``[low, high]`` at which :meth:`converges` holds, by bisection to ``tolerance``."""
        while high - low > tolerance:
            middle = (low + high) / 2
            if self.converges(middle, max_iterations)[0]:
                low = middle
            else:
                high = middle
        return low


def concentrated_check_fractions(variable_edge_fractions: dict[int, float], rate: float) -> dict[int, float]:
    """Check edge fractions on two neighbouring degrees giving design rate ``rate`` with the variable side.

    The design rate is ``1 - (sum_d rho_d / d) / (sum_d lambda_d / d)``; the mean check degree ``a`` solves it and the
    edges are split between ``floor(a)`` and ``floor(a) + 1``.
    """
    variable_integral = sum(w / d for d, w in variable_edge_fractions.items())
    mean_degree = 1.0 / ((1.0 - rate) * variable_integral)
    low = int(np.floor(mean_degree))
    low_fraction = (1.0 / mean_degree - 1.0 / (low + 1)) / (1.0 / low - 1.0 / (low + 1))
    return {low: low_fraction, low + 1: 1.0 - low_fraction} if low_fraction < 1 - 1e-12 else {low: 1.0}

