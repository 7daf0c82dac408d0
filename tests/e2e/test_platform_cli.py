"""`teahouse status`, `trust export` and the refusals of `up` and `down`, on the running platform."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from teahouse.cli import main as cli
from teahouse.testing.platform import LocalPlatform

pytestmark = pytest.mark.e2e


def test_status_shows_every_process_healthy(platform: LocalPlatform) -> None:
    result = CliRunner().invoke(cli, ["status", "--home", str(platform.home)], terminal_width=200)
    assert result.exit_code == 0, result.output
    for process in ("attestation", "storage", "authentication", "access_control", "management", "frontend"):
        assert process in result.output
    assert "healthy" in result.output and "dead" not in result.output


def test_up_refuses_a_second_platform_in_the_same_home(platform: LocalPlatform) -> None:
    result = CliRunner().invoke(cli, ["up", "--home", str(platform.home)])
    assert result.exit_code != 0
    assert "already running" in result.output and "teahouse down" in result.output


def test_status_and_down_of_an_empty_home(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status", "--home", str(tmp_path)])
    assert result.exit_code == 1 and "Nothing is running" in result.output
    result = CliRunner().invoke(cli, ["down", "--home", str(tmp_path)])
    assert result.exit_code == 0 and "Nothing is running" in result.output
    result = CliRunner().invoke(cli, ["trust", "export", "--home", str(tmp_path), str(tmp_path / "out")])
    assert result.exit_code == 1 and "teahouse up" in result.output


def test_a_bad_config_value_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["up", "--home", str(tmp_path), "-o", "execution.nodes=-1"])
    assert result.exit_code != 0
    assert "execution.nodes" in result.output


def test_trust_verify_both_forms(platform: LocalPlatform, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "trust"
    assert runner.invoke(cli, ["trust", "export", "--home", str(platform.home), str(out)]).exit_code == 0
    result = runner.invoke(cli, ["trust", "verify", str(out)])
    assert result.exit_code == 0 and "Verify successfully." in result.output
    auditors = out / "auditors"
    args = ["trust", "verify", "-e", str(out / "enclave_info.toml")]
    for name in ("godzilla", "optimus_prime", "albus_dumbledore"):
        args += ["-p", str(auditors / f"{name}.public.pem"), "-s", str(auditors / f"{name}.sign.sha256")]
    assert runner.invoke(cli, args).exit_code == 0
    edited = out / "enclave_info.toml"
    edited.write_text(edited.read_text().replace("mr_enclave", "mr_enclave ", 1))
    result = runner.invoke(cli, ["trust", "verify", str(out)])
    assert result.exit_code == 1 and "Failed to verify signatures" in result.output


def test_the_first_task_hint_of_teahouse_up_works(
    platform: LocalPlatform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re
    import shlex

    from teahouse.cli.up import first_task_hint

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEAHOUSE_PROFILE", str(tmp_path / "login.toml"))
    found: dict[str, str] = {}
    lines = [line.split("#")[0].strip() for line in first_task_hint(platform.config).splitlines()]
    commands = [line for line in lines if line.startswith("teahouse ")]
    assert len(commands) == 6
    output = ""
    for line in commands:
        for name, value in found.items():
            line = line.replace(name, value)
        result = CliRunner().invoke(cli, shlex.split(line)[1:], terminal_width=200)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        output = result.output
        for name, prefix in (("FUNCTION_ID", "function"), ("TASK_ID", "task")):
            match = re.search(rf"{prefix}-[0-9a-f-]{{36}}", result.output)
            if match and name not in found:
                found[name] = match.group(0)
    assert output.strip().endswith("hello")
