"""Running the client commands through click's CliRunner, each test with its own profile file."""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from teahouse.cli import main
from teahouse.testing.platform import LocalPlatform

#: Settings a developer's shell may carry; every run starts without them.
_CLEARED = ("TEAHOUSE_TRUST", "TEAHOUSE_AUTH", "TEAHOUSE_FRONTEND", "TEAHOUSE_PASSWORD", "TEAHOUSE_HOME")


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def errors(self) -> list[str]:
        """The stderr lines that are not the simulation notice."""
        return [line for line in self.stderr.splitlines() if not line.startswith("warning: ")]

    @property
    def error(self) -> str:
        """The one error line (fails unless there is exactly one)."""
        lines = self.errors
        assert len(lines) == 1, f"expected one error line, got {lines!r} (exit {self.code})"
        assert lines[0].startswith("error: "), lines[0]
        return lines[0]

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    """``teahouse`` with a private profile and config folder; ``env`` adds environment variables."""

    home: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def profile(self) -> Path:
        return self.home / "profile.toml"

    def run(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Outcome:
        environment: dict[str, str | None] = dict.fromkeys(_CLEARED)
        environment.update(
            {"TEAHOUSE_PROFILE": str(self.profile), "XDG_CONFIG_HOME": str(self.home / "config")}
        )
        environment.update(self.env)
        environment.update(env or {})
        result = CliRunner().invoke(main, list(args), input=input, env=environment)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Outcome(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, input: str | None = None) -> Outcome:
        outcome = self.run(*args, input=input)
        assert outcome.code == 0, f"teahouse {' '.join(args)} exited {outcome.code}: {outcome.stderr}"
        return outcome

    def json(self, *args: str) -> Any:
        return self.ok(*args, "--json").json()


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def address(platform: LocalPlatform, service: str) -> str:
    host, port = platform.address(service, api=True)
    return f"{host}:{port}"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """No platform: for what the commands check before connecting."""
    return Cli(tmp_path)


@pytest.fixture(scope="session")
def trust_dir(platform: LocalPlatform, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a user gets from the operator: ``teahouse trust export``."""
    folder = tmp_path_factory.mktemp("cli-trust")
    result = CliRunner().invoke(main, ["trust", "export", "--home", str(platform.home), str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def connected(platform: LocalPlatform, trust_dir: Path, tmp_path: Path) -> Cli:
    """Knows where the platform is (through the environment) but is not logged in."""
    return Cli(
        tmp_path,
        {
            "TEAHOUSE_TRUST": str(trust_dir),
            "TEAHOUSE_AUTH": address(platform, "authentication"),
            "TEAHOUSE_FRONTEND": address(platform, "frontend"),
        },
    )


@pytest.fixture
def admin(connected: Cli) -> Cli:
    """Logged in as the platform's default administrator."""
    connected.ok("login", "admin", "--password", "teaclave")
    return connected


def user_cli(admin: Cli, tmp_path: Path, role: str, attribute: str = "") -> tuple[str, Cli]:
    """A fresh user registered by ``admin`` and logged in with its own profile."""
    name = fresh(role.lower())
    admin.ok("user", "register", name, "--role", role, "--attribute", attribute, "--password", "pw")
    home = tmp_path / name
    home.mkdir()
    other = Cli(home, dict(admin.env))
    other.ok("login", name, "--password", "pw")
    return name, other


def copy_trust(trust_dir: Path, target: Path) -> Path:
    shutil.copytree(trust_dir, target)
    return target
