"""The ``teahouse`` command."""

from __future__ import annotations

import importlib

import click

# Each module named here defines one click command or group called ``command``.
_SUBCOMMAND_MODULES: tuple[str, ...] = (
    *("up", "down", "status", "trust", "storage", "file"),
    *("login", "logout", "user", "function", "data", "task", "audit", "attest"),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="teahouse")
def main() -> None:
    """Teahouse: confidential function-as-a-service, wire compatible with Teaclave."""


for _name in _SUBCOMMAND_MODULES:
    main.add_command(importlib.import_module(f"teahouse.cli.{_name}").command)
