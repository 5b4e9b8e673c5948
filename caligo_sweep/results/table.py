"""Rows to a typed sweep table: integers stay integers and booleans stay booleans when some rows are empty.

A failed run leaves most columns empty. pandas would turn an integer column holding one empty cell into floats
(``20000.0`` pairs) and a boolean column into objects; here such columns get the nullable dtypes ``Int64`` and
``boolean`` instead, with ``<NA>`` in the failed rows. The fixed columns take the type :class:`ResultRow` declares;
the configuration columns take the type their values have in the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Optional

import pandas as pd

from caligo_sweep.results.row import declared_column_types

#: Nullable pandas dtype of each Python type a column may hold.
_NULLABLE_DTYPES = {bool: "boolean", int: "Int64", float: "float64"}


def table_from_rows(
    records: Iterable[Mapping[str, Any]], column_types: Optional[Mapping[str, type]] = None
) -> pd.DataFrame:
    """One table from flat rows (``result.json`` contents): fixed columns first, typed; then the others, typed.

    Parameters
    ----------
    records : iterable of mapping
        Flat rows as :meth:`ResultRow.to_flat_dict` writes them.
    column_types : mapping, optional
        The fixed columns in table order with their Python types (an experiment kind's row); default
        :class:`ResultRow`'s.
    """
    records = list(records)
    frame = pd.DataFrame.from_records(records)
    if not len(frame.columns):
        return frame
    fixed_types = dict(column_types) if column_types is not None else declared_column_types()
    fixed = [name for name in fixed_types if name in frame.columns]
    frame = frame[fixed + [name for name in frame.columns if name not in fixed]]
    value_types = {name: _value_type(record.get(name) for record in records) for name in frame.columns}
    return apply_row_dtypes(frame, value_types, fixed_types)


def apply_row_dtypes(
    table: pd.DataFrame,
    value_types: Optional[Mapping[str, Optional[type]]] = None,
    column_types: Optional[Mapping[str, type]] = None,
) -> pd.DataFrame:
    """Give integer and boolean columns nullable dtypes (``Int64``, ``boolean``); return a new table.

    Fixed columns follow ``column_types`` (default :func:`declared_column_types`); any other column follows
    ``value_types`` (its values' common Python type), or is left as it is when its type is not given.
    """
    fixed_types = column_types if column_types is not None else declared_column_types()
    types: dict[str, Optional[type]] = dict(value_types or {})
    types.update({name: kind for name, kind in fixed_types.items() if name in table.columns})
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
