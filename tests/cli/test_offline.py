"""What the client commands check before connecting: usage, the saved login, the profile file, help."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click
import pytest

from teahouse.cli import main
from teahouse.cli._client import Profile, default_profile
from teahouse.cli._output import Group

from .conftest import Cli

CLIENT_GROUPS = ("user", "function", "data", "task", "audit")


def test_profile_is_written_for_the_user_only(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "credentials.toml"
    Profile("alice", "t0ken", "h:1", "h:2", "/trust").save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert Profile.load(path) == Profile("alice", "t0ken", "h:1", "h:2", "/trust")
    assert [p.name for p in path.parent.iterdir()] == ["credentials.toml"]  # no temporary left


def test_a_profile_others_can_read_is_refused(cli: Cli) -> None:
    Profile("alice", "t0ken").save(cli.profile)
    os.chmod(cli.profile, 0o644)
    outcome = cli.run("task", "show", "task-x")
    assert outcome.code == 1
    assert "can be read by other users" in outcome.error and "chmod 600" in outcome.error


def test_default_profile_is_under_xdg_config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_profile() == tmp_path / "teahouse" / "credentials.toml"


def test_not_logged_in(cli: Cli) -> None:
    outcome = cli.run("task", "show", "task-x")
    assert (outcome.code, outcome.error) == (1, "error: not logged in: run `teahouse login USER`")
    assert outcome.stdout == ""


def test_no_trust_folder_is_a_usage_error(cli: Cli) -> None:
    outcome = cli.run("login", "admin", "--password", "x")
    assert outcome.code == 2
    assert "no trust folder: pass --trust DIR" in outcome.error


def test_a_trust_folder_that_does_not_exist(cli: Cli, tmp_path: Path) -> None:
    outcome = cli.run("login", "admin", "--password", "x", "--trust", str(tmp_path / "nope"))
    assert outcome.code == 4
    assert f"trust folder {tmp_path / 'nope'} does not exist" in outcome.error


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["task", "show"], "Missing argument 'TASK_ID'"),
        (["task", "frobnicate"], "No such command 'frobnicate'"),
        (["function", "register", "f", "--payload", "/no/such/file.py"], "'/no/such/file.py' does not exist"),
        (["function", "register", "f", "--arg", "=x"], "is not KEY[=DEFAULT][:fixed]"),
        (["user", "register", "u", "--role", "King"], "'King' is not one of"),
        (["task", "create", "function-x", "--arg-json", "n=three"], "is not JSON"),
        (["data", "upload", "/no/such/file", "file:///tmp/x.enc"], "'/no/such/file' does not exist"),
        (["task", "assign", "task-x"], "give at least one --input or --output"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(cli: Cli, args: list[str], text: str) -> None:
    Profile("alice", "t0ken", trust="/nowhere").save(cli.profile)
    outcome = cli.run(*args)
    assert outcome.code == 2
    assert text in outcome.error and "--help`" in outcome.error


def test_logout_keeps_the_addresses(cli: Cli) -> None:
    Profile("alice", "t0ken", "h:1", "h:2", "/trust").save(cli.profile)
    assert cli.ok("logout").stdout == f"Logged out alice (login removed from {cli.profile}).\n"
    assert Profile.load(cli.profile) == Profile("", "", "h:1", "h:2", "/trust")
    assert cli.json("logout") == {"user": None, "profile": str(cli.profile)}


def _leaves(group: click.Group) -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in _leaves(command)]
        else:
            found.append((name, command))
    return found


def _client_commands() -> list[tuple[str, click.Command]]:
    context = click.Context(main)
    commands = [(n, main.get_command(context, n)) for n in ("login", "logout", "attest")]
    for name in CLIENT_GROUPS:
        group = main.get_command(context, name)
        assert isinstance(group, Group)
        commands += [(f"{name} {sub}", c) for sub, c in _leaves(group)]
    return commands


@pytest.mark.parametrize(
    ("name", "command"), _client_commands(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_command_has_examples_json_and_exit_codes(name: str, command: click.Command, cli: Cli) -> None:
    assert "Example" in (command.help or ""), name
    assert any(p.name == "as_json" for p in command.params), name
    help_text = cli.ok(*name.split(), "--help").stdout
    assert "Exit codes: 0 ok" in help_text and "--json" in help_text and "--trust" in help_text
