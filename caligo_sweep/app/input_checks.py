"""Input checks at the points Hydra offers: when a run's config is composed, and when a multirun starts.

A single run is checked in the ``on_run_start`` callback, after Hydra has composed its config and before Hydra
creates the run folder. A multirun is checked in ``on_multirun_start``, before the sweeper creates the sweep folder:
every value of every swept key (command line and ``hydra.sweeper.params``, expanded by Hydra's own parser, so
``glob()``, ``range()`` and ``choice()`` work; an ``interval()`` is checked at both ends) is composed with the other
keys at their first value and passed through the same checks as a run. Nothing is sampled and no folder is
created; a mistake becomes one line and exit code 2. Values that are valid alone but not together (``device.T2``
above a swept ``device.T1``) fail in their job, which then leaves a ``failed`` row.
"""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from omegaconf import DictConfig, OmegaConf, open_dict

from caligo_sweep.app.hydra_errors import InputError, describe_input_error, field_names
from caligo_sweep.app.kinds import get_kind, registered_kinds
from caligo_sweep.app.sweep_configs import is_plain_override
from caligo_sweep.app.sweep_state import PLAN_FILE, read_plan
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.results.io import RESULT_FILE, TABLE_FILES

#: Free space [bytes] an output folder's disk must have before a run starts (rows, logs and Hydra's files).
MIN_FREE_BYTES = 16 * 2**20


def check_job(cfg: DictConfig) -> None:
    """Every check of one composed job config (without the ``hydra`` node), before anything is sampled.

    Raises
    ------
    caligo_sweep.errors.CaligoError
        With a one-line message naming the key, the allowed values and the given value.
    """
    _check_known_keys(cfg, "")
    kind = get_kind(cfg.kind)
    kind.check(kind.prepare(cfg))
    if cfg.objective is not None and cfg.objective not in kind.objective_columns:
        raise ConfigValueError(
            "objective", f"null or a numeric result column of kind {kind.name} ({', '.join(kind.objective_columns)})",
            cfg.objective,
        )


def check_groups_of_kind(overrides: list[str], kind_name: str) -> None:
    """Refuse a command-line override of a group that another kind owns: the run of this kind would not read it."""
    kind = get_kind(kind_name)
    foreign = {g for other in registered_kinds().values() for g in other.config_groups} - set(kind.config_groups)
    for text in overrides:
        key = text.lstrip("+~").split("=", 1)[0]
        if key.split(".", 1)[0].split("@", 1)[0] in foreign:
            raise InputError(
                f"{key} is not read by kind={kind.name} (its groups: {', '.join(kind.config_groups)}); got {text!r}"
            )


def _check_known_keys(node: DictConfig, prefix: str) -> None:
    """Refuse keys the schema does not have (added with ``+key=`` or ``++key=``): nothing would read them."""
    schema = OmegaConf.get_type(node)
    known = field_names(schema)
    for key in node.keys():
        name = f"{prefix}{key}"
        if known and key not in known:
            where = prefix.rstrip(".") or "the top level"
            raise InputError(f"{name} is not a known key; {where} has keys {', '.join(known)}")
        child = node._get_node(key)
        if isinstance(child, DictConfig) and not child._is_missing() and not child._is_none():
            _check_known_keys(child, f"{name}.")


def task_config(config: DictConfig) -> DictConfig:
    """The job's config as the task function sees it: a copy without the ``hydra`` node."""
    task = copy.copy(config)
    with open_dict(task):
        task.pop("hydra", None)
    return task


def check_output_folder(key: str, folder: Path, *, existing_results_allowed: bool = False) -> None:
    """Refuse an output folder that holds results (unless resuming), cannot be written, or whose disk is full.

    Probes by creating and removing a temporary file in the nearest existing ancestor, so nothing is left behind.
    """
    if not existing_results_allowed:
        held = [folder / RESULT_FILE, folder / PLAN_FILE, *(folder / name for name in TABLE_FILES)]
        if any(path.exists() for path in held) or (folder.is_dir() and any(folder.glob(f"*/{RESULT_FILE}"))):
            raise InputError(
                f"{key} must be a folder without results (nothing is overwritten; add resume=true to finish a "
                f"sweep); got {str(folder)!r}"
            )
    ancestor = folder
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InputError(f"{key} must be a folder that can be created; got {str(folder)!r} ({ancestor} is a file)")
    try:
        descriptor, probe = tempfile.mkstemp(dir=ancestor, prefix=".caligo-write-test-")
    except OSError as error:
        raise InputError(f"{key} must be a writable folder; got {str(folder)!r} ({error.strerror})") from None
    os.close(descriptor)
    os.remove(probe)
    free = shutil.disk_usage(ancestor).free
    if free < MIN_FREE_BYTES:
        raise InputError(
            f"{key} must be on a disk with at least {MIN_FREE_BYTES // 2**20} MiB free; got {str(folder)!r} "
            f"({free // 2**20} MiB free)"
        )


def check_no_deletions(overrides: list[str]) -> None:
    """Refuse ``~key``: every key of the schema has a value that a run reads."""
    for text in overrides:
        if text.startswith("~") and not text.lstrip("~").startswith("hydra"):
            raise InputError(f"{text.split('=', 1)[0]}: deleting a key is not supported; every key has a value")


def check_each_key_once(overrides: list[str]) -> None:
    """Refuse a key given twice (``nsm.r=0.5 nsm.r=0.7``): Hydra would keep the last one without a word."""
    seen: dict[str, str] = {}
    for text in overrides:
        key = text.lstrip("+~").split("=", 1)[0]
        if key in seen:
            raise InputError(
                f"{key} is given twice ({seen[key]!r} and {text!r}); give it once (several values with -m sweep them)"
            )
        seen[key] = text


def check_composed_job(config: DictConfig) -> None:
    """The checks of one composed job config with its ``hydra`` node, whatever its output folder."""
    overrides = list(config.hydra.overrides.task)
    check_no_deletions(overrides)
    check_each_key_once(overrides)
    task = task_config(config)
    check_groups_of_kind(overrides, task.kind)
    check_job(task)


def check_single_run(config: DictConfig) -> None:
    """Checks of a single run (``on_run_start``): the job's config and its output folder."""
    if config.get("resume"):
        raise ConfigValueError("resume", "false in a single run (it finishes a multirun: add -m)", True)
    check_composed_job(config)
    check_output_folder("hydra.run.dir", Path(config.hydra.run.dir))


def check_multirun(config: DictConfig) -> None:
    """Checks of a multirun (``on_multirun_start``): the sweep folder, then every swept value of every key."""
    sweep_dir = Path(config.hydra.sweep.dir)
    resume = bool(config.get("resume"))
    if resume and read_plan(sweep_dir) is None:
        held = "does not exist" if not sweep_dir.is_dir() else "holds no jobs.json: nothing to resume"
        raise InputError(
            f"hydra.sweep.dir must be the folder of a started sweep with resume=true (run without resume=true for a "
            f"new sweep); got {str(sweep_dir)!r}, which {held}"
        )
    check_output_folder("hydra.sweep.dir", sweep_dir, existing_results_allowed=resume)
    check_each_key_once(list(config.hydra.overrides.task))
    optimising = "optuna" in str(config.hydra.sweeper.get("_target_", "")).lower()
    if optimising and config.get("objective") is None:
        raise ConfigValueError("objective", "a numeric result column for an optimising sweeper (the column it optimises)", None)
    for variant in _sweep_variants(config):
        check_groups_of_kind(list(config.hydra.overrides.task), variant.kind)
        check_job(variant)


def _sweep_variants(config: DictConfig) -> Iterator[DictConfig]:
    """Task configs covering every swept value: all first values, then each further value of one key at a time.

    A swept group option, or an added or deleted key, needs a new composition (by Hydra's config loader); a swept
    plain key is set on a copy of the first composition, where the typed schema checks it as composition would.
    """
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser

    loader = GlobalHydra.instance().config_loader()
    task_overrides = list(config.hydra.overrides.task)
    given = {text.lstrip("+~").split("=", 1)[0] for text in task_overrides}
    params = config.hydra.sweeper.get("params") or {}
    type_name = str(config.hydra.sweeper.get("_target_", ""))
    declared = [f"{key}={value}" for key, value in params.items() if key not in given]
    with _input_errors():
        overrides = OverridesParser.create(config_loader=loader).parse_overrides(task_overrides + declared)
        values = [_candidate_values(o) for o in overrides]
    for override, candidates in zip(overrides, values):
        if not candidates:
            raise InputError(f"{override.key_or_group} must be given at least one value; got {override.input_line!r}")
        if override.is_interval_sweep() and not override.value().start < override.value().end:
            raise InputError(
                f"{override.key_or_group}=interval(low, high) needs low < high; got {override.input_line!r}"
            )
    if "BasicSweeper" in type_name or "PrevalidatedSweeper" in type_name:
        for override in overrides:
            if override.is_interval_sweep():
                raise InputError(
                    f"{override.key_or_group}=interval(...) needs an optimising sweeper (e.g. hydra/sweeper=optuna); "
                    f"list the values or use range() instead; got {override.input_line!r}"
                )
    check_no_deletions(task_overrides)
    groups = set(loader.list_groups(""))

    def compose(texts: list[str]) -> DictConfig:
        with _input_errors():
            return task_config(loader.load_sweep_config(config, texts))

    first_texts = [_as_text(o, v[0]) for o, v in zip(overrides, values)]
    first = compose(first_texts)
    yield first
    for index, (override, further) in enumerate(zip(overrides, values)):
        for value in further[1:]:
            if is_plain_override(override, groups):
                variant = copy.deepcopy(first)
                with _input_errors():
                    OmegaConf.update(variant, override.key_or_group, _typed_value(value), merge=False)
                yield variant
            else:
                yield compose(first_texts[:index] + [_as_text(override, value)] + first_texts[index + 1:])


@contextlib.contextmanager
def _input_errors() -> Iterator[None]:
    """Turn Hydra's and OmegaConf's errors about the user's input into :class:`InputError`; re-raise the rest."""
    try:
        yield
    except Exception as error:  # noqa: BLE001  (only input errors are translated; others propagate unchanged)
        message = describe_input_error(error)
        if message is None:
            raise
        raise InputError(message) from None


def _candidate_values(override) -> list[str]:  # noqa: ANN001  (hydra Override)
    """The values to check of one override: its single value, every value of a sweep, the ends of an interval."""
    if override.is_interval_sweep():
        sweep = override.value()
        return [_number_text(sweep.start), _number_text(sweep.end)]
    if override.is_sweep_override():
        return list(override.sweep_string_iterator())
    return [override.get_value_element_as_str()]


def _number_text(value: float) -> str:
    """An interval end as Hydra's grammar writes it: ``int(interval(...))`` ends stay integers."""
    return str(value) if isinstance(value, int) else repr(float(value))


def _typed_value(text: str) -> object:
    """A swept value's text as Hydra's grammar would type it (int, float, bool, null or string)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    return OverridesParser.create().parse_override(f"k={text}").value()


def _as_text(override, value: str) -> str:  # noqa: ANN001  (hydra Override)
    if override.is_delete() and override.value() is None:
        return override.get_key_element()
    return f"{override.get_key_element()}={value}"
