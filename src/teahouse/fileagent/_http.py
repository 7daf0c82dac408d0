"""Blocking HTTP(S) GET and PUT over ``http.client``, streamed in chunks (run in a worker thread).

Every failure becomes a ``TransferFailed`` that says whether retrying could help; local file
errors are left alone so that a full disk is never mistaken for a network problem.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import SplitResult, urljoin, urlsplit

from teahouse.fileagent._errors import (
    HTTPStatusError,
    InvalidURL,
    NetworkError,
    TransferFailed,
    TransferTimeout,
)
from teahouse.fileagent._urls import redact

CHUNK = 1 << 20
PUT_OK = frozenset({200, 201, 204})  # Teaclave accepts only 200
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_USER_AGENT = "teahouse-fileagent"


@dataclass(frozen=True)
class HTTPSettings:
    connect_timeout: float
    read_timeout: float
    ssl_context: ssl.SSLContext
    max_redirects: int


def is_transient_status(status: int) -> bool:
    return status in (408, 425, 429) or (500 <= status < 600 and status not in (501, 505))


@contextlib.contextmanager
def _network(url: str, doing: str, timeout: float) -> Iterator[None]:
    """Translate exceptions of the network calls in the block into ``TransferFailed``."""
    try:
        yield
    except TransferFailed:
        raise
    except TimeoutError:
        raise TransferTimeout(url, f"timed out after {timeout:g} s {doing}", transient=True) from None
    except ssl.SSLCertVerificationError as e:
        raise NetworkError(
            url, f"TLS certificate verification failed: {e.verify_message}", transient=False
        ) from e
    except ssl.SSLError as e:
        raise NetworkError(url, f"TLS error {doing}: {e.reason or e}", transient=False) from e
    except socket.gaierror as e:
        transient = e.errno == socket.EAI_AGAIN
        raise NetworkError(url, f"cannot resolve host: {e.strerror}", transient=transient) from e
    except ConnectionRefusedError:
        raise NetworkError(url, "connection refused", transient=True) from None
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        raise NetworkError(url, f"connection reset {doing}", transient=True) from None
    except http.client.RemoteDisconnected:
        raise NetworkError(url, "server closed the connection without a response", transient=True) from None
    except http.client.IncompleteRead as e:
        got = len(e.partial)
        raise NetworkError(
            url, f"connection closed before the body was complete ({got} bytes of a chunk)", transient=True
        ) from None
    except http.client.HTTPException as e:
        raise NetworkError(url, f"invalid HTTP response ({type(e).__name__})", transient=False) from e
    except OSError as e:
        raise NetworkError(url, f"network error {doing}: {e.strerror or e}", transient=True) from e


def _connect(parts: SplitResult, shown: str, settings: HTTPSettings) -> http.client.HTTPConnection:
    host, port = parts.hostname or "", parts.port
    conn: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=settings.connect_timeout, context=settings.ssl_context, blocksize=CHUNK
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=settings.connect_timeout, blocksize=CHUNK)
    with _network(shown, "connecting", settings.connect_timeout):
        conn.connect()
    assert conn.sock is not None
    conn.sock.settimeout(settings.read_timeout)
    return conn


def _target(parts: SplitResult) -> str:
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def get(url: str, dest: BinaryIO, settings: HTTPSettings) -> None:
    """GET ``url`` into ``dest``, following redirects; the status must be 200."""
    shown = redact(url)
    current = url
    for _ in range(settings.max_redirects + 1):
        parts = urlsplit(current)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise InvalidURL(shown, f"redirected to an unusable URL {redact(current)}")
        conn = _connect(parts, shown, settings)
        try:
            with _network(shown, "waiting for the response", settings.read_timeout):
                conn.request("GET", _target(parts), headers={"User-Agent": _USER_AGENT})
                response = conn.getresponse()
            if response.status in _REDIRECTS and response.getheader("Location"):
                current = urljoin(current, response.getheader("Location", ""))
                continue
            if response.status != 200:
                raise HTTPStatusError(
                    shown,
                    "GET",
                    response.status,
                    response.reason,
                    transient=is_transient_status(response.status),
                )
            while True:
                with _network(shown, "reading the body", settings.read_timeout):
                    data = response.read(CHUNK)
                if not data:
                    return
                dest.write(data)
        finally:
            conn.close()
    raise TransferFailed(shown, f"more than {settings.max_redirects} redirects", transient=False)


def put(src: Path, url: str, settings: HTTPSettings) -> None:
    """PUT the file ``src`` to ``url`` as ``application/x-binary``; success is 200, 201 or 204."""
    shown = redact(url)
    parts = urlsplit(url)
    with open(src, "rb") as f:
        size = f.seek(0, 2)
        f.seek(0)
        conn = _connect(parts, shown, settings)
        try:
            try:
                with _network(shown, "sending the request", settings.read_timeout):
                    conn.putrequest("PUT", _target(parts), skip_accept_encoding=True)
                    conn.putheader("User-Agent", _USER_AGENT)
                    conn.putheader("Content-Type", "application/x-binary")
                    conn.putheader("Content-Length", str(size))
                    conn.endheaders()
                    while chunk := f.read(CHUNK):
                        conn.send(chunk)
            except NetworkError:
                # A server may refuse early (403, 413) and close; its answer beats the broken pipe.
                response = _early_response(conn)
                if response is None:
                    raise
            else:
                with _network(shown, "waiting for the response", settings.read_timeout):
                    response = conn.getresponse()
                    response.read(CHUNK)
            if response.status not in PUT_OK:
                raise HTTPStatusError(
                    shown,
                    "PUT",
                    response.status,
                    response.reason,
                    transient=is_transient_status(response.status),
                )
        finally:
            conn.close()


def _early_response(conn: http.client.HTTPConnection) -> http.client.HTTPResponse | None:
    try:
        return conn.getresponse()
    except (OSError, http.client.HTTPException):
        return None
