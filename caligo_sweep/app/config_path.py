"""Where Hydra finds ``conf/``: the checkout's top-level folder, else the copy shipped inside the package."""

from __future__ import annotations

from pathlib import Path

#: Name of the top-level config file inside ``conf/``.
CONFIG_NAME = "config"


def config_search_path() -> str:
    """Absolute path of ``<checkout>/conf`` when running from a source tree, else ``pkg://caligo_sweep.conf``.

    A wheel installs ``conf/`` as the package ``caligo_sweep.conf`` (see ``pyproject.toml``), so a non-editable
    install run from any directory finds the same YAML files.
    """
    checkout_conf = Path(__file__).resolve().parents[2] / "conf"
    if (checkout_conf / f"{CONFIG_NAME}.yaml").is_file():
        return str(checkout_conf)
    return "pkg://caligo_sweep.conf"


def config_directory() -> Path:
    """Filesystem folder holding ``config.yaml`` (checkout or installed package)."""
    search_path = config_search_path()
    if not search_path.startswith("pkg://"):
        return Path(search_path)
    import caligo_sweep.conf as shipped  # noqa: PLC0415  (only importable from an installed wheel)

    return Path(shipped.__file__).parent
