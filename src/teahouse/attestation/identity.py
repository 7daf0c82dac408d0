"""A service's RA-TLS identity: a fresh P-256 key and a certificate carrying its attested report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from teahouse.attestation.client import AttestationServiceClient
from teahouse.attestation.ratls import build_certificate, report_data_for
from teahouse.tee import TeePlatform


@dataclass(frozen=True)
class RaTlsIdentity:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    created_at: datetime

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def create_identity(
    platform: TeePlatform,
    attestation: AttestationServiceClient,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> RaTlsIdentity:
    """Blocking: makes a key, quotes it and asks the attestation service for a report."""
    key = ec.generate_private_key(ec.SECP256R1())
    evidence = attestation.obtain_evidence(platform.quote(report_data_for(key.public_key())))
    now = clock()
    return RaTlsIdentity(key=key, certificate=build_certificate(key, evidence, now), created_at=now)


class IdentityHolder:
    """The current identity of a running service; servers and channels read it per connection."""

    def __init__(self, make: Callable[[], RaTlsIdentity], initial: RaTlsIdentity) -> None:
        self._make = make
        self.current = initial
        self.refreshed = 0

    def refresh(self) -> RaTlsIdentity:
        """Blocking: replace the identity with a new key and a fresh report."""
        self.current = self._make()
        self.refreshed += 1
        return self.current
