"""``teahouse executor serve``: the execution service alone, as a standalone TEE executor."""

from __future__ import annotations

from pathlib import Path

import click

from teahouse.cli._common import home_option, override_option, serve_standalone

DEFAULT_LISTEN = "127.0.0.1:17871"


@click.group("executor")
def command() -> None:
    """The execution service on its own."""


@command.command("serve")
@home_option
@override_option
@click.option("--listen", default=DEFAULT_LISTEN, show_default=True, metavar="HOST:PORT")
def serve(home: Path | None, overrides: tuple[str, ...], listen: str) -> None:
    """Serve the execution service as a standalone TEE executor with one-way attestation:
    clients verify it with the exported trust files, send a payload with its arguments and
    input files, and get back the return value, the outputs and the log (`teahouse run`).
    Runs in the foreground with its attestation service; Ctrl-C stops both.

    \b
    Example:
      teahouse executor serve --home /tmp/ex &
      teahouse trust export --home /tmp/ex ./trust
      teahouse run hello.py --trust ./trust --arg name=world
    """
    serve_standalone(home, overrides, "execution", listen, "Teahouse executor (standalone)")
