"""Attested gRPC servers: one-way attestation on api endpoints, mutual on internal endpoints."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Sequence

from grpclib.server import Server
from OpenSSL import SSL

from teahouse.attestation.identity import IdentityHolder, RaTlsIdentity
from teahouse.attestation.verify import VerifiedPeer, Verifier
from teahouse.rpc._adapter import TLSServerAdapter
from teahouse.rpc.tls import server_context

log = logging.getLogger(__name__)


class AttestedServer:
    """Serves ``handlers`` over RA-TLS.

    With ``inbound`` (an internal endpoint) every client must present an RA-TLS certificate
    that verifies as one of the named services; without it (an api endpoint) no client
    certificate is requested and callers authenticate by other means.
    """

    def __init__(
        self,
        handlers: Sequence[object],
        identity: IdentityHolder,
        *,
        name: str,
        verifier: Verifier | None = None,
        inbound: Collection[str] | None = None,
    ) -> None:
        if inbound is not None and verifier is None:
            raise ValueError("an internal endpoint needs a verifier for its clients")
        self.name = name
        self._grpc = Server(list(handlers))  # type: ignore[arg-type]
        self._identity = identity
        self._verifier = verifier
        self._inbound = frozenset(inbound) if inbound is not None else None
        self._context_for: tuple[RaTlsIdentity, SSL.Context] | None = None
        self._server: asyncio.Server | None = None

    @property
    def mutual(self) -> bool:
        return self._inbound is not None

    def _context(self) -> SSL.Context:
        current = self._identity.current
        if self._context_for is None or self._context_for[0] is not current:
            ctx = server_context(current, request_client_certificate=self.mutual)
            self._context_for = (current, ctx)
        return self._context_for[1]

    def _verify_client(self, der: bytes | None) -> VerifiedPeer | None:
        if self._inbound is None:
            return None
        assert self._verifier is not None
        return self._verifier.verify_der(der, self._inbound)

    async def start(self, host: str, port: int) -> None:
        loop = asyncio.get_running_loop()
        inner = self._grpc._protocol_factory
        self._server = await loop.create_server(
            lambda: TLSServerAdapter(self._context, inner, self._verify_client, self.name),
            host,
            port,
            reuse_address=True,
        )
        # Let grpclib manage its handlers' shutdown as if it had started the listener itself.
        self._grpc._server = self._server
        self._grpc._server_closed_fut = loop.create_future()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def close(self) -> None:
        if self._server is not None:
            self._grpc.close()

    async def wait_closed(self) -> None:
        if self._server is not None:
            await self._grpc.wait_closed()
