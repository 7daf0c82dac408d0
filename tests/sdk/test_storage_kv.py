"""StorageKV against a real storage service in standalone mode (one-way attestation)."""

from __future__ import annotations

import uuid

import pytest

from teahouse.sdk import AsyncStorageKV, AttestationFailedError, StorageKV, Trust

from .conftest import Services


def _fresh(prefix: str) -> bytes:
    return f"{prefix}-{uuid.uuid4()}".encode()


async def test_async_get_put_delete_prefix_and_queue(storage_address: str, trust: Trust) -> None:
    prefix = _fresh("kv")
    async with AsyncStorageKV(storage_address, trust) as kv:
        assert await kv.get(prefix + b"-a") is None
        await kv.put(prefix + b"-a", b"1")
        await kv.put(prefix + b"-b", b"")
        await kv.put(prefix.decode() + "-c", b"3")
        assert await kv.get(prefix + b"-a") == b"1"
        assert await kv.get(prefix + b"-b") == b""
        assert await kv.get(prefix.decode() + "-c") == b"3"
        # Teaclave's prefix scan: keys of the form <prefix>-...
        await kv.put(prefix + b"x", b"not under the prefix")
        assert await kv.keys_with_prefix(prefix) == [prefix + b"-a", prefix + b"-b", prefix + b"-c"]
        await kv.delete(prefix + b"-a")
        await kv.delete(prefix + b"-never-set")
        assert await kv.get(prefix + b"-a") is None
        queue = _fresh("q")
        assert await kv.dequeue(queue) is None
        for item in (b"first", b"second"):
            await kv.enqueue(queue, item)
        assert [await kv.dequeue(queue), await kv.dequeue(queue), await kv.dequeue(queue)] == [
            b"first",
            b"second",
            None,
        ]
        assert kv.peer is not None and kv.peer.service == "storage"


def test_the_sync_twin_sees_the_same_data(storage_address: str, trust: Trust) -> None:
    key = _fresh("sync")
    with StorageKV(storage_address, trust) as kv:
        kv.put(key, b"value")
        assert kv.get(key) == b"value"
        kv.put(key + b"-child", b"")
        assert kv.keys_with_prefix(key) == [key + b"-child"]
        kv.enqueue(key, b"x")
        assert kv.dequeue(key) == b"x"
        kv.delete(key)
        assert kv.get(key) is None and kv.get(key + b"-child") == b""
        assert "simulated" in repr(kv)


def test_only_the_storage_service_is_accepted(fakes: Services, trust: Trust) -> None:
    with StorageKV(fakes.frontend_address, trust) as kv, pytest.raises(AttestationFailedError) as info:
        kv.get(b"x")
    assert info.value.check == "inbound list"
