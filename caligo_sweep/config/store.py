"""The one place that registers the typed schemas with Hydra's ConfigStore."""

from __future__ import annotations

from hydra.core.config_store import ConfigStore

from caligo_sweep.config.schema import (
    AutoLinkSchema,
    DepolariseLinkSchema,
    HeraldedLinkSchema,
    PerfectLinkSchema,
    RunSchema,
)

#: Link schemas by option name; ``conf/link/<name>.yaml`` extends ``/schema/link/<name>``.
LINK_SCHEMAS = {
    "perfect": PerfectLinkSchema,
    "depolarise": DepolariseLinkSchema,
    "heralded": HeraldedLinkSchema,
    "auto": AutoLinkSchema,
}


def register_configs() -> None:
    """Register the top-level run schema and one schema per link option (idempotent)."""
    store = ConfigStore.instance()
    store.store(name="run_schema", node=RunSchema)
    for name, schema in LINK_SCHEMAS.items():
        store.store(group="schema/link", name=name, node=schema)
