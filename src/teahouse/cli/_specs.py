"""Parsing the compact option values of the client commands (``KEY=DEFAULT:fixed``, ``NAME=a,b``...)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import click

from teahouse.sdk import FunctionArgument, FunctionInput, FunctionOutput

_FIXED = ":fixed"
_OPTIONAL = ":optional"


def function_argument(spec: str) -> FunctionArgument:
    """``KEY``, ``KEY=DEFAULT``, ``KEY:fixed`` or ``KEY=DEFAULT:fixed`` (fixed: tasks cannot override it)."""
    fixed = spec.endswith(_FIXED)
    body = spec.removesuffix(_FIXED) if fixed else spec
    key, _, default = body.partition("=")
    if not key:
        raise click.BadParameter(f"{spec!r} is not KEY[=DEFAULT][:fixed]", param_hint="--arg")
    return FunctionArgument(key, default, allow_overwrite=not fixed)


def _name_optional(spec: str, option: str) -> tuple[str, bool]:
    optional = spec.endswith(_OPTIONAL)
    name = spec.removesuffix(_OPTIONAL) if optional else spec
    if not name:
        raise click.BadParameter(f"{spec!r} is not NAME[:optional]", param_hint=option)
    return name, optional


def function_input(spec: str) -> FunctionInput:
    name, optional = _name_optional(spec, "--input")
    return FunctionInput(name, optional=optional)


def function_output(spec: str) -> FunctionOutput:
    name, optional = _name_optional(spec, "--output")
    return FunctionOutput(name, optional=optional)


def pairs(specs: Iterable[str], option: str, what: str) -> dict[str, str]:
    """``NAME=VALUE`` options as a dict; a repeated NAME is a usage error."""
    found: dict[str, str] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        if not name or not sep:
            raise click.BadParameter(f"{spec!r} is not NAME={what}", param_hint=option)
        if name in found:
            raise click.BadParameter(f"{name!r} is given twice", param_hint=option)
        found[name] = value
    return found


def owners(specs: Iterable[str], option: str) -> dict[str, list[str]]:
    """``NAME=USER[,USER...]`` options: the users who must own the data bound to NAME."""
    result: dict[str, list[str]] = {}
    for name, value in pairs(specs, option, "USER[,USER...]").items():
        users = [u for u in (p.strip() for p in value.split(",")) if u]
        if not users:
            raise click.BadParameter(f"{name!r} names no user", param_hint=option)
        result[name] = users
    return result


def task_arguments(strings: Iterable[str], json_values: Iterable[str]) -> dict[str, Any]:
    """``--arg KEY=TEXT`` (a string) and ``--arg-json KEY=JSON`` (any JSON value) as one mapping."""
    arguments: dict[str, Any] = dict(pairs(strings, "--arg", "VALUE"))
    for key, text in pairs(json_values, "--arg-json", "JSON").items():
        if key in arguments:
            raise click.BadParameter(f"{key!r} is given by --arg too", param_hint="--arg-json")
        try:
            arguments[key] = json.loads(text)
        except json.JSONDecodeError as exc:
            raise click.BadParameter(
                f"{key}: {text!r} is not JSON ({exc.msg})", param_hint="--arg-json"
            ) from None
    return arguments


def hex_bytes(text: str, option: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:
        # The value may be a key: say what is wrong without echoing it.
        raise click.BadParameter("not hex (an even number of 0-9a-f digits)", param_hint=option) from None
