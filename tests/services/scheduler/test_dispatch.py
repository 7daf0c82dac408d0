"""Handing staged tasks to idle nodes through Watch: at once, to exactly one node, durably."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from teahouse.kv import WriteBatch
from teahouse.model import STAGED_TASK_QUEUE, ExecutorCommand, ExecutorStatus, TaskStatus
from teahouse.services.scheduler._store import Assignment, node_key
from teahouse.services.scheduler.errors import InvalidExecutorId, InvalidTaskId
from teahouse.services.scheduler.service import SchedulerService

from .conftest import node
from .fakes import MemoryStore, stage, staged_task, task_of

IDLE = ExecutorStatus.Idle


async def test_an_idle_node_gets_a_staged_task_and_holds_it(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    a = node()
    assert await scheduler.watch(a, IDLE, "", 1.0) == (ExecutorCommand.NewTask, s.bytes)
    assert await store.get(node_key(a)) == s.bytes
    assert store.queued(STAGED_TASK_QUEUE) == []
    assert (await task_of(store, s)).status is TaskStatus.Staged  # Running only once the node says so


async def test_a_waiting_node_is_woken_by_the_staging_commit(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    watch = asyncio.create_task(scheduler.watch(node(), IDLE, "", 5.0))
    await asyncio.sleep(0.05)
    assert not watch.done()
    s = await stage(store)
    # Returns long before the watch's 5 s: woken by the commit, not by a polling period.
    assert await asyncio.wait_for(watch, 4.0) == (ExecutorCommand.NewTask, s.bytes)


async def test_nothing_staged_means_no_action_after_the_timeout(scheduler: SchedulerService) -> None:
    assert await scheduler.watch(node(), IDLE, "", 0.05) == (ExecutorCommand.NoAction, b"")


async def test_each_task_goes_to_exactly_one_of_several_waiting_nodes(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    watches = [asyncio.create_task(scheduler.watch(node(), IDLE, "", 0.5)) for _ in range(3)]
    await asyncio.sleep(0.05)
    first, second = await stage(store), await stage(store)
    replies = await asyncio.gather(*watches)
    handed = sorted(staged for command, staged in replies if command is ExecutorCommand.NewTask)
    assert handed == sorted([first.bytes, second.bytes])
    assert [command for command, _ in replies].count(ExecutorCommand.NoAction) == 1


async def test_tasks_go_out_in_staging_order(scheduler: SchedulerService, store: MemoryStore) -> None:
    tasks = [await stage(store) for _ in range(3)]
    got = []
    for _ in tasks:
        a = node()
        got.append((await scheduler.watch(a, IDLE, "", 1.0))[1])
    assert got == [s.bytes for s in tasks]


async def test_a_held_task_not_yet_started_is_handed_to_its_node_again(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    a = node()
    await scheduler.watch(a, IDLE, "", 1.0)
    # The node lost the reply (or restarted its loop): asking again gives the same task.
    assert await scheduler.watch(a, IDLE, "", 1.0) == (ExecutorCommand.NewTask, s.bytes)


async def test_an_idle_node_forgets_a_task_it_started(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    a = node()
    await scheduler.watch(a, IDLE, "", 1.0)
    await scheduler.update_task_status(str(s.id))
    nxt = await stage(store)
    assert await scheduler.watch(a, IDLE, "", 1.0) == (ExecutorCommand.NewTask, nxt.bytes)


async def test_entries_of_tasks_no_longer_staged_are_skipped(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    gone = await stage(store, status=TaskStatus.Canceled)
    deleted = await stage(store)
    await store.delete(deleted.task.key)
    live = await stage(store)
    a = node()
    assert await scheduler.watch(a, IDLE, "", 1.0) == (ExecutorCommand.NewTask, live.bytes)
    assert Assignment.decode(await store.get(node_key(a)) or b"").task_id == live.id
    assert gone.id != live.id


async def test_a_corrupt_queue_entry_is_dropped(scheduler: SchedulerService, store: MemoryStore) -> None:
    await store.enqueue(STAGED_TASK_QUEUE, b"{not json")
    live = await stage(store)
    assert await scheduler.watch(node(), IDLE, "", 1.0) == (ExecutorCommand.NewTask, live.bytes)


async def test_ids_must_be_uuids(scheduler: SchedulerService) -> None:
    with pytest.raises(InvalidExecutorId):
        await scheduler.watch("execution-1", IDLE, "", 0.01)
    with pytest.raises(InvalidTaskId):
        await scheduler.watch(node(), ExecutorStatus.Executing, "task-x", 0.01)


def test_the_task_id_is_read_without_decoding_the_payload() -> None:
    import json

    from teahouse.services.scheduler._store import staged_task_id

    s = staged_task()
    assert staged_task_id(s.bytes) == s.id
    reordered = json.dumps(dict(reversed(list(json.loads(s.bytes).items())))).encode()
    assert staged_task_id(reordered) == s.id  # any other layout is decoded in full


async def test_a_task_with_a_large_payload_is_handed_out(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    big = staged_task()
    big = dataclasses.replace(big, staged=dataclasses.replace(big.staged, function_payload=bytes(300_000)))
    await store.commit(
        WriteBatch().put(big.task.key, big.task.to_bytes()).enqueue(STAGED_TASK_QUEUE, big.bytes)
    )
    a = node()
    assert await scheduler.watch(a, IDLE, "", 1.0) == (ExecutorCommand.NewTask, big.bytes)
    assert Assignment.decode(await store.get(node_key(a)) or b"").task_id == big.id
