"""``teahouse attest HOST:PORT``: the verified report, the failed check, the unverified warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from teahouse.testing.deployment import InMemoryDeployment
from teahouse.testing.platform import LocalPlatform, free_ports

from .conftest import Cli, address, copy_trust

pytestmark = pytest.mark.e2e


def test_verified_report(cli: Cli, platform: LocalPlatform, trust_dir: Path) -> None:
    frontend = address(platform, "frontend")
    report = cli.json("attest", frontend, "--trust", str(trust_dir))
    assert report["verified"] is True and report["service"] == "frontend"
    assert report["address"] == frontend
    assert report["quote_status"] == "OK" and report["simulated"] is True
    assert len(report["mr_enclave"]) == 64 and len(report["mr_signer"]) == 64
    assert "SIMULATION" in report["signer"]
    assert 0 <= report["report_age_seconds"] < 3600
    expected = (trust_dir / "enclave_info.toml").read_text()
    assert f'mr_enclave = "{report["mr_enclave"]}"' in expected

    table = cli.ok("attest", address(platform, "authentication"), "--trust", str(trust_dir)).stdout
    assert "is the attested authentication service" in table
    assert "quote status" in table and "report signer" in table and "SIMULATED platform" in table


def test_the_expected_service(cli: Cli, platform: LocalPlatform, trust_dir: Path) -> None:
    frontend = address(platform, "frontend")
    assert cli.json("attest", frontend, "--trust", str(trust_dir), "--service", "frontend")["verified"]
    outcome = cli.run("attest", frontend, "--trust", str(trust_dir), "--service", "authentication")
    assert outcome.code == 4
    assert outcome.error == (
        f"error: {frontend} failed attestation: inbound list check: the peer is the frontend service; "
        "this endpoint accepts authentication"
    )


def test_a_failed_check_is_named(cli: Cli, platform: LocalPlatform, trust_dir: Path, tmp_path: Path) -> None:
    foreign = copy_trust(trust_dir, tmp_path / "foreign")
    (foreign / "as_root_ca.pem").write_bytes(
        InMemoryDeployment(tmp_path / "other").layout.as_root_ca.read_bytes()
    )
    frontend = address(platform, "frontend")
    outcome = cli.run("attest", frontend, "--trust", str(foreign))
    assert outcome.code == 4
    assert outcome.error.startswith(
        f"error: {frontend} failed attestation: report signer check: report signer "
    )
    outcome = cli.run("attest", frontend, "--trust", str(foreign), "--json")
    assert outcome.code == 4
    assert outcome.json()["check"] == "report signer" and outcome.json()["verified"] is False


def test_without_trust_the_report_is_unverified_and_says_so(cli: Cli, platform: LocalPlatform) -> None:
    outcome = cli.ok("attest", address(platform, "frontend"))
    assert outcome.stdout.startswith("WARNING: NOT VERIFIED.")
    assert "UNVERIFIED report of" in outcome.stdout and "mr_enclave" in outcome.stdout
    assert "WARNING: NOT VERIFIED." in outcome.stderr
    report = cli.json("attest", address(platform, "frontend"))
    assert report["verified"] is False and report["service"] is None and report["quote_status"] == "OK"
    outcome = cli.run("attest", address(platform, "frontend"), "--service", "frontend")
    assert outcome.code == 2 and "--service needs a trust folder" in outcome.error


def test_nothing_listening(cli: Cli) -> None:
    (port,) = free_ports(1)
    outcome = cli.run("attest", f"127.0.0.1:{port}")
    assert outcome.code == 3 and "Connection refused" in outcome.error
