"""The state machine table of spec/behaviour.md §1.4, cell by cell, for management's four events."""

from __future__ import annotations

import pytest

from teahouse.kv import MemoryKeyValueStore
from teahouse.model import CANCEL_QUEUE, STAGED_TASK_QUEUE, TaskFailure, TaskState, TaskStatus
from teahouse.services.management import ManagementService
from teahouse.services.management.errors import (
    TaskApproveError,
    TaskAssignDataError,
    TaskCancelError,
    TaskInvokeError,
)

from ._task_helpers import ALICE, BOB, TwoParty, two_party

NONE: frozenset[str] = frozenset()
ALICE_ONLY = frozenset({"alice"})
BOTH = frozenset({"alice", "bob"})
ENDED = (TaskStatus.Finished, TaskStatus.Failed, TaskStatus.Canceled)


async def put_in(t: TwoParty, status: TaskStatus, *, all_data: bool, approved: frozenset[str]) -> None:
    await t.assign_alice()
    if all_data:
        await t.assign_bob()
    await t.force(status=status, approved_users=approved)


async def fire(t: TwoParty, event: str) -> None:
    if event == "assign":
        await t.assign_bob() if (await t.record()).assigned_outputs == {} else await t.assign_alice()
    elif event == "approve":
        await t.svc.approve_task(BOB, t.request)
    elif event == "invoke":
        await t.svc.invoke_task(ALICE, t.request)
    elif event == "cancel":
        await t.svc.cancel_task(ALICE, t.request)


CELLS = [
    # (from, all data assigned, approved before, event, expected status or error)
    (TaskStatus.Created, False, NONE, "assign", TaskStatus.DataAssigned),
    (TaskStatus.Created, False, NONE, "approve", TaskApproveError),
    (TaskStatus.Created, True, NONE, "approve", TaskStatus.DataAssigned),
    (TaskStatus.Created, True, ALICE_ONLY, "approve", TaskStatus.Approved),
    (TaskStatus.Created, False, BOTH, "invoke", TaskInvokeError),
    (TaskStatus.Created, True, ALICE_ONLY, "invoke", TaskInvokeError),
    (TaskStatus.Created, True, BOTH, "invoke", TaskStatus.Staged),
    (TaskStatus.Created, False, NONE, "cancel", TaskStatus.Canceled),
    (TaskStatus.DataAssigned, True, NONE, "assign", TaskAssignDataError),
    (TaskStatus.DataAssigned, True, NONE, "approve", TaskStatus.DataAssigned),
    (TaskStatus.DataAssigned, True, ALICE_ONLY, "approve", TaskStatus.Approved),
    (TaskStatus.DataAssigned, True, ALICE_ONLY, "invoke", TaskInvokeError),
    (TaskStatus.DataAssigned, True, BOTH, "invoke", TaskStatus.Staged),
    (TaskStatus.DataAssigned, True, NONE, "cancel", TaskStatus.Canceled),
    (TaskStatus.Approved, True, BOTH, "assign", TaskAssignDataError),
    (TaskStatus.Approved, True, BOTH, "approve", TaskApproveError),
    (TaskStatus.Approved, True, BOTH, "invoke", TaskStatus.Staged),
    (TaskStatus.Approved, True, BOTH, "cancel", TaskStatus.Canceled),
    *[
        (status, True, BOTH, event, error)
        for status in (TaskStatus.Staged, TaskStatus.Running, *ENDED)
        for event, error in (
            ("assign", TaskAssignDataError),
            ("approve", TaskApproveError),
            ("invoke", TaskInvokeError),
        )
    ],
    (TaskStatus.Staged, True, BOTH, "cancel", TaskStatus.Staged),
    (TaskStatus.Running, True, BOTH, "cancel", TaskStatus.Running),
    *[(status, True, BOTH, "cancel", TaskCancelError) for status in ENDED],
]


@pytest.mark.parametrize(
    ("start", "all_data", "approved", "event", "expected"),
    CELLS,
    ids=[f"{c[0].name}-{'all' if c[1] else 'part'}-{len(c[2])}approved-{c[3]}" for c in CELLS],
)
async def test_cell(
    svc: ManagementService,
    kv: MemoryKeyValueStore,
    start: TaskStatus,
    all_data: bool,
    approved: frozenset[str],
    event: str,
    expected: TaskStatus | type[Exception],
) -> None:
    t = await two_party(svc, kv)
    await put_in(t, start, all_data=all_data, approved=approved)
    before = await t.record()
    if isinstance(expected, TaskStatus):
        await fire(t, event)
        assert await t.status() is expected
    else:
        with pytest.raises(expected):
            await fire(t, event)
        assert await t.record() == before  # a refused event changes nothing


async def test_partial_assignment_stays_created(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    t = await two_party(svc, kv)
    await t.assign_alice()
    assert await t.status() is TaskStatus.Created


async def test_assignment_never_jumps_past_data_assigned_even_for_one_participant(
    svc: ManagementService, kv: MemoryKeyValueStore
) -> None:
    t = await two_party(svc, kv)
    await t.force(participants=frozenset({"alice"}), outputs_ownership={"out": frozenset({"alice"})})
    await t.assign_alice()
    record = await t.record()
    assert record.status is TaskStatus.Created and record.everyone_approved


async def test_early_cancel_records_the_reason(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    t = await two_party(svc, kv)
    await t.svc.cancel_task(ALICE, t.request)
    record = await t.record()
    assert (record.status, record.result) == (TaskStatus.Canceled, TaskFailure("Task canceled"))
    assert await kv.dequeue(CANCEL_QUEUE) is None


@pytest.mark.parametrize("status", [TaskStatus.Staged, TaskStatus.Running])
async def test_cancel_of_a_staged_or_running_task_only_enqueues_it(
    svc: ManagementService, kv: MemoryKeyValueStore, status: TaskStatus
) -> None:
    t = await two_party(svc, kv)
    await put_in(t, status, all_data=True, approved=BOTH)
    await t.svc.cancel_task(ALICE, t.request)
    await t.svc.cancel_task(ALICE, t.request)  # each request is queued again; the scheduler dedupes
    for _ in range(2):
        queued = await kv.dequeue(CANCEL_QUEUE)
        assert queued is not None and TaskState.from_bytes(queued) == await t.record()
    assert await kv.dequeue(CANCEL_QUEUE) is None
    assert await kv.dequeue(STAGED_TASK_QUEUE) is None


async def test_cancel_of_an_ended_task_message(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    t = await two_party(svc, kv)
    await t.force(status=TaskStatus.Finished)
    with pytest.raises(TaskCancelError) as info:
        await t.svc.cancel_task(ALICE, t.request)
    assert (info.value.code, info.value.message) == (
        2,
        "failed to cancel task, reason: task has already been canceled",
    )
