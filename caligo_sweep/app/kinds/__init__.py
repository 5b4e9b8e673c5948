"""The registry of experiment kinds: the one place that knows which experiments the app can run.

A kind (:class:`ExperimentKind`) owns everything that differs between experiments: the config groups whose keys
become its parameter columns, the validation of a composed config into a frozen spec, the run, the row's fixed
columns (types and meanings, for the table's dtypes and ``docs/columns.md``), the console line of a run, the best
point of a sweep and the sweep's figures. The app (:mod:`caligo_sweep.app.job`, :mod:`~caligo_sweep.app.input_checks`,
:mod:`~caligo_sweep.app.gather`) looks a kind up by the config's top-level ``kind`` value (set by the Hydra group
``kind``) and calls these; it never branches on a kind's name.

The built-in kinds are ``ot_link``, ``ot_pdc`` and ``acp``; :func:`register_kind` adds another (docs/guide/kinds.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from caligo_sweep.app.kinds import acp, ot_link, ot_pdc
from caligo_sweep.app.kinds.base import COMMON_COLUMNS, ExperimentKind, RunContext
from caligo_sweep.errors import ConfigValueError

__all__ = [
    "COMMON_COLUMNS",
    "ExperimentKind",
    "RunContext",
    "get_kind",
    "register_kind",
    "registered_kinds",
    "table_column_types",
    "unregister_kind",
]

_KINDS: dict[str, ExperimentKind] = {}


def register_kind(kind: ExperimentKind) -> ExperimentKind:
    """Add ``kind`` to the registry; returns it.

    Raises
    ------
    ValueError
        If a kind of that name is registered already (a kind is registered once).
    """
    if kind.name in _KINDS:
        raise ValueError(f"experiment kind {kind.name!r} is registered already")
    _KINDS[kind.name] = kind
    return kind


def unregister_kind(name: str) -> None:
    """Remove a kind added by :func:`register_kind` (for tests that register a kind of their own)."""
    del _KINDS[name]


def registered_kinds() -> dict[str, ExperimentKind]:
    """Every registered kind by name, the built-in ones first."""
    return dict(_KINDS)


def get_kind(name: str) -> ExperimentKind:
    """The kind named by the config key ``kind``.

    Raises
    ------
    caligo_sweep.errors.ConfigValueError
        If no kind of that name is registered.
    """
    if name not in _KINDS:
        raise ConfigValueError("kind", f"one of {', '.join(_KINDS)}", name)
    return _KINDS[name]


def table_column_types(kind_names: Sequence[str]) -> dict[str, type]:
    """Fixed columns of a table holding rows of ``kind_names`` (unknown names skipped), in table order."""
    types: dict[str, type] = {name: kind for name, (kind, _) in COMMON_COLUMNS.items()}
    for name in kind_names:
        if name in _KINDS:
            types.update({column: kind for column, kind in _KINDS[name].column_types().items() if column not in types})
    return types


for _module in (ot_link, ot_pdc, acp):
    register_kind(_module.KIND)
