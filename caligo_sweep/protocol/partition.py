"""The honest 1-2 OT partition of Bob's rounds (Wehner, Curty, Schaffner, Lo 2010, section III; Erven et al. 2014).

After the wait, Alice announces her bases. Bob, with choice bit C, puts the rounds where his basis equals Alice's
into ``I_C`` (he knows x there up to channel noise) and the rounds where it differs into ``I_{1-C}`` (his outcomes
there are independent of x). Both index sets are cut to the same length, the smaller of the two counts, so that the
pair he sends, ``(I_0, I_1)``, has sizes that do not depend on C; within each set the rounds keep their time order.
"""

from __future__ import annotations

import numpy as np

from caligo_sweep.errors import ConfigValueError


def ot_partition(alice_bases: np.ndarray, bob_bases: np.ndarray, choice_bit: int) -> tuple[np.ndarray, np.ndarray]:
    """Bob's index sets ``(I_0, I_1)`` for choice bit ``choice_bit``.

    Parameters
    ----------
    alice_bases, bob_bases : numpy.ndarray
        Basis labels per round (any integer or boolean encoding, equal shapes, 1-D).
    choice_bit : int
        Bob's choice C, 0 or 1.

    Returns
    -------
    tuple of numpy.ndarray
        ``(I_0, I_1)``: int64 round indices, increasing, of equal length ``min(#matching, #different)``.
        ``I_C`` holds matching-basis rounds, ``I_{1-C}`` different-basis rounds.
    """
    if isinstance(choice_bit, (bool, np.bool_)) or choice_bit not in (0, 1):
        raise ConfigValueError("protocol.choice_bit", "0 or 1", choice_bit)
    alice_bases = np.asarray(alice_bases)
    bob_bases = np.asarray(bob_bases)
    if alice_bases.shape != bob_bases.shape or alice_bases.ndim != 1:
        raise ValueError(f"basis arrays must be 1-D of equal length; got {alice_bases.shape} and {bob_bases.shape}")
    matching = alice_bases == bob_bases
    matching_rounds = np.flatnonzero(matching)
    different_rounds = np.flatnonzero(~matching)
    half_length = min(matching_rounds.size, different_rounds.size)
    known, unknown = matching_rounds[:half_length], different_rounds[:half_length]
    return (known, unknown) if choice_bit == 0 else (unknown, known)
