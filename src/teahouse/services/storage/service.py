"""The storage service's domain: a :class:`~teahouse.kv.KeyValueStore` over the sealed database.

Every operation runs on one dedicated thread, in the order requests arrived; a write returns
only after SQLite has committed it durably.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from teahouse.crypto.sealing import SealedDataError, Sealer
from teahouse.errors import ServiceError
from teahouse.kv import WriteBatch
from teahouse.services.storage.backend import SqliteBackend

T = TypeVar("T")


class StorageFailure(ServiceError):
    """Teaclave reports every storage failure as INTERNAL "invalid response" (spec/wire.md §2.6)."""

    message = "invalid response"


class StorageService:
    def __init__(self, path: Path, sealing_key: bytes) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage-db")
        self._backend = self._executor.submit(SqliteBackend, path, Sealer(sealing_key)).result()

    async def _run(self, fn: Callable[[SqliteBackend], T]) -> T:
        future = self._executor.submit(fn, self._backend)
        try:
            return await asyncio.wrap_future(future)
        except SealedDataError as exc:
            raise StorageFailure(f"invalid response: {exc}") from None

    async def get(self, key: bytes) -> bytes | None:
        return await self._run(lambda b: b.get(key))

    async def put(self, key: bytes, value: bytes) -> None:
        await self.commit(WriteBatch().put(key, value))

    async def delete(self, key: bytes) -> None:
        await self.commit(WriteBatch().delete(key))

    async def keys_with_prefix(self, prefix: bytes) -> list[bytes]:
        return await self._run(lambda b: b.keys_with_prefix(prefix))

    async def enqueue(self, queue: bytes, value: bytes) -> None:
        await self.commit(WriteBatch().enqueue(queue, value))

    async def dequeue(self, queue: bytes) -> bytes | None:
        return await self._run(lambda b: b.dequeue(queue))

    async def commit(self, batch: WriteBatch) -> None:
        await self._run(lambda b: b.commit(batch))

    def close(self) -> None:
        self._executor.submit(self._backend.close).result()
        self._executor.shutdown()
