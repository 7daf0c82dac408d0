"""How the client commands present results and errors: exit codes, one-line errors, --json, tables.

Every client command is a :class:`Command` (groups are :class:`Group`, whose subcommands are
``Command`` by default). ``Command`` turns any exception into one line on stderr and an exit
code, and click's usage errors into one line too; ``--json`` (:func:`json_option`) switches the
command's output from rich tables to one JSON object with stable keys on stdout.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import IO, Any, TypeVar

import click
from rich.table import Table

from teahouse.cli._common import console

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes of every client command.
OK = 0
FAILED = 1
USAGE = 2
UNREACHABLE = 3
ATTESTATION = 4

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 the operation was refused or failed; 2 usage error (bad option, missing "
    "file); 3 cannot connect to the platform; 4 the platform failed attestation (or the trust "
    "folder is invalid)."
)


class CliError(click.ClickException):
    """One line on stderr (``error: ...``) and exit code 1: the operation was refused or failed."""

    exit_code = FAILED

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class UnreachableError(CliError):
    exit_code = UNREACHABLE


class AttestationRefused(CliError):
    """The platform failed verification, or the trust folder to verify it with is not valid."""

    exit_code = ATTESTATION


class OneLineUsageError(click.UsageError):
    """A usage error in one line that points at the command's help instead of printing usage."""

    def show(self, file: IO[Any] | None = None) -> None:
        where = f" (see `{self.ctx.command_path} --help`)" if self.ctx is not None else ""
        message = " ".join(self.format_message().split())
        click.echo(f"error: {message}{where}", err=True)


def _one_line(exc: click.UsageError) -> OneLineUsageError:
    if isinstance(exc, OneLineUsageError):
        return exc
    return OneLineUsageError(exc.format_message(), exc.ctx)


class Command(click.Command):
    """A client command: usage errors and failures are one line each, with the documented exit code."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        # Imported here: the error translation pulls in the SDK, which `--help` does not need.
        from teahouse.cli._errors import translate

        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes one line and an exit code
            raise translate(exc, ctx) from None


class Group(click.Group):
    """A group of client commands; an unknown subcommand is a one-line usage error."""

    command_class = Command
    group_class = type

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            raise _one_line(exc) from None


def json_option(fn: F) -> F:
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print one JSON object with stable keys instead of tables.",
    )(fn)


def emit_json(value: Mapping[str, Any]) -> None:
    click.echo(json.dumps(value, indent=2, sort_keys=True))


def text_or_none(data: bytes) -> str | None:
    """``data`` as text when it is UTF-8, else ``None`` (JSON carries the base64 form as well)."""
    try:
        return data.decode()
    except UnicodeDecodeError:
        return None


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def iso(when: datetime) -> str:
    return when.isoformat()


def seconds(delta: timedelta) -> float:
    return round(delta.total_seconds(), 3)


def fields(rows: Iterable[tuple[str, object]], *, title: str | None = None) -> Table:
    """A two-column table of named values; long values fold instead of being cut."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for name, value in rows:
        table.add_row(name, _cell(value))
    return table


def rows(
    columns: Sequence[str],
    data: Iterable[Sequence[object]],
    *,
    title: str | None = None,
    ids: Collection[str] = (),
) -> Table:
    """A table with a header; the ``ids`` columns are kept unbroken (ids must stay copyable)."""
    cells = [[_cell(v) for v in row] for row in data]
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        width = max(len(column), *(len(row[index]) for row in cells)) if column in ids and cells else None
        table.add_column(column, overflow="fold", min_width=width)
    for row in cells:
        table.add_row(*row)
    return table


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


def show(table: Table) -> None:
    console.print(table)


def say(line: str) -> None:
    """One line of human output, never wrapped (ids and keys must stay copyable)."""
    click.echo(line)
