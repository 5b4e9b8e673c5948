"""Shared fixtures: running the command line as a user would, in a scratch directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


#: The checkout under test: put first on the subprocesses' path, so they run this code and not an installed copy.
CHECKOUT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def code_cache_in_a_scratch_folder(tmp_path_factory):
    """Codes built on first use (reconciliation.code_cache) go to a scratch cache, not the user's (subprocesses
    inherit it)."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


def cli_environment() -> dict[str, str]:
    """The environment of a command-line subprocess: this checkout first on the path, no HYDRA_FULL_ERROR."""
    env = {key: value for key, value in os.environ.items() if key != "HYDRA_FULL_ERROR"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CHECKOUT), env.get("PYTHONPATH")]))
    return env


def run_cli(args: list[str], cwd: Path, timeout: float = 600.0) -> subprocess.CompletedProcess:
    """Run ``python -m caligo_sweep *args`` in ``cwd`` and capture its output."""
    env = cli_environment()
    return subprocess.run(
        [sys.executable, "-m", "caligo_sweep", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def cli(tmp_path):
    """``cli(*args)`` runs the app in a fresh temporary directory (its ``outputs/`` lands there)."""

    def _run(*args: str) -> subprocess.CompletedProcess:
        return run_cli(list(args), tmp_path)

    _run.cwd = tmp_path
    return _run


@pytest.fixture
def cli_in():
    """``cli_in(cwd, *args)`` runs the app in a directory of the test's choosing."""

    def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
        return run_cli(list(args), cwd)

    return _run


@pytest.fixture
def composer():
    """``composer(*overrides)`` composes the app's config in-process, as the command line would."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from caligo_sweep.app.config_path import config_directory
    from caligo_sweep.config.store import register_configs

    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(config_directory()), version_base="1.3"):
        yield lambda *overrides: compose(config_name="config", overrides=list(overrides))
    GlobalHydra.instance().clear()


@pytest.fixture
def erven_source_parameters() -> dict[str, float]:
    """PDC source and detector parameters of Erven et al. 2014, Table I (``PDCSource`` keyword arguments)."""
    return dict(mu=3.145e-5, eta=0.0150, e_det=0.0093, p_dark=1.5e-8)


def acp_engine() -> str:
    """The ACP engine this interpreter runs: ``sequence`` with SeQUeNCe >= 1.3 (Python >= 3.12), else ``model``."""
    from caligo_sweep.network.engines import stack_available

    return "sequence" if stack_available() else "model"
