"""The attestation authority: verifies quotes and signs reports in the IAS format.

Only the attestation service process holds the signing key. On its first start in a
simulation deployment it creates the deployment's attestation root CA and report signing
certificate.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from teahouse.attestation.ca import create_root_ca, is_simulation_root, issue_signing_certificate
from teahouse.attestation.quote import QuoteBody, QuoteFormatError
from teahouse.attestation.report import render_report
from teahouse.fsutil import write_atomic, write_private
from teahouse.layout import Layout
from teahouse.tee.sim import SimQuoteError, verify_sim_quote


class QuoteRejected(ValueError):
    """The quote is malformed or not signed by a quoting key this authority knows."""


@dataclass(frozen=True)
class SignedReport:
    body: bytes
    signature: bytes
    chain: tuple[x509.Certificate, ...]  # signing certificate first, root last

    def chain_pem(self) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)


class AttestationAuthority:
    def __init__(
        self,
        signing_key: rsa.RSAPrivateKey,
        chain: tuple[x509.Certificate, ...],
        quoting_public_key: ec.EllipticCurvePublicKey,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._signing_key = signing_key
        self.chain = chain
        self._quoting_public_key = quoting_public_key
        self._clock = clock
        self.simulation = is_simulation_root(chain[-1])

    @classmethod
    def load_or_create(cls, layout: Layout) -> AttestationAuthority:
        secrets = layout.attestation_secrets
        root_key_path, signing_key_path = secrets / "root_ca.key", secrets / "signing.key"
        if not root_key_path.exists() or not layout.as_root_ca.exists():
            root_key, root_cert = create_root_ca(simulation=True)
            write_private(root_key_path, _private_pem(root_key))
            write_atomic(layout.as_root_ca, root_cert.public_bytes(serialization.Encoding.PEM))
            signing_key_path.unlink(missing_ok=True)
        root_key = _load_rsa(root_key_path.read_bytes())
        root_cert = x509.load_pem_x509_certificate(layout.as_root_ca.read_bytes())
        if not signing_key_path.exists() or not layout.attestation_signing_cert.exists():
            signing_key, signing_cert = issue_signing_certificate(root_key, root_cert)
            write_private(signing_key_path, _private_pem(signing_key))
            write_atomic(
                layout.attestation_signing_cert, signing_cert.public_bytes(serialization.Encoding.PEM)
            )
        signing_key = _load_rsa(signing_key_path.read_bytes())
        signing_cert = x509.load_pem_x509_certificate(layout.attestation_signing_cert.read_bytes())
        quoting = serialization.load_pem_public_key(
            (layout.platform_secrets / "quoting.pub.pem").read_bytes()
        )
        if not isinstance(quoting, ec.EllipticCurvePublicKey):
            raise ValueError("the quoting public key is not an EC key")
        return cls(signing_key, (signing_cert, root_cert), quoting)

    @property
    def signing_key(self) -> rsa.RSAPrivateKey:
        """For the service's own TLS endpoint; never leaves this process."""
        return self._signing_key

    def attest(self, quote: bytes) -> SignedReport:
        try:
            body = verify_sim_quote(quote, self._quoting_public_key)
            QuoteBody.parse(body)
        except (SimQuoteError, QuoteFormatError) as exc:
            raise QuoteRejected(str(exc)) from None
        report = render_report(
            report_id=uuid.uuid4().hex,
            timestamp=self._clock(),
            quote_status="OK",
            quote_body=body,
            simulated=self.simulation,
        )
        signature = self._signing_key.sign(report, padding.PKCS1v15(), hashes.SHA256())
        return SignedReport(report, signature, self.chain)


def _private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load_rsa(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("expected an RSA private key")
    return key
