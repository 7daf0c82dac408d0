"""``teahouse status``: what runs from a home folder."""

from __future__ import annotations

from pathlib import Path

import click

from teahouse.cli._common import console, health, home_option, load_config, states_table
from teahouse.framework.state import all_states
from teahouse.launcher import LAUNCHER
from teahouse.layout import Layout


@click.command("status")
@home_option
def command(home: Path | None) -> None:
    """Show each process of the platform: health, pid, endpoints and measurement.

    A process is healthy when it is alive, ready, and each of its endpoints accepts connections.
    Exits with status 1 when nothing runs or a process is not healthy.
    """
    layout = Layout(load_config(home).home)
    states = [s for s in all_states(layout) if s.process != LAUNCHER]
    if not states:
        console.print(f"Nothing is running from {layout.home}.")
        raise SystemExit(1)
    console.print(states_table(states, title=f"Teahouse at {layout.home}"))
    if not all(health(s) == "healthy" for s in states):
        raise SystemExit(1)
