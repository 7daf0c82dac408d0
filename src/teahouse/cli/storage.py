"""``teahouse storage serve``: the storage service alone, as a secure key-value database."""

from __future__ import annotations

from pathlib import Path

import click

from teahouse.cli._common import home_option, override_option, serve_standalone


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
    serve_standalone(home, overrides, "storage", listen, "Teahouse storage (standalone)")
