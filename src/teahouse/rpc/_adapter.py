"""TLS in memory-BIO mode under grpclib's HTTP/2 protocol (server side).

The stdlib ``ssl`` module cannot request a client certificate and accept one it does not know
(there is no verify callback), so attested servers terminate TLS with pyOpenSSL: the verify
callback accepts any chain, and once the handshake is done the peer's RA-TLS evidence is checked
in code. Only then does grpclib's ``H2Protocol`` see the connection, through a small transport
that encrypts what it writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
from OpenSSL import SSL

from teahouse.attestation.errors import AttestationError
from teahouse.attestation.verify import VerifiedPeer

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT_S = 10.0
_CHUNK = 1 << 16


class _PeerCertificate:
    """What grpclib (and our handlers) ask of ``get_extra_info('ssl_object')``."""

    def __init__(self, der: bytes | None) -> None:
        self._der = der

    def getpeercert(self, binary_form: bool = False) -> Any:
        return self._der if binary_form else {}


class _TLSTransport(asyncio.Transport):
    """The transport grpclib writes to: plaintext in, TLS records out."""

    def __init__(self, adapter: TLSServerAdapter, peer: VerifiedPeer | None, peer_der: bytes | None) -> None:
        super().__init__()
        self._adapter = adapter
        self._extra = {
            "ssl_object": _PeerCertificate(peer_der),
            "teahouse_peer": peer,
        }

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        if name in self._extra:
            return self._extra[name]
        return self._adapter.transport.get_extra_info(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._adapter.send_plaintext(bytes(data))

    def writelines(self, list_of_data: Any) -> None:
        self.write(b"".join(list_of_data))

    def can_write_eof(self) -> bool:
        return False

    def is_closing(self) -> bool:
        return self._adapter.transport.is_closing()

    def close(self) -> None:
        self._adapter.close()

    def abort(self) -> None:
        self._adapter.transport.abort()

    def pause_reading(self) -> None:
        self._adapter.transport.pause_reading()  # type: ignore[attr-defined]

    def resume_reading(self) -> None:
        self._adapter.transport.resume_reading()  # type: ignore[attr-defined]

    def get_write_buffer_size(self) -> int:
        return self._adapter.transport.get_write_buffer_size()  # type: ignore[attr-defined, no-any-return]

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._adapter.transport.set_write_buffer_limits(high, low)  # type: ignore[attr-defined]


class TLSServerAdapter(asyncio.Protocol):
    """One accepted connection: TLS handshake, peer verification, then HTTP/2."""

    def __init__(
        self,
        context: Callable[[], SSL.Context],
        inner: Callable[[], asyncio.Protocol],
        verify_peer: Callable[[bytes | None], VerifiedPeer | None],
        endpoint: str,
    ) -> None:
        self._context = context
        self._inner_factory = inner
        self._verify_peer = verify_peer
        self._endpoint = endpoint
        self._inner: asyncio.Protocol | None = None
        self._timer: asyncio.TimerHandle | None = None
        self.transport: asyncio.Transport

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._conn = SSL.Connection(self._context(), None)
        self._conn.set_accept_state()
        self._timer = asyncio.get_running_loop().call_later(HANDSHAKE_TIMEOUT_S, self._handshake_timeout)

    def _handshake_timeout(self) -> None:
        if self._inner is None:
            log.info("%s: TLS handshake with %s timed out", self._endpoint, self._peername())
            self.transport.abort()

    def _peername(self) -> str:
        peer = self.transport.get_extra_info("peername")
        return f"{peer[0]}:{peer[1]}" if peer else "?"

    def data_received(self, data: bytes) -> None:
        try:
            self._conn.bio_write(data)
        except SSL.Error:
            self.transport.abort()
            return
        if self._inner is None and not self._handshake():
            return
        self._pump()

    def _handshake(self) -> bool:
        try:
            self._conn.do_handshake()
        except SSL.WantReadError:
            self._flush()
            return False
        except SSL.Error as exc:
            log.info("%s: TLS handshake with %s failed: %s", self._endpoint, self._peername(), exc)
            self._flush()
            self.transport.close()
            return False
        self._flush()
        if self._timer is not None:
            self._timer.cancel()
        cert = self._conn.get_peer_certificate(as_cryptography=True)
        der = cert.public_bytes(Encoding.DER) if cert is not None else None
        try:
            peer = self._verify_peer(der)
        except AttestationError as exc:
            log.warning(
                "%s: refused %s: %s check failed: %s",
                self._endpoint,
                self._peername(),
                exc.check,
                exc.message,
            )
            self.transport.close()
            return False
        self._inner = self._inner_factory()
        self._inner.connection_made(_TLSTransport(self, peer, der))
        return True

    def _pump(self) -> None:
        assert self._inner is not None
        while True:
            try:
                data = self._conn.recv(_CHUNK)
            except SSL.WantReadError:
                break
            except SSL.ZeroReturnError:
                self.transport.close()
                break
            except SSL.Error:
                self.transport.abort()
                break
            if not data:
                break
            self._inner.data_received(data)
        self._flush()

    def _flush(self) -> None:
        chunks = []
        while True:
            try:
                chunk = self._conn.bio_read(_CHUNK)
            except SSL.WantReadError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        if chunks and not self.transport.is_closing():
            self.transport.write(b"".join(chunks))

    def send_plaintext(self, data: bytes) -> None:
        if self.transport.is_closing():
            return
        try:
            self._conn.sendall(data)
        except SSL.Error:
            self.transport.abort()
            return
        self._flush()

    def close(self) -> None:
        if self.transport.is_closing():
            return
        with contextlib.suppress(SSL.Error):
            self._conn.shutdown()
        self._flush()
        self.transport.close()

    def pause_writing(self) -> None:
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner is not None:
            self._inner.resume_writing()

    def eof_received(self) -> bool:
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._inner is not None:
            self._inner.connection_lost(exc)
