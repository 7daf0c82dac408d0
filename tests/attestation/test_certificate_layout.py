"""The RA-TLS certificate has Teaclave's exact layout (spec/wire.md §4.1)."""

from __future__ import annotations

import json

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID, SignatureAlgorithmOID

from teahouse.attestation.quote import QuoteBody
from teahouse.attestation.ratls import EVIDENCE_OID, report_data_for
from teahouse.attestation.report import AttestationReport

from .conftest import Deployment


def test_layout(deployment: Deployment) -> None:
    cert = deployment.certificate("frontend")
    assert cert.version is x509.Version.v3
    assert cert.serial_number == 1
    assert cert.signature_algorithm_oid == SignatureAlgorithmOID.ECDSA_WITH_SHA256
    issuer = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    subject = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert [a.value for a in issuer] == ["Teaclave"] and len(cert.issuer.rdns) == 1
    assert [a.value for a in subject] == ["CN=Teaclave"] and len(cert.subject.rdns) == 1
    der = cert.public_bytes(Encoding.DER)
    assert b"\x0c\x08Teaclave" in der and b"\x0c\x0bCN=Teaclave" in der  # UTF8String tags
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 90
    key = cert.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)
    assert len(cert.extensions) == 1
    ext = cert.extensions[0]
    assert ext.oid == EVIDENCE_OID and not ext.critical
    assert isinstance(ext.value, x509.UnrecognizedExtension)
    doc = json.loads(ext.value.value)
    assert set(doc) == {"report", "signature", "certs"}
    report = AttestationReport.parse(bytes(doc["report"]))
    quote = QuoteBody.parse(report.quote_body)
    assert quote.report_data == report_data_for(key)
    assert quote.debug and quote.simulated
    # Signed with its own key (issuer and subject names differ, as in Teaclave).
    key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
