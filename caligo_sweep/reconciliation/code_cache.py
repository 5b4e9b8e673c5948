"""Family members between the shipped redundancy grid: built on first use, kept in the user's cache folder.

The shipped files hold the family's grid of redundancies (ratio 1.03, see
:mod:`caligo_sweep.reconciliation.build_codes`). The 2^18 covers are offered at *every* base-row count between the
grid's ends (see :mod:`caligo_sweep.reconciliation.codes`), so that a plan of few long frames finds a code close to
its design redundancy; the base codes between grid points are built by the family's own construction from the
family's seed, exactly as ``build_codes`` would build them, in about 0.3 s, and stored as ``.npz`` under
``$XDG_CACHE_HOME/caligo_sweep/codes`` (default ``~/.cache``). A cached file is a convenience, never an input: it is
rebuilt when missing, unreadable or of another construction version, and a cache that cannot be written is skipped.
"""

from __future__ import annotations

import os
import secrets
import zipfile
from pathlib import Path

import numpy as np

from caligo_sweep.reconciliation.construction import BaseCode, build_base_code
from caligo_sweep.reconciliation.degree_distributions import family_distribution

#: Seed of the whole family: member (n, m) draws from ``SeedSequence((FAMILY_SEED, n, m))``.
FAMILY_SEED = 20090114
#: Raised whenever the construction changes what a seed builds, so that older cached codes are not read.
CONSTRUCTION_VERSION = 1
_FIELDS = ("rows", "columns", "shifts")


def family_member(frame_length: int, n_base_rows: int, n_base_columns: int, lifting: int) -> BaseCode:
    """The family code of ``frame_length`` with ``n_base_rows`` base rows (deterministic; what the files ship)."""
    rng = np.random.default_rng(np.random.SeedSequence((FAMILY_SEED, frame_length, n_base_rows)))
    design_rate, table = family_distribution(1.0 - n_base_rows / n_base_columns)
    return build_base_code(n_base_rows, n_base_columns, lifting, design_rate, rng, table=table)


def cache_directory() -> Path | None:
    """Where built codes are kept: ``$XDG_CACHE_HOME/caligo_sweep/codes`` (``~/.cache`` when unset); None when
    neither that variable nor a home folder is known (then nothing is cached, rather than written to the cwd)."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "caligo_sweep" / "codes" if os.path.isabs(root) else None


def cached_member(frame_length: int, n_base_rows: int, n_base_columns: int, lifting: int) -> BaseCode:
    """:func:`family_member`, read from the cache when a file of this construction version is there."""
    folder = cache_directory()
    if folder is None:
        return family_member(frame_length, n_base_rows, n_base_columns, lifting)
    path = folder / f"n{frame_length}_rows{n_base_rows}_v{CONSTRUCTION_VERSION}.npz"
    try:
        with np.load(path) as data:
            arrays = {name: data[name] for name in _FIELDS}
            design_rate = float(data["design_rate"])
        return BaseCode(n_base_rows, n_base_columns, lifting, design_rate=design_rate, **arrays)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        pass
    code = family_member(frame_length, n_base_rows, n_base_columns, lifting)
    # written whole under a temporary name (mode from the umask), then renamed: concurrent runs never read half a file
    partial = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "xb") as handle:
            np.savez(handle, design_rate=code.design_rate, **{name: getattr(code, name) for name in _FIELDS})
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
    return code
