"""Every failure of a client command as one line saying what went wrong and what to do, and its exit code."""

from __future__ import annotations

from collections.abc import Callable

import click

from teahouse.cli._output import AttestationRefused, CliError, OneLineUsageError, UnreachableError
from teahouse.crypto.files import FileCryptoError
from teahouse.errors import TeahouseError
from teahouse.sdk import (
    AttestationFailedError,
    AuthenticationError,
    DeadlineExceededError,
    SdkError,
    TaskCanceled,
    TaskFailed,
    TrustError,
    UnavailableError,
)

#: Key of ``ctx.meta`` holding the logged-in user id, for messages.
USER_META = "teahouse.user"

#: Server messages that mean "your token is not (or no longer) valid".
_LOGIN_INVALID = frozenset(
    {"authentication failed", "incorrent credential", "missing token", "missing user id"}
)

_Hint = Callable[[dict[str, object], str], str]


def _param(name: str) -> Callable[[dict[str, object], str], str]:
    def get(params: dict[str, object], _: str) -> str:
        value = params.get(name)
        return str(value) if value is not None else "?"

    return get


_task = _param("task_id")
_function = _param("function_id")

#: What to tell the user for each refusal text of the platform.
_HINTS: dict[str, _Hint] = {
    "invalid task id": lambda p, u: f"no task {_task(p, u)} is visible to you; check the task id",
    "invalid function id": lambda p, u: (
        f"no function {_function(p, u)}; check the id (`teahouse function list`)"
    ),
    "invalid data id": lambda p, u: "no such data file among yours; check the data id",
    "permission denied": lambda p, u: f"user {u} may not do this (ask its owner or an administrator)",
    "failed to invoke task": lambda p, u: (
        f"the task cannot run yet: are all data assigned and has everyone approved? "
        f"(`teahouse task show {_task(p, u)}`)"
    ),
    "failed to approve task": lambda p, u: (
        f"assign all data before approving, and approve only once (`teahouse task show {_task(p, u)}`)"
    ),
    "failed to assign data to task": lambda p, u: "data can only be assigned while the task is Created",
    "function quota has been used up": lambda p, u: "the function's owner can raise its --quota",
    "user id exist": lambda p, u: "that user id is taken; choose another",
    "invalid role": lambda p, u: "use PlatformAdmin, FunctionOwner, DataOwnerManager or DataOwner",
    "invalid task": lambda p, u: (
        "the arguments, inputs or outputs do not match the function (`teahouse function show ID`)"
    ),
}


def translate(exc: Exception, ctx: click.Context) -> click.ClickException:
    """The one-line error for ``exc`` raised by the command of ``ctx``."""
    what = ctx.command_path.partition(" ")[2] or ctx.command_path
    user = str(ctx.meta.get(USER_META) or "?")
    if isinstance(exc, AttestationFailedError):
        return AttestationRefused(
            f"{exc.message}; do not use this server: check the address and the trust folder "
            "(`teahouse attest HOST:PORT` shows what it reports)"
        )
    if isinstance(exc, TrustError):
        return AttestationRefused(
            f"{exc.message}; use a trust folder exported from the platform (`teahouse trust export DIR`)"
        )
    if isinstance(exc, UnavailableError | DeadlineExceededError):
        problem = (
            exc.message
            if exc.message.startswith("cannot reach")
            else f"cannot reach the platform: {exc.message}"
        )
        return UnreachableError(f"{problem}; is the platform running, and are --auth/--frontend right?")
    if isinstance(exc, AuthenticationError) and exc.message in _LOGIN_INVALID:
        if ctx.info_name == "login":
            return CliError("login failed: wrong user id or password")
        return CliError(
            f"the platform did not accept your login ({exc.message}); run `teahouse login {user}` again"
        )
    if isinstance(exc, TaskFailed | TaskCanceled):
        return CliError(exc.message)
    if isinstance(exc, FileCryptoError):
        return CliError(f"{what} failed: {exc.message} (are the file, --schema, --key and --iv right?)")
    if isinstance(exc, SdkError):
        hint = _HINTS.get(exc.message)
        detail = f" ({hint(ctx.params, user)})" if hint is not None else ""
        return CliError(f"{what} refused: {exc.message}{detail}")
    if isinstance(exc, TeahouseError):
        return CliError(f"{what} failed: {exc.message}")
    if isinstance(exc, TimeoutError):
        return CliError(str(exc))
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return CliError(f"cannot use{where}: {exc.strerror or exc}")
    if isinstance(exc, ValueError | TypeError):
        return OneLineUsageError(str(exc), ctx)
    return CliError(f"{what} failed unexpectedly: {type(exc).__name__}: {exc}")
