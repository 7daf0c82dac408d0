"""``teahouse login`` and ``logout`` against the real platform, and a platform that fails verification."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from teahouse.attestation.enclave_info import EnclaveInfo, sign
from teahouse.testing.deployment import InMemoryDeployment
from teahouse.testing.platform import LocalPlatform, free_ports

from .conftest import Cli, address, copy_trust

pytestmark = pytest.mark.e2e


def test_login_verifies_logs_in_and_saves_the_login(
    connected: Cli, trust_dir: Path, platform: LocalPlatform
) -> None:
    outcome = connected.ok("login", "admin", "--password", "teaclave")
    assert f"Logged in as admin; login saved to {connected.profile}" in outcome.stdout
    assert "Platform verified" in outcome.stdout
    assert outcome.stderr == "warning: connected to a SIMULATED Teahouse platform: no hardware protection\n"
    assert stat.S_IMODE(connected.profile.stat().st_mode) == 0o600
    saved = tomllib.loads(connected.profile.read_text())
    assert saved["user"] == "admin" and saved["token"].count(".") == 2
    assert saved["auth"] == address(platform, "authentication")
    assert saved["frontend"] == address(platform, "frontend")
    assert saved["trust"] == str(trust_dir.resolve())
    # Later commands need neither the environment nor options.
    plain = Cli(connected.home)
    assert "admin" in plain.json("user", "list")["users"]


def test_login_json_and_password_from_the_environment(connected: Cli) -> None:
    outcome = connected.run("login", "admin", "--json", env={"TEAHOUSE_PASSWORD": "teaclave"})
    assert outcome.code == 0
    report = outcome.json()
    assert report["user"] == "admin" and report["simulated"] is True
    assert report["attested"]["authentication"]["service"] == "authentication"
    assert report["attested"]["frontend"]["service"] == "frontend"
    assert len(report["attested"]["frontend"]["mr_enclave"]) == 64


def test_login_prompts_for_the_password(connected: Cli) -> None:
    assert connected.run("login", "admin", input="teaclave\n").code == 0


def test_wrong_password(connected: Cli) -> None:
    outcome = connected.run("login", "admin", "--password", "wrong")
    assert (outcome.code, outcome.error) == (1, "error: login failed: wrong user id or password")
    assert not connected.profile.exists()


def test_logout_then_not_logged_in(admin: Cli) -> None:
    assert admin.ok("logout").stdout.startswith("Logged out admin")
    outcome = admin.run("function", "list")
    assert (outcome.code, outcome.error) == (1, "error: not logged in: run `teahouse login USER`")
    assert admin.ok("logout").stdout == "Not logged in.\n"


def test_a_token_the_platform_does_not_accept(admin: Cli) -> None:
    text = admin.profile.read_text()
    token = tomllib.loads(text)["token"]
    admin.profile.write_text(text.replace(token, token[:-4] + "AAAA"))
    outcome = admin.run("task", "show", "task-x")
    assert outcome.code == 1
    assert (
        "did not accept your login (incorrent credential); run `teahouse login admin` again" in outcome.error
    )


def test_a_platform_that_is_not_running(connected: Cli) -> None:
    (port,) = free_ports(1)
    outcome = connected.run(
        "login",
        "admin",
        "--password",
        "teaclave",
        "--auth",
        f"127.0.0.1:{port}",
        env={"TEAHOUSE_CONNECT_TIMEOUT": "0.3"},
    )
    assert outcome.code == 3
    assert outcome.error.startswith(f"error: cannot reach 127.0.0.1:{port}: ")
    assert outcome.error.endswith("is the platform running, and are --auth/--frontend right?")


def test_an_address_that_is_not_host_port(connected: Cli) -> None:
    outcome = connected.run("login", "admin", "--password", "teaclave", "--auth", "nowhere")
    assert outcome.code == 2 and "is not host:port" in outcome.error


def test_a_trust_folder_of_another_deployment(connected: Cli, trust_dir: Path, tmp_path: Path) -> None:
    foreign = copy_trust(trust_dir, tmp_path / "foreign")
    other = InMemoryDeployment(tmp_path / "other-home")
    (foreign / "as_root_ca.pem").write_bytes(other.layout.as_root_ca.read_bytes())
    outcome = connected.run("login", "admin", "--password", "teaclave", "--trust", str(foreign))
    assert outcome.code == 4
    assert (
        "failed: report signer check:" in outcome.error
        and "does not chain to the trusted root" in outcome.error
    )
    assert not connected.profile.exists()


def test_an_edited_enclave_info(connected: Cli, trust_dir: Path, tmp_path: Path) -> None:
    edited = copy_trust(trust_dir, tmp_path / "edited")
    info = edited / "enclave_info.toml"
    info.write_text(info.read_text().replace('mr_enclave = "', 'mr_enclave = "00', 1)[:-3] + '"\n')
    outcome = connected.run("login", "admin", "--password", "teaclave", "--trust", str(edited))
    assert outcome.code == 4
    assert "enclave_info" in outcome.error and "teahouse trust export DIR" in outcome.error


def test_enclave_info_signed_by_other_auditors_with_another_measurement(
    connected: Cli, trust_dir: Path, tmp_path: Path
) -> None:
    """Well-formed and validly signed, but it vouches for other code than the frontend runs."""
    forged = copy_trust(trust_dir, tmp_path / "forged")
    info = EnclaveInfo.parse((forged / "enclave_info.toml").read_bytes())
    measurements = dict(info.measurements)
    real = measurements["teaclave_frontend_service"]
    measurements["teaclave_frontend_service"] = type(real)(bytes(32), real.mr_signer)
    body = EnclaveInfo(measurements).render()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for old in (forged / "auditors").iterdir():
        old.unlink()
    (forged / "enclave_info.toml").write_bytes(body)
    (forged / "auditors" / "mallory.public.pem").write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    )
    (forged / "auditors" / "mallory.sign.sha256").write_bytes(sign(body, key))
    outcome = connected.run("login", "admin", "--password", "teaclave", "--trust", str(forged))
    assert outcome.code == 4
    assert "mr_enclave check" in outcome.error and "frontend" in outcome.error
    assert not connected.profile.exists()
