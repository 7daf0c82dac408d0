"""Obtaining a signed report for a quote from the attestation service (spec/wire.md §4.7)."""

from __future__ import annotations

import base64
import binascii
import json
import ssl
import time
import urllib.error
import urllib.request
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from teahouse.attestation.errors import AttestationServiceError
from teahouse.attestation.http_api import REPORT_PATH
from teahouse.attestation.report import Evidence


class AttestationServiceClient:
    """Talks HTTPS to the attestation service, trusting only the deployment's attestation root."""

    def __init__(self, url: str, as_root: x509.Certificate, *, timeout: float = 10.0) -> None:
        self._url = url.rstrip("/") + REPORT_PATH
        self._timeout = timeout
        self._tls = ssl.create_default_context(
            cadata=as_root.public_bytes(serialization.Encoding.PEM).decode()
        )
        self._tls.check_hostname = False  # the root is private to this deployment; the chain is checked

    def obtain_evidence(self, quote: bytes, *, wait: float = 30.0) -> Evidence:
        """Send ``quote``; return the report, signature and chain. Retries while the service starts."""
        body = json.dumps({"isvEnclaveQuote": base64.b64encode(quote).decode()}).encode()
        deadline = time.monotonic() + wait
        delay = 0.05
        while True:
            request = urllib.request.Request(
                self._url, data=body, method="POST", headers={"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=self._timeout, context=self._tls) as response:
                    return self._evidence(response.read(), response.headers)
            except urllib.error.HTTPError as exc:
                detail = exc.read().decode(errors="replace")[:200]
                raise AttestationServiceError(
                    f"the attestation service refused the quote: HTTP {exc.code} {detail}"
                ) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                if time.monotonic() + delay > deadline:
                    raise AttestationServiceError(
                        f"the attestation service at {self._url} cannot be reached: {exc}"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    @staticmethod
    def _evidence(report: bytes, headers: object) -> Evidence:
        get = getattr(headers, "get", None)
        signature_b64 = get("X-IASReport-Signature") if get else None
        chain_text = get("X-IASReport-Signing-Certificate") if get else None
        if not report or not signature_b64 or not chain_text:
            raise AttestationServiceError("the attestation service's answer lacks the report or its headers")
        try:
            signature = base64.b64decode(signature_b64, validate=True)
            chain = x509.load_pem_x509_certificates(unquote(chain_text).encode())
        except (binascii.Error, ValueError) as exc:
            raise AttestationServiceError(f"the attestation service's headers are malformed: {exc}") from None
        return Evidence(
            report=report,
            signature=signature,
            certs=tuple(c.public_bytes(serialization.Encoding.DER) for c in chain),
        )
