"""Every option of every config group composes, validates and builds the physics it names."""

from pathlib import Path

import pytest
from caligo_sweep.app.config_path import config_directory
from caligo_sweep.app.kinds import get_kind
from caligo_sweep.config.build import LinkRunSpec, PdcRunSpec, prepare_ot_link
from caligo_sweep.config.schema import LINK_SCHEMAS
from tests.conftest import acp_engine

CONF = config_directory()
GROUPS = sorted(p.name for p in CONF.iterdir() if p.is_dir() and p.name != "hydra" and not p.name.startswith("_"))


def _options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONF / group).glob("*.yaml"))


@pytest.mark.parametrize("group,option", [(g, o) for g in GROUPS for o in _options(g)])
def test_every_group_option_composes_and_validates(composer, group, option):
    if group in ("acp", "experiment") or (group, option) == ("kind", "acp"):
        pytest.importorskip("sequence")
    kind_of_option = {("source", "pdc"): "kind=ot_pdc", ("acp", "default"): "kind=acp"}
    acp_option = (group, option) in (("acp", "default"), ("kind", "acp")) or option.startswith("acp_")
    engine = f"acp.engine={acp_engine()}" if acp_option else None
    cfg = composer(*filter(None, [kind_of_option.get((group, option)), f"{group}={option}", engine]))
    spec = get_kind(cfg.kind).prepare(cfg)
    if group == "link" and option != "auto":
        assert spec.link_name == option
    if group == "source":
        assert isinstance(spec, PdcRunSpec if option == "pdc" else LinkRunSpec)
    if isinstance(spec, LinkRunSpec):
        assert 0.0 < spec.model.p_success <= 1.0


def test_link_options_match_their_schemas():
    assert set(_options("link")) == set(LINK_SCHEMAS)


@pytest.mark.parametrize(
    "overrides,expected",
    [
        (["link=auto"], "perfect"),
        (["link=auto", "link.fidelity=0.95"], "depolarise"),
        (["link=auto", "link.eta=0.8"], "heralded"),
        (["link=auto", "link.dark_count_probability=1e-5"], "heralded"),
        (["link=auto", "link.length=5"], "heralded"),
    ],
)
def test_auto_link_records_the_model_it_chose(composer, overrides, expected):
    assert prepare_ot_link(composer(*overrides)).link_name == expected


def test_eta_semantics_change_the_detection_probability(composer):
    detector_only = prepare_ot_link(composer("link=heralded", "link.eta=0.5", "eta=detector_only")).model
    end_to_end = prepare_ot_link(composer("link=heralded", "link.eta=0.5", "eta=end_to_end")).model
    # 5 km of 0.2 dB/km fibre per side transmits 10^(-0.1); detector_only multiplies it with eta.
    assert detector_only.detection_probability_per_side == pytest.approx(0.5 * 10 ** (-0.1))
    assert end_to_end.detection_probability_per_side == pytest.approx(0.5)


def test_help_lists_exactly_the_groups_and_options_in_conf():
    help_text = (CONF / "hydra" / "help" / "caligo.yaml").read_text()
    for group in GROUPS:
        assert f"  {group}: {', '.join(_options(group))}\n" in help_text


def test_conf_ships_inside_the_package_declaration():
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert '"caligo_sweep.conf" = "conf"' in pyproject


def test_every_subpackage_is_declared_for_the_wheel():
    root = Path(__file__).parents[2]
    pyproject = (root / "pyproject.toml").read_text()
    for init in (root / "caligo_sweep").rglob("__init__.py"):
        package = ".".join(init.parent.relative_to(root).parts)
        assert f'"{package}",' in pyproject, f"{package} missing from [tool.setuptools] packages"
    for folder in [CONF, *(p for p in CONF.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
        package = ".".join(("caligo_sweep", "conf", *folder.relative_to(CONF).parts))
        assert f'"{package}",' in pyproject, f"{package} missing from [tool.setuptools] packages"
