"""Check the command line before Hydra starts any job, and turn every mistake into one readable line.

Hydra itself would report a misspelled key or an unknown group option as a multi-line exception, and range errors
only inside each job. Here every override is checked first: group options exist, keys exist, types convert, and
every value of every swept key passes the range checks of :func:`caligo_sweep.config.build.prepare_run` (each swept
value is tried with the other keys at their first value). Nothing is sampled and no output folder is created.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from caligo_sweep.app.config_path import CONFIG_NAME, config_directory
from caligo_sweep.app.experiment import check_spec
from caligo_sweep.config.build import prepare_run
from caligo_sweep.config.store import register_configs
from caligo_sweep.errors import CaligoError
from caligo_sweep.results.io import RESULT_FILE

#: OmegaConf's wording of a value that does not convert to the key's type.
_CONVERSION_ERROR = re.compile(r"Value '(.*)' of type '.*' could not be converted to (\w+)")
_TYPE_WORDS = {"Float": "a float (a number)", "Integer": "an integer", "Boolean": "true or false"}

#: Flags after which Hydra does not run the app, so there is nothing to check.
_INFO_FLAGS = {"--help", "-h", "--hydra-help", "--info", "-i", "--shell-completion", "-sc"}


class CommandLineError(CaligoError):
    """A command-line override that cannot work; the message is one line."""


def check_command_line(args: Sequence[str]) -> None:
    """Validate the overrides in ``args`` (``sys.argv[1:]``).

    Raises
    ------
    CommandLineError
        With a one-line message naming the key, the allowed values and the given value.
    caligo_sweep.errors.ConfigValueError
        When a value is out of range.
    """
    if any(arg.split("=", 1)[0] in _INFO_FLAGS for arg in args):
        return
    texts = _override_texts(args)
    try:
        overrides = OverridesParser.create().parse_overrides(texts)
    except HydraException as error:
        raise CommandLineError(_first_line(error)) from None
    _check_output_folders(overrides)
    user_overrides = [o for o in overrides if not o.get_key_element().lstrip("+~").startswith("hydra")]
    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(config_directory()), version_base="1.3"):
        groups = _check_group_options(user_overrides)
        preset_overrides = _preset_sweeps(user_overrides)
        _check_group_options(preset_overrides)
        for variant in _variants(preset_overrides + user_overrides, groups):
            check_spec(prepare_run(variant))
    GlobalHydra.instance().clear()


def _check_output_folders(overrides: list[Override]) -> None:
    """Refuse a fixed ``hydra.run.dir`` or ``hydra.sweep.dir`` that already holds results: nothing is overwritten.

    The default folders carry the time to the microsecond and are always new.
    """
    for override in overrides:
        if override.key_or_group not in {"hydra.run.dir", "hydra.sweep.dir"} or override.is_sweep_override():
            continue
        folder = Path(str(override.value()))
        if "${" in str(folder):
            continue
        existing = [folder / RESULT_FILE, folder / "results.parquet", *folder.glob(f"*/{RESULT_FILE}")]
        if any(path.exists() for path in existing):
            raise CommandLineError(
                f"{override.key_or_group} must be a folder without results (nothing is overwritten); "
                f"got {str(folder)!r}"
            )


def _preset_sweeps(overrides: list[Override]) -> list[Override]:
    """Sweeps an experiment preset declares in ``hydra.sweeper.params``, unless the command line sets the key."""
    texts = [_as_text(o, _sweep_values(o)[0]) for o in overrides]
    hydra_node = _compose(texts, with_hydra=True).hydra
    params = hydra_node.sweeper.get("params") or {}
    given = {o.key_or_group for o in overrides}
    declared = [f"{key}={value}" for key, value in params.items() if key not in given]
    return OverridesParser.create().parse_overrides(declared)


def _override_texts(args: Sequence[str]) -> list[str]:
    """The override arguments: everything that is not a flag nor the value of a flag that takes one."""
    texts: list[str] = []
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
        elif arg in {"--config-path", "-cp", "--config-name", "-cn", "--config-dir", "-cd", "--cfg", "-c",
                     "--package", "-p", "--experimental-rerun"}:
            skip_next = True
        elif not arg.startswith("-"):
            texts.append(arg)
    return texts


def _check_group_options(overrides: list[Override]) -> set[str]:
    """Check every chosen option of a config group exists; return the names of the groups."""
    loader = GlobalHydra.instance().config_loader()
    groups = {name for name in loader.list_groups("") if name not in {"hydra", "schema"}}
    for override in overrides:
        key = override.key_or_group
        if key not in groups:
            continue
        options = sorted(loader.get_group_options(key))
        values = list(override.sweep_string_iterator()) if override.is_sweep_override() else [
            override.get_value_element_as_str()
        ]
        for value in values:
            if value not in options and value != "null":
                raise CommandLineError(
                    f"{key} must be one of {', '.join(options)}; got {value!r}"
                )
    return groups


def _variants(overrides: list[Override], groups: set[str]) -> Iterator[DictConfig]:
    """Configs to validate: all first values, then each further swept value with the others at their first value.

    Only a swept group option or added/deleted key needs a new composition; a swept plain key is set on a copy
    of the first composition, where the typed schema checks it exactly as composition would.
    """
    first_texts = [_as_text(o, _sweep_values(o)[0]) for o in overrides]
    first = _compose(first_texts)
    yield first
    for index, override in enumerate(overrides):
        further = _sweep_values(override)[1:]
        if not further:
            continue
        needs_composition = override.key_or_group in groups or override.package is not None
        if needs_composition or override.is_add() or override.is_force_add() or override.is_delete():
            for value in further:
                yield _compose(first_texts[:index] + [_as_text(override, value)] + first_texts[index + 1:])
            continue
        for value in list(override.sweep_iterator())[1:]:
            variant = copy.deepcopy(first)
            try:
                OmegaConf.update(variant, override.key_or_group, value, merge=False)
            except OmegaConfBaseException as error:
                raise CommandLineError(_describe_compose_error(error, first_texts)) from None
            yield variant


def _sweep_values(override: Override) -> list[str]:
    if override.is_sweep_override() and not override.is_interval_sweep():
        return list(override.sweep_string_iterator())
    if override.is_sweep_override():
        raise CommandLineError(
            f"{override.get_key_element()}: interval sweeps need a sweeper plugin; list the values instead"
        )
    return [override.get_value_element_as_str()]


def _as_text(override: Override, value: str) -> str:
    if override.is_delete() and override.value() is None:
        return override.get_key_element()
    return f"{override.get_key_element()}={value}"


def _compose(overrides: list[str], with_hydra: bool = False) -> DictConfig:
    try:
        return compose(config_name=CONFIG_NAME, overrides=overrides, return_hydra_config=with_hydra)
    except (HydraException, OmegaConfBaseException) as error:
        raise CommandLineError(_describe_compose_error(error, overrides)) from None


def _describe_compose_error(error: Exception, overrides: list[str]) -> str:
    cause = error.__cause__ if error.__cause__ is not None else error
    full_key = getattr(cause, "full_key", None)
    if full_key and ("not in struct" in str(cause) or "not in '" in str(cause)):
        return _unknown_key_message(str(full_key), overrides)
    conversion = _CONVERSION_ERROR.search(str(cause))
    if full_key and conversion:
        value, target = conversion.groups()
        return f"{full_key} must be {_TYPE_WORDS.get(target, target)}; got {value!r}"
    if full_key:
        return f"{full_key}: {_first_line(cause)}"
    return _first_line(error)


def _unknown_key_message(full_key: str, overrides: list[str]) -> str:
    parent, _, leaf = full_key.rpartition(".")
    base = compose(config_name=CONFIG_NAME, overrides=[o for o in overrides if o.split("=", 1)[0] != full_key])
    node = OmegaConf.select(base, parent) if parent else base
    known = sorted(str(k) for k in node.keys()) if isinstance(node, DictConfig) else []
    where = parent or "the top level"
    return f"{full_key} is not a known key; {where} has keys {', '.join(known)}"


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
