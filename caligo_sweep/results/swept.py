"""Which parameters a sweep varied: the axes its figures and its summary are drawn over.

A sweep's table carries every configuration value as a column, so the varied parameters are the columns with more
than one value. Three kinds of column are set apart: replicates (``seed``, ``batch_size``: same physics, another
random stream), execution settings (``n_jobs``, the joblib backend, ...: same result), and columns fixed by a
parameter before them (when ``link=depolarise,heralded`` is swept, ``link_fidelity`` merely follows ``link``).
"""

from __future__ import annotations

import pandas as pd

#: Columns that repeat a point with another random stream; figures show their mean with a band.
REPLICATE_COLUMNS = ("seed", "batch_size")
#: Group choices and top-level values that a sweep may vary, besides the ``<group>_<key>`` columns.
_PARAMETER_COLUMNS = ("link", "eta_semantics", "source", "nsm_r", "nsm_nu", "delta_t_ns", "num_pairs")
#: Prefixes of configuration columns that may change a result.
_CONFIG_PREFIXES = ("link_", "device_", "nsm_", "source_", "protocol_", "acp_")


def swept_parameters(table: pd.DataFrame) -> list[str]:
    """Columns of the parameters that vary in ``table``, in table order, replicates excluded.

    A column is left out when its value is fixed by the parameters kept before it (it does not vary within any of
    their combinations).
    """
    candidates = [c for c in table.columns if c in _PARAMETER_COLUMNS or c.startswith(_CONFIG_PREFIXES)]
    kept: list[str] = []
    for column in candidates:
        values = table[column].astype(str)
        if values.nunique() < 2:
            continue
        if kept and values.groupby([table[k].astype(str) for k in kept]).nunique().max() < 2:
            continue
        kept.append(column)
    return kept


def replicate_columns(table: pd.DataFrame) -> list[str]:
    """The replicate columns (:data:`REPLICATE_COLUMNS`) that take more than one value."""
    return [c for c in REPLICATE_COLUMNS if c in table.columns and table[c].nunique(dropna=False) > 1]
