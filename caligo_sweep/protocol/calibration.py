"""Calibration stage: the error rate that decides security, measured on pairs that are not OT rounds.

In oblivious transfer Alice may not learn Bob's outcomes on the subset I_C without learning his choice bit C, so
the protocol cannot estimate its own error rate from its rounds. Erven et al. 2014 therefore used a pre-characterised
error rate (their Table I, ``e_det``). A run does the same: before the OT rounds, ``protocol.calibration_pairs``
extra pairs of the same link are measured in random bases and fully compared, and the one-sided Clopper-Pearson upper
bound on their sifted error rate is the ``p_err`` of the security chain (and the code rate of reconciliation). The
calibration pairs are not part of the OT's quantum phase: they cost no simulated time of the run.

Alternatively (``protocol.calibration=model``) the chain uses the model's exact error rate, which assumes a
perfectly characterised device.

Random stream: the OT rounds' batch ``i`` draws from ``SeedSequence(seed, spawn_key=(i,))``; the calibration draws
from ``SeedSequence(seed, spawn_key=CALIBRATION_SPAWN_KEY)``, a two-element key that no batch uses, so the
calibration is independent of the OT rounds and does not change with ``num_pairs``, ``workers.batch_size`` or
``workers.n_jobs``.

References
----------
.. [1] C. Erven et al., Nat. Commun. 5, 3418 (2014), arXiv:1308.5098; Table I.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from caligo_sweep.engine import sample_counts
from caligo_sweep.physics.checks import require_positive_integer, require_probability
from caligo_sweep.physics.model import PhysicalModel
from caligo_sweep.protocol.estimation import qber_upper_bound
from caligo_sweep.protocol.sifting import sift_counts

#: Values of ``protocol.calibration``.
CALIBRATION_MODES = ("calibrated", "model")
#: Spawn key of the calibration stream under the run's root seed; batch streams have one-element keys ``(i,)``.
CALIBRATION_SPAWN_KEY = (0xCA11B, 0x8A7E)


@dataclass(frozen=True)
class Calibration:
    """Outcome of the calibration stage.

    Attributes
    ----------
    mode : str
        ``"calibrated"`` (measured) or ``"model"`` (the model's exact rate, nothing sampled).
    n_pairs : int
        Calibration pairs measured (0 in model mode).
    n_sifted : int
        Of those, the basis-matching ones.
    n_errors : int
        Of those, the ones whose bits differ.
    qber : float
        Measured error rate ``n_errors / n_sifted`` (``nan`` in model mode).
    qber_upper : float
        The error rate the security chain uses: the Clopper-Pearson upper bound at confidence ``1 - qber_eps``, or
        the model's exact rate.
    """

    mode: str
    n_pairs: int
    n_sifted: int
    n_errors: int
    qber: float
    qber_upper: float


def calibration_rng(seed: int) -> np.random.Generator:
    """The calibration stage's generator, independent of every batch stream of the same root ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=CALIBRATION_SPAWN_KEY))


def _measured(n_pairs: int, n_sifted: int, n_errors: int, qber_eps: float) -> Calibration:
    qber = n_errors / n_sifted if n_sifted else math.nan
    upper = qber_upper_bound(n_errors, n_sifted, qber_eps)
    return Calibration("calibrated", n_pairs, n_sifted, n_errors, qber, upper)


def calibrate_link(model: PhysicalModel, n_pairs: int, seed: int, qber_eps: float) -> Calibration:
    """Measure ``n_pairs`` pairs of the link with the engine (counts path) and bound their error rate.

    Parameters
    ----------
    model : PhysicalModel
        The same per-run physics the OT rounds sample.
    n_pairs : int
        Calibration pairs, >= 1 (config key ``protocol.calibration_pairs``).
    seed : int
        The run's root seed; the stream is :func:`calibration_rng`.
    qber_eps : float
        Failure probability of the upper bound (``protocol.qber_eps``).

    Returns
    -------
    Calibration
        Counts, measured rate and upper bound.
    """
    n_pairs = require_positive_integer("protocol.calibration_pairs", n_pairs)
    sifted = sift_counts(sample_counts(model, n_pairs, calibration_rng(seed)).outcome_counts)
    return _measured(n_pairs, sifted.n_sifted, sifted.n_errors, qber_eps)


def calibrate_rate(qber_expected: float, n_pairs: int, seed: int, qber_eps: float) -> Calibration:
    """Calibrate an analytic source of error rate ``qber_expected`` on ``n_pairs`` detected pairs.

    Bases are uniform and independent on both sides, so ``n_sifted ~ Binomial(n_pairs, 1/2)`` and
    ``n_errors ~ Binomial(n_sifted, qber_expected)``.
    """
    n_pairs = require_positive_integer("protocol.calibration_pairs", n_pairs)
    rng = calibration_rng(seed)
    n_sifted = int(rng.binomial(n_pairs, 0.5))
    n_errors = int(rng.binomial(n_sifted, require_probability("qber_expected", qber_expected)))
    return _measured(n_pairs, n_sifted, n_errors, qber_eps)


def model_calibration(qber_expected: float) -> Calibration:
    """The model's exact error rate as the chain's ``p_err`` (assumes a perfectly characterised device)."""
    rate = require_probability("qber_expected", qber_expected)
    return Calibration("model", 0, 0, 0, math.nan, rate)
