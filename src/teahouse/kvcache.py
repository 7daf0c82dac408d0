"""A read-through cache for keys that only this process writes.

The authentication service is the only writer of its user records, so it can keep them in
memory and skip a storage round trip on every token check. The cache is updated only after a
commit succeeds; a conflict forgets the keys involved so the next read goes to storage.
"""

from __future__ import annotations

from teahouse.kv import CommitConflict, KeyValueStore, WriteBatch

_ABSENT = object()


class OwnedKeysCache:
    """A :class:`~teahouse.kv.KeyValueStore` that caches the keys under ``prefixes``.

    Correct only when no other process writes those keys.
    """

    def __init__(self, kv: KeyValueStore, prefixes: tuple[bytes, ...], *, max_entries: int = 100_000) -> None:
        self._kv = kv
        self._prefixes = prefixes
        self._max = max_entries
        self._cache: dict[bytes, bytes | None] = {}

    def _owned(self, key: bytes) -> bool:
        return key.startswith(self._prefixes)

    def _remember(self, key: bytes, value: bytes | None) -> None:
        if len(self._cache) >= self._max:
            self._cache.clear()
        self._cache[key] = value

    async def get(self, key: bytes) -> bytes | None:
        if self._owned(key):
            cached = self._cache.get(key, _ABSENT)
            if cached is not _ABSENT:
                return cached  # type: ignore[return-value]
        value = await self._kv.get(key)
        if self._owned(key):
            self._remember(key, value)
        return value

    async def put(self, key: bytes, value: bytes) -> None:
        await self.commit(WriteBatch().put(key, value))

    async def delete(self, key: bytes) -> None:
        await self.commit(WriteBatch().delete(key))

    async def keys_with_prefix(self, prefix: bytes) -> list[bytes]:
        return await self._kv.keys_with_prefix(prefix)

    async def enqueue(self, queue: bytes, value: bytes) -> None:
        await self._kv.enqueue(queue, value)

    async def dequeue(self, queue: bytes) -> bytes | None:
        return await self._kv.dequeue(queue)

    async def commit(self, batch: WriteBatch) -> None:
        touched = [k for k, _ in batch.puts] + batch.deletes + [k for k, _ in batch.expects]
        try:
            await self._kv.commit(batch)
        except CommitConflict:
            for key in touched:
                self._cache.pop(key, None)
            raise
        except BaseException:
            for key in touched:  # unknown outcome: forget rather than guess
                self._cache.pop(key, None)
            raise
        for key, value in batch.puts:
            if self._owned(key):
                self._remember(key, value)
        for key in batch.deletes:
            if self._owned(key):
                self._remember(key, None)
