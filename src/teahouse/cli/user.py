"""``teahouse user``: register, update and remove users, change and reset passwords, list users."""

from __future__ import annotations

import click

from teahouse.cli._client import Connection, connection_options
from teahouse.cli._output import EXIT_CODES_HELP, Group, emit_json, json_option, rows, say, show

ROLES = ("PlatformAdmin", "FunctionOwner", "DataOwnerManager", "DataOwner")

_role = click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
    help="The user's role; DataOwner and DataOwnerManager belong to the group given by --attribute.",
)
_attribute = click.option(
    "--attribute",
    default="",
    metavar="GROUP",
    help="The group (e.g. an organisation) of a DataOwner or DataOwnerManager.",
)
_password = click.option(
    "--password",
    metavar="PASSWORD",
    help="The new password; default: a prompt (typed twice).",
)


def _new_password(password: str | None, user: str) -> str:
    if password is not None:
        return password
    return str(click.prompt(f"New password for {user}", hide_input=True, confirmation_prompt=True))


@click.group("user", cls=Group, epilog=EXIT_CODES_HELP)
def command() -> None:
    """Users and roles (authentication service).

    Who may do what: a PlatformAdmin manages everyone; a DataOwnerManager of group G manages
    the DataOwners of G; a FunctionOwner may register DataOwnerManagers.
    """


@command.command("register", epilog=EXIT_CODES_HELP)
@click.argument("user")
@_role
@_attribute
@_password
@connection_options
@json_option
def register(
    conn: Connection, user: str, role: str, attribute: str, password: str | None, as_json: bool
) -> None:
    """Register USER with a role (and a group for data owners).

    \b
    Examples:
      teahouse user register alice --role DataOwner --attribute bank-a --password s3cret
      teahouse user register bob --role FunctionOwner      # prompts for the password
    """
    secret = _new_password(password, user)
    with conn.authentication() as auth:
        auth.register_user(user, secret, role, attribute)
    _done(as_json, f"Registered {user} as {_role_text(role, attribute)}.", user=user, role=role)


@command.command("update", epilog=EXIT_CODES_HELP)
@click.argument("user")
@_role
@_attribute
@_password
@connection_options
@json_option
def update(
    conn: Connection, user: str, role: str, attribute: str, password: str | None, as_json: bool
) -> None:
    """Replace USER's role and password (both are set anew, as in Teaclave).

    Tokens issued before keep the old role until they expire.

    \b
    Example:
      teahouse user update alice --role DataOwnerManager --attribute bank-a --password n3w
    """
    secret = _new_password(password, user)
    with conn.authentication() as auth:
        auth.update_user(user, secret, role, attribute)
    _done(as_json, f"Updated {user}: now {_role_text(role, attribute)}.", user=user, role=role)


@command.command("passwd", epilog=EXIT_CODES_HELP)
@_password
@connection_options
@json_option
def passwd(conn: Connection, password: str | None, as_json: bool) -> None:
    """Change your own password (the current login stays valid).

    \b
    Example:
      teahouse user passwd
    """
    user = conn.credentials().id
    secret = _new_password(password, user)
    with conn.authentication() as auth:
        auth.change_password(secret)
    _done(as_json, f"Changed the password of {user}.", user=user)


@command.command("reset", epilog=EXIT_CODES_HELP)
@click.argument("user")
@connection_options
@json_option
def reset(conn: Connection, user: str, as_json: bool) -> None:
    """Give USER a new random password and print it.

    \b
    Example:
      teahouse user reset alice
    """
    with conn.authentication() as auth:
        new = auth.reset_password(user)
    if as_json:
        emit_json({"user": user, "password": new})
    else:
        say(f"New password of {user}: {new}")


@command.command("delete", epilog=EXIT_CODES_HELP)
@click.argument("user")
@connection_options
@json_option
def delete(conn: Connection, user: str, as_json: bool) -> None:
    """Delete USER.

    \b
    Example:
      teahouse user delete alice
    """
    with conn.authentication() as auth:
        auth.delete_user(user)
    _done(as_json, f"Deleted {user}.", user=user)


@command.command("list", epilog=EXIT_CODES_HELP)
@click.option(
    "--group",
    metavar="GROUP",
    help="A DataOwnerManager lists the DataOwners of its GROUP; a PlatformAdmin sees everyone.",
)
@connection_options
@json_option
def list_(conn: Connection, group: str | None, as_json: bool) -> None:
    """List users.

    \b
    Examples:
      teahouse user list
      teahouse user list --group bank-a --json
    """
    with conn.authentication() as auth:
        users = sorted(auth.list_users(group))
    if as_json:
        emit_json({"users": users})
    else:
        show(rows(["user"], [[u] for u in users], title=f"{len(users)} users"))


def _role_text(role: str, attribute: str) -> str:
    return f"{role} of {attribute}" if attribute and role.startswith("DataOwner") else role


def _done(as_json: bool, text: str, **values: str) -> None:
    if as_json:
        emit_json({"ok": True, **values})
    else:
        say(text)
