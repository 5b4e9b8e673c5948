"""The two ACP engines behind ``acp.engine``, and the check that the chosen one can run here.

``sequence`` (default) runs ACP as protocols on SeQUeNCe's router stack (:func:`caligo_sweep.network.stack.
simulation.run_stack`) and needs SeQUeNCe >= 1.3, which needs Python >= 3.12. ``model`` is the fast model
(:func:`caligo_sweep.network.simulation.run_acp`) on SeQUeNCe's timeline and Bell-diagonal states; it runs on
SeQUeNCe 0.8.5 (Python 3.11) and on 1.3.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys

from caligo_sweep.errors import ConfigValueError
from caligo_sweep.network.result import AcpResult
from caligo_sweep.network.settings import AcpSettings

#: Oldest SeQUeNCe release with the router stack the ``sequence`` engine uses (single-heralded, BDS protocols).
STACK_SEQUENCE = (1, 3)
#: The one extra command ``acp.engine=sequence`` takes on a machine whose default Python is older than 3.12.
STACK_INSTALL = 'python3.12 -m venv .venv312 && .venv312/bin/pip install -e ".[network]"'


def sequence_version() -> tuple[int, ...] | None:
    """Installed SeQUeNCe version as integers, or None when it is not installed."""
    if importlib.util.find_spec("sequence") is None:
        return None
    version = importlib.metadata.version("sequence")
    return tuple(int(part) for part in version.split(".")[:2] if part.isdigit())


def stack_available() -> bool:
    """Whether the installed SeQUeNCe runs ``acp.engine=sequence``."""
    version = sequence_version()
    return version is not None and version >= STACK_SEQUENCE


def check_engine_available(settings: AcpSettings) -> None:
    """Refuse, in one line, an engine whose SeQUeNCe is not installed (before any work starts)."""
    version = sequence_version()
    if version is None:
        raise ConfigValueError(
            "kind", 'a kind whose packages are installed (acp needs SeQUeNCe: pip install -e ".[network]")', "acp"
        )
    if settings.engine == "sequence" and not stack_available():
        python = ".".join(map(str, sys.version_info[:3]))
        raise ConfigValueError(
            "acp.engine",
            f"'model' here (SeQUeNCe {'.'.join(map(str, version))} on Python {python}); 'sequence' needs SeQUeNCe "
            f">= 1.3 on Python >= 3.12: {STACK_INSTALL}",
            "sequence",
        )


def run_network(settings: AcpSettings, seed: int) -> AcpResult:
    """One seed of the engine ``settings.engine`` names."""
    if settings.engine == "sequence":
        from caligo_sweep.network.stack.simulation import run_stack

        return run_stack(settings, seed)
    from caligo_sweep.network.simulation import run_acp

    return run_acp(settings, seed)
