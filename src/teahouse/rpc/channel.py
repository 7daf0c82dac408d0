"""Attested channels: verify the server's RA-TLS evidence before the first request.

A channel reuses its HTTP/2 connection; when it has to (re)connect it retries with backoff for
a while if the peer is not up yet, and verifies the new connection's evidence every time.
Attestation failures are never retried: they fail closed.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Collection

from grpclib.client import Channel
from grpclib.protocol import H2Protocol

from teahouse.attestation.identity import IdentityHolder, RaTlsIdentity
from teahouse.attestation.verify import VerifiedPeer, Verifier
from teahouse.errors import Unavailable
from teahouse.rpc.tls import client_context

log = logging.getLogger(__name__)


class AttestedChannel(Channel):
    def __init__(
        self,
        host: str,
        port: int,
        *,
        verifier: Verifier,
        accept: Collection[str],
        identity: IdentityHolder | None = None,
        connect_timeout: float = 5.0,
        retry_for: float = 30.0,
    ) -> None:
        self._verifier = verifier
        self._accept = frozenset(accept)
        self._identity = identity
        self._ctx_for: tuple[RaTlsIdentity | None, ssl.SSLContext] | None = None
        self._connect_timeout = connect_timeout
        self._retry_for = retry_for
        self.peer: VerifiedPeer | None = None
        super().__init__(host, port, ssl=self._client_context())

    def _client_context(self) -> ssl.SSLContext:
        current = self._identity.current if self._identity is not None else None
        if self._ctx_for is None or self._ctx_for[0] is not current:
            self._ctx_for = (current, client_context(current))
        return self._ctx_for[1]

    async def _create_connection(self) -> H2Protocol:
        deadline = time.monotonic() + self._retry_for
        delay = 0.05
        while True:
            self._ssl = self._client_context()
            try:
                protocol = await asyncio.wait_for(super()._create_connection(), self._connect_timeout)
            except (OSError, TimeoutError, ssl.SSLError) as exc:
                if time.monotonic() + delay > deadline:
                    raise Unavailable(f"cannot reach {self._host}:{self._port}: {exc}") from None
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            transport = protocol.connection._transport
            ssl_object = transport.get_extra_info("ssl_object")
            der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
            try:
                self.peer = self._verifier.verify_der(der, self._accept)
            except Exception:
                transport.close()
                raise
            return protocol
