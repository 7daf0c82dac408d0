"""Nodes that vanish: their running task fails, their unstarted task goes to another node."""

from __future__ import annotations

import asyncio
import contextlib

from teahouse.model import (
    STAGED_TASK_QUEUE,
    ExecutorCommand,
    ExecutorStatus,
    TaskFailure,
    TaskOutputs,
    TaskStatus,
)
from teahouse.services.scheduler._store import node_key
from teahouse.services.scheduler._transitions import EXECUTOR_LOST, EXECUTOR_TIMEOUT
from teahouse.services.scheduler.service import SchedulerService

from .conftest import CONFIG, node
from .fakes import Clock, MemoryStore, Staged, stage, task_of

IDLE, EXECUTING = ExecutorStatus.Idle, ExecutorStatus.Executing


async def started_on_new_node(scheduler: SchedulerService, store: MemoryStore) -> tuple[Staged, str]:
    s = await stage(store)
    a = node()
    assert (await scheduler.watch(a, IDLE, "", 1.0))[0] is ExecutorCommand.NewTask
    await scheduler.update_task_status(str(s.id))
    return s, a


async def cut_off_watch(scheduler: SchedulerService, a: str, task_id: str) -> None:
    """The node's connection drops while it watches its task: the handler is cancelled."""
    watch = asyncio.create_task(scheduler.watch(a, EXECUTING, task_id, 5.0))
    await asyncio.sleep(0.05)
    watch.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watch


async def test_a_killed_node_fails_its_task_after_the_grace_period(
    scheduler: SchedulerService, store: MemoryStore, clock: Clock
) -> None:
    s, a = await started_on_new_node(scheduler, store)
    await cut_off_watch(scheduler, a, str(s.id))
    clock.now += CONFIG.disconnect_grace_s / 2
    await scheduler.check_nodes()
    assert (await task_of(store, s)).status is TaskStatus.Running
    clock.now += CONFIG.disconnect_grace_s
    await scheduler.check_nodes()
    task = await task_of(store, s)
    assert task.status is TaskStatus.Failed and task.result == TaskFailure(EXECUTOR_LOST)
    assert await store.get(node_key(a)) is None


async def test_a_silent_heartbeating_node_fails_its_task_with_teaclaves_timeout_reason(
    scheduler: SchedulerService, store: MemoryStore, clock: Clock
) -> None:
    s = await stage(store)
    a = node()
    assert await scheduler.heartbeat(a, IDLE) is ExecutorCommand.NewTask  # a Teaclave node
    await scheduler.pull_task(a)
    await scheduler.update_task_status(str(s.id))
    clock.now += CONFIG.executor_timeout_s - 1
    await scheduler.check_nodes()
    assert (await task_of(store, s)).status is TaskStatus.Running
    clock.now += 1
    await scheduler.check_nodes()
    task = await task_of(store, s)
    assert task.status is TaskStatus.Failed and task.result == TaskFailure(EXECUTOR_TIMEOUT)


async def test_a_node_that_stops_calling_after_starting_its_task_fails_it(
    scheduler: SchedulerService, store: MemoryStore, clock: Clock
) -> None:
    """Killed between UpdateTaskStatus and its next call: no watch was cut off, still caught."""
    s, _ = await started_on_new_node(scheduler, store)
    clock.now += CONFIG.disconnect_grace_s
    await scheduler.check_nodes()
    task = await task_of(store, s)
    assert task.status is TaskStatus.Failed and task.result == TaskFailure(EXECUTOR_LOST)


async def test_a_node_killed_right_after_the_hand_out_loses_nothing(
    scheduler: SchedulerService, store: MemoryStore, clock: Clock
) -> None:
    s = await stage(store)
    assert (await scheduler.watch(node(), IDLE, "", 1.0))[0] is ExecutorCommand.NewTask
    clock.now += CONFIG.disconnect_grace_s
    await scheduler.check_nodes()
    assert (await task_of(store, s)).status is TaskStatus.Staged
    assert await scheduler.watch(node(), IDLE, "", 1.0) == (ExecutorCommand.NewTask, s.bytes)


async def test_a_node_that_comes_back_in_time_keeps_its_task(
    scheduler: SchedulerService, store: MemoryStore, clock: Clock
) -> None:
    s, a = await started_on_new_node(scheduler, store)
    await cut_off_watch(scheduler, a, str(s.id))
    clock.now += CONFIG.disconnect_grace_s / 2
    watching = asyncio.create_task(scheduler.watch(a, EXECUTING, str(s.id), 5.0))
    await asyncio.sleep(0.05)
    clock.now += CONFIG.disconnect_grace_s * 5
    await scheduler.check_nodes()
    await scheduler.update_task_result(str(s.id), TaskOutputs(b"done"))
    assert (await task_of(store, s)).status is TaskStatus.Finished
    assert await watching == (ExecutorCommand.Stop, b"")


async def test_an_unstarted_task_of_a_dead_node_goes_to_another_node(
    scheduler: SchedulerService, store: MemoryStore, clock: Clock
) -> None:
    s = await stage(store)
    a, b = node(), node()
    assert (await scheduler.watch(a, IDLE, "", 1.0))[0] is ExecutorCommand.NewTask
    waiting = asyncio.create_task(scheduler.watch(b, IDLE, "", 5.0))
    await asyncio.sleep(0.05)
    clock.now += CONFIG.executor_timeout_s
    await scheduler.check_nodes()
    assert await asyncio.wait_for(waiting, 4.0) == (ExecutorCommand.NewTask, s.bytes)
    assert (await task_of(store, s)).status is TaskStatus.Staged
    assert store.queued(STAGED_TASK_QUEUE) == []


async def test_a_dead_node_whose_task_ended_just_disappears(
    scheduler: SchedulerService, store: MemoryStore, clock: Clock
) -> None:
    s, a = await started_on_new_node(scheduler, store)
    await scheduler.update_task_result(str(s.id), TaskOutputs(b"done"))
    clock.now += CONFIG.executor_timeout_s
    await scheduler.check_nodes()
    assert (await task_of(store, s)).status is TaskStatus.Finished
    assert a not in scheduler.nodes


async def test_the_late_result_of_a_node_declared_dead_is_refused(
    scheduler: SchedulerService, store: MemoryStore, clock: Clock
) -> None:
    s, a = await started_on_new_node(scheduler, store)
    clock.now += CONFIG.executor_timeout_s
    await scheduler.check_nodes()
    # It was only slow: its next watch says stop, and its result does not overwrite Failed.
    assert await scheduler.watch(a, EXECUTING, str(s.id), 1.0) == (ExecutorCommand.Stop, b"")
    try:
        await scheduler.update_task_result(str(s.id), TaskOutputs(b"late"))
    except Exception as exc:  # noqa: BLE001
        assert type(exc).__name__ == "TaskNotRunning"
    assert (await task_of(store, s)).status is TaskStatus.Failed


async def test_a_node_reporting_a_task_another_node_held_takes_over_its_record(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    a, b = node(), node()
    await scheduler.watch(a, IDLE, "", 1.0)
    await scheduler.update_task_status(str(s.id))
    # b (say, after a re-queue race) reports running the task: the record follows the runner.
    await scheduler.watch(b, EXECUTING, str(s.id), 0.01)
    assert await store.get(node_key(a)) is None
    assert await store.get(node_key(b)) is not None
