"""Attestation reports in the IAS format (spec/wire.md §4.2) and the evidence that carries them."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from teahouse.attestation.errors import MalformedEvidence, MalformedReport, UnsupportedReportVersion

REPORT_VERSION = 4

#: Every status the IAS/DCAP services can return (spec/wire.md §4.2).
KNOWN_QUOTE_STATUSES = frozenset(
    {
        "OK",
        "SIGNATURE_INVALID",
        "GROUP_REVOKED",
        "SIGNATURE_REVOKED",
        "KEY_REVOKED",
        "SIGRL_VERSION_MISMATCH",
        "GROUP_OUT_OF_DATE",
        "OUT_OF_DATE",
        "OUT_OF_DATE_CONFIGURATION_NEEDED",
        "CONFIGURATION_NEEDED",
        "SW_HARDENING_NEEDED",
        "CONFIGURATION_AND_SW_HARDENING_NEEDED",
        "UNSPECIFIED",
    }
)


def format_timestamp(when: datetime) -> str:
    """IAS form: UTC without a zone, six fractional digits."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def parse_timestamp(text: str) -> datetime:
    """Accept IAS (6 digits) and DCAP reference AS (up to 9 digits) timestamps, UTC."""
    head, dot, frac = text.partition(".")
    try:
        base = datetime.strptime(head, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        raise MalformedReport(f"report timestamp {text!r} does not parse") from None
    if dot:
        if not frac.isdigit():
            raise MalformedReport(f"report timestamp {text!r} does not parse")
        base = base.replace(microsecond=int(frac[:6].ljust(6, "0")))
    return base


@dataclass(frozen=True)
class AttestationReport:
    """The parsed JSON body of a report."""

    id: str
    timestamp: datetime
    version: int
    quote_status: str
    quote_body: bytes
    simulated: bool

    @classmethod
    def parse(cls, body: bytes) -> AttestationReport:
        try:
            doc = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise MalformedReport(f"attestation report is not JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise MalformedReport("attestation report is not a JSON object")
        version = doc.get("version")
        if version != REPORT_VERSION:
            raise UnsupportedReportVersion(f"attestation report version is {version!r}, expected 4")
        for key in ("timestamp", "isvEnclaveQuoteStatus", "isvEnclaveQuoteBody"):
            if not isinstance(doc.get(key), str):
                raise MalformedReport(f"attestation report has no string field {key!r}")
        try:
            quote_body = base64.b64decode(doc["isvEnclaveQuoteBody"], validate=True)
        except binascii.Error:
            raise MalformedReport("isvEnclaveQuoteBody is not base64") from None
        return cls(
            id=str(doc.get("id", "")),
            timestamp=parse_timestamp(doc["timestamp"]),
            version=version,
            quote_status=doc["isvEnclaveQuoteStatus"],
            quote_body=quote_body,
            simulated=bool(doc.get("teahouseSimulation", False)),
        )


def render_report(
    *, report_id: str, timestamp: datetime, quote_status: str, quote_body: bytes, simulated: bool
) -> bytes:
    doc: dict[str, Any] = {
        "id": report_id,
        "timestamp": format_timestamp(timestamp),
        "version": REPORT_VERSION,
        "isvEnclaveQuoteStatus": quote_status,
        "isvEnclaveQuoteBody": base64.b64encode(quote_body).decode(),
    }
    if simulated:
        doc["teahouseSimulation"] = True
    return json.dumps(doc, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Evidence:
    """What the RA-TLS extension holds: the report bytes, its signature and the signing chain."""

    report: bytes
    signature: bytes
    certs: tuple[bytes, ...]

    def to_extension_value(self) -> bytes:
        return json.dumps(
            {
                "report": list(self.report),
                "signature": list(self.signature),
                "certs": [list(c) for c in self.certs],
            },
            separators=(",", ":"),
        ).encode()

    @classmethod
    def from_extension_value(cls, value: bytes) -> Evidence:
        try:
            doc = json.loads(value)
            report = bytes(doc["report"])
            signature = bytes(doc["signature"])
            certs = tuple(bytes(c) for c in doc["certs"])
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise MalformedEvidence(f"attestation extension is malformed: {exc!r}") from None
        if not report or not signature or not certs:
            raise MalformedEvidence("attestation extension is empty (a Teaclave simulation build?)")
        return cls(report, signature, certs)
