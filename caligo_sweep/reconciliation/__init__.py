"""One-way LDPC reconciliation for oblivious transfer: shipped codes, BP decoding, verification, measured model."""

from caligo_sweep.reconciliation.codes import DEFAULT_FRAME_LENGTH, FRAME_GEOMETRY, LdpcCode, load_code
from caligo_sweep.reconciliation.frames import CodeChoice, code_for_redundancy
from caligo_sweep.reconciliation.model import ModelPoint, design_efficiency, lookup
from caligo_sweep.reconciliation.reconcile import (
    AliceMessage,
    ReconciliationResult,
    alice_message,
    bob_decode,
    reconcile_half,
    select_code,
)

__all__ = [
    "DEFAULT_FRAME_LENGTH",
    "FRAME_GEOMETRY",
    "AliceMessage",
    "CodeChoice",
    "LdpcCode",
    "ModelPoint",
    "ReconciliationResult",
    "alice_message",
    "bob_decode",
    "code_for_redundancy",
    "design_efficiency",
    "load_code",
    "lookup",
    "reconcile_half",
    "select_code",
]
