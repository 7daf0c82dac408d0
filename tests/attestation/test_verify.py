"""Each check of the one verification path, accepted and refused with its own error."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from teahouse.attestation import errors
from teahouse.attestation.ratls import build_certificate
from teahouse.attestation.report import Evidence
from teahouse.tee import Measurement

from .conftest import Deployment


def test_accepts_a_genuine_certificate(deployment: Deployment) -> None:
    peer = deployment.verifier().verify_der(
        deployment.certificate("storage").public_bytes(Encoding.DER), {"storage"}
    )
    assert peer.service == "storage"
    assert peer.simulated
    assert peer.measurement == deployment.platform("storage").measurement()
    assert peer.report.quote_status == "OK"


def test_identifies_which_of_several_accepted_services_the_peer_is(deployment: Deployment) -> None:
    cert = deployment.certificate("scheduler")
    assert deployment.verifier().verify_certificate(cert, {"management", "scheduler"}).service == "scheduler"


def test_wrong_mr_enclave(deployment: Deployment) -> None:
    audited = deployment.platform("storage").measurement()
    anchors = deployment.anchors(storage=Measurement(bytes(32), audited.mr_signer))
    with pytest.raises(errors.MrEnclaveMismatch):
        deployment.verifier(anchors).verify_certificate(deployment.certificate("storage"), {"storage"})


def test_wrong_mr_signer(deployment: Deployment) -> None:
    audited = deployment.platform("storage").measurement()
    anchors = deployment.anchors(storage=Measurement(audited.mr_enclave, bytes(32)))
    with pytest.raises(errors.MrSignerMismatch):
        deployment.verifier(anchors).verify_certificate(deployment.certificate("storage"), {"storage"})


def test_report_signed_under_another_root(deployment: Deployment, other_deployment: Deployment) -> None:
    foreign = other_deployment.certificate("storage")
    with pytest.raises(errors.UntrustedReportSigner):
        deployment.verifier().verify_certificate(foreign, {"storage"})


def test_report_data_that_does_not_match_the_certificate_key(deployment: Deployment) -> None:
    attested_key = ec.generate_private_key(ec.SECP256R1())
    evidence = deployment.evidence_for("storage", attested_key)
    impostor = build_certificate(ec.generate_private_key(ec.SECP256R1()), evidence, deployment.now)
    with pytest.raises(errors.ReportDataMismatch):
        deployment.verifier().verify_certificate(impostor, {"storage"})


def test_stale_report(deployment: Deployment) -> None:
    cert = deployment.certificate("storage")
    verifier = deployment.verifier(max_report_age=timedelta(minutes=10))
    verifier._clock = lambda: deployment.now + timedelta(minutes=11)
    with pytest.raises(errors.StaleReport):
        verifier.verify_certificate(cert, {"storage"})
    verifier._clock = lambda: deployment.now + timedelta(minutes=9)
    verifier.verify_certificate(cert, {"storage"})


def test_report_from_the_future(deployment: Deployment) -> None:
    verifier = deployment.verifier()
    verifier._clock = lambda: deployment.now - timedelta(minutes=4)
    with pytest.raises(errors.ReportFromFuture):
        verifier.verify_certificate(deployment.certificate("storage"), {"storage"})


@pytest.mark.parametrize("position", [0, 10, 100, 200, -3])
def test_tampered_report_bytes(deployment: Deployment, position: int) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    evidence = deployment.evidence_for("storage", key)
    report = bytearray(evidence.report)
    report[position] ^= 0x01
    cert = build_certificate(key, replace(evidence, report=bytes(report)), deployment.now)
    with pytest.raises(errors.ReportSignatureInvalid):
        deployment.verifier().verify_certificate(cert, {"storage"})


def test_simulated_evidence_is_refused_unless_simulation_is_trusted(deployment: Deployment) -> None:
    cert = deployment.certificate("storage")
    assert deployment.anchors().simulation_root
    with pytest.raises(errors.SimulatedEvidenceRejected):
        deployment.verifier(allow_simulated=False).verify_certificate(cert, {"storage"})


def test_debug_enclave_is_refused_unless_trusted(deployment: Deployment) -> None:
    with pytest.raises(errors.DebugEnclaveRejected):
        deployment.verifier(allow_simulated=True, allow_debug=False).verify_certificate(
            deployment.certificate("storage"), {"storage"}
        )


def test_quote_status_outside_the_accepted_set(deployment: Deployment) -> None:
    with pytest.raises(errors.QuoteStatusRejected):
        deployment.verifier(accepted_quote_statuses=frozenset({"SW_HARDENING_NEEDED"})).verify_certificate(
            deployment.certificate("storage"), {"storage"}
        )


def test_service_outside_the_accepted_set(deployment: Deployment) -> None:
    with pytest.raises(errors.PeerNotAllowed, match="the peer is the frontend service"):
        deployment.verifier().verify_certificate(deployment.certificate("frontend"), {"storage", "scheduler"})


def test_certificate_without_evidence(deployment: Deployment) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "plain")])
    plain = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(deployment.now)
        .not_valid_after(deployment.now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    with pytest.raises(errors.MissingEvidence):
        deployment.verifier().verify_certificate(plain, {"storage"})


def test_malformed_evidence_and_missing_certificate(deployment: Deployment) -> None:
    with pytest.raises(errors.MalformedEvidence):
        Evidence.from_extension_value(b"{not json")
    with pytest.raises(errors.MalformedEvidence):
        Evidence.from_extension_value(json.dumps({"report": [], "signature": [], "certs": []}).encode())
    with pytest.raises(errors.MissingClientCertificate):
        deployment.verifier().verify_der(None, {"storage"})
    with pytest.raises(errors.CertificateParseError):
        deployment.verifier().verify_der(b"\x30\x03garbage", {"storage"})


def test_every_failure_names_its_check() -> None:
    classes = [errors.AttestationError, *_subclasses(errors.AttestationError)]
    assert all(cls.check and cls.message for cls in classes)


def _subclasses(cls: type) -> list[type]:
    result = []
    for sub in cls.__subclasses__():
        result += [sub, *_subclasses(sub)]
    return result
