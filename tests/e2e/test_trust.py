"""Verification from a client's side, and a service's refusal to start on a bad enclave_info."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import ssl
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from teahouse.cli import main as cli
from teahouse.testing.platform import LocalPlatform

pytestmark = pytest.mark.e2e


def _peer_certificate(host: str, port: int) -> bytes:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(["h2"])
    with socket.create_connection((host, port), timeout=10) as raw, ctx.wrap_socket(raw) as tls:
        assert tls.selected_alpn_protocol() == "h2"
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    return der


def verify_like_teaclave_python_sdk(der: bytes, root_pem: bytes, enclave_info: Path, section: str) -> None:
    """The checks of Teaclave's Python SDK (spec/wire.md §4.5), written independently of Teahouse."""
    cert = x509.load_der_x509_certificate(der)
    ext = json.loads(cert.extensions[0].value.value)  # the evidence is the first extension
    report, signature = bytes(ext["report"]), bytes(ext["signature"])
    certs = [x509.load_der_x509_certificate(bytes(c)) for c in ext["certs"]]
    root = x509.load_pem_x509_certificate(root_pem)
    store = [root, *certs[1:]]
    assert any(certs[0].issuer == c.subject for c in store)
    issuer = next(c for c in store if certs[0].issuer == c.subject)
    certs[0].verify_directly_issued_by(issuer)
    certs[0].public_key().verify(signature, report, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr, call-arg]
    quote = base64.b64decode(json.loads(report)["isvEnclaveQuoteBody"])
    point = cert.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert point[0] == 4 and point[1:] == quote[368:432]
    expected = tomllib.loads(enclave_info.read_text())[section]
    assert quote[112:144].hex() == expected["mr_enclave"]
    assert quote[176:208].hex() == expected["mr_signer"]


def test_a_teaclave_style_client_verifies_teahouse(platform: LocalPlatform, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["trust", "export", "--home", str(platform.home), str(tmp_path / "trust")]
    )
    assert result.exit_code == 0, result.output
    trust = tmp_path / "trust"
    assert sorted(p.name for p in (trust / "auditors").iterdir()) == sorted(
        f"{n}.{s}"
        for n in ("albus_dumbledore", "godzilla", "optimus_prime")
        for s in ("public.pem", "sign.sha256")
    )
    der = _peer_certificate(*platform.address("storage"))
    verify_like_teaclave_python_sdk(
        der, (trust / "as_root_ca.pem").read_bytes(), trust / "enclave_info.toml", "teaclave_storage_service"
    )
    with pytest.raises(AssertionError):
        verify_like_teaclave_python_sdk(
            der,
            (trust / "as_root_ca.pem").read_bytes(),
            trust / "enclave_info.toml",
            "teaclave_scheduler_service",
        )


def test_service_refuses_to_start_when_an_auditor_signature_is_bad(
    platform: LocalPlatform, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(platform.home, home, ignore=shutil.ignore_patterns("run", "logs", "data", "*.out"))
    signature = home / "trust" / "auditors" / "godzilla.sign.sha256"
    forged = bytearray(signature.read_bytes())
    forged[10] ^= 0xFF
    signature.write_bytes(bytes(forged))
    proc = subprocess.run(
        [sys.executable, "-m", "teahouse.services.storage", "--home", str(home)],
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 3
    assert b"refusing to start" in proc.stderr and b"auditor signature" in proc.stderr
    assert not (home / "run" / "storage.json").exists()


@pytest.mark.parametrize("service", ["authentication", "frontend"])
def test_api_endpoints_serve_tls12_clients_like_teaclaves_rust_sdk(
    platform: LocalPlatform, service: str
) -> None:
    """Teaclave's Rust clients offer TLS 1.2 only, ECDHE-ECDSA with AES-GCM, and ALPN h2."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384")
    ctx.set_alpn_protocols(["h2"])
    host, port = platform.address(service, api=True)
    with socket.create_connection((host, port), timeout=10) as raw, ctx.wrap_socket(raw) as tls:
        assert tls.version() == "TLSv1.2"
        assert tls.selected_alpn_protocol() == "h2"
        assert tls.cipher()[0].startswith("ECDHE-ECDSA-AES")
        cert = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True) or b"")
    assert cert.serial_number == 1 and len(cert.extensions) == 1
