"""What the platform commands share: the --home option, loading the config, printing states."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

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


def states_table(states: Iterable[ProcessState], *, title: str | None = None) -> Table:
    table = Table(title=title)
    table.add_column("process")
    table.add_column("status")
    table.add_column("pid", justify="right")
    table.add_column("endpoints")
    table.add_column("mr_enclave")
    for state in states:
        alive = state.alive()
        status = state.status if alive else "dead"
        endpoints = ", ".join(f"{k} {v}" for k, v in state.endpoints.items())
        mr = state.measurement.get("mr_enclave", "")
        table.add_row(state.process, status, str(state.pid), endpoints, mr[:16] + ("…" if mr else ""))
    return table
