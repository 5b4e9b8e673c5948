"""Compose a sweep's job configs fast: each distinct set of group choices once, plain values set on a copy.

Hydra's launchers compose every job's config from the YAML files (``load_sweep_config``), about 0.1 s per job, which
is most of a small job's cost. Jobs of a sweep that differ only in plain values (``nsm.r=0.5`` vs ``nsm.r=0.7``)
share their defaults tree, so :class:`CachedSweepConfigs` composes each distinct set of structural overrides (group
choices, ``+``/``++``/``~`` and Hydra's own) once with Hydra's loader, then applies the plain overrides to a copy
as Hydra 1.3 does (``OmegaConf.update`` with merging, the same error on a key the config lacks), and sets the job's
``hydra.overrides.task`` and ``hydra.job.override_dirname`` as Hydra would. The result is the config Hydra composes
(tests/app/test_sweep_configs.py compares the two job by job). Only Hydra's public API is used.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

from omegaconf import DictConfig, OmegaConf, open_dict
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException


class CachedSweepConfigs:
    """Hydra's config loader, with ``load_sweep_config`` reusing compositions; everything else is delegated.

    Parameters
    ----------
    loader : hydra.core.config_loader.ConfigLoader
        The loader Hydra created for this run.
    """

    def __init__(self, loader: Any) -> None:
        self._loader = loader
        self._bases: dict[tuple[str, ...], DictConfig] = {}
        self._groups: set[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # also keeps pickling (joblib launcher workers) from recursing here
            raise AttributeError(name)
        return getattr(self._loader, name)

    def load_sweep_config(self, master_config: DictConfig, sweep_overrides: list[str]) -> DictConfig:
        """The config of the job with ``sweep_overrides``, equal to Hydra's own ``load_sweep_config``."""
        from hydra.core.override_parser.overrides_parser import OverridesParser

        if self._groups is None:
            self._groups = set(self._loader.list_groups(""))
        parsed = OverridesParser.create(config_loader=self._loader).parse_overrides(sweep_overrides)
        plain = [o for o in parsed if self._is_plain(o)]
        structure = tuple(o.input_line for o in parsed if not self._is_plain(o))
        if structure not in self._bases:
            self._bases[structure] = self._loader.load_sweep_config(master_config, list(structure))
        config = copy.deepcopy(self._bases[structure])
        apply_plain_overrides(plain, config)
        task = [o for o in parsed if not o.is_hydra_override()]
        dirname = config.hydra.job.config.override_dirname
        with open_dict(config.hydra):
            config.hydra.overrides.task = [o.input_line for o in task]
            config.hydra.job.override_dirname = overrides_dirname(
                task, exclude_keys=dirname.exclude_keys, item_sep=dirname.item_sep, kv_sep=dirname.kv_sep
            )
        OmegaConf.copy_cache(from_config=master_config, to_config=config)
        return config

    def _is_plain(self, override: Any) -> bool:
        return is_plain_override(override, self._groups)


def is_plain_override(override: Any, groups: set[str]) -> bool:
    """A ``key=value`` override of a config value: no group choice (of ``groups``), no add or delete, not Hydra's."""
    return not (
        override.is_hydra_override()
        or override.key_or_group in groups
        or override.package is not None
        or override.is_add()
        or override.is_force_add()
        or override.is_delete()
    )


def apply_plain_overrides(overrides: Sequence[Any], config: DictConfig) -> None:
    """Set each plain ``key=value`` override (see :func:`is_plain_override`) on ``config``, as Hydra's loader does.

    Raises
    ------
    hydra.errors.ConfigCompositionException
        With Hydra's message, when the config has no such key or the value does not merge.
    """
    from hydra.errors import ConfigCompositionException

    for override in overrides:
        try:
            try:
                OmegaConf.update(config, override.key_or_group, override.value(), merge=True)
            except (ConfigAttributeError, ConfigKeyError) as error:
                raise ConfigCompositionException(
                    f"Could not override '{override.key_or_group}'.\nTo append to your config use +{override.input_line}"
                ) from error
        except OmegaConfBaseException as error:
            raise ConfigCompositionException(f"Error merging override {override.input_line}") from error


def overrides_dirname(overrides: Sequence[Any], exclude_keys: Sequence[str], item_sep: str, kv_sep: str) -> str:
    """``hydra.job.override_dirname`` of a job: its overrides but ``exclude_keys``, sorted, joined, ``=`` replaced."""
    lines = sorted(o.input_line for o in overrides if o.key_or_group not in exclude_keys)
    return re.sub("=", kv_sep, item_sep.join(lines))
