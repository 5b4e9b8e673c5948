"""Rows to a typed sweep table: integers stay integers and booleans stay booleans when some rows are empty.

A failed run leaves most columns empty. pandas would turn an integer column holding one empty cell into floats
(``20000.0`` pairs) and a boolean column into objects; here such columns get the nullable dtypes ``Int64`` and
``boolean`` instead, with ``<NA>`` in the failed rows. The fixed columns take the type :class:`ResultRow` declares;
the configuration columns take the type their values have in the rows.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping
from typing import Any, Optional

import pandas as pd

from caligo_sweep.results.row import ResultRow, column_names

#: Nullable pandas dtype of each Python type a column may hold.
_NULLABLE_DTYPES = {bool: "boolean", int: "Int64", float: "float64"}


def declared_column_types() -> dict[str, type]:
    """Python type of each fixed column (``int``, ``float``, ``bool`` or ``str``), from :class:`ResultRow`."""
    hints = typing.get_type_hints(ResultRow)
    types = {}
    for name in column_names():
        arguments = [a for a in typing.get_args(hints[name]) if a is not type(None)] or [hints[name]]
        types[name] = arguments[0] if arguments[0] in _NULLABLE_DTYPES else str
    return types


def table_from_rows(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One table from flat rows (``result.json`` contents): fixed columns first, typed; then the others, typed.

    Parameters
    ----------
    records : iterable of mapping
        Flat rows as :meth:`ResultRow.to_flat_dict` writes them.
    """
    records = list(records)
    frame = pd.DataFrame.from_records(records)
    if not len(frame.columns):
        return frame
    fixed = [name for name in column_names() if name in frame.columns]
    frame = frame[fixed + [name for name in frame.columns if name not in fixed]]
    value_types = {name: _value_type(record.get(name) for record in records) for name in frame.columns}
    return apply_row_dtypes(frame, value_types)


def apply_row_dtypes(table: pd.DataFrame, value_types: Optional[Mapping[str, Optional[type]]] = None) -> pd.DataFrame:
    """Give integer and boolean columns nullable dtypes (``Int64``, ``boolean``); return a new table.

    Fixed columns follow :func:`declared_column_types`; any other column follows ``value_types`` (its values'
    common Python type), or is left as it is when its type is not given.
    """
    types: dict[str, Optional[type]] = dict(value_types or {})
    types.update({name: kind for name, kind in declared_column_types().items() if name in table.columns})
    converted = {
        name: table[name].astype(_NULLABLE_DTYPES[kind])
        for name, kind in types.items()
        if name in table.columns and kind in _NULLABLE_DTYPES
    }
    return table.assign(**converted)


def _value_type(values: Iterable[Any]) -> Optional[type]:
    """The one type of the non-empty values (ints among floats count as floats); None if mixed or all empty."""
    kinds = {type(value) for value in values if value is not None}
    if kinds == {int, float}:
        return float
    return kinds.pop() if len(kinds) == 1 else None
