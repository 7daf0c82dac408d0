"""Why a piece of attestation evidence was refused: one exception per check.

Every check of :mod:`teahouse.attestation.verify` raises its own subclass of
:class:`AttestationError`, so that whoever verifies (a data owner at the CLI, an operator
reading logs) sees exactly which check failed. What goes back over the wire to an untrusted
peer stays generic.
"""

from __future__ import annotations

from teahouse.errors import Code, TeahouseError


class AttestationError(TeahouseError):
    code = Code.UNAUTHENTICATED
    message = "attestation failed"
    #: Short name of the failed check, for logs and the CLI.
    check = "attestation"


class CertificateParseError(AttestationError):
    check = "certificate"
    message = "the peer certificate does not parse"


class MissingClientCertificate(AttestationError):
    check = "client certificate"
    message = "the peer presented no certificate (mutual attestation requires one)"


class MissingEvidence(AttestationError):
    check = "evidence"
    message = "the certificate carries no attestation extension"


class MalformedEvidence(AttestationError):
    check = "evidence"
    message = "the attestation extension is malformed"


class UntrustedReportSigner(AttestationError):
    check = "report signer"
    message = "the report signing certificate does not chain to the trusted attestation root"


class ReportSignatureInvalid(AttestationError):
    check = "report signature"
    message = "the attestation report signature does not verify (report tampered or wrong signer)"


class MalformedReport(AttestationError):
    check = "report"
    message = "the attestation report is malformed"


class UnsupportedReportVersion(AttestationError):
    check = "report version"
    message = "the attestation report version is not 4"


class QuoteStatusRejected(AttestationError):
    check = "quote status"
    message = "the quote status is not acceptable"


class MalformedQuote(AttestationError):
    check = "quote"
    message = "the quote body is malformed"


class ReportDataMismatch(AttestationError):
    check = "report data"
    message = "the report data does not match the certificate's public key"


class SimulatedEvidenceRejected(AttestationError):
    check = "simulation"
    message = "the evidence is simulated (no hardware protection) and simulation is not trusted"


class DebugEnclaveRejected(AttestationError):
    check = "debug"
    message = "the enclave runs in debug mode (its memory can be read) and debug enclaves are not trusted"


class MeasurementMismatch(AttestationError):
    check = "measurement"
    message = "the enclave measurement is not accepted"


class MrEnclaveMismatch(MeasurementMismatch):
    check = "mr_enclave"
    message = "mr_enclave is not the one enclave_info lists for the expected service"


class MrSignerMismatch(MeasurementMismatch):
    check = "mr_signer"
    message = "mr_signer is not the one enclave_info lists for the expected service"


class PeerNotAllowed(AttestationError):
    check = "inbound list"
    message = "the peer is an attested service that this endpoint does not accept"


class StaleReport(AttestationError):
    check = "freshness"
    message = "the attestation report is too old"


class ReportFromFuture(AttestationError):
    check = "freshness"
    message = "the attestation report's timestamp is in the future"


class EnclaveInfoError(AttestationError):
    check = "enclave_info"
    message = "enclave_info is invalid"


class EnclaveInfoSignatureInvalid(EnclaveInfoError):
    check = "auditor signature"
    message = "an auditor signature on enclave_info does not verify"


class AttestationServiceError(AttestationError):
    check = "attestation service"
    message = "the attestation service refused or could not be reached"
