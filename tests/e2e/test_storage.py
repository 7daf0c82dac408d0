"""The storage service on the real platform: durability, sealing at rest, FIFO queues."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import uuid

import pytest

from teahouse.framework.environment import Environment
from teahouse.kv import CommitConflict, WriteBatch
from teahouse.services.storage.client import StorageClient
from teahouse.testing.platform import LocalPlatform

pytestmark = pytest.mark.e2e


def fresh(prefix: str) -> bytes:
    return f"{prefix}-{uuid.uuid4()}".encode()


async def test_put_get_delete_and_prefix(as_management: Environment) -> None:
    kv = StorageClient(as_management.channel("storage"))
    prefix = fresh("t")
    await kv.put(prefix + b"-a", b"1")
    await kv.put(prefix + b"-b", b"")
    assert await kv.get(prefix + b"-a") == b"1"
    assert await kv.get(prefix + b"-b") == b""
    assert await kv.get(prefix + b"-missing") is None
    assert await kv.keys_with_prefix(prefix) == [prefix + b"-a", prefix + b"-b"]
    await kv.delete(prefix + b"-a")
    await kv.delete(prefix + b"-never")
    assert await kv.get(prefix + b"-a") is None


async def test_commit_is_atomic_and_checks_expectations(as_management: Environment) -> None:
    kv = StorageClient(as_management.channel("storage"))
    key, other, queue = fresh("cas"), fresh("cas"), fresh("q")
    await kv.commit(WriteBatch().expect(key, None).put(key, b"v1"))
    with pytest.raises(CommitConflict):
        await kv.commit(
            WriteBatch().expect(key, b"wrong").put(key, b"v2").put(other, b"x").enqueue(queue, b"x")
        )
    assert await kv.get(key) == b"v1"
    assert await kv.get(other) is None
    assert await kv.dequeue(queue) is None
    await kv.commit(WriteBatch().expect(key, b"v1").put(key, b"v2").enqueue(queue, b"y"))
    assert await kv.get(key) == b"v2"
    assert await kv.dequeue(queue) == b"y"


async def test_teaclave_get_of_missing_key_is_internal_invalid_response(as_management: Environment) -> None:
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError

    from teahouse.proto import teaclave_storage_service_pb2 as pb
    from teahouse.proto.teaclave_storage_service_grpc import TeaclaveStorageStub

    stub = TeaclaveStorageStub(as_management.channel("storage"))
    with pytest.raises(GRPCError) as info:
        await stub.Get(pb.GetRequest(key=fresh("absent")))
    assert info.value.status is Status.INTERNAL and info.value.message == "invalid response"
    with pytest.raises(GRPCError) as info:
        await stub.Dequeue(pb.DequeueRequest(key=fresh("empty")))
    assert info.value.status is Status.INTERNAL and info.value.message == "invalid response"


async def test_queue_is_fifo_under_concurrent_producers_and_consumers(as_management: Environment) -> None:
    kv = StorageClient(as_management.channel("storage"))
    queue = fresh("fifo")
    producers, per_producer = 4, 25

    async def produce(p: int) -> None:
        for i in range(per_producer):
            await kv.enqueue(queue, f"{p}:{i}".encode())

    received: list[bytes] = []

    async def consume() -> None:
        idle = 0
        while idle < 20:
            item = await kv.dequeue(queue)
            if item is None:
                idle += 1
                await asyncio.sleep(0.01)
                continue
            idle = 0
            received.append(item)

    await asyncio.gather(*(produce(p) for p in range(producers)), *(consume() for _ in range(3)))
    assert sorted(received) == sorted(
        f"{p}:{i}".encode() for p in range(producers) for i in range(per_producer)
    )
    for p in range(producers):
        mine = [int(r.split(b":")[1]) for r in received if r.startswith(f"{p}:".encode())]
        assert mine == sorted(mine), "items of one producer came out of order"


async def test_values_are_not_readable_in_the_database_file(
    platform: LocalPlatform, as_management: Environment
) -> None:
    kv = StorageClient(as_management.channel("storage"))
    secret = f"plaintext-marker-{uuid.uuid4()}".encode()
    key = fresh("sealed")
    await kv.put(key, secret)
    await kv.enqueue(fresh("sealedq"), secret)
    raw = b""
    for suffix in ("", "-wal"):
        path = platform.config.storage_path.with_name(platform.config.storage_path.name + suffix)
        if path.exists():
            raw += path.read_bytes()
    assert key in raw, "keys are stored in clear (prefix scans need them)"
    assert secret not in raw
    with sqlite3.connect(f"file:{platform.config.storage_path}?mode=ro", uri=True) as db:
        (stored,) = db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    assert stored != secret and stored[0] == 1  # sealed blob, version 1


async def test_acknowledged_writes_survive_sigkill(
    platform: LocalPlatform, as_management: Environment
) -> None:
    kv = StorageClient(as_management.channel("storage"))
    keys = [fresh("durable") for _ in range(20)]
    for key in keys:
        await kv.put(key, key[::-1])
    queue = fresh("durableq")
    await kv.enqueue(queue, b"first")
    await kv.enqueue(queue, b"second")
    old = platform.kill("storage")
    await asyncio.to_thread(platform.wait_restarted, "storage", old)
    for key in keys:
        assert await kv.get(key) == key[::-1]
    assert await kv.dequeue(queue) == b"first"
    assert await kv.dequeue(queue) == b"second"
    assert os.path.exists(platform.config.storage_path)
