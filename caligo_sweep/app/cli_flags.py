"""The command line's flags, read before Hydra sees them, so that a wrong flag is one line and exit code 2.

Hydra parses its flags with ``argparse``, which answers a wrong one with its whole usage text and the program name
``__main__.py`` (under ``python -m``). :func:`read_flags` applies the same grammar first (Hydra 1.3's flags, their
values and choices, and argparse's unique prefixes of long flags; tests/test_hydra_internals.py checks the table
against the installed Hydra) and refuses with :class:`~caligo_sweep.app.hydra_errors.InputError`. What it accepts,
Hydra parses as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from caligo_sweep.app.hydra_errors import InputError

#: Name of the program in messages (the console script; ``python -m caligo_sweep`` is the same program).
PROGRAM = "caligo-sweep"


@dataclass(frozen=True)
class Flag:
    """One of Hydra's flags: its spellings, whether it takes a value (``"no"``, ``"one"``, ``"optional"``), choices."""

    names: tuple[str, ...]
    value: str = "no"
    choices: Optional[tuple[str, ...]] = None


#: Hydra 1.3's flags (``hydra._internal.utils.get_args_parser``).
HYDRA_FLAGS = (
    Flag(("--help", "-h")),
    Flag(("--hydra-help",)),
    Flag(("--version",)),
    Flag(("--cfg", "-c"), "one", ("job", "hydra", "all")),
    Flag(("--resolve",)),
    Flag(("--package", "-p"), "one"),
    Flag(("--run", "-r")),
    Flag(("--multirun", "-m")),
    Flag(("--shell-completion", "-sc")),
    Flag(("--config-path", "-cp"), "one"),
    Flag(("--config-name", "-cn"), "one"),
    Flag(("--config-dir", "-cd"), "one"),
    Flag(("--experimental-rerun",), "one"),
    Flag(("--info", "-i"), "optional", ("all", "config", "defaults", "defaults-tree", "plugins", "searchpath")),
)


@dataclass(frozen=True)
class CommandLine:
    """The command line split into Hydra's flags (by their first spelling, with their values) and the overrides."""

    flags: dict[str, Optional[str]]
    overrides: list[str]


def _flag_named(text: str) -> Flag:
    """The flag ``text`` spells: exactly, or (long flags) as argparse's unique prefix."""
    for flag in HYDRA_FLAGS:
        if text in flag.names:
            return flag
    if text.startswith("--"):
        matches = [f for f in HYDRA_FLAGS if any(n.startswith(text) for n in f.names if n.startswith("--"))]
        if len(matches) == 1:
            return matches[0]
    known = ", ".join(flag.names[0] for flag in HYDRA_FLAGS)
    raise InputError(f"{text} is not an option of {PROGRAM} (options: {known}; see {PROGRAM} --help)")


def read_flags(args: Sequence[str]) -> CommandLine:
    """Split ``args`` into flags and overrides, refusing an unknown flag, a missing value or a value not allowed.

    Raises
    ------
    caligo_sweep.app.hydra_errors.InputError
        One line naming the flag, its allowed values and the value given.
    """
    flags: dict[str, Optional[str]] = {}
    overrides: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if not arg.startswith("-") or arg == "-":
            overrides.append(arg)
            continue
        name, has_value, attached = arg.partition("=") if arg.startswith("--") else (arg, False, "")
        flag = _flag_named(name)
        value: Optional[str] = attached if has_value else None
        if flag.value == "no" and has_value:
            raise InputError(f"{flag.names[0]} takes no value; got {arg!r}")
        if flag.value != "no" and value is None and position < len(args):
            following = args[position]
            if flag.value == "one" or (not following.startswith("-") and following in (flag.choices or ())):
                value, position = following, position + 1
        if flag.value == "one" and value is None:
            raise InputError(f"{flag.names[0]} needs a value{_choices_text(flag)}; got none")
        if value is not None and flag.choices is not None and value not in flag.choices:
            raise InputError(f"{flag.names[0]} must be one of {', '.join(flag.choices)}; got {value!r}")
        flags[flag.names[0]] = value
    return CommandLine(flags, overrides)


def _choices_text(flag: Flag) -> str:
    return f" ({', '.join(flag.choices)})" if flag.choices else ""
