"""Certificates made by Teaclave on SGX hardware, through our verifier."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509

from teahouse.attestation import errors
from teahouse.attestation.enclave_info import EnclaveInfo
from teahouse.attestation.quote import QuoteBody
from teahouse.attestation.ratls import extract_evidence
from teahouse.attestation.report import AttestationReport
from teahouse.attestation.verify import TrustAnchors, VerificationPolicy, Verifier
from teahouse.tee import Measurement

VECTORS = Path(__file__).parent / "vectors"


def load(name: str) -> x509.Certificate:
    return x509.load_der_x509_certificate((VECTORS / name).read_bytes())


def test_v4_dcap_certificate_verifies_under_the_dcap_root() -> None:
    cert = load("tls_ra_cert_v4.der")
    evidence = extract_evidence(cert)
    report = AttestationReport.parse(evidence.report)
    quote = QuoteBody.parse(report.quote_body)
    assert not quote.simulated
    info = EnclaveInfo({"teaclave_frontend_service": Measurement(quote.mr_enclave, quote.mr_signer)})
    verifier = Verifier(
        TrustAnchors(load("dcap_root_ca_cert.der"), info),
        VerificationPolicy(max_report_age=timedelta(days=1), allow_debug=quote.debug),
        clock=lambda: report.timestamp + timedelta(minutes=1),
    )
    peer = verifier.verify_certificate(cert, {"frontend"})
    assert peer.service == "frontend" and not peer.simulated and peer.report.quote_status == "OK"
    with pytest.raises(errors.UntrustedReportSigner):
        Verifier(
            TrustAnchors(load("ias_root_ca_cert.der"), info), clock=lambda: report.timestamp
        ).verify_certificate(cert, {"frontend"})


def test_v3_layout_is_rejected_like_teaclave_does() -> None:
    with pytest.raises(errors.MalformedEvidence):
        extract_evidence(load("tls_ra_cert_v3.der"))
