"""``teahouse logout``: forget the saved login (keeping where the platform is)."""

from __future__ import annotations

import click

from teahouse.cli._client import Connection, Profile, connection_options
from teahouse.cli._output import EXIT_CODES_HELP, Command, emit_json, json_option, say


@click.command("logout", cls=Command, epilog=EXIT_CODES_HELP)
@connection_options
@json_option
def command(conn: Connection, as_json: bool) -> None:
    """Forget the saved user and token; the addresses and trust folder stay for the next login.

    The token itself stays valid on the platform until it expires (24 hours after login).

    \b
    Example:
      teahouse logout && teahouse login alice
    """
    profile = conn.profile
    user = profile.user if profile is not None and profile.credentials is not None else None
    if profile is not None:
        Profile(auth=profile.auth, frontend=profile.frontend, trust=profile.trust).save(conn.profile_path)
    if as_json:
        emit_json({"user": user, "profile": str(conn.profile_path)})
    elif user is None:
        say("Not logged in.")
    else:
        say(f"Logged out {user} (login removed from {conn.profile_path}).")
