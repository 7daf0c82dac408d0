"""``teahouse up --executors N`` overrides ``execution.nodes`` (also for the detached launcher)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from teahouse.cli import main
from teahouse.cli import up as up_cli
from teahouse.launcher import Launcher


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Launcher]:
    launchers: list[Launcher] = []

    async def fake_run_foreground(launcher: Launcher, on_ready: Any) -> None:
        launchers.append(launcher)

    monkeypatch.setattr(up_cli, "run_foreground", fake_run_foreground)
    return launchers


@pytest.mark.parametrize(("args", "nodes"), [([], 2), (["--executors", "4"], 4), (["--executors", "0"], 0)])
def test_the_flag_sets_the_number_of_nodes(
    tmp_path: Path, started: list[Launcher], args: list[str], nodes: int
) -> None:
    result = CliRunner().invoke(main, ["up", "--home", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    (launcher,) = started
    assert launcher.config.execution_nodes == nodes
    names = [child.process for child in launcher._plan() if child.process.startswith("execution")]
    assert names == [f"execution-{n}" for n in range(1, nodes + 1)]


def test_the_flag_wins_over_an_override(tmp_path: Path, started: list[Launcher]) -> None:
    result = CliRunner().invoke(
        main, ["up", "--home", str(tmp_path), "-o", "execution.nodes=7", "--executors", "3"]
    )
    assert result.exit_code == 0, result.output
    assert started[0].config.execution_nodes == 3


def test_negative_counts_are_refused(tmp_path: Path, started: list[Launcher]) -> None:
    result = CliRunner().invoke(main, ["up", "--home", str(tmp_path), "--executors", "-1"])
    assert result.exit_code != 0 and not started
