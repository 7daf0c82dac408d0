"""The ``teahouse`` command."""

from __future__ import annotations

import importlib

import click

# Each module named here defines one click command or group called ``command``, named like the
# module; it is imported only when that command runs (or when help lists the commands).
_SUBCOMMAND_MODULES: tuple[str, ...] = (
    *("up", "down", "status", "trust", "storage", "executor", "file", "run"),
    *("login", "logout", "user", "function", "data", "task", "audit", "attest"),
)


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_SUBCOMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _SUBCOMMAND_MODULES:
            return None
        command: click.Command = importlib.import_module(f"teahouse.cli.{cmd_name}").command
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="teahouse")
def main() -> None:
    """Teahouse: confidential function-as-a-service, wire compatible with Teaclave.

    \b
    Operators:   teahouse up | down | status | trust export | storage serve
    Users:       teahouse login USER, then user | function | data | task | audit
    Everyone:    teahouse attest HOST:PORT --trust DIR; teahouse file encrypt | decrypt
    Standalone:  teahouse storage serve; teahouse executor serve, then teahouse run FILE

    \b
    Exit codes: 0 ok; 1 the operation was refused or failed; 2 usage error;
    3 cannot connect; 4 attestation failed or the trust folder is invalid.
    Run `teahouse COMMAND --help` for the options and examples of each command.
    """
