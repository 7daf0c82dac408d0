"""WaitDequeue (a Teahouse addition): waiting pops woken by the commit that enqueues, hold keys."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from grpclib.testing import ChannelFor

from teahouse.kv import CommitConflict, WriteBatch
from teahouse.proto.teaclave_storage_service_grpc import TeaclaveStorageBase
from teahouse.rpc.dispatch import bind
from teahouse.services.storage.client import StorageClient
from teahouse.services.storage.handlers import StorageHandlers
from teahouse.services.storage.service import StorageService

Q = b"staged-task"


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[StorageService]:
    storage = StorageService(tmp_path / "db.sqlite", bytes(32))
    yield storage
    storage.close()


@pytest.fixture
async def client(service: StorageService) -> AsyncIterator[StorageClient]:
    async with ChannelFor([bind(TeaclaveStorageBase, StorageHandlers(service))]) as channel:
        yield StorageClient(channel)


async def test_returns_at_once_when_the_queue_has_an_element(client: StorageClient) -> None:
    await client.enqueue(Q, b"a")
    assert await client.wait_dequeue(Q, 10.0) == b"a"


async def test_times_out_with_nothing(client: StorageClient) -> None:
    assert await client.wait_dequeue(Q, 0.05) is None
    assert await client.wait_dequeue(Q, 0) is None


async def test_a_waiter_is_woken_by_the_commit_that_enqueues(client: StorageClient) -> None:
    waiter = asyncio.create_task(client.wait_dequeue(Q, 30.0))
    await asyncio.sleep(0.05)
    assert not waiter.done()
    await client.commit(WriteBatch().put(b"task-1", b"staged").enqueue(Q, b"t1"))
    assert await asyncio.wait_for(waiter, 5) == b"t1"


async def test_each_element_goes_to_exactly_one_of_several_waiters(client: StorageClient) -> None:
    waiters = [asyncio.create_task(client.wait_dequeue(Q, 0.3)) for _ in range(4)]
    await asyncio.sleep(0.05)
    for item in (b"x", b"y"):
        await client.enqueue(Q, item)
    results = await asyncio.gather(*waiters)
    assert sorted(r for r in results if r is not None) == [b"x", b"y"]
    assert results.count(None) == 2


async def test_other_queues_do_not_wake_a_waiter(service: StorageService) -> None:
    waiter = asyncio.create_task(service.wait_dequeue(Q, 0.3))
    await asyncio.sleep(0.05)
    await service.enqueue(b"cancel_queue", b"c")
    assert await waiter is None
    assert await service.dequeue(b"cancel_queue") == b"c"


async def test_hold_key_keeps_the_popped_value_atomically(client: StorageClient) -> None:
    await client.enqueue(Q, b"t1")
    await client.enqueue(Q, b"t2")
    assert await client.wait_dequeue(Q, 1.0, hold_key=b"scheduler-node-a") == b"t1"
    assert await client.get(b"scheduler-node-a") == b"t1"
    with pytest.raises(CommitConflict):
        await client.wait_dequeue(Q, 1.0, hold_key=b"scheduler-node-a")
    assert await client.dequeue(Q) == b"t2"  # the refused pop took nothing


async def test_a_cancelled_waiter_takes_nothing(service: StorageService) -> None:
    waiter = asyncio.create_task(service.wait_dequeue(Q, 30.0, b"hold-1"))
    await asyncio.sleep(0.05)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    await service.enqueue(Q, b"t1")
    assert await service.get(b"hold-1") is None
    assert await service.wait_dequeue(Q, 0) == b"t1"
