"""RA-TLS certificates exactly as Teaclave makes them (spec/wire.md §4.1, §4.4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

from teahouse.attestation.errors import MissingEvidence
from teahouse.attestation.report import Evidence

#: Netscape comment; Teaclave puts the evidence JSON here.
EVIDENCE_OID = ObjectIdentifier("2.16.840.1.113730.1.13")
CERT_VALIDITY = timedelta(days=90)


def report_data_for(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """The 64 bytes X‖Y of a P-256 key, which the quote's report_data must equal."""
    point = public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    if len(point) != 65 or point[0] != 0x04:
        raise ValueError("expected an uncompressed P-256 point")
    return point[1:]


def build_certificate(key: ec.EllipticCurvePrivateKey, evidence: Evidence, now: datetime) -> x509.Certificate:
    """A self-signed certificate with Teaclave's exact layout carrying ``evidence``."""
    if not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("RA-TLS keys are P-256")
    now = now.astimezone(UTC).replace(microsecond=0)
    return (
        x509.CertificateBuilder()
        .serial_number(1)
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Teaclave")]))
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CN=Teaclave")]))
        .not_valid_before(now)
        .not_valid_after(now + CERT_VALIDITY)
        .public_key(key.public_key())
        .add_extension(
            x509.UnrecognizedExtension(EVIDENCE_OID, evidence.to_extension_value()), critical=False
        )
        .sign(key, hashes.SHA256())
    )


def extract_evidence(cert: x509.Certificate) -> Evidence:
    try:
        ext = cert.extensions.get_extension_for_oid(EVIDENCE_OID)
    except x509.ExtensionNotFound:
        raise MissingEvidence() from None
    value = ext.value
    if not isinstance(value, x509.UnrecognizedExtension):
        raise MissingEvidence("the attestation extension has an unexpected type")
    return Evidence.from_extension_value(value.value)
