"""docs/tutorial.md, run command by command as a user types it, from `teahouse up` to `teahouse down`.

The tutorial starts its own platform, so this test gives it a fresh home folder whose
``teahouse.toml`` puts every endpoint on a free loopback port, and sets the variables the tutorial
itself names: ``TEAHOUSE_HOME`` for the platform, ``TEAHOUSE_AUTH`` and ``TEAHOUSE_FRONTEND`` for
the clients. ``HOME`` is a fresh folder too, so ``~/teahouse-tutorial`` and the CLI's default login
file never touch the real ones. Each command runs in one long-lived bash (variables, functions and
``cd`` carry over); the first one that fails stops the test with the command and its output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from teahouse import config as config_mod
from teahouse.testing.platform import write_config

from ._markdown import Step, find_in_order, steps
from ._shell import Shell

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.md"
#: `teahouse up --detach` waits up to 120 s for the platform; other commands take about a second.
STEP_TIMEOUT_S = 150.0


def tutorial_environment(home: Path, user_home: Path) -> dict[str, str]:
    config = config_mod.load(home)
    api = config.api_endpoints
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEAHOUSE_", "XDG_"))
    }
    env.update(
        HOME=str(user_home),
        TEAHOUSE_HOME=str(home),
        TEAHOUSE_AUTH=f"{api['authentication'].host}:{api['authentication'].port}",
        TEAHOUSE_FRONTEND=f"{api['frontend'].host}:{api['frontend'].port}",
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        COLUMNS="160",
    )
    return env


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A home folder for the tutorial's platform, and `teahouse down` whatever happens."""
    home = tmp_path / "platform"
    # One node with only the builtin executor warmed up: all the tutorial runs, and less to start.
    write_config(home, execution_nodes=1, extra={"execution": {"executors": ["builtin"]}})
    user_home = tmp_path / "user"
    user_home.mkdir()
    env = tutorial_environment(home, user_home)
    try:
        yield env
    finally:
        subprocess.run(
            [sys.executable, "-m", "teahouse.cli", "down", "--home", str(home)],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=120,
            check=False,
        )


def describe(step: Step, status: int | None, output: str) -> str:
    what = "did not finish in time" if status is None else f"exited with status {status}"
    return f"docs/tutorial.md line {step.line}: `{step.command}` {what}; its output:\n{output}"


def test_the_tutorial_runs_command_by_command(environment: dict[str, str]) -> None:
    commands = steps(TUTORIAL.read_text())
    with Shell(ROOT, environment) as shell:
        for step in commands:
            outcome = shell.run(step.command, STEP_TIMEOUT_S)
            if outcome.status != 0:
                pytest.fail(describe(step, outcome.status, outcome.output), pytrace=False)
            missing = find_in_order(step.expected, outcome.output)
            if missing is not None:
                pytest.fail(
                    f"docs/tutorial.md line {step.line}: `{step.command}` did not print {missing!r}; "
                    f"it printed:\n{outcome.output}",
                    pytrace=False,
                )
    state = Path(environment["TEAHOUSE_HOME"]) / "run" / "launcher.json"
    assert not state.exists(), "the tutorial ends with `teahouse down`, which stops the platform"
