"""``teahouse function``: register, inspect, update, disable and delete functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from teahouse.cli._client import Connection, connection_options
from teahouse.cli._function_view import function_json, show_function, summary_json, summary_row
from teahouse.cli._output import (
    EXIT_CODES_HELP,
    CliError,
    Group,
    emit_json,
    fields,
    json_option,
    rows,
    say,
    show,
)
from teahouse.cli._specs import function_argument, function_input, function_output
from teahouse.sdk import (
    Function,
    FunctionUsageStats,
    PermissionDeniedError,
    SdkError,
)

T = TypeVar("T")

EXECUTOR_TYPES = ("builtin", "python", "wamr")
_CLEARABLE = ("args", "inputs", "outputs", "allow")


def _definition_options(*, register: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options that describe a function; for ``update`` every one is optional."""
    options = [
        click.option("--description", default="" if register else None, help="What the function does."),
        click.option(
            "--executor-type",
            type=click.Choice(EXECUTOR_TYPES),
            default="builtin" if register else None,
            show_default=register,
            help="builtin (NAME selects the built-in function), python or wamr (the payload's language).",
        ),
        click.option(
            "--payload",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="The code: a Python source file (python) or a .wasm module (wamr).",
        ),
        click.option(
            "--arg",
            "args",
            multiple=True,
            metavar="KEY[=DEFAULT][:fixed]",
            help="An argument (repeatable); :fixed means tasks cannot override the default.",
        ),
        click.option(
            "--input", "inputs", multiple=True, metavar="NAME[:optional]", help="An input (repeatable)."
        ),
        click.option(
            "--output", "outputs", multiple=True, metavar="NAME[:optional]", help="An output (repeatable)."
        ),
        click.option(
            "--private/--public",
            "private",
            default=False if register else None,
            help="A private function is usable only by its owner and the --allow users.",
        ),
        click.option(
            "--allow", multiple=True, metavar="USER", help="A user who may use the private function."
        ),
        click.option(
            "--quota",
            type=click.IntRange(min=-1),
            default=-1 if register else None,
            help="How many times tasks may run it (-1: unlimited, the default).",
        ),
    ]

    def apply(fn: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return apply


@click.group("function", cls=Group, epilog=EXIT_CODES_HELP)
def command() -> None:
    """Functions: register, list, show, update, disable, delete, usage statistics."""


@command.command("register", epilog=EXIT_CODES_HELP)
@click.argument("name")
@_definition_options(register=True)
@connection_options
@json_option
def register(
    conn: Connection,
    name: str,
    description: str,
    executor_type: str,
    payload: Path | None,
    args: tuple[str, ...],
    inputs: tuple[str, ...],
    outputs: tuple[str, ...],
    private: bool,
    allow: tuple[str, ...],
    quota: int,
    as_json: bool,
) -> None:
    """Register a function called NAME and print its id.

    \b
    Examples:
      teahouse function register builtin-echo --arg message
      teahouse function register my-model --executor-type python --payload model.py \\
          --arg mode=train:fixed --input training_data --output model:optional \\
          --private --allow alice --quota 10
    """
    arguments = [function_argument(a) for a in args]
    declared_inputs = [function_input(i) for i in inputs]
    declared_outputs = [function_output(o) for o in outputs]
    code = payload.read_bytes() if payload is not None else b""
    with conn.frontend() as frontend:
        function_id = frontend.register_function(
            name,
            description,
            executor_type,
            public=not private,
            payload=code,
            arguments=arguments,
            inputs=declared_inputs,
            outputs=declared_outputs,
            user_allowlist=allow,
            usage_quota=quota,
        )
    if as_json:
        emit_json({"function_id": function_id})
    else:
        say(f"Registered function {name}: {function_id}")


@command.command("list", epilog=EXIT_CODES_HELP)
@click.option(
    "--user", metavar="USER", help="Whose functions (a PlatformAdmin may name anyone); default: you."
)
@click.option("-l", "--long", "long_", is_flag=True, help="Also fetch each function's name and type.")
@connection_options
@json_option
def list_(conn: Connection, user: str | None, long_: bool, as_json: bool) -> None:
    """List the functions you registered and the ones you may use.

    A PlatformAdmin's "allowed" list holds every function of the platform.

    \b
    Examples:
      teahouse function list -l
      teahouse function list --user alice --json
    """
    with conn.frontend() as frontend:
        lists = frontend.list_functions(user)
        entries = [("registered", f) for f in lists.registered_functions]
        entries += [("allowed", f) for f in lists.allowed_functions if f not in lists.registered_functions]
        details = {f: _try_get(frontend.get_function, f) for _, f in entries} if long_ else {}
    if as_json:
        result: dict[str, Any] = {
            "registered": list(lists.registered_functions),
            "allowed": list(lists.allowed_functions),
        }
        if long_:
            result["functions"] = {f: summary_json(d) for f, d in details.items()}
        emit_json(result)
        return
    if long_:
        show(
            rows(
                ["function id", "list", "name", "executor type", "public"],
                [[f, kind, *summary_row(details[f])] for kind, f in entries],
                title=f"{len(entries)} functions",
                ids=("function id",),
            )
        )
    else:
        show(
            rows(
                ["function id", "list"],
                [[f, kind] for kind, f in entries],
                title=f"{len(entries)} functions",
                ids=("function id",),
            )
        )


def _try_get(get: Callable[[str], Function], function_id: str) -> Function | None:
    try:
        return get(function_id)
    except SdkError:  # a function one may not read is listed without details
        return None


@command.command("show", epilog=EXIT_CODES_HELP)
@click.argument("function_id")
@click.option(
    "--save-payload",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="FILE",
    help="Write the function's payload to FILE.",
)
@connection_options
@json_option
def show_(conn: Connection, function_id: str, save_payload: Path | None, as_json: bool) -> None:
    """Show a function: owner, executor type, arguments, inputs, outputs, allow-list.

    \b
    Example:
      teahouse function show function-6c4d… --save-payload payload.py
    """
    with conn.frontend() as frontend:
        function = frontend.get_function(function_id)
    if save_payload is not None:
        save_payload.write_bytes(function.payload)
    if as_json:
        emit_json(function_json(function))
        return
    show_function(function)


@command.command("update", epilog=EXIT_CODES_HELP)
@click.argument("function_id")
@click.option("--name", help="A new name.")
@_definition_options(register=False)
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(_CLEARABLE),
    help="Remove all arguments, inputs, outputs or allowed users.",
)
@connection_options
@json_option
def update(
    conn: Connection,
    function_id: str,
    name: str | None,
    description: str | None,
    executor_type: str | None,
    payload: Path | None,
    args: tuple[str, ...],
    inputs: tuple[str, ...],
    outputs: tuple[str, ...],
    private: bool | None,
    allow: tuple[str, ...],
    quota: int | None,
    clear: tuple[str, ...],
    as_json: bool,
) -> None:
    """Change a function you own; what you do not give stays as it is.

    A list option (--arg, --input, --output, --allow) replaces the whole list. Teaclave
    replaces the function wholesale: the command reads it first and sends it back changed.

    \b
    Examples:
      teahouse function update function-6c4d… --description "echo, v2"
      teahouse function update function-6c4d… --payload v2.py --arg message --arg mode=fast:fixed
    """
    new_arguments = [function_argument(a) for a in args]
    new_inputs = [function_input(i) for i in inputs]
    new_outputs = [function_output(o) for o in outputs]
    code = payload.read_bytes() if payload is not None else None
    with conn.frontend() as frontend:
        current = frontend.get_function(function_id)
        if quota is None:
            quota = _current_quota(frontend.get_function_usage_stats, function_id)
        new_id = frontend.update_function(
            function_id,
            name if name is not None else current.name,
            description if description is not None else current.description,
            executor_type or current.executor_type,
            public=(not private) if private is not None else current.public,
            payload=code if code is not None else current.payload,
            arguments=_replace(new_arguments, current.arguments, "args" in clear),
            inputs=_replace(new_inputs, current.inputs, "inputs" in clear),
            outputs=_replace(new_outputs, current.outputs, "outputs" in clear),
            user_allowlist=_replace(list(allow), current.user_allowlist, "allow" in clear),
            usage_quota=quota,
        )
    if as_json:
        emit_json({"function_id": new_id})
    else:
        say(f"Updated function {new_id}")


def _replace(given: Sequence[T], current: Sequence[T], clear: bool) -> list[T]:
    if given:
        return list(given)
    return [] if clear else list(current)


def _current_quota(stats: Callable[[str], FunctionUsageStats], function_id: str) -> int:
    try:
        return stats(function_id).function_quota
    except PermissionDeniedError:  # Teaclave refuses it to the owner of a private function
        raise CliError(
            f"cannot read the current quota of {function_id} to keep it; give --quota N (-1: unlimited)"
        ) from None


@command.command("stats", epilog=EXIT_CODES_HELP)
@click.argument("function_id")
@connection_options
@json_option
def stats(conn: Connection, function_id: str, as_json: bool) -> None:
    """Show how often a function ran and its quota.

    \b
    Example:
      teahouse function stats function-6c4d…
    """
    with conn.frontend() as frontend:
        usage = frontend.get_function_usage_stats(function_id)
    if as_json:
        emit_json(
            {
                "function_id": function_id,
                "quota": usage.function_quota,
                "unlimited": usage.unlimited,
                "current_usage": usage.current_usage,
            }
        )
        return
    quota = "unlimited" if usage.unlimited else str(usage.function_quota)
    show(fields([("function id", function_id), ("runs", usage.current_usage), ("quota", quota)]))


@command.command("disable", epilog=EXIT_CODES_HELP)
@click.argument("function_id")
@connection_options
@json_option
def disable(conn: Connection, function_id: str, as_json: bool) -> None:
    """Disable a function: it leaves every user's list and its allow-list is emptied.

    \b
    Example:
      teahouse function disable function-6c4d…
    """
    with conn.frontend() as frontend:
        frontend.disable_function(function_id)
    if as_json:
        emit_json({"ok": True, "function_id": function_id})
    else:
        say(f"Disabled function {function_id}")


@command.command("delete", epilog=EXIT_CODES_HELP)
@click.argument("function_id")
@connection_options
@json_option
def delete(conn: Connection, function_id: str, as_json: bool) -> None:
    """Delete a function you own (tasks built on it can no longer be invoked).

    \b
    Example:
      teahouse function delete function-6c4d…
    """
    with conn.frontend() as frontend:
        frontend.delete_function(function_id)
    if as_json:
        emit_json({"ok": True, "function_id": function_id})
    else:
        say(f"Deleted function {function_id}")
