"""Running the command line's ``main()`` in this process: much faster than a fresh interpreter per case."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest


@pytest.fixture
def main_in(monkeypatch, capsys):
    """``main_in(cwd, *args)`` runs ``caligo-sweep *args`` in-process in ``cwd``; returns (exit code, stdout, stderr).

    Hydra's global state, the sweep record and the signal handlers are restored afterwards.
    """
    import signal

    from hydra.core.global_hydra import GlobalHydra

    from caligo_sweep.app import main as main_module
    from caligo_sweep.app import sweep_state

    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    root = logging.getLogger()
    root_handlers, root_level = list(root.handlers), root.level

    def _run(cwd: Path, *args: str) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["caligo-sweep", *args])
        sweep_state.STATE.__init__()  # a fresh record of the sweep, as in a new process
        monkeypatch.setenv("HYDRA_FULL_ERROR", "0")
        monkeypatch.setenv("CALIGO_SWEEP_USER_FULL_ERROR", "0")
        GlobalHydra.instance().clear()
        capsys.readouterr()
        try:
            main_module.main()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        finally:
            GlobalHydra.instance().clear()
            for signum, handler in handlers.items():
                signal.signal(signum, handler)
            root.handlers[:] = root_handlers  # Hydra's handlers write to streams that pytest closes
            root.setLevel(root_level)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run
