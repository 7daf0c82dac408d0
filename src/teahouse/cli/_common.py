"""What the platform commands share: the --home option, loading the config, printing states."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.table import Table

from teahouse import config as config_mod
from teahouse.framework.state import ProcessState

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
err_console = Console(stderr=True)


def home_option(fn: F) -> F:
    return click.option(
        "--home",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Deployment folder (default: $TEAHOUSE_HOME or ~/.local/share/teahouse).",
    )(fn)


def override_option(fn: F) -> F:
    return click.option(
        "-o",
        "--override",
        "overrides",
        multiple=True,
        metavar="KEY=VALUE",
        help="Override a configuration value, e.g. -o api_endpoints.frontend.listen_address=127.0.0.1:8777.",
    )(fn)


def load_config(home: Path | None, overrides: Iterable[str] = ()) -> config_mod.Config:
    try:
        return config_mod.load(home, dict(config_mod.parse_override(o) for o in overrides))
    except config_mod.ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


def _reachable(endpoint: str) -> bool:
    parts = urlsplit(endpoint if "://" in endpoint else f"tcp://{endpoint}")
    if parts.hostname is None or parts.port is None:
        return False
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1.0):
            return True
    except OSError:
        return False


def health(state: ProcessState) -> str:
    """``healthy`` when the process is alive, ready and every endpoint accepts connections."""
    if not state.alive():
        return "dead"
    if state.status != "ready":
        return state.status
    if all(_reachable(e) for e in state.endpoints.values()):
        return "healthy"
    return "unreachable"


def states_table(states: Iterable[ProcessState], *, title: str | None = None) -> Table:
    table = Table(title=title)
    table.add_column("process")
    table.add_column("health")
    table.add_column("pid", justify="right")
    table.add_column("endpoints")
    table.add_column("mr_enclave")
    for state in states:
        status = health(state)
        endpoints = ", ".join(f"{k} {v}" for k, v in state.endpoints.items())
        mr = state.measurement.get("mr_enclave", "")
        table.add_row(state.process, status, str(state.pid), endpoints, mr[:16] + ("…" if mr else ""))
    return table


def serve_standalone(
    home: Path | None, overrides: Iterable[str], service: str, listen: str, title: str
) -> None:
    """Run ``service`` alone (``--standalone HOST:PORT``, one-way attestation) with its attestation
    service, in the foreground until Ctrl-C: ``teahouse storage serve``, ``teahouse executor serve``."""
    # Imported here: the launcher is only needed by the commands that start processes.
    import asyncio

    from teahouse.launcher import Launcher, LaunchError, run_foreground

    config = load_config(home, overrides)
    launcher = Launcher(
        config,
        overrides=list(overrides),
        services=[(service, ["--standalone", listen])],
        report=lambda line: console.print(f"  {line}"),
    )

    def ready(states: dict[str, ProcessState]) -> None:
        console.print(states_table(states.values(), title=title))
        console.print(f"Trust files for clients: [bold]{config.home / 'trust'}[/]")

    try:
        asyncio.run(run_foreground(launcher, ready))
    except LaunchError as exc:
        raise click.ClickException(str(exc)) from None
