"""A client of ``teahouse storage serve``: the storage service as a secure key-value database.

One-way attestation: the server must verify as ``storage``; the client presents no certificate.
Missing keys and empty queues read as ``None`` (the service's Lookup/TryDequeue additions).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from grpclib.client import Channel

from teahouse.sdk._connection import Address, AsyncClientBase, SyncClientBase
from teahouse.sdk._trust import Trust
from teahouse.services.storage.client import StorageClient

T = TypeVar("T")
Key = bytes | str


def _bytes(value: Key) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


class AsyncStorageKV(AsyncClientBase):
    _service = "storage"

    def __init__(
        self, address: Address, trust: Trust, *, timeout: float = 30.0, connect_timeout: float = 10.0
    ) -> None:
        super().__init__(address, trust, timeout=timeout, connect_timeout=connect_timeout)

    def _make_stub(self, channel: Channel) -> StorageClient:
        return StorageClient(channel, timeout=self._timeout)

    async def _with(self, operation: Callable[[StorageClient], Awaitable[T]]) -> T:
        async def run() -> T:
            return await operation(await self._connected())

        return await self._guard(run())

    async def get(self, key: Key) -> bytes | None:
        """The value of ``key``, or ``None`` if it is not set."""
        return await self._with(lambda kv: kv.get(_bytes(key)))

    async def put(self, key: Key, value: bytes) -> None:
        await self._with(lambda kv: kv.put(_bytes(key), bytes(value)))

    async def delete(self, key: Key) -> None:
        """Remove ``key`` (nothing happens if it is not set)."""
        await self._with(lambda kv: kv.delete(_bytes(key)))

    async def keys_with_prefix(self, prefix: Key) -> list[bytes]:
        """The keys ``<prefix>-…``, sorted: Teaclave's GetKeysByPrefix scans ``[prefix-, prefix.)``."""
        wanted = _bytes(prefix)
        keys = await self._with(lambda kv: kv.keys_with_prefix(wanted))
        # Teaclave's storage could return one key without the prefix; never pass that on.
        return [k for k in keys if k.startswith(wanted)]

    async def enqueue(self, queue: Key, value: bytes) -> None:
        await self._with(lambda kv: kv.enqueue(_bytes(queue), bytes(value)))

    async def dequeue(self, queue: Key) -> bytes | None:
        """The oldest value of ``queue``, removed from it; ``None`` if the queue is empty."""
        return await self._with(lambda kv: kv.dequeue(_bytes(queue)))


class StorageKV(SyncClientBase):
    """The blocking twin of :class:`AsyncStorageKV`."""

    _async: AsyncStorageKV

    def __init__(
        self, address: Address, trust: Trust, *, timeout: float = 30.0, connect_timeout: float = 10.0
    ) -> None:
        super().__init__(AsyncStorageKV(address, trust, timeout=timeout, connect_timeout=connect_timeout))

    def get(self, key: Key) -> bytes | None:
        """The value of ``key``, or ``None`` if it is not set."""
        return self._run(self._async.get(key))

    def put(self, key: Key, value: bytes) -> None:
        self._run(self._async.put(key, value))

    def delete(self, key: Key) -> None:
        """Remove ``key`` (nothing happens if it is not set)."""
        self._run(self._async.delete(key))

    def keys_with_prefix(self, prefix: Key) -> list[bytes]:
        """The keys ``<prefix>-…``, sorted: Teaclave's GetKeysByPrefix scans ``[prefix-, prefix.)``."""
        return self._run(self._async.keys_with_prefix(prefix))

    def enqueue(self, queue: Key, value: bytes) -> None:
        self._run(self._async.enqueue(queue, value))

    def dequeue(self, queue: Key) -> bytes | None:
        """The oldest value of ``queue``, removed from it; ``None`` if the queue is empty."""
        return self._run(self._async.dequeue(queue))
