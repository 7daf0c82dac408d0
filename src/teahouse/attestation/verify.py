"""The one verification path for RA-TLS evidence, used by every server, client, SDK and CLI.

Checks, in order (spec/wire.md §4.5, §4.6, design.md §2): the certificate parses → it carries
evidence → the report signing certificate chains to the trusted attestation root → the report
signature verifies → the report parses and is version 4 → the quote status is acceptable → the
quote body parses → ``report_data`` equals the certificate's key → simulated evidence and debug
enclaves are refused unless trusted → the measurement is the one enclave_info lists for an expected
service → the report is fresh. Each failure raises its own :class:`AttestationError` subclass.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from teahouse import topology
from teahouse.attestation import errors
from teahouse.attestation.ca import is_simulation_root
from teahouse.attestation.enclave_info import EnclaveInfo
from teahouse.attestation.quote import QuoteBody, QuoteFormatError
from teahouse.attestation.ratls import extract_evidence, report_data_for
from teahouse.attestation.report import AttestationReport, Evidence
from teahouse.tee import Measurement

_MAX_CHAIN = 4


@dataclass(frozen=True)
class TrustAnchors:
    """What a verifier trusts: the attestation root and the audited enclave measurements."""

    as_root: x509.Certificate
    enclave_info: EnclaveInfo

    @property
    def simulation_root(self) -> bool:
        return is_simulation_root(self.as_root)


@dataclass(frozen=True)
class VerificationPolicy:
    max_report_age: timedelta = timedelta(hours=1)
    accepted_quote_statuses: frozenset[str] = frozenset({"OK"})
    #: ``None``: simulated evidence is accepted exactly when the trusted root is a simulation
    #: root, i.e. when the verifier explicitly chose to trust a simulation deployment.
    allow_simulated: bool | None = None
    #: Debug enclaves can be inspected by the host; same default rule as ``allow_simulated``.
    allow_debug: bool | None = None
    max_clock_skew: timedelta = timedelta(minutes=2)


@dataclass(frozen=True)
class VerifiedPeer:
    """What verification established about a peer."""

    service: str
    measurement: Measurement
    report: AttestationReport
    quote: QuoteBody
    simulated: bool
    age: timedelta
    signer_subject: str = field(default="")


class Verifier:
    def __init__(
        self,
        anchors: TrustAnchors,
        policy: VerificationPolicy | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.anchors = anchors
        self.policy = policy or VerificationPolicy()
        self._clock = clock

    def verify_der(self, der: bytes | None, accept: Collection[str]) -> VerifiedPeer:
        """Verify a peer's DER certificate as one of the services in ``accept``."""
        if not der:
            raise errors.MissingClientCertificate()
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError as exc:
            raise errors.CertificateParseError(f"the peer certificate does not parse: {exc}") from None
        return self.verify_certificate(cert, accept)

    def verify_certificate(self, cert: x509.Certificate, accept: Collection[str]) -> VerifiedPeer:
        now = self._clock()
        evidence = extract_evidence(cert)
        signer = self._check_signer_chain(evidence, now)
        self._check_report_signature(evidence, signer)
        report = AttestationReport.parse(evidence.report)
        if report.quote_status not in self.policy.accepted_quote_statuses:
            raise errors.QuoteStatusRejected(
                f"quote status {report.quote_status!r} is not one of "
                f"{sorted(self.policy.accepted_quote_statuses)}"
            )
        try:
            quote = QuoteBody.parse(report.quote_body)
        except QuoteFormatError as exc:
            raise errors.MalformedQuote(f"the quote body is malformed: {exc}") from None
        self._check_binding(cert, quote)
        simulated = quote.simulated or report.simulated
        if simulated and not self._trusted(self.policy.allow_simulated):
            raise errors.SimulatedEvidenceRejected()
        if quote.debug and not self._trusted(self.policy.allow_debug):
            raise errors.DebugEnclaveRejected()
        measurement = Measurement(quote.mr_enclave, quote.mr_signer)
        service = self._match_measurement(measurement, accept)
        age = now - report.timestamp
        if age < -self.policy.max_clock_skew:
            raise errors.ReportFromFuture(f"the report is dated {-age} in the future")
        if age > self.policy.max_report_age:
            raise errors.StaleReport(
                f"the report is {age.total_seconds():.0f} s old; at most "
                f"{self.policy.max_report_age.total_seconds():.0f} s is accepted"
            )
        return VerifiedPeer(
            service=service,
            measurement=measurement,
            report=report,
            quote=quote,
            simulated=simulated,
            age=max(age, timedelta(0)),
            signer_subject=signer.subject.rfc4514_string(),
        )

    def _trusted(self, explicit: bool | None) -> bool:
        return self.anchors.simulation_root if explicit is None else explicit

    def _check_signer_chain(self, evidence: Evidence, now: datetime) -> x509.Certificate:
        try:
            chain = [x509.load_der_x509_certificate(der) for der in evidence.certs]
        except ValueError as exc:
            raise errors.MalformedEvidence(f"a report signing certificate does not parse: {exc}") from None
        root = self.anchors.as_root
        current = chain[0]
        intermediates = [c for c in chain[1:] if c != root]
        for _ in range(_MAX_CHAIN):
            self._check_validity(current, now)
            if _issued_by(current, root):
                return chain[0]
            issuer = next((c for c in intermediates if _issued_by(current, c) and _is_ca(c)), None)
            if issuer is None:
                break
            intermediates.remove(issuer)
            current = issuer
        raise errors.UntrustedReportSigner(
            f"report signer {chain[0].subject.rfc4514_string()!r} does not chain to the trusted root "
            f"{root.subject.rfc4514_string()!r}"
        )

    @staticmethod
    def _check_validity(cert: x509.Certificate, now: datetime) -> None:
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            raise errors.UntrustedReportSigner(
                f"certificate {cert.subject.rfc4514_string()!r} is not valid now "
                f"({cert.not_valid_before_utc} .. {cert.not_valid_after_utc})"
            )

    @staticmethod
    def _check_report_signature(evidence: Evidence, signer: x509.Certificate) -> None:
        key = signer.public_key()
        if not isinstance(key, rsa.RSAPublicKey) or not 2048 <= key.key_size <= 8192:
            raise errors.ReportSignatureInvalid("the report signing key is not RSA 2048..8192")
        try:
            key.verify(evidence.signature, evidence.report, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise errors.ReportSignatureInvalid() from None

    @staticmethod
    def _check_binding(cert: x509.Certificate, quote: QuoteBody) -> None:
        key = cert.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
            raise errors.ReportDataMismatch("the certificate key is not P-256")
        if report_data_for(key) != quote.report_data:
            raise errors.ReportDataMismatch()

    def _match_measurement(self, measurement: Measurement, accept: Collection[str]) -> str:
        info = self.anchors.enclave_info
        for service in accept:
            if info.for_service(service) == measurement:
                return service
        for name, known in info.measurements.items():
            other = topology.service_of_enclave(name)
            if known == measurement and other is not None:
                raise errors.PeerNotAllowed(
                    f"the peer is the {other} service; this endpoint accepts {', '.join(sorted(accept))}"
                )
        expected = [m for s in accept if (m := info.for_service(s)) is not None]
        wanted = ", ".join(sorted(accept)) or "(none)"
        if not expected:
            raise errors.MeasurementMismatch(f"enclave_info lists none of the expected services: {wanted}")
        if any(m.mr_signer == measurement.mr_signer for m in expected):
            raise errors.MrEnclaveMismatch(
                f"mr_enclave {measurement.mr_enclave_hex} is not enclave_info's value for {wanted}"
            )
        if any(m.mr_enclave == measurement.mr_enclave for m in expected):
            raise errors.MrSignerMismatch(
                f"mr_signer {measurement.mr_signer_hex} is not enclave_info's value for {wanted}"
            )
        raise errors.MeasurementMismatch(
            f"neither mr_enclave {measurement.mr_enclave_hex} nor mr_signer {measurement.mr_signer_hex} "
            f"matches enclave_info for {wanted}"
        )


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False
