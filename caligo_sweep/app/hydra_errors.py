"""Hydra's composition errors as one line naming the key, the valid names or type, and the value.

Hydra reports a misspelled key, an unknown group option or a value of the wrong type as a multi-line exception; the
command line turns each into one line (exit code 2) with :func:`describe_input_error`. It also rewrites integers
written in scientific notation (``num_pairs=1e10``) into plain integers before Hydra parses them, for the keys the
schema declares as integers, since Hydra's grammar reads ``1e10`` as a float and the integer keys would refuse it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import typing
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Optional

from caligo_sweep.config.schema import RunSchema
from caligo_sweep.config.schema import LINK_SCHEMAS
from caligo_sweep.errors import CaligoError

#: OmegaConf's wording of a value that does not convert to the key's type.
_CONVERSION_ERROR = re.compile(r"Value '(.*?)'(?: of type '[^']*')? could not be converted to (\w+)")
_NOT_A_BOOL = re.compile(r"Value '(.*?)' is not a valid bool")
_TYPE_WORDS = {"Float": "a float (a number)", "Integer": "an integer", "Boolean": "true or false"}
#: A number literal in scientific notation, e.g. ``1e10`` or ``2.5E+6``.
#: Environment variable remembering the user's own HYDRA_FULL_ERROR (also for jobs in other processes).
_USER_TRACEBACKS = "CALIGO_SWEEP_USER_FULL_ERROR"
_SCIENTIFIC = re.compile(r"(?<![\w.])([0-9]+(?:\.[0-9]*)?[eE]\+?[0-9]+)(?![\w.])")


def request_tracebacks_from_hydra() -> None:
    """Make Hydra re-raise every error to the command line (``HYDRA_FULL_ERROR=1``), which reports it itself.

    Whether the user asked for tracebacks (``HYDRA_FULL_ERROR=1`` already set) is remembered first.
    """
    os.environ.setdefault(_USER_TRACEBACKS, os.environ.get("HYDRA_FULL_ERROR", "0"))
    os.environ["HYDRA_FULL_ERROR"] = "1"


def tracebacks_requested() -> bool:
    """Whether the user set ``HYDRA_FULL_ERROR=1`` to see tracebacks instead of one-line errors."""
    return os.environ.get(_USER_TRACEBACKS, os.environ.get("HYDRA_FULL_ERROR")) == "1"


class InputError(CaligoError):
    """An input that cannot work (key, value, output folder); the message is one line."""


def describe_input_error(error: BaseException, args: Sequence[str] = ()) -> Optional[str]:
    """One line for an error caused by the user's input, or None when ``error`` is not one (a genuine crash).

    ``args`` (the command line) lets a syntax error name the override it is in.
    """
    from hydra.errors import ConfigCompositionException, MissingConfigException, OverrideParseException
    from omegaconf.errors import OmegaConfBaseException

    if isinstance(error, CaligoError):
        return _first_line(error)
    if isinstance(error, MissingConfigException) and error.options is not None and error.missing_cfg_file:
        group, _, value = str(error.missing_cfg_file).rpartition("/")
        return f"{group} must be one of {', '.join(sorted(error.options))}; got {value!r}"
    if isinstance(error, OverrideParseException) or isinstance(error.__cause__, OverrideParseException):
        return f"{_unparsable(args) or 'an override'} cannot be parsed: {_grammar_problem(_first_line(error))}"
    if isinstance(error, ConfigCompositionException):
        return _describe_composition(error)
    if isinstance(error, OmegaConfBaseException):
        return _describe_omegaconf(error, _first_line(error))
    return None


def _unparsable(args: Sequence[str]) -> Optional[str]:
    """The first argument of the command line that Hydra's override grammar cannot parse."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser = OverridesParser.create()
    for arg in args:
        if arg.startswith("-"):
            continue
        try:
            parser.parse_override(arg)
        except HydraException:
            return arg
    return None


#: What the override grammar's parser (ANTLR) says, in the words of the command line.
_GRAMMAR_PROBLEMS = (
    (re.compile(r"mismatched input '<EOF>'"), lambda m: "it ends where a value is expected (nothing after a comma?)"),
    (re.compile(r"(?:mismatched|extraneous) input '(.*?)'"), lambda m: f"{m.group(1)!r} is not expected there"),
    (re.compile(r"no viable alternative at input '(.*?)'"), lambda m: f"{m.group(1)!r} is not expected there"),
    (re.compile(r"token recognition error at: '(.*?)'"), lambda m: f"the character {m.group(1)!r} is not expected"),
    (re.compile(r"missing '(.*?)' at"), lambda m: f"a {m.group(1)!r} is missing"),
)
_GRAMMAR_HINT = "write key=value; quote a value with spaces or special characters, e.g. key='a,b'"


def _grammar_problem(text: str) -> str:
    """The parser's complaint without its token lists, and how to write an override."""
    for pattern, explain in _GRAMMAR_PROBLEMS:
        found = pattern.search(text)
        if found:
            return f"{explain(found)} ({_GRAMMAR_HINT})"
    return f"{text.split(' expecting ')[0]} ({_GRAMMAR_HINT})"


def _describe_composition(error: Exception) -> str:
    text = str(error)
    cause = error.__cause__
    if "Ambiguous value for argument" in text:
        argument = text.split("'")[1]
        return f"{argument} lists several values: add -m (--multirun) to sweep over them, or quote them"
    if cause is not None and getattr(cause, "full_key", None):
        override = re.search(r"override '?([^'\s]+?)'?(?:\.$|\s|$)", text.splitlines()[0])
        return _describe_omegaconf(cause, override.group(1) if override else _first_line(error))
    return " ".join(line.strip() for line in text.strip().splitlines() if line.strip())


def _describe_omegaconf(cause: BaseException, given: str) -> str:
    """One line for OmegaConf's ``cause``; ``given`` is the override as typed (``key=value``) where known."""
    full_key = str(getattr(cause, "full_key", "") or "")
    message = str(getattr(cause, "msg", cause))
    key, has_value, typed_value = given.partition("=")
    key = key.lstrip("+~")
    if "not in struct" in message or "Missing key" in message or "not in '" in message:
        parent = full_key.rpartition(".")[0]
        where = parent or "the top level"
        return f"{key} is not a known key; {where} has keys {', '.join(_keys_of(cause))}"
    if full_key and key.startswith(full_key + "."):  # link.length.x=1: a key below a key that holds a value
        return f"{key} is not a known key; {full_key} holds a value, not keys"
    not_bool = _NOT_A_BOOL.search(message)
    if not_bool:
        return f"{full_key} must be true or false; got {not_bool.group(1)!r}"
    conversion = _CONVERSION_ERROR.search(message)
    if conversion:
        value, target = conversion.groups()
        shown = typed_value if has_value and key == full_key else value  # as the user typed it, not Python's repr
        return f"{full_key} must be {_TYPE_WORDS.get(target, target.lower())}; got {shown!r}"
    return f"{full_key}: {_first_line(cause)}" if full_key else _first_line(cause)


def _keys_of(cause: BaseException) -> list[str]:
    """The keys the node of an unknown key has: its schema's fields, or the keys of a node without a schema."""
    from omegaconf import DictConfig

    names = field_names(getattr(cause, "object_type", None))
    parent = getattr(cause, "parent_node", None)
    if not names and isinstance(parent, DictConfig):
        names = sorted(str(name) for name in parent.keys())
    return names


def field_names(schema: Any) -> list[str]:
    """Sorted field names of a schema dataclass (empty when ``schema`` is not one)."""
    if not (isinstance(schema, type) and dataclasses.is_dataclass(schema)):
        return []
    return sorted(f.name for f in dataclasses.fields(schema))


@lru_cache(maxsize=1)
def integer_keys() -> frozenset[str]:
    """Dotted keys the schema types as integers (``num_pairs``, ``seed``, ``workers.n_jobs``, ...)."""
    keys: set[str] = set()

    def collect(schema: type, prefix: str) -> None:
        for name, hint in typing.get_type_hints(schema).items():
            args = typing.get_args(hint) or (hint,)
            if int in args and bool not in args:
                keys.add(prefix + name)
            elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
                collect(hint, f"{prefix}{name}.")

    collect(RunSchema, "")
    for schema in LINK_SCHEMAS.values():
        collect(schema, "link.")
    return frozenset(keys)


def normalise_integer_literals(args: Sequence[str]) -> list[str]:
    """``num_pairs=1e10`` -> ``num_pairs=10000000000`` for integer keys, when the literal is an exact integer.

    Other numbers (``num_pairs=1.5e0``), other keys and flags are left as they are, for Hydra to parse or refuse.
    """
    rewritten = []
    for arg in args:
        key, sep, value = arg.partition("=")
        if sep and key.lstrip("+~") in integer_keys():
            value = _SCIENTIFIC.sub(_exact_integer, value)
        rewritten.append(f"{key}{sep}{value}")
    return rewritten


def _exact_integer(match: re.Match[str]) -> str:
    literal = match.group(1)
    mantissa, _, exponent = literal.lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits, shift = whole + fraction.rstrip("0"), int(exponent) - len(fraction.rstrip("0"))
    return str(int(digits) * 10**shift) if shift >= 0 else literal


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
