"""The I/O shell shared by all clients: an attested channel, one call, closing; and the sync facade."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, ClassVar, TypeVar
from urllib.parse import urlsplit

from grpclib.client import Channel

from teahouse.attestation.verify import VerifiedPeer
from teahouse.rpc.channel import AttestedChannel
from teahouse.sdk._call import Call, metadata
from teahouse.sdk._errors import translate
from teahouse.sdk._loop import LoopThread
from teahouse.sdk._trust import PeerInfo, Trust
from teahouse.sdk._types import Credentials

log = logging.getLogger("teahouse.sdk")

T = TypeVar("T")
#: ``"host:port"``, ``"https://host:port"`` or ``(host, port)`` as Teaclave's SDK takes it.
Address = str | tuple[str, int]

SIMULATION_WARNING = "connected to a SIMULATED Teahouse platform: no hardware protection"
_CLOSE_WAIT_S = 1.0


def parse_address(address: Address) -> tuple[str, int]:
    if isinstance(address, tuple):
        host, port = address
    else:
        text = address.strip()
        if "://" in text:
            text = urlsplit(text).netloc
        host, sep, port_text = text.rpartition(":")
        if not sep or not port_text.isdigit():
            raise ValueError(f"address {address!r} is not host:port")
        port = int(port_text)
    host = str(host).strip("[]")
    if not host or not 0 < int(port) < 65536:
        raise ValueError(f"address {address!r} is not host:port")
    return host, int(port)


class AsyncClientBase:
    """An attested channel to one service, opened on first use and verified before any request.

    ``timeout`` bounds each call; ``connect_timeout`` is how long (re)connecting keeps retrying
    while the service is not up yet. Attestation failures are never retried.
    """

    _service: ClassVar[str]

    def __init__(
        self, address: Address, trust: Trust, *, timeout: float = 30.0, connect_timeout: float = 10.0
    ) -> None:
        self._host, self._port = parse_address(address)
        if not isinstance(trust, Trust):
            raise TypeError("trust must be a teahouse.sdk.Trust (see Trust.load)")
        if not (timeout > 0 and connect_timeout > 0):
            raise ValueError("timeout and connect_timeout must be positive numbers of seconds")
        self._trust = trust
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._channel: Channel | None = None
        self._stub: Any = None
        self._seen: VerifiedPeer | None = None
        self._peer: PeerInfo | None = None
        self._closed = False

    @property
    def address(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"{host}:{self._port}"

    @property
    def peer(self) -> PeerInfo | None:
        """What attestation established about the server; ``None`` before the first connection."""
        return self._peer

    @property
    def simulated(self) -> bool:
        return self._trust.simulated or (self._peer is not None and self._peer.simulated)

    def _describe(self) -> str:
        return f"{self.address!r}"

    def __repr__(self) -> str:
        label = ", simulated" if self.simulated else ""
        return f"{type(self).__name__}({self._describe()}{label})"

    def _make_stub(self, channel: Channel) -> Any:
        raise NotImplementedError

    def _use_channel(self, channel: Channel) -> None:
        """Talk over ``channel``; tests pass grpclib's in-memory ``ChannelFor`` channel here."""
        self._channel = channel
        self._stub = self._make_stub(channel)

    def _open(self) -> Channel:
        if self._closed:
            raise RuntimeError(f"{type(self).__name__} is closed")
        if self._channel is None:
            channel = AttestedChannel(
                self._host,
                self._port,
                verifier=self._trust.verifier,
                accept={self._service},
                connect_timeout=min(5.0, self._connect_timeout),
                retry_for=self._connect_timeout,
            )
            self._use_channel(channel)
        assert self._channel is not None
        return self._channel

    async def connect(self) -> PeerInfo | None:
        """Connect and verify the server now (otherwise the first call does); return the peer."""
        await self._guard(self._connected())
        return self._peer

    async def _connected(self) -> Any:
        channel = self._open()
        await channel.__connect__()
        self._note_peer(getattr(channel, "peer", None))
        return self._stub

    def _note_peer(self, peer: VerifiedPeer | None) -> None:
        if peer is None or peer is self._seen:
            return
        first = self._seen is None
        self._seen = peer
        self._peer = PeerInfo.of(peer)
        if first and peer.simulated:
            log.warning("%s (%s at %s)", SIMULATION_WARNING, self._service, self.address)

    async def _guard(self, coro: Coroutine[Any, Any, T]) -> T:
        try:
            return await coro
        except Exception as exc:
            err = translate(exc, self.address)
            if err is None or err is exc:
                raise
            raise err from exc

    async def _perform(self, call: Call[T], credentials: Credentials | None = None) -> T:
        md = metadata(credentials) if call.authenticated else None

        async def run() -> Any:
            stub = await self._connected()
            return await getattr(stub, call.method)(call.request, metadata=md, timeout=self._timeout)

        return call.parse(await self._guard(run()))

    async def aclose(self) -> None:
        """Close the connection (idempotent)."""
        self._closed = True
        channel, self._channel = self._channel, None
        if channel is not None:
            await close_channel(channel)

    async def __aenter__(self: _Self) -> _Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


_Self = TypeVar("_Self", bound=AsyncClientBase)
_SyncSelf = TypeVar("_SyncSelf", bound="SyncClientBase")


async def close_channel(channel: Channel) -> None:
    """Close ``channel`` and wait (briefly) until its socket is really closed.

    grpclib's ``close`` only starts the TLS shutdown; a loop stopped right after it would leave
    the socket open. After :data:`_CLOSE_WAIT_S` the connection is aborted instead.
    """
    protocol = getattr(channel, "_protocol", None)
    transport = getattr(getattr(protocol, "connection", None), "_transport", None)
    sock = transport.get_extra_info("socket") if transport is not None else None
    channel.close()
    if transport is None or sock is None:
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _CLOSE_WAIT_S
    while sock.fileno() != -1 and loop.time() < deadline:
        await asyncio.sleep(0.005)
    if sock.fileno() != -1:
        transport.abort()
        await asyncio.sleep(0)


class SyncClientBase:
    """Runs an async client on a private event loop in a background thread; calls are thread-safe."""

    def __init__(self, client: AsyncClientBase) -> None:
        self._async = client
        self._runner = LoopThread(f"teahouse-sdk-{type(self).__name__}")

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self._runner.run(coro)

    @property
    def address(self) -> str:
        return self._async.address

    @property
    def peer(self) -> PeerInfo | None:
        return self._async.peer

    @property
    def simulated(self) -> bool:
        return self._async.simulated

    def connect(self) -> PeerInfo | None:
        """Connect and verify the server now (otherwise the first call does); return the peer."""
        return self._run(self._async.connect())

    def close(self) -> None:
        """Close the connection and stop the background loop (idempotent)."""
        if self._runner.closed:
            return
        try:
            self._run(self._async.aclose())
        finally:
            self._runner.close()

    def __repr__(self) -> str:
        label = ", simulated" if self.simulated else ""
        return f"{type(self).__name__}({self._async._describe()}{label})"

    def __enter__(self: _SyncSelf) -> _SyncSelf:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
