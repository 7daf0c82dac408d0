from __future__ import annotations

import pytest

from teahouse.kv import CommitConflict, MemoryKeyValueStore, WriteBatch
from teahouse.kvcache import OwnedKeysCache


class CountingStore(MemoryKeyValueStore):
    def __init__(self) -> None:
        super().__init__()
        self.gets = 0

    async def get(self, key: bytes) -> bytes | None:
        self.gets += 1
        return await super().get(key)


async def test_owned_keys_are_read_once_and_updated_by_commits() -> None:
    backing = CountingStore()
    cache = OwnedKeysCache(backing, (b"auth-",))
    assert await cache.get(b"auth-a") is None
    assert await cache.get(b"auth-a") is None
    assert backing.gets == 1
    await cache.put(b"auth-a", b"1")
    assert await cache.get(b"auth-a") == b"1" and backing.gets == 1
    await cache.commit(WriteBatch().expect(b"auth-a", b"1").put(b"auth-a", b"2"))
    assert await cache.get(b"auth-a") == b"2"
    await cache.delete(b"auth-a")
    assert await cache.get(b"auth-a") is None and backing.gets == 1
    assert await backing.get(b"auth-a") is None


async def test_other_keys_are_not_cached() -> None:
    backing = CountingStore()
    cache = OwnedKeysCache(backing, (b"auth-",))
    await backing.put(b"task-1", b"x")
    await cache.get(b"task-1")
    await backing.put(b"task-1", b"y")
    assert await cache.get(b"task-1") == b"y" and backing.gets == 2


async def test_a_conflict_forgets_the_keys_involved() -> None:
    backing = CountingStore()
    cache = OwnedKeysCache(backing, (b"auth-",))
    await cache.put(b"auth-a", b"1")
    await backing.put(b"auth-a", b"changed behind the cache's back")
    with pytest.raises(CommitConflict):
        await cache.commit(WriteBatch().expect(b"auth-a", b"1").put(b"auth-a", b"2"))
    assert await cache.get(b"auth-a") == b"changed behind the cache's back"
