"""Optimistic concurrency: concurrent requests and scheduler writes never lose an update."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable

import pytest

from teahouse.kv import MemoryKeyValueStore
from teahouse.model import (
    CANCEL_QUEUE,
    STAGED_TASK_QUEUE,
    FunctionArgument,
    FunctionInput,
    TaskOutputs,
    TaskState,
    TaskStatus,
)
from teahouse.services.management import Caller, ManagementService
from teahouse.services.management import messages as m
from teahouse.services.management.errors import TaskCancelError

from .conftest import CMAC, TF128, YieldingStore

N = 40


@pytest.fixture
def ykv() -> YieldingStore:
    return YieldingStore(seed=7)


@pytest.fixture
async def ysvc(ykv: YieldingStore) -> ManagementService:
    return ManagementService(ykv)


def user(i: int) -> Caller:
    return Caller(f"u{i}", "DataOwner-x")


async def many_party_task(svc: ManagementService) -> str:
    """Creator u0; N inputs, input i owned by user i."""
    fid = (
        await svc.register_function(
            Caller("owner", "FunctionOwner"),
            m.RegisterFunctionRequest(
                "f", inputs=[FunctionInput(f"in{i}") for i in range(N)], arguments=[FunctionArgument("x")]
            ),
        )
    ).function_id
    request = m.CreateTaskRequest(
        fid, json.dumps({"x": 1}), "builtin", [m.OwnerList(f"in{i}", [f"u{i}"]) for i in range(N)]
    )
    return (await svc.create_task(user(0), request)).task_id


async def record(svc: ManagementService, task_id: str) -> TaskState:
    raw = await svc._kv.get(task_id.encode())
    assert raw is not None
    return TaskState.from_bytes(raw)


async def test_concurrent_assignments_and_approvals_are_all_kept(
    ysvc: ManagementService, ykv: YieldingStore
) -> None:
    task_id = await many_party_task(ysvc)
    data = [
        (
            await ysvc.register_input_file(user(i), m.RegisterInputFileRequest(f"http://h/{i}", CMAC, TF128))
        ).data_id
        for i in range(N)
    ]
    await asyncio.gather(
        *(
            ysvc.assign_data(user(i), m.AssignDataRequest(task_id, [m.DataMap(f"in{i}", data[i])]))
            for i in range(N)
        )
    )
    task = await record(ysvc, task_id)
    assert len(task.assigned_inputs) == N and task.status is TaskStatus.DataAssigned

    conflicts_before = ykv.conflicts
    await asyncio.gather(*(ysvc.approve_task(user(i), m.TaskIdRequest(task_id)) for i in range(N)))
    task = await record(ysvc, task_id)
    assert task.approved_users == {f"u{i}" for i in range(N)}
    assert task.status is TaskStatus.Approved
    assert ykv.conflicts > conflicts_before  # the requests really did collide


async def test_concurrent_registrations_keep_every_list_entry(ysvc: ManagementService) -> None:
    owner = Caller("owner", "FunctionOwner")
    ids = await asyncio.gather(
        *(
            ysvc.register_function(owner, m.RegisterFunctionRequest(f"f{i}", user_allowlist=["alice"]))
            for i in range(N)
        )
    )
    lists = await ysvc.list_functions(owner, m.ListFunctionsRequest("owner"))
    assert sorted(lists.registered_functions) == sorted(r.function_id for r in ids)
    alice = await ysvc.list_functions(Caller("alice", "DataOwner-x"), m.ListFunctionsRequest("alice"))
    assert len(alice.allowed_functions) == N


async def test_concurrent_invocations_count_every_use_and_respect_the_quota(ysvc: ManagementService) -> None:
    creator = user(0)
    fid = (
        await ysvc.register_function(creator, m.RegisterFunctionRequest("f", usage_quota=N // 2))
    ).function_id
    tasks = [(await ysvc.create_task(creator, m.CreateTaskRequest(fid))).task_id for _ in range(N)]
    results = await asyncio.gather(
        *(ysvc.invoke_task(creator, m.TaskIdRequest(t)) for t in tasks), return_exceptions=True
    )
    assert sum(r is None for r in results) == N // 2
    assert all(r is None or type(r).__name__ == "FunctionQuotaError" for r in results)
    usage = await ysvc.get_function_usage_stats(creator, m.FunctionIdRequest(fid))
    assert usage.current_usage == N // 2


class InterleavingStore(MemoryKeyValueStore):
    """Runs ``hook`` once, right after the first read of ``key``: another writer slips in."""

    def __init__(self) -> None:
        super().__init__()
        self.key = b""
        self.hook: Callable[[], Awaitable[None]] | None = None

    async def get(self, key: bytes) -> bytes | None:
        value = await super().get(key)
        if key == self.key and self.hook is not None:
            hook, self.hook = self.hook, None
            await hook()
        return value


async def test_cancel_racing_the_scheduler_sees_the_finished_task() -> None:
    """Cancel reads Running; the scheduler stores Finished before cancel commits: cancel must not
    enqueue a stale Running record but re-read and refuse."""
    kv = InterleavingStore()
    svc = ManagementService(kv)
    creator = user(0)
    fid = (await svc.register_function(creator, m.RegisterFunctionRequest("f"))).function_id
    task_id = (await svc.create_task(creator, m.CreateTaskRequest(fid))).task_id
    await svc.invoke_task(creator, m.TaskIdRequest(task_id))
    await kv.dequeue(STAGED_TASK_QUEUE)
    key = task_id.encode()
    running = dataclasses.replace(TaskState.from_bytes(await kv.get(key) or b""), status=TaskStatus.Running)
    await kv.put(key, running.to_bytes())

    async def scheduler_finishes() -> None:
        done = dataclasses.replace(running, status=TaskStatus.Finished, result=TaskOutputs(b"ok"))
        await kv.put(key, done.to_bytes())

    kv.key, kv.hook = key, scheduler_finishes
    with pytest.raises(TaskCancelError):
        await svc.cancel_task(creator, m.TaskIdRequest(task_id))
    assert await kv.dequeue(CANCEL_QUEUE) is None
    assert (await record(svc, task_id)).status is TaskStatus.Finished


async def test_approval_racing_a_scheduler_write_keeps_both() -> None:
    """A concurrent write of the task record between an approval's read and commit is kept."""
    kv = InterleavingStore()
    svc = ManagementService(kv)
    fid = (
        await svc.register_function(
            Caller("o", "FunctionOwner"), m.RegisterFunctionRequest("f", inputs=[FunctionInput("a")])
        )
    ).function_id
    task_id = (
        await svc.create_task(user(0), m.CreateTaskRequest(fid, inputs_ownership=[m.OwnerList("a", ["u1"])]))
    ).task_id
    data = (
        await svc.register_input_file(user(1), m.RegisterInputFileRequest("http://h/", CMAC, TF128))
    ).data_id
    await svc.assign_data(user(1), m.AssignDataRequest(task_id, [m.DataMap("a", data)]))
    key = task_id.encode()

    async def other_approval() -> None:
        await svc.approve_task(user(1), m.TaskIdRequest(task_id))

    kv.key, kv.hook = key, other_approval
    await svc.approve_task(user(0), m.TaskIdRequest(task_id))
    task = await record(svc, task_id)
    assert task.approved_users == {"u0", "u1"} and task.status is TaskStatus.Approved


async def test_early_cancel_racing_an_approval_has_one_winner(ysvc: ManagementService) -> None:
    creator = user(0)
    fid = (
        await ysvc.register_function(
            Caller("o", "FunctionOwner"), m.RegisterFunctionRequest("f", inputs=[FunctionInput("a")])
        )
    ).function_id
    task_id = (
        await ysvc.create_task(creator, m.CreateTaskRequest(fid, inputs_ownership=[m.OwnerList("a", ["u1"])]))
    ).task_id
    data = (
        await ysvc.register_input_file(user(1), m.RegisterInputFileRequest("http://h/", CMAC, TF128))
    ).data_id
    await ysvc.assign_data(user(1), m.AssignDataRequest(task_id, [m.DataMap("a", data)]))
    results = await asyncio.gather(
        ysvc.cancel_task(creator, m.TaskIdRequest(task_id)),
        ysvc.approve_task(user(1), m.TaskIdRequest(task_id)),
        return_exceptions=True,
    )
    task = await record(ysvc, task_id)
    assert task.status is TaskStatus.Canceled
    if results[1] is None:  # the approval went first and was kept in the canceled record
        assert task.approved_users == {"u1"}
    else:
        assert type(results[1]).__name__ == "TaskApproveError"
