"""The storage service's domain: a :class:`~teahouse.kv.KeyValueStore` over the sealed database.

Every operation runs on one dedicated thread, in the order requests arrived; a write returns
only after SQLite has committed it durably. ``wait_dequeue`` callers wait on the event loop and
are woken by the commit that enqueues to their queue (no polling).
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
from teahouse.services.storage.backend import SqliteBackend, SqliteReader

T = TypeVar("T")

#: Longest wait a ``wait_dequeue`` caller may ask for.
MAX_WAIT_S = 300.0


class StorageFailure(ServiceError):
    """Teaclave reports every storage failure as INTERNAL "invalid response" (spec/wire.md §2.6)."""

    message = "invalid response"


class StorageService:
    """Writes go, in order, through one worker thread; reads of committed data are served at once
    on the calling thread from a connection of their own (a point lookup takes microseconds, less
    than a hand-off to the worker)."""

    def __init__(self, path: Path, sealing_key: bytes) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage-db")
        sealer = Sealer(sealing_key)
        self._backend = self._executor.submit(SqliteBackend, path, sealer).result()
        self._reader = SqliteReader(path, sealer)
        self._enqueued: dict[bytes, asyncio.Event] = {}

    async def _run(self, fn: Callable[[SqliteBackend], T]) -> T:
        future = self._executor.submit(fn, self._backend)
        try:
            return await asyncio.wrap_future(future)
        except SealedDataError as exc:
            raise StorageFailure(f"invalid response: {exc}") from None

    async def get(self, key: bytes) -> bytes | None:
        try:
            return self._reader.get(key)
        except SealedDataError as exc:
            raise StorageFailure(f"invalid response: {exc}") from None

    async def put(self, key: bytes, value: bytes) -> None:
        await self.commit(WriteBatch().put(key, value))

    async def delete(self, key: bytes) -> None:
        await self.commit(WriteBatch().delete(key))

    async def keys_with_prefix(self, prefix: bytes) -> list[bytes]:
        return self._reader.keys_with_prefix(prefix)

    async def enqueue(self, queue: bytes, value: bytes) -> None:
        await self.commit(WriteBatch().enqueue(queue, value))

    async def dequeue(self, queue: bytes) -> bytes | None:
        return await self._run(lambda b: b.dequeue(queue))

    async def wait_dequeue(self, queue: bytes, timeout: float, hold_key: bytes | None = None) -> bytes | None:
        """Pop the head of ``queue``, waiting up to ``timeout`` seconds for one to be enqueued.

        With ``hold_key`` the value is also stored under that key in the same transaction (see
        ``SqliteBackend.dequeue``): a caller cancelled just as the pop ran finds it there later.
        Without one, such a value is gone; callers that must not lose items pass a hold key.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(max(timeout, 0.0), MAX_WAIT_S)
        while True:
            # Taken before the attempt: an enqueue committed after the attempt sets this event.
            enqueued = self._enqueued.setdefault(queue, asyncio.Event())
            value = await self._run(lambda b: b.dequeue(queue, hold_key))
            remaining = deadline - loop.time()
            if value is not None or remaining <= 0:
                return value
            try:
                async with asyncio.timeout(remaining):
                    await enqueued.wait()
            except TimeoutError:
                return None

    async def queue_depths(self) -> dict[bytes, int]:
        """How many elements each non-empty queue holds."""
        return await self._run(lambda b: b.queue_depths())

    async def commit(self, batch: WriteBatch) -> None:
        await self._run(lambda b: b.commit(batch))
        for queue in {name for name, _ in batch.enqueues}:
            # Wake every waiter of the queue; those that lose the race wait again.
            event = self._enqueued.pop(queue, None)
            if event is not None:
                event.set()

    def close(self) -> None:
        self._reader.close()
        self._executor.submit(self._backend.close).result()
        self._executor.shutdown()
