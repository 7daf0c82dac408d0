"""Every refusal of spec/behaviour.md §1.5 with its code and message, and Teahouse's fixes."""

from __future__ import annotations

import json

import pytest

from teahouse.errors import Code, PermissionDenied, TeahouseError
from teahouse.kv import MemoryKeyValueStore
from teahouse.model import STAGED_TASK_QUEUE, OutputFile, StagedTask, TaskStatus
from teahouse.services.management import ManagementService
from teahouse.services.management import messages as m
from teahouse.services.management.errors import (
    FunctionDisabled,
    FunctionQuotaError,
    InvalidDataId,
    InvalidFunctionId,
    InvalidRequest,
    InvalidTask,
    InvalidTaskId,
    OutputAlreadyWritten,
    TaskApproveError,
    TaskAssignDataError,
    TaskCancelError,
    TaskInvokeError,
)

from ._task_helpers import ALICE, BOB, FOWNER, TwoParty, ready, two_party
from .conftest import ADMIN, CMAC, Files, data_owner

CAROL = data_owner("carol")


async def refused(coro: object, error: type[TeahouseError], code: Code, message: str) -> None:
    with pytest.raises(error) as info:
        await coro  # type: ignore[misc]
    assert (info.value.code, info.value.message) == (code, message)


@pytest.fixture
async def t(svc: ManagementService, kv: MemoryKeyValueStore) -> TwoParty:
    return await two_party(svc, kv)


# AssignData


async def test_assigning_a_file_one_does_not_own(t: TwoParty) -> None:
    await refused(
        t.svc.assign_data(BOB, m.AssignDataRequest(t.task_id, [m.DataMap("in", t.alice_in)])),
        PermissionDenied,
        Code.PERMISSION_DENIED,
        "permission denied",
    )


async def test_owner_set_mismatch(t: TwoParty, files: Files) -> None:
    fused = (await t.svc.register_fusion_output(BOB, m.RegisterFusionOutputRequest(["alice", "bob"]))).data_id
    await refused(
        t.svc.assign_data(BOB, m.AssignDataRequest(t.task_id, [], [m.DataMap("out", fused)])),
        PermissionDenied,
        Code.PERMISSION_DENIED,
        "permission denied",
    )


async def test_assigning_an_undeclared_name_or_twice(t: TwoParty, files: Files) -> None:
    other = await files.input(ALICE)
    with pytest.raises(PermissionDenied):
        await t.svc.assign_data(ALICE, m.AssignDataRequest(t.task_id, [m.DataMap("nope", other)]))
    await t.assign_alice()
    with pytest.raises(PermissionDenied):
        await t.svc.assign_data(ALICE, m.AssignDataRequest(t.task_id, [m.DataMap("in", other)]))


async def test_assignment_is_all_or_nothing(t: TwoParty, files: Files) -> None:
    other = await files.input(ALICE)
    request = m.AssignDataRequest(t.task_id, [m.DataMap("in", t.alice_in), m.DataMap("in", other)])
    with pytest.raises(PermissionDenied):
        await t.svc.assign_data(ALICE, request)
    assert (await t.record()).assigned_inputs == {}
    request = m.AssignDataRequest(t.task_id, [m.DataMap("in", t.alice_in)], [m.DataMap("out", t.bob_out)])
    with pytest.raises(PermissionDenied):  # alice does not own bob's output
        await t.svc.assign_data(ALICE, request)
    assert (await t.record()).assigned_inputs == {}


async def test_assigning_ids_of_the_wrong_kind_or_unknown(t: TwoParty) -> None:
    as_output = t.alice_in.replace("input-", "output-")
    await refused(
        t.svc.assign_data(ALICE, m.AssignDataRequest(t.task_id, [m.DataMap("in", t.bob_out)])),
        InvalidDataId,
        Code.INVALID_ARGUMENT,
        "invalid data id",
    )
    with pytest.raises(InvalidDataId):
        await t.svc.assign_data(ALICE, m.AssignDataRequest(t.task_id, [], [m.DataMap("out", as_output)]))
    with pytest.raises(InvalidRequest, match="inputs: data_id of 'in'") as info:
        await t.svc.assign_data(ALICE, m.AssignDataRequest(t.task_id, [m.DataMap("in", "not-an-id")]))
    assert info.value.code is Code.INVALID_ARGUMENT


async def test_assign_checks_task_then_participant_then_status(t: TwoParty) -> None:
    request = m.AssignDataRequest(t.task_id, [m.DataMap("in", t.alice_in)])
    await refused(
        t.svc.assign_data(ALICE, m.AssignDataRequest("task-x", [])),
        InvalidTaskId,
        Code.INVALID_ARGUMENT,
        "invalid task id",
    )
    await t.force(status=TaskStatus.Approved)
    with pytest.raises(PermissionDenied):
        await t.svc.assign_data(CAROL, request)
    await refused(
        t.svc.assign_data(ALICE, request), TaskAssignDataError, Code.UNKNOWN, "failed to assign data to task"
    )


async def test_assigning_an_output_that_already_holds_a_result(t: TwoParty, kv: MemoryKeyValueStore) -> None:
    """Teahouse fix: Teaclave accepts it and the run's result update fails later."""
    key = t.bob_out.encode()
    rec = OutputFile.from_bytes(await kv.get(key) or b"")
    await kv.put(key, OutputFile(rec.url, CMAC, rec.crypto_info, rec.owner, rec.uuid).to_bytes())
    with pytest.raises(OutputAlreadyWritten) as info:
        await t.assign_bob()
    assert info.value.code is Code.INVALID_ARGUMENT
    assert "already holds a result" in info.value.message
    assert (await t.record()).assigned_outputs == {}


# ApproveTask


async def test_approving_as_non_participant(t: TwoParty) -> None:
    await t.assign_alice()
    await t.assign_bob()
    await refused(
        t.svc.approve_task(CAROL, t.request), PermissionDenied, Code.PERMISSION_DENIED, "permission denied"
    )
    await refused(
        t.svc.approve_task(ADMIN, t.request), PermissionDenied, Code.PERMISSION_DENIED, "permission denied"
    )


async def test_approving_before_all_data_is_assigned(t: TwoParty) -> None:
    await refused(
        t.svc.approve_task(ALICE, t.request), TaskApproveError, Code.UNKNOWN, "failed to approve task"
    )


async def test_approval_is_idempotent(t: TwoParty) -> None:
    await t.assign_alice()
    await t.assign_bob()
    await t.svc.approve_task(ALICE, t.request)
    await t.svc.approve_task(ALICE, t.request)
    record = await t.record()
    assert (record.status, record.approved_users) == (TaskStatus.DataAssigned, {"alice"})


# InvokeTask


async def test_invoking_before_every_participant_approved(t: TwoParty) -> None:
    await t.assign_alice()
    await t.assign_bob()
    await t.svc.approve_task(ALICE, t.request)
    await refused(t.svc.invoke_task(ALICE, t.request), TaskInvokeError, Code.UNKNOWN, "failed to invoke task")


async def test_invoking_as_non_creator(t: TwoParty) -> None:
    await ready(t)
    for caller in (BOB, ADMIN, FOWNER):
        await refused(
            t.svc.invoke_task(caller, t.request),
            PermissionDenied,
            Code.PERMISSION_DENIED,
            "permission denied",
        )
    assert await t.status() is TaskStatus.Approved


async def test_exceeding_the_usage_quota(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    first = await two_party(svc, kv, quota=1)
    await ready(first)
    await svc.invoke_task(ALICE, first.request)
    second_id = (
        await svc.create_task(
            ALICE,
            m.CreateTaskRequest(
                first.function_id,
                json.dumps({"x": 2}),
                "builtin",
                [m.OwnerList("in", ["alice"])],
                [m.OwnerList("out", ["bob"])],
            ),
        )
    ).task_id
    second = TwoParty(svc, kv, first.function_id, second_id, first.alice_in, await Files(svc).output(BOB))
    await ready(second)
    await refused(
        svc.invoke_task(ALICE, second.request),
        FunctionQuotaError,
        Code.UNKNOWN,
        "function quota has been used up",
    )
    usage = await svc.get_function_usage_stats(ALICE, m.FunctionIdRequest(first.function_id))
    assert (usage.function_quota, usage.current_usage) == (1, 1)


async def test_quota_zero_is_never_runnable(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    t = await two_party(svc, kv, quota=0)
    await ready(t)
    with pytest.raises(FunctionQuotaError):
        await svc.invoke_task(ALICE, t.request)


async def test_invoking_when_the_function_was_deleted(t: TwoParty) -> None:
    await ready(t)
    await t.svc.delete_function(FOWNER, m.FunctionIdRequest(t.function_id))
    await refused(
        t.svc.invoke_task(ALICE, t.request), InvalidFunctionId, Code.INVALID_ARGUMENT, "invalid function id"
    )


async def test_invoking_when_the_function_was_disabled(t: TwoParty) -> None:
    """Teahouse fix: a disabled function (public here) runs no task, even one created before."""
    await ready(t)
    await t.svc.disable_function(FOWNER, m.FunctionIdRequest(t.function_id))
    with pytest.raises(FunctionDisabled):
        await t.svc.invoke_task(ALICE, t.request)
    assert await t.status() is TaskStatus.Approved


async def test_staged_task_uses_the_current_function_and_the_create_time_arguments(
    t: TwoParty, kv: MemoryKeyValueStore
) -> None:
    await ready(t)
    update = m.UpdateFunctionRequest(
        t.function_id, "renamed", executor_type="python", payload=b"new", arguments=[]
    )
    await t.svc.update_function(FOWNER, update)
    await t.svc.invoke_task(ALICE, t.request)
    staged = StagedTask.from_bytes(await kv.dequeue(STAGED_TASK_QUEUE) or b"")
    assert (staged.function_name, staged.function_payload, staged.function_arguments) == (
        "renamed",
        b"new",
        {"x": 1},
    )


async def test_invoke_is_atomic(t: TwoParty, kv: MemoryKeyValueStore) -> None:
    """The task's Staged state, the queue entry and the usage count land in one commit."""
    await ready(t)
    commits = []
    original = kv.commit

    async def spy(batch: object) -> None:
        commits.append(batch)
        await original(batch)  # type: ignore[arg-type]

    kv.commit = spy  # type: ignore[method-assign]
    await t.svc.invoke_task(ALICE, t.request)
    (batch,) = commits
    assert sorted(k.split(b"-")[0] for k, _ in batch.puts) == [b"task", b"usage"]  # type: ignore[attr-defined]
    assert [q for q, _ in batch.enqueues] == [STAGED_TASK_QUEUE]  # type: ignore[attr-defined]
    assert {k.split(b"-")[0] for k, _ in batch.expects} >= {b"task", b"usage", b"function"}  # type: ignore[attr-defined]


async def test_invalid_task_message(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    t = await two_party(svc, kv)
    await refused(
        svc.create_task(ALICE, m.CreateTaskRequest(t.function_id, json.dumps({"x": 1, "y": 2}), "builtin")),
        InvalidTask,
        Code.INVALID_ARGUMENT,
        "invalid task",
    )


# CancelTask


async def test_cancel_rules(t: TwoParty) -> None:
    await refused(
        t.svc.cancel_task(BOB, t.request), PermissionDenied, Code.PERMISSION_DENIED, "permission denied"
    )
    await t.svc.cancel_task(ADMIN, t.request)  # an admin may cancel without being a participant
    assert await t.status() is TaskStatus.Canceled


async def test_cancelling_a_finished_task(t: TwoParty) -> None:
    await t.force(status=TaskStatus.Finished)
    await refused(
        t.svc.cancel_task(ALICE, t.request),
        TaskCancelError,
        Code.UNKNOWN,
        "failed to cancel task, reason: task has already been canceled",
    )
