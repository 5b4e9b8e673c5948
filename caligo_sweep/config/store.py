"""The one place that registers the typed schemas with Hydra's ConfigStore."""

from __future__ import annotations

from hydra.core.config_store import ConfigStore
from hydra.core.plugins import Plugins

from caligo_sweep.config.schema import LINK_SCHEMAS, RunSchema


def register_configs() -> None:
    """Register the run schema, one schema per link option and the ``hydra/sweeper=caligo`` sweeper (idempotent)."""
    plugins = Plugins.instance()  # scans (and re-imports) Hydra's plugins: must precede importing ours
    from hydra_plugins.caligo_sweep_sweeper import PrevalidatedSweeper, PrevalidatedSweeperConf  # noqa: PLC0415

    store = ConfigStore.instance()
    store.store(name="run_schema", node=RunSchema)
    for name, schema in LINK_SCHEMAS.items():
        store.store(group="schema/link", name=name, node=schema)
    store.store(group="hydra/sweeper", name="caligo", node=PrevalidatedSweeperConf, provider="caligo_sweep")
    # An editable install hides the plugin from Hydra's package scan; registering it by hand works for both.
    plugins.register(PrevalidatedSweeper)
