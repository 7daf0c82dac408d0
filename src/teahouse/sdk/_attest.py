"""Attesting a server without calling it: fetch its RA-TLS certificate and read the report inside.

:func:`attest` verifies the evidence exactly as every client does before its first request;
:func:`read_report` only parses it, for looking at a platform one does not (yet) trust, as
Teaclave's ``teaclave_cli attest`` does.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509

from teahouse import topology
from teahouse.attestation.errors import (
    AttestationError,
    CertificateParseError,
    MalformedEvidence,
    MalformedQuote,
)
from teahouse.attestation.quote import QuoteBody, QuoteFormatError
from teahouse.attestation.ratls import extract_evidence
from teahouse.attestation.report import AttestationReport
from teahouse.attestation.verify import VerifiedPeer
from teahouse.rpc.tls import client_context
from teahouse.sdk._connection import Address, parse_address
from teahouse.sdk._errors import SdkError, translate
from teahouse.sdk._trust import Trust


@dataclass(frozen=True)
class ServerReport:
    """What a server's RA-TLS certificate says about it.

    ``verified`` is False for :func:`read_report`: then nothing here has been checked, and
    ``service`` is ``None``. ``signer`` is the subject of the certificate that signed the report.
    """

    address: str
    verified: bool
    service: str | None
    mr_enclave: str
    mr_signer: str
    quote_status: str
    report_id: str
    report_time: datetime
    report_age: timedelta
    simulated: bool
    debug: bool
    signer: str
    isv_prod_id: int
    isv_svn: int
    report_data: str


def attest(
    address: Address, trust: Trust, *, service: str | None = None, timeout: float = 10.0
) -> ServerReport:
    """Connect to ``address`` and verify its evidence as ``service`` (default: any audited service).

    Raises :class:`AttestationFailedError` naming the failed check, :class:`UnavailableError` when
    the server cannot be reached and :class:`DeadlineExceededError` when it does not answer in time.
    """
    where = _where(address)
    accept = [service] if service is not None else _audited_services(trust)
    der = _peer_certificate(address, timeout)
    try:
        peer = trust.verifier.verify_der(der, accept)
    except AttestationError as exc:
        raise _sdk_error(exc, where) from exc
    return _verified(where, peer)


def read_report(address: Address, *, timeout: float = 10.0) -> ServerReport:
    """Connect to ``address`` and parse its evidence WITHOUT verifying anything.

    Raises :class:`AttestationFailedError` only when the evidence cannot even be parsed.
    """
    where = _where(address)
    der = _peer_certificate(address, timeout)
    try:
        return _unverified(where, der)
    except AttestationError as exc:
        raise _sdk_error(exc, where) from exc


def _where(address: Address) -> str:
    host, port = parse_address(address)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _audited_services(trust: Trust) -> list[str]:
    names = trust.verifier.anchors.enclave_info.measurements
    return sorted(s for name in names if (s := topology.service_of_enclave(name)) is not None)


def _peer_certificate(address: Address, timeout: float) -> bytes:
    host, port = parse_address(address)
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            client_context().wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except OSError as exc:
        raise _sdk_error(exc, _where(address)) from exc
    if not der:
        raise _sdk_error(MalformedEvidence("the server presented no certificate"), _where(address))
    return der


def _sdk_error(exc: BaseException, where: str) -> SdkError:
    err = translate(exc, where)
    assert err is not None  # every exception handled here has a translation
    return err


def _verified(where: str, peer: VerifiedPeer) -> ServerReport:
    return ServerReport(
        address=where,
        verified=True,
        service=peer.service,
        mr_enclave=peer.measurement.mr_enclave_hex,
        mr_signer=peer.measurement.mr_signer_hex,
        quote_status=peer.report.quote_status,
        report_id=peer.report.id,
        report_time=peer.report.timestamp,
        report_age=peer.age,
        simulated=peer.simulated,
        debug=peer.quote.debug,
        signer=peer.signer_subject,
        isv_prod_id=peer.quote.isv_prod_id,
        isv_svn=peer.quote.isv_svn,
        report_data=peer.quote.report_data.hex(),
    )


def _unverified(where: str, der: bytes) -> ServerReport:
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise CertificateParseError(f"the server certificate does not parse: {exc}") from None
    evidence = extract_evidence(cert)
    report = AttestationReport.parse(evidence.report)
    try:
        quote = QuoteBody.parse(report.quote_body)
    except QuoteFormatError as exc:
        raise MalformedQuote(f"the quote body is malformed: {exc}") from None
    try:
        signer = x509.load_der_x509_certificate(evidence.certs[0]).subject.rfc4514_string()
    except ValueError:
        signer = "(unparsable certificate)"
    return ServerReport(
        address=where,
        verified=False,
        service=None,
        mr_enclave=quote.mr_enclave.hex(),
        mr_signer=quote.mr_signer.hex(),
        quote_status=report.quote_status,
        report_id=report.id,
        report_time=report.timestamp,
        report_age=datetime.now(UTC) - report.timestamp,
        simulated=quote.simulated or report.simulated,
        debug=quote.debug,
        signer=signer,
        isv_prod_id=quote.isv_prod_id,
        isv_svn=quote.isv_svn,
        report_data=quote.report_data.hex(),
    )
