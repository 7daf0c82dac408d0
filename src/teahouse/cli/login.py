"""``teahouse login USER``: verify the platform, log in and keep the credentials for later commands."""

from __future__ import annotations

import click

from teahouse.cli._client import Connection, Profile, connection_options
from teahouse.cli._output import EXIT_CODES_HELP, Command, emit_json, json_option, rows, say, show
from teahouse.sdk import PeerInfo


@click.command("login", cls=Command, epilog=EXIT_CODES_HELP)
@click.argument("user")
@click.option(
    "--password",
    envvar="TEAHOUSE_PASSWORD",
    metavar="PASSWORD",
    help="The password; default: $TEAHOUSE_PASSWORD, else a prompt.",
)
@connection_options
@json_option
def command(conn: Connection, user: str, password: str | None, as_json: bool) -> None:
    """Verify the platform, log in as USER and save the login for later commands.

    Both services are attested against the trust folder before the password is sent. The
    login (user, token, addresses, trust folder) is written readable only by you, to --profile
    or $XDG_CONFIG_HOME/teahouse/credentials.toml; the token lasts 24 hours.

    \b
    Examples:
      teahouse login admin --trust ./trust --auth localhost:7776 --frontend localhost:7777
      TEAHOUSE_PASSWORD=teaclave teahouse login admin
    """
    trust_dir = conn.trust_dir
    trust = conn.trust()
    if password is None:
        password = click.prompt(f"Password for {user}", hide_input=True)
    with conn.authentication(logged_in=False) as auth:
        credentials = auth.login(user, password)
        auth_peer = auth.peer
    with conn.frontend(credentials) as frontend:
        frontend_peer = frontend.connect()
    profile = Profile(
        user=credentials.id,
        token=credentials.token,
        auth=conn.auth_address,
        frontend=conn.frontend_address,
        trust=str(trust_dir.resolve()) if trust_dir is not None else "",
    )
    profile.save(conn.profile_path)
    if as_json:
        emit_json(
            {
                "user": profile.user,
                "profile": str(conn.profile_path),
                "auth": profile.auth,
                "frontend": profile.frontend,
                "trust": profile.trust,
                "simulated": trust.simulated,
                "attested": {
                    "authentication": _peer_json(auth_peer),
                    "frontend": _peer_json(frontend_peer),
                },
            }
        )
        return
    show(
        rows(
            ["service", "address", "mr_enclave", "quote", "simulated"],
            [
                _peer_row("authentication", conn.auth_address, auth_peer),
                _peer_row("frontend", conn.frontend_address, frontend_peer),
            ],
            title=f"Platform verified against {profile.trust}",
        )
    )
    say(f"Logged in as {profile.user}; login saved to {conn.profile_path}")


def _peer_json(peer: PeerInfo | None) -> dict[str, object] | None:
    if peer is None:
        return None
    return {
        "service": peer.service,
        "mr_enclave": peer.mr_enclave,
        "mr_signer": peer.mr_signer,
        "quote_status": peer.quote_status,
        "simulated": peer.simulated,
    }


def _peer_row(service: str, address: str, peer: PeerInfo | None) -> list[object]:
    if peer is None:
        return [service, address, None, None, None]
    return [service, address, f"{peer.mr_enclave[:16]}…", peer.quote_status, peer.simulated]
