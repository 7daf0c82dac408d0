"""An in-memory deployment: sim secrets, an attestation authority and audited measurements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from teahouse import topology
from teahouse.attestation.authority import AttestationAuthority
from teahouse.attestation.enclave_info import EnclaveInfo
from teahouse.attestation.ratls import build_certificate, report_data_for
from teahouse.attestation.report import Evidence
from teahouse.attestation.verify import TrustAnchors, VerificationPolicy, Verifier
from teahouse.layout import Layout
from teahouse.tee import Measurement
from teahouse.tee.sim import SimPlatform, SimSecrets


@dataclass
class Deployment:
    layout: Layout
    secrets: SimSecrets
    authority: AttestationAuthority
    now: datetime

    def platform(self, service: str) -> SimPlatform:
        return SimPlatform(self.secrets, service, b"test-build-config")

    def enclave_info(self, **replace: Measurement) -> EnclaveInfo:
        measurements = {topology.enclave_name(s): self.platform(s).measurement() for s in topology.SERVICES}
        for service, m in replace.items():
            measurements[topology.enclave_name(service)] = m
        return EnclaveInfo(measurements)

    def anchors(self, **replace: Measurement) -> TrustAnchors:
        return TrustAnchors(as_root=self.authority.chain[-1], enclave_info=self.enclave_info(**replace))

    def verifier(self, anchors: TrustAnchors | None = None, **policy: object) -> Verifier:
        return Verifier(anchors or self.anchors(), VerificationPolicy(**policy), clock=lambda: self.now)  # type: ignore[arg-type]

    def evidence_for(self, service: str, key: ec.EllipticCurvePrivateKey) -> Evidence:
        signed = self.authority.attest(self.platform(service).quote(report_data_for(key.public_key())))
        return Evidence(
            signed.body, signed.signature, tuple(c.public_bytes(Encoding.DER) for c in signed.chain)
        )

    def certificate(self, service: str) -> x509.Certificate:
        key = ec.generate_private_key(ec.SECP256R1())
        return build_certificate(key, self.evidence_for(service, key), self.now)


def make_deployment(home: Path) -> Deployment:
    layout = Layout(home)
    secrets = SimSecrets.load_or_create(layout.platform_secrets)
    authority = AttestationAuthority.load_or_create(layout)
    now = datetime.now(UTC).replace(microsecond=0)
    authority._clock = lambda: now
    return Deployment(layout, secrets, authority, now + timedelta(seconds=1))


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    return make_deployment(tmp_path_factory.mktemp("deployment"))


@pytest.fixture(scope="module")
def other_deployment(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    return make_deployment(tmp_path_factory.mktemp("other-deployment"))
