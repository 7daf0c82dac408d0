"""Teaclave's Heartbeat / PullTask / PublishTask / Subscribe keep their meaning (behaviour §6.3)."""

from __future__ import annotations

import pytest

from teahouse.errors import Code
from teahouse.model import CANCEL_QUEUE, STAGED_TASK_QUEUE, ExecutorCommand, ExecutorStatus, TaskStatus
from teahouse.services.scheduler.errors import (
    InvalidExecutorId,
    PulledTaskCanceled,
    TaskQueueEmpty,
    Unimplemented,
)
from teahouse.services.scheduler.service import SchedulerService

from .conftest import node
from .fakes import MemoryStore, stage, staged_task, task_of

IDLE, EXECUTING = ExecutorStatus.Idle, ExecutorStatus.Executing


async def test_idle_heartbeat_says_new_task_and_pull_returns_it(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    a = node()
    assert await scheduler.heartbeat(a, IDLE) is ExecutorCommand.NoAction
    s = await stage(store)
    assert await scheduler.heartbeat(a, IDLE) is ExecutorCommand.NewTask
    assert await scheduler.pull_task(a) == s.bytes
    with pytest.raises(TaskQueueEmpty) as info:
        await scheduler.pull_task(node())
    assert info.value.code is Code.UNKNOWN and info.value.message == "task queue is empty"


async def test_pulling_a_canceled_task_reports_it(scheduler: SchedulerService, store: MemoryStore) -> None:
    await stage(store, status=TaskStatus.Canceled)
    with pytest.raises(PulledTaskCanceled) as info:
        await scheduler.pull_task(node())
    assert info.value.message == "task to pull has been canceled"


async def test_executing_heartbeat_says_stop_once_the_task_is_canceled(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    a = node()
    await scheduler.pull_task(a)
    await scheduler.update_task_status(str(s.id))
    assert await scheduler.heartbeat(a, EXECUTING) is ExecutorCommand.NoAction
    await scheduler.cancels.apply(b"scheduler-cancel-test", s.task.to_bytes())
    assert await scheduler.heartbeat(a, EXECUTING) is ExecutorCommand.Stop
    assert (await task_of(store, s)).status is TaskStatus.Canceled
    assert store.queued(CANCEL_QUEUE) == []


async def test_bad_executor_ids_are_refused_with_internal(scheduler: SchedulerService) -> None:
    with pytest.raises(InvalidExecutorId) as info:
        await scheduler.heartbeat("not-a-uuid", IDLE)
    assert info.value.code is Code.INTERNAL


async def test_publish_task_queues_durably(scheduler: SchedulerService, store: MemoryStore) -> None:
    s = staged_task()
    await scheduler.publish_task(s.bytes)
    assert store.queued(STAGED_TASK_QUEUE) == [s.bytes]


async def test_subscribe_is_unimplemented_with_a_clear_message(scheduler: SchedulerService) -> None:
    with pytest.raises(Unimplemented) as info:
        await scheduler.subscribe()
    assert info.value.code is Code.UNIMPLEMENTED and "Watch" in info.value.message
