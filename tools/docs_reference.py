"""Generate the configuration reference of the documentation site from the schemas and ``conf/``.

Every key of every config group is listed once, with its type and default from the typed schema
(:mod:`caligo_sweep.config.schema`; the ``acp`` group's keys come from
:class:`caligo_sweep.network.settings.AcpSettings`), its meaning, unit and range from the schema's ``#:`` comment or
the YAML file's comment, and the value each option file of the group sets. ``docs/conf.py`` calls :func:`write` at
every build; ``tests/docs/test_reference.py`` fails when a key of a schema or of a YAML file is missing from the
output.

Run by hand with ``python tools/docs_reference.py`` (prints the Markdown).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path
from typing import Any

import yaml

from caligo_sweep.config import schema
from caligo_sweep.network.settings import AcpSettings

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "conf"

#: Config groups, their schema class, and what the group is for.
GROUPS: dict[str, tuple[type, str]] = {
    "link": (schema.DepolariseLinkSchema, "the EPR link (one schema per option, below)"),
    "eta": (schema.EtaSchema, "how `link.eta` maps onto the heralded link's losses"),
    "device": (schema.DeviceSchema, "honest quantum-memory noise"),
    "nsm": (schema.NsmSchema, "the adversary's noisy storage and the security parameters"),
    "workers": (schema.WorkersSchema, "how the batches (OT) or seeds (ACP) of one run are executed"),
    "engine": (schema.EngineSchema, "which sampler produces the pairs"),
    "source": (schema.SourceSchema, "which honest-channel model feeds the security analysis"),
    "protocol": (schema.ProtocolSchema, "run-time policy of the OT protocol"),
    "reconciliation": (schema.ReconciliationSchema, "how the error-correction leak is obtained"),
    "acp": (AcpSettings, "the ACP network experiment (kind=acp)"),
}

#: The link group has one schema per option.
LINK_SCHEMAS: dict[str, type] = schema.LINK_SCHEMAS


def field_comments(cls: type) -> dict[str, str]:
    """The ``#:`` comment after each field of a dataclass, by field name (empty when there is none)."""
    source_lines, _ = inspect.getsourcelines(cls)
    comments: dict[str, str] = {}
    for node in ast.parse(inspect.getsource(cls)).body[0].body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            line = source_lines[node.lineno - 1]
            comments[node.target.id] = line.split("#:", 1)[1].strip() if "#:" in line else ""
    return comments


def yaml_comments(path: Path) -> dict[str, str]:
    """The end-of-line comment of each top-level key of a YAML file, by key."""
    comments: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line and not line[0].isspace() and ":" in line and not line.startswith("#"):
            key, rest = line.split(":", 1)
            comments[key.strip()] = rest.split("#", 1)[1].strip() if "#" in rest else ""
    return comments


def option_values(group: str) -> dict[str, dict[str, Any]]:
    """Every option file of a group and the top-level keys it sets (``# @package`` files included)."""
    options = {}
    for path in sorted((CONF / group).glob("*.yaml")):
        options[path.stem] = yaml.safe_load(path.read_text()) or {}
    return options


def _format(value: Any) -> str:
    if dataclasses.is_dataclass(value):
        return "the group (below)"
    if value == "???":
        return "the group (below)"
    return "`null`" if value is None else f"`{value}`"


def _schema_rows(cls: type, options: dict[str, dict[str, Any]], extra_comments: dict[str, str]) -> list[str]:
    comments = field_comments(cls)
    rows = ["| key | type | default | meaning, unit, range | set by options |", "|---|---|---|---|---|"]
    for field in dataclasses.fields(cls):
        default = field.default
        if field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        meaning = comments.get(field.name) or extra_comments.get(field.name, "")
        set_by = ", ".join(f"{name}: {_format(values[field.name])}" for name, values in options.items() if field.name in values)
        meaning = meaning.replace("|", "\\|")
        type_name = field.type if isinstance(field.type, str) else field.type.__name__
        type_name = type_name.replace("|", "\\|")
        rows.append(f"| `{field.name}` | `{type_name}` | {_format(default)} | {meaning} | {set_by} |")
    return rows


def config_reference() -> str:
    """The Markdown of the configuration reference page."""
    out = [
        "# Configuration reference",
        "",
        "Generated from `caligo_sweep/config/schema.py`, `caligo_sweep/network/settings.py` and `conf/` by",
        "`tools/docs_reference.py` at every documentation build. Compose a group with `group=option`, override a key",
        "with `group.key=value`; a value outside its range stops the run with one line naming the key, the range and",
        "the value.",
        "",
        "## Top level",
        "",
    ]
    out += _schema_rows(schema.RunSchema, {"config": yaml.safe_load((CONF / "config.yaml").read_text())}, {})
    for group, (cls, purpose) in GROUPS.items():
        options = option_values(group)
        out += ["", f"## `{group}`", "", f"{purpose[0].upper()}{purpose[1:]}. Options: " + ", ".join(f"`{o}`" for o in options), ""]
        if group == "link":
            for option, link_cls in LINK_SCHEMAS.items():
                out += [f"### `link={option}`", "", (link_cls.__doc__ or "").strip().splitlines()[0], ""]
                out += _schema_rows(link_cls, {option: options[option]}, yaml_comments(CONF / group / f"{option}.yaml"))
                out.append("")
            continue
        extra = {}
        for option in options:
            extra.update(yaml_comments(CONF / group / f"{option}.yaml"))
        out += _schema_rows(cls, options, extra)
        yaml_only = sorted({key for values in options.values() for key in values} - {f.name for f in dataclasses.fields(cls)})
        if yaml_only:
            out += ["", "Keys of the group read by the run itself:", ""]
            out += [f"* `{key}`: {extra.get(key, '')}".replace("|", "\\|") for key in yaml_only]
    for group in ("kind", "experiment", "size"):
        out += ["", f"## `{group}` (presets)", "", "| option | sets |", "|---|---|"]
        for option, values in option_values(group).items():
            keys = ", ".join(f"`{k}`" for k in values if k != "defaults")
            defaults = ", ".join(
                f"`{k}: {v}`" if isinstance(entry, dict) else f"`{entry}`"
                for entry in values.get("defaults", [])
                for k, v in (entry.items() if isinstance(entry, dict) else [(entry, "")])
            )
            out.append(f"| `{option}` | {keys}{'; composes ' + defaults if defaults else ''} |")
    return "\n".join(out) + "\n"


def write(docs_dir: Path) -> Path:
    """Write ``reference/config.md`` under ``docs_dir`` and return its path."""
    target = docs_dir / "reference" / "config.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(config_reference())
    return target


if __name__ == "__main__":
    print(config_reference(), end="")
