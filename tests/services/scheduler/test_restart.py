"""A restarted scheduler loses nothing: queued, held and half-canceled tasks all carry on."""

from __future__ import annotations

import asyncio

from teahouse.model import CANCEL_QUEUE, ExecutorCommand, ExecutorStatus, TaskFailure, TaskStatus
from teahouse.services.scheduler._store import CANCEL_HOLD_PREFIX
from teahouse.services.scheduler._transitions import CANCELED_BY_USER, EXECUTOR_TIMEOUT
from teahouse.services.scheduler.service import SchedulerService

from .conftest import CONFIG, node
from .fakes import Clock, MemoryStore, stage, task_of

IDLE, EXECUTING = ExecutorStatus.Idle, ExecutorStatus.Executing


async def restarted(store: MemoryStore, clock: Clock) -> SchedulerService:
    service = SchedulerService(store, CONFIG, clock=clock)
    await service.start()
    return service


async def test_tasks_staged_while_the_scheduler_was_down_are_handed_out(
    store: MemoryStore, clock: Clock
) -> None:
    s = await stage(store)
    scheduler = await restarted(store, clock)
    try:
        assert await scheduler.watch(node(), IDLE, "", 1.0) == (ExecutorCommand.NewTask, s.bytes)
    finally:
        await scheduler.close()


async def test_a_held_task_goes_to_its_node_again_or_to_another_if_it_never_returns(
    store: MemoryStore, clock: Clock
) -> None:
    first = await restarted(store, clock)
    s, t = await stage(store), await stage(store)
    a, b = node(), node()
    await first.watch(a, IDLE, "", 1.0)
    await first.watch(b, IDLE, "", 1.0)
    await first.close()  # killed: both tasks are held, neither started

    second = await restarted(store, clock)
    try:
        assert await second.watch(a, IDLE, "", 1.0) == (ExecutorCommand.NewTask, s.bytes)
        await second.update_task_status(str(s.id))
        watching = asyncio.create_task(second.watch(a, EXECUTING, str(s.id), 5.0))
        await asyncio.sleep(0.05)
        clock.now += CONFIG.executor_timeout_s  # b never comes back; a is watching
        await second.check_nodes()
        assert await second.watch(node(), IDLE, "", 1.0) == (ExecutorCommand.NewTask, t.bytes)
        assert (await task_of(store, s)).status is TaskStatus.Running
        watching.cancel()
    finally:
        await second.close()


async def test_a_running_task_of_a_node_that_never_returns_fails(store: MemoryStore, clock: Clock) -> None:
    first = await restarted(store, clock)
    s = await stage(store)
    await first.watch(node(), IDLE, "", 1.0)
    await first.update_task_status(str(s.id))
    await first.close()

    second = await restarted(store, clock)
    try:
        clock.now += CONFIG.executor_timeout_s
        await second.check_nodes()
        task = await task_of(store, s)
        assert task.status is TaskStatus.Failed and task.result == TaskFailure(EXECUTOR_TIMEOUT)
    finally:
        await second.close()


async def test_a_cancel_popped_but_not_applied_is_applied_at_start(store: MemoryStore, clock: Clock) -> None:
    s = await stage(store, status=TaskStatus.Running)
    await store.enqueue(CANCEL_QUEUE, s.task.to_bytes())
    # The previous scheduler popped it into its hold record, then died.
    assert await store.wait_dequeue(CANCEL_QUEUE, 0, hold_key=CANCEL_HOLD_PREFIX + b"-x") is not None
    scheduler = await restarted(store, clock)
    try:
        task = await task_of(store, s)
        assert task.status is TaskStatus.Canceled and task.result == TaskFailure(CANCELED_BY_USER)
        assert await store.keys_with_prefix(CANCEL_HOLD_PREFIX) == []
    finally:
        await scheduler.close()
