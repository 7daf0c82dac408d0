"""Cancel requests from management's cancel_queue: staged tasks never run, running ones stop."""

from __future__ import annotations

import asyncio

from teahouse.model import CANCEL_QUEUE, ExecutorCommand, ExecutorStatus, TaskFailure, TaskOutputs, TaskStatus
from teahouse.services.scheduler._transitions import CANCELED_BY_USER
from teahouse.services.scheduler.service import SchedulerService

from .conftest import node
from .fakes import MemoryStore, stage, task_of

IDLE, EXECUTING = ExecutorStatus.Idle, ExecutorStatus.Executing


async def until(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not await predicate():
            await asyncio.sleep(0.005)


async def test_a_staged_task_is_canceled_at_once_and_never_handed_out(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    await store.enqueue(CANCEL_QUEUE, s.task.to_bytes())
    await until(lambda: _status_is(store, s, TaskStatus.Canceled))
    assert (await task_of(store, s)).result == TaskFailure(CANCELED_BY_USER)
    assert await scheduler.watch(node(), IDLE, "", 0.05) == (ExecutorCommand.NoAction, b"")


async def test_a_running_task_is_canceled_and_its_node_told_to_stop(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    a = node()
    await scheduler.watch(a, IDLE, "", 1.0)
    await scheduler.update_task_status(str(s.id))
    watch = asyncio.create_task(scheduler.watch(a, EXECUTING, str(s.id), 5.0))
    await asyncio.sleep(0.05)
    assert not watch.done()
    await store.enqueue(CANCEL_QUEUE, s.task.to_bytes())
    assert await asyncio.wait_for(watch, 4.0) == (ExecutorCommand.Stop, b"")
    task = await task_of(store, s)
    assert task.status is TaskStatus.Canceled and task.result == TaskFailure(CANCELED_BY_USER)


async def test_a_watch_on_an_ended_task_stops_at_once(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store, status=TaskStatus.Canceled)
    assert await scheduler.watch(node(), EXECUTING, str(s.id), 5.0) == (ExecutorCommand.Stop, b"")


async def test_a_running_task_with_nothing_to_say_gets_no_action(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store, status=TaskStatus.Running)
    assert await scheduler.watch(node(), EXECUTING, str(s.id), 0.05) == (ExecutorCommand.NoAction, b"")


async def test_repeated_and_late_requests_change_nothing(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store, status=TaskStatus.Running)
    done = await stage(store, status=TaskStatus.Finished, result=TaskOutputs(b"ok"))
    for _ in range(3):
        await store.enqueue(CANCEL_QUEUE, s.task.to_bytes())
    await store.enqueue(CANCEL_QUEUE, done.task.to_bytes())
    await store.enqueue(CANCEL_QUEUE, b"garbage")
    await until(lambda: _drained(store))
    assert (await task_of(store, s)).status is TaskStatus.Canceled
    assert (await task_of(store, done)).result == TaskOutputs(b"ok")
    assert await store.keys_with_prefix(b"scheduler-cancel") == []


async def _status_is(store: MemoryStore, s, status: TaskStatus) -> bool:  # type: ignore[no-untyped-def]
    return (await task_of(store, s)).status is status


async def _drained(store: MemoryStore) -> bool:
    return not store.queued(CANCEL_QUEUE) and not await store.keys_with_prefix(b"scheduler-cancel")
