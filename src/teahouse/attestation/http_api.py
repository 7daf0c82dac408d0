"""The attestation service's HTTP API, in the shape of Intel's IAS (spec/wire.md §4.7).

``POST /sgx/dev/attestation/v4/report`` with ``{"isvEnclaveQuote": "<base64>"}`` answers 200 with
the report JSON as body and the headers ``X-IASReport-Signature`` (base64) and
``X-IASReport-Signing-Certificate`` (percent-encoded PEM chain, signing certificate first).
``GET /health`` answers 200 when the service is up.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import ssl
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

from teahouse.attestation.authority import AttestationAuthority, QuoteRejected

REPORT_PATH = "/sgx/dev/attestation/v4/report"
_MAX_BODY = 1 << 20

log = logging.getLogger(__name__)


def _make_handler(authority: AttestationAuthority) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "teahouse-attestation"

        def log_message(self, format: str, *args: object) -> None:
            log.debug("%s " + format, self.address_string(), *args)

        def _reply(self, status: HTTPStatus, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        def _error(self, status: HTTPStatus, reason: str) -> None:
            self._reply(status, json.dumps({"error": reason}).encode())

        def do_GET(self) -> None:
            if self.path == "/health":
                self._reply(HTTPStatus.OK, b'{"status":"ok"}')
            else:
                self._error(HTTPStatus.NOT_FOUND, f"no such path {self.path}")

        def do_POST(self) -> None:
            if self.path != REPORT_PATH:
                self._error(HTTPStatus.NOT_FOUND, f"no such path {self.path}")
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._error(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
                return
            if not 0 < length <= _MAX_BODY:
                self._error(HTTPStatus.BAD_REQUEST, "body too large or empty")
                return
            try:
                doc = json.loads(self.rfile.read(length))
                quote_bytes = base64.b64decode(doc["isvEnclaveQuote"], validate=True)
            except (ValueError, KeyError, TypeError, binascii.Error):
                self._error(HTTPStatus.BAD_REQUEST, 'expected {"isvEnclaveQuote": <base64>}')
                return
            try:
                signed = authority.attest(quote_bytes)
            except QuoteRejected as exc:
                log.warning("quote rejected: %s", exc)
                self._error(HTTPStatus.BAD_REQUEST, f"quote rejected: {exc}")
                return
            self._reply(
                HTTPStatus.OK,
                signed.body,
                {
                    "X-IASReport-Signature": base64.b64encode(signed.signature).decode(),
                    "X-IASReport-Signing-Certificate": quote(signed.chain_pem().decode(), safe=""),
                },
            )

    return Handler


class _TLSServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext):
        self._tls = tls
        super().__init__(address, handler)

    def finish_request(self, request, client_address):  # type: ignore[no-untyped-def]
        # The TLS handshake runs in the request's thread, so a slow client cannot block accept().
        try:
            tls_sock = self._tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log.debug("TLS handshake with %s failed: %s", client_address, exc)
            return
        super().finish_request(tls_sock, client_address)


class AttestationHTTPServer:
    """The attestation service's HTTPS endpoint, served from background threads."""

    def __init__(self, authority: AttestationAuthority, host: str, port: int, tls: ssl.SSLContext) -> None:
        self._server = _TLSServer((host, port), _make_handler(authority), tls)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="attestation-http", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
