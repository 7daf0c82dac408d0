"""``teahouse down``: stop a platform started with ``teahouse up``."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import click

from teahouse.cli._common import console, home_option, load_config
from teahouse.framework.state import ProcessState, all_states
from teahouse.launcher import LAUNCHER
from teahouse.layout import Layout

STOP_TIMEOUT_S = 60.0


def _signal(pid: int, sig: int) -> bool:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True


@click.command("down")
@home_option
def command(home: Path | None) -> None:
    """Stop the platform running from the home folder.

    \b
    Example:
      teahouse down --home /tmp/th
    """
    layout = Layout(load_config(home).home)
    launcher = ProcessState.read(layout.state_file(LAUNCHER))
    if launcher is not None and launcher.alive():
        _signal(launcher.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        with console.status("stopping…"):
            while launcher.alive() and time.monotonic() < deadline:
                time.sleep(0.1)
    # Whatever is left (a launcher that died, or processes started by hand): stop directly.
    leftovers = [s for s in all_states(layout) if s.alive()]
    for state in leftovers:
        _signal(state.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while any(s.alive() for s in leftovers) and time.monotonic() < deadline:
        time.sleep(0.1)
    for state in all_states(layout):
        if not state.alive():
            layout.state_file(state.process).unlink(missing_ok=True)
    if launcher is None and not leftovers:
        console.print(f"Nothing is running from {layout.home}.")
    else:
        console.print("Stopped.")
