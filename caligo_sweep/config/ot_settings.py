"""The OT stages' settings: reconciliation method, frame length, tag length, Bob's choice bit, saving the strings.

``reconciliation.method``: ``ldpc`` decodes both halves for real (bits path only); ``model`` charges the leak of the
code that the shipped performance table selects for the calibrated QBER and reports the table's frame error rate
(no decoding, for counts-path sweeps and the analytic PDC source); ``assumed`` charges ``f h(p)`` bits per bit
(``reconciliation.efficiency``; Erven et al. 2014's assumption, used by ``experiment=erven2014``); ``auto``
(default) is ``ldpc`` on the bits path and ``model`` otherwise. Keys that would not change the result of the chosen
method are refused (they must be null).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from caligo_sweep.config.schema import RunSchema
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import require_bool, require_in_interval, require_integer
from caligo_sweep.protocol.ot_rounds import CHOICE_BITS
from caligo_sweep.reconciliation.codes import require_frame_length

#: Values of ``reconciliation.method``.
RECONCILIATION_METHODS = ("auto", "ldpc", "model", "assumed")
#: The row's ``ec_model`` for each resolved method.
EC_MODEL_OF_METHOD = {"ldpc": "ldpc", "model": "table", "assumed": "assumed"}


@dataclass(frozen=True)
class OtSettings:
    """Validated settings of the OT stages after sifting.

    Parameters
    ----------
    ec_model : str
        ``ldpc`` (decoded), ``table`` (shipped measured table) or ``assumed`` (``efficiency``).
    frame_length : int or None
        Longest LDPC code length [bits] (shorter halves may use shorter codes); None for ``assumed``.
    tag_bits : int or None
        Verification hash per frame [bits]; None for ``assumed``.
    efficiency : float or None
        Assumed f >= 1 for ``assumed``, else None.
    choice_bit : str
        ``protocol.choice_bit``: ``"0"``, ``"1"`` or ``"random"``.
    save_ot : bool
        Write ``ot_outputs.npz`` into the run folder.
    """

    ec_model: str
    frame_length: Optional[int]
    tag_bits: Optional[int]
    efficiency: Optional[float]
    choice_bit: str
    save_ot: bool


def build_ot_settings(config: RunSchema) -> OtSettings:
    """Validate the ``reconciliation`` group, ``protocol.choice_bit`` and ``engine.save_ot``.

    Raises
    ------
    caligo_sweep.errors.ConfigValueError
        Naming the first key whose value is invalid or has no effect with the chosen method.
    """
    settings = config.reconciliation
    if settings.method not in RECONCILIATION_METHODS:
        raise ConfigValueError("reconciliation.method", f"one of {', '.join(RECONCILIATION_METHODS)}", settings.method)
    decodable = config.engine.sampling == "bits" and config.source.kind == "link"
    method = ("ldpc" if decodable else "model") if settings.method == "auto" else settings.method
    if method == "ldpc" and not decodable:
        raise ConfigValueError(
            "reconciliation.method", "model or assumed unless engine.sampling=bits and source=link", settings.method
        )
    if method == "assumed":
        _require_null("reconciliation.frame_length", settings.frame_length, "with reconciliation=assumed (no frames)")
        _require_null("reconciliation.tag_bits", settings.tag_bits, "with reconciliation=assumed (no frames)")
        efficiency = require_in_interval("reconciliation.efficiency", settings.efficiency, 1.0, math.inf)
        frame_length = tag_bits = None
    else:
        _require_null("reconciliation.efficiency", settings.efficiency, "unless reconciliation=assumed")
        efficiency = None
        frame_length = require_frame_length(settings.frame_length)
        tag_bits = require_integer("reconciliation.tag_bits", settings.tag_bits, 1)
    if config.protocol.choice_bit not in CHOICE_BITS:
        raise ConfigValueError("protocol.choice_bit", "0, 1 or random", config.protocol.choice_bit)
    if method != "ldpc" and config.protocol.choice_bit != "random":
        raise ConfigValueError("protocol.choice_bit", "random unless an OT runs (reconciliation ldpc)",
                               config.protocol.choice_bit)
    save_ot = require_bool("engine.save_ot", config.engine.save_ot)
    if save_ot and method != "ldpc":
        raise ConfigValueError("engine.save_ot", "false unless an OT runs (engine.sampling=bits, reconciliation ldpc)",
                               save_ot)
    return OtSettings(
        EC_MODEL_OF_METHOD[method], frame_length, tag_bits, efficiency, config.protocol.choice_bit, save_ot
    )


def _require_null(key: str, value: object, condition: str) -> None:
    """Refuse a value where ``condition`` (e.g. ``"unless reconciliation=assumed"``) says the key must be null."""
    if value is not None:
        raise ConfigValueError(key, f"null {condition}", value)
