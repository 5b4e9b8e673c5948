"""The generated configuration reference names every key of every schema and every YAML option file."""

import dataclasses
from pathlib import Path

import pytest
import yaml

from tools import docs_reference

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = docs_reference.config_reference()


def _section(heading: str) -> str:
    start = REFERENCE.index(f"## {heading}")
    end = REFERENCE.find("\n## ", start + 1)
    return REFERENCE[start : end if end > 0 else None]


@pytest.mark.parametrize("group", sorted(docs_reference.GROUPS))
def test_every_schema_key_of_a_group_is_in_its_section(group):
    cls = docs_reference.GROUPS[group][0]
    section = _section(f"`{group}`")
    schemas = docs_reference.LINK_SCHEMAS.values() if group == "link" else [cls]
    for schema_cls in schemas:
        for field in dataclasses.fields(schema_cls):
            assert f"| `{field.name}` |" in section, f"{group}.{field.name} is missing from the config reference"


@pytest.mark.parametrize("path", sorted((ROOT / "conf").glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_key_of_every_option_file_is_in_the_reference(path):
    group = path.parent.name
    if group in {"hydra", "_sizes"}:
        pytest.skip("Hydra's own settings and preset sizes are not user keys")
    values = yaml.safe_load(path.read_text()) or {}
    if group not in docs_reference.GROUPS:
        section = _section(f"`{group}` (presets)")
        assert f"| `{path.stem}` |" in section
        return
    section = _section(f"`{group}`")
    for key in set(values) - {"defaults"}:
        assert f"`{key}`" in section, f"{group}.{key} ({path.name}) is missing from the config reference"


def test_every_top_level_key_is_in_the_reference():
    top = _section("Top level")
    for key in yaml.safe_load((ROOT / "conf" / "config.yaml").read_text()):
        if key not in {"defaults", "hydra"}:
            assert f"| `{key}` |" in top


def test_a_key_missing_from_the_schema_comments_would_be_caught():
    """The check is not vacuous: a section lists exactly the keys of its schema."""
    section = _section("`nsm`")
    assert section.count("\n| `") == len(dataclasses.fields(docs_reference.GROUPS["nsm"][0]))
