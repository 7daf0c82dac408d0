"""UpdateTaskStatus and UpdateTaskResult: Running, then Finished with Ok (cmacs recorded) or Err."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from teahouse.model import (
    NOT_READY,
    ExecutorCommand,
    ExecutorStatus,
    OutputFile,
    TaskFailure,
    TaskOutputs,
    TaskStatus,
)
from teahouse.services.scheduler._store import node_key
from teahouse.services.scheduler.errors import (
    OutputAlreadyWritten,
    ResultMissing,
    TaskNotRunning,
    TaskNotStaged,
    UnknownOutput,
    UnknownTask,
)
from teahouse.services.scheduler.service import SchedulerService

from .conftest import node
from .fakes import MemoryStore, Staged, stage, task_of

TAG = bytes(range(16))


async def running(scheduler: SchedulerService, store: MemoryStore, **changes: object) -> tuple[Staged, str]:
    s = await stage(store, **changes)
    a = node()
    await scheduler.watch(a, ExecutorStatus.Idle, "", 1.0)
    await scheduler.update_task_status(str(s.id))
    return s, a


async def test_update_status_moves_staged_to_running_once(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    await scheduler.update_task_status(str(s.id))
    assert (await task_of(store, s)).status is TaskStatus.Running
    with pytest.raises(TaskNotStaged):
        await scheduler.update_task_status(str(s.id))
    with pytest.raises(UnknownTask):
        await scheduler.update_task_status("00000000-0000-0000-0000-000000000000")


async def test_ok_result_finishes_the_task_and_records_each_cmac_twice(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s, a = await running(scheduler, store)
    outputs = TaskOutputs(b"3 common items", {"out": TAG}, ("[INFO echo] hi",))
    await scheduler.update_task_result(f"task-{s.id}", outputs)
    task = await task_of(store, s)
    assert task.status is TaskStatus.Finished and task.result == outputs
    assert task.assigned_outputs["out"].cmac == TAG
    assert OutputFile.from_bytes(await store.get(s.output.key) or b"").cmac == TAG
    assert await store.get(node_key(a)) is None  # the node's record is gone with the task


async def test_err_result_finishes_the_task_as_teaclave_does(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s, _ = await running(scheduler, store)
    await scheduler.update_task_result(str(s.id), TaskFailure("Cannot deserialize arguments"))
    task = await task_of(store, s)
    assert task.status is TaskStatus.Finished and task.result == TaskFailure("Cannot deserialize arguments")


async def test_an_output_that_already_holds_a_cmac_is_refused_and_nothing_is_written(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s, _ = await running(scheduler, store)
    await store.put(s.output.key, dataclasses.replace(s.output, cmac=bytes(16)).to_bytes())
    with pytest.raises(OutputAlreadyWritten):
        await scheduler.update_task_result(str(s.id), TaskOutputs(b"", {"out": TAG}))
    assert (await task_of(store, s)).status is TaskStatus.Running
    assert OutputFile.from_bytes(await store.get(s.output.key) or b"").cmac == bytes(16)


async def test_a_tag_for_an_unknown_output_is_refused(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s, _ = await running(scheduler, store)
    with pytest.raises(UnknownOutput):
        await scheduler.update_task_result(str(s.id), TaskOutputs(b"", {"other": TAG}))


async def test_a_result_needs_a_running_task_and_a_result(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    with pytest.raises(TaskNotRunning):
        await scheduler.update_task_result(str(s.id), TaskOutputs(b"x"))
    await scheduler.update_task_status(str(s.id))
    with pytest.raises(ResultMissing):
        await scheduler.update_task_result(str(s.id), NOT_READY)


async def test_a_concurrent_management_write_is_not_overwritten(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    """What the scheduler remembers of the task is only a hint: a record changed by another
    writer meanwhile fails the first commit, and the retry works on the fresh record."""
    s, _ = await running(scheduler, store)
    task = await task_of(store, s)
    await store.put(s.task.key, dataclasses.replace(task, approved_users=frozenset({"alice"})).to_bytes())
    await scheduler.update_task_result(str(s.id), TaskOutputs(b"ok"))
    task = await task_of(store, s)
    assert task.status is TaskStatus.Finished and task.approved_users == {"alice"}


async def test_from_hand_out_to_result_nothing_is_read_twice(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    s = await stage(store)
    a = node()
    await scheduler.watch(a, ExecutorStatus.Idle, "", 1.0)
    reads: list[bytes] = []
    original = store.get

    async def counting_get(key: bytes) -> bytes | None:
        reads.append(key)
        return await original(key)

    store.get = counting_get  # type: ignore[method-assign]
    await scheduler.update_task_status(str(s.id))
    watching = asyncio.create_task(scheduler.watch(a, ExecutorStatus.Executing, str(s.id), 5.0))
    await asyncio.sleep(0.01)
    await scheduler.update_task_result(str(s.id), TaskOutputs(b"ok", {"out": TAG}))
    assert await watching == (ExecutorCommand.Stop, b"")
    nxt = await stage(store)
    assert await scheduler.watch(a, ExecutorStatus.Idle, "", 1.0) == (ExecutorCommand.NewTask, nxt.bytes)
    # Only the output record, which the scheduler had not seen, and the next task's record.
    assert reads == [s.output.key, nxt.task.key]
    assert await original(node_key(a)) == nxt.bytes


async def test_reporting_the_result_ends_the_nodes_watch_normally(
    scheduler: SchedulerService, store: MemoryStore
) -> None:
    """The node keeps its watch open while it reports; the scheduler then ends it (not a cut-off)."""
    s, a = await running(scheduler, store)
    watch = asyncio.create_task(scheduler.watch(a, ExecutorStatus.Executing, str(s.id), 5.0))
    await asyncio.sleep(0.05)
    await scheduler.update_task_result(str(s.id), TaskOutputs(b"done"))
    assert await asyncio.wait_for(watch, 4.0) == (ExecutorCommand.Stop, b"")
    assert scheduler.nodes.dead() == []
