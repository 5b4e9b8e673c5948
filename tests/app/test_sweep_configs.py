"""The cached composition of a sweep's job configs equals Hydra's own, job by job."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

JOBS = [
    ["nsm.r=0.3", "link=heralded", "link.length=5.0"],
    ["nsm.r=0.7", "link=heralded", "link.length=5.0"],
    ["nsm.r=0.7", "link=depolarise", "link.fidelity=0.95"],
    ["nsm.r=0.3", "link=depolarise", "link.fidelity=0.9", "device=generic", "device.T1=2e9"],
    ["nsm.r=0.5", "link=depolarise", "++seed=5"],
]


@pytest.fixture
def loader():
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from caligo_sweep.app.config_path import config_directory
    from caligo_sweep.config.store import register_configs

    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(config_directory()), version_base="1.3"):
        yield GlobalHydra.instance().config_loader()
    GlobalHydra.instance().clear()


def test_cached_job_configs_equal_hydras(loader):
    from hydra.types import RunMode

    from caligo_sweep.app.sweep_configs import CachedSweepConfigs

    master = loader.load_configuration("config", overrides=["num_pairs=5000"], run_mode=RunMode.MULTIRUN)
    cached = CachedSweepConfigs(loader)
    for overrides in JOBS * 2:  # the second pass is served from the cache
        fast = cached.load_sweep_config(master, overrides)
        slow = loader.load_sweep_config(master, overrides)
        assert OmegaConf.to_container(fast) == OmegaConf.to_container(slow), overrides
    assert len(cached._bases) == 4  # heralded; depolarise; depolarise + generic device; depolarise + the ++ key


def test_override_dirname_equals_hydras():
    from hydra._internal.config_loader_impl import get_overrides_dirname  # the reference, in the test only
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from caligo_sweep.app.sweep_configs import overrides_dirname

    parsed = OverridesParser.create().parse_overrides(["nsm.r=0.5", "link=heralded", "seed=3", "link.length=2"])
    for exclude, item_sep, kv_sep in (([], ",", "="), (["seed"], "/", "_"), (["seed", "link"], ";", ":")):
        assert overrides_dirname(parsed, exclude, item_sep, kv_sep) == get_overrides_dirname(
            overrides=parsed, exclude_keys=exclude, item_sep=item_sep, kv_sep=kv_sep
        )


def test_a_key_the_config_lacks_fails_as_in_hydra(loader):
    from hydra.errors import ConfigCompositionException
    from hydra.types import RunMode

    from caligo_sweep.app.sweep_configs import CachedSweepConfigs

    master = loader.load_configuration("config", overrides=["num_pairs=5000"], run_mode=RunMode.MULTIRUN)
    overrides = ["nsm.r=0.5", "nsm.no_such_key=1"]
    with pytest.raises(ConfigCompositionException) as hydras:
        loader.load_sweep_config(master, overrides)
    with pytest.raises(ConfigCompositionException) as ours:
        CachedSweepConfigs(loader).load_sweep_config(master, overrides)
    assert str(ours.value) == str(hydras.value)
