"""``teahouse storage serve``: the storage service alone, as a secure key-value database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from teahouse.cli._common import console, home_option, load_config, override_option, states_table
from teahouse.framework.state import ProcessState
from teahouse.launcher import Launcher, LaunchError, run_foreground


@click.group("storage")
def command() -> None:
    """The storage service on its own."""


@command.command("serve")
@home_option
@override_option
@click.option("--listen", default="127.0.0.1:17878", show_default=True, metavar="HOST:PORT")
def serve(home: Path | None, overrides: tuple[str, ...], listen: str) -> None:
    """Serve the storage service as a standalone key-value database (Get/Put/Delete) with
    one-way attestation: clients verify it with the exported trust files; it asks them for
    nothing. Runs in the foreground with its attestation service; Ctrl-C stops both.

    \b
    Example:
      teahouse storage serve --home /tmp/kv --listen 127.0.0.1:17878
    """
    config = load_config(home, overrides)
    launcher = Launcher(
        config,
        overrides=list(overrides),
        services=[("storage", ["--standalone", listen])],
        report=lambda line: console.print(f"  {line}"),
    )

    def ready(states: dict[str, ProcessState]) -> None:
        console.print(states_table(states.values(), title="Teahouse storage (standalone)"))
        console.print(f"Trust files for clients: [bold]{config.home / 'trust'}[/]")

    try:
        asyncio.run(run_foreground(launcher, ready))
    except LaunchError as exc:
        raise click.ClickException(str(exc)) from None
