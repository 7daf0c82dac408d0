"""``teahouse up``: start the platform on this machine."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import click

from teahouse import topology
from teahouse.cli._common import console, home_option, load_config, override_option, states_table
from teahouse.config import Config
from teahouse.framework.state import ProcessState, all_states
from teahouse.launcher import LAUNCHER, Launcher, LaunchError, run_foreground
from teahouse.layout import Layout

DETACH_TIMEOUT_S = 120.0


def _print_ready(config: Config, states: dict[str, ProcessState] | list[ProcessState]) -> None:
    values = list(states.values()) if isinstance(states, dict) else states
    console.print(states_table([s for s in values if s.process != LAUNCHER], title="Teahouse is running"))
    layout = Layout(config.home)
    api = config.api_endpoints
    console.print(
        f"\nConnect clients to authentication [bold]{api[topology.AUTHENTICATION]}[/] and "
        f"frontend [bold]{api[topology.FRONTEND]}[/] (user [bold]admin[/], password [bold]teaclave[/])."
    )
    console.print(
        f"Trust files: [bold]{layout.trust_dir}[/] — export them with "
        f"[bold]teahouse trust export --home {config.home} DIR[/].\n"
        "TEE backend: [yellow]simulation[/] — real attestation code and signatures, no hardware protection."
    )
    console.print(first_task_hint(config), highlight=False, soft_wrap=True)


def first_task_hint(config: Config) -> str:
    """The commands of a first task, for this platform's addresses (docs/tutorial.md goes further)."""
    api = config.api_endpoints
    where = f" --auth {api[topology.AUTHENTICATION]} --frontend {api[topology.FRONTEND]}"
    return "\n".join(
        [
            "\nRun a first task from another terminal (docs/tutorial.md goes further):",
            "  . .venv/bin/activate",
            f"  teahouse trust export --home {config.home} ./trust",
            f"  teahouse login admin --password teaclave --trust ./trust{where}",
            "  teahouse function register builtin-echo --arg message      # prints FUNCTION_ID",
            "  teahouse task create FUNCTION_ID --arg message=hello       # prints TASK_ID",
            "  teahouse task invoke TASK_ID",
            "  teahouse task result TASK_ID --wait 30                     # hello",
        ]
    )


@click.command("up")
@home_option
@override_option
@click.option("--detach", is_flag=True, help="Start in the background and return once everything is ready.")
@click.option(
    "--executors",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Number of execution nodes (overrides execution.nodes; default 2).",
)
def command(home: Path | None, overrides: tuple[str, ...], detach: bool, executors: int | None) -> None:
    """Start the attestation service and every Teahouse service on this machine.

    \b
    Examples:
      teahouse up                      # foreground; Ctrl-C stops everything
      teahouse up --detach             # background; stop with `teahouse down`
      teahouse up --home /tmp/th --executors 4
    """
    if executors is not None:
        overrides = (*overrides, f"execution.nodes={executors}")
    config = load_config(home, overrides)
    layout = Layout(config.home)
    running = ProcessState.read(layout.state_file(LAUNCHER))
    if running is not None and running.alive():
        raise click.ClickException(
            f"a platform is already running from {config.home} (launcher pid {running.pid}); "
            "stop it with `teahouse down`"
        )
    if detach:
        _detach(config, overrides)
        return
    console.print(f"Starting Teahouse from [bold]{config.home}[/]")
    launcher = Launcher(config, overrides=list(overrides), report=lambda line: console.print(f"  {line}"))
    try:
        asyncio.run(run_foreground(launcher, lambda states: _print_ready(config, states)))
    except LaunchError as exc:
        raise click.ClickException(str(exc)) from None
    console.print("Stopped.")


def _detach(config: Config, overrides: tuple[str, ...]) -> None:
    layout = Layout(config.home)
    layout.log_dir.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "teahouse.cli", "up", "--home", str(config.home)]
    for override in overrides:
        args += ["-o", override]
    with open(layout.log_file(LAUNCHER), "ab") as log_file:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            start_new_session=True,
            env={**os.environ, "COLUMNS": "160"},
        )
    deadline = time.monotonic() + DETACH_TIMEOUT_S
    with console.status("starting the platform…"):
        while time.monotonic() < deadline:
            state = ProcessState.read(layout.state_file(LAUNCHER))
            if state is not None and state.pid == proc.pid and state.status == "ready":
                _print_ready(config, all_states(layout))
                return
            if proc.poll() is not None:
                tail = layout.log_file(LAUNCHER).read_text(errors="replace").splitlines()[-20:]
                raise click.ClickException("the platform did not start:\n" + "\n".join(tail))
            time.sleep(0.1)
    raise click.ClickException(
        f"the platform was not ready after {DETACH_TIMEOUT_S:.0f} s; see {layout.log_dir}"
    )
