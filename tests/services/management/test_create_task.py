"""CreateTask (spec/behaviour.md §1.5) and GetTask."""

from __future__ import annotations

import json

import pytest

from teahouse.errors import Code, PermissionDenied
from teahouse.kv import MemoryKeyValueStore
from teahouse.model import ExternalID, FunctionArgument, FunctionInput, FunctionOutput, TaskState, TaskStatus
from teahouse.services.management import Caller, ManagementService
from teahouse.services.management import messages as m
from teahouse.services.management.errors import (
    FunctionDisabled,
    InvalidFunctionId,
    InvalidRequest,
    InvalidTask,
)

from .conftest import ADMIN, data_owner

FOWNER = Caller("fowner", "FunctionOwner")
ALICE = data_owner("alice", "bank")
BOB = data_owner("bob", "bank")


async def function(svc: ManagementService, **kw: object) -> str:
    base: dict[str, object] = {
        "name": "f",
        "public": True,
        "arguments": [
            FunctionArgument("order", "", True),
            FunctionArgument("fixed", "42", False),
        ],
        "inputs": [FunctionInput("in1"), FunctionInput("in2", optional=True)],
        "outputs": [FunctionOutput("out1"), FunctionOutput("out2", optional=True)],
    }
    return (await svc.register_function(FOWNER, m.RegisterFunctionRequest(**(base | kw)))).function_id  # type: ignore[arg-type]


def create(fid: str, args: object = None, **kw: object) -> m.CreateTaskRequest:
    base: dict[str, object] = {
        "function_id": fid,
        "function_arguments": json.dumps({"order": "ascending"} if args is None else args),
        "executor": "builtin",
        "inputs_ownership": [m.OwnerList("in1", ["alice"])],
        "outputs_ownership": [m.OwnerList("out1", ["alice", "bob"])],
    }
    return m.CreateTaskRequest(**(base | kw))  # type: ignore[arg-type]


async def test_create_task_builds_the_record(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    fid = await function(svc)
    task_id = (await svc.create_task(ALICE, create(fid, {"order": [3, {"x": None}]}))).task_id
    task = TaskState.from_bytes(await kv.get(ExternalID.parse(task_id, "task").key) or b"")
    assert task.status is TaskStatus.Created
    assert task.creator == "alice" and task.function_owner == "fowner"
    assert task.function_arguments == {
        "order": [3, {"x": None}],
        "fixed": "42",
    }  # non-overwritable as a string
    assert task.participants == {"alice", "bob"}  # public function: its owner is not a participant
    view = await svc.get_task(BOB, m.TaskIdRequest(task_id))
    assert view.function_arguments == '{"fixed":"42","order":[3,{"x":null}]}'
    assert view.inputs_ownership == [m.OwnerList("in1", ["alice"])]
    assert view.outputs_ownership == [m.OwnerList("out1", ["alice", "bob"])]
    assert (view.task_id, view.function_id, view.status) == (task_id, fid, TaskStatus.Created)
    assert view.participants == ["alice", "bob"] and view.approved_users == []


async def test_private_function_makes_its_owner_a_participant(svc: ManagementService) -> None:
    fid = await function(svc, public=False, user_allowlist=["alice"])
    task_id = (await svc.create_task(ALICE, create(fid))).task_id
    assert (await svc.get_task(FOWNER, m.TaskIdRequest(task_id))).participants == ["alice", "bob", "fowner"]


async def test_allowlist_is_checked_against_the_user_id(svc: ManagementService) -> None:
    """Teahouse fix: Teaclave compares the allow-list with the role *attribute* (here 'bank')."""
    fid = await function(svc, public=False, user_allowlist=["alice"])
    await svc.create_task(ALICE, create(fid))
    with pytest.raises(PermissionDenied):
        await svc.create_task(BOB, create(fid))
    by_attribute = await function(svc, public=False, user_allowlist=["bank"])
    with pytest.raises(PermissionDenied):  # Teaclave would let every DataOwner-bank in
        await svc.create_task(ALICE, create(by_attribute))


@pytest.mark.parametrize(
    ("caller", "allowed"),
    [
        (ADMIN, True),
        (Caller("m", "DataOwnerManager-x"), True),
        (Caller("m", "FunctionOwner"), False),
        (Caller("m", "Invalid"), False),
        (Caller("m", "Nonsense"), False),
    ],
)
async def test_role_gate(svc: ManagementService, caller: Caller, allowed: bool) -> None:
    fid = await function(svc)
    if allowed:
        await svc.create_task(caller, create(fid))
    else:
        with pytest.raises(PermissionDenied):
            await svc.create_task(caller, create(fid))


async def test_admin_passes_the_gate_of_a_private_function(svc: ManagementService) -> None:
    fid = await function(svc, public=False)
    await svc.create_task(ADMIN, create(fid))


async def test_unknown_function(svc: ManagementService) -> None:
    with pytest.raises(InvalidFunctionId):
        await svc.create_task(ALICE, create("function-00000000-0000-4000-8000-000000000000"))


@pytest.mark.parametrize(
    "args",
    [
        {},  # a missing overwritable key
        {"order": "a", "extra": 1},  # an unknown key
        {"order": "a", "fixed": "7"},  # a non-overwritable key
    ],
)
async def test_argument_keys_must_be_exactly_the_overwritable_ones(
    svc: ManagementService, args: object
) -> None:
    fid = await function(svc)
    with pytest.raises(InvalidTask) as info:
        await svc.create_task(ALICE, create(fid, args))
    assert (info.value.code, info.value.message) == (Code.INVALID_ARGUMENT, "invalid task")


@pytest.mark.parametrize(
    ("inputs", "outputs", "ok"),
    [
        ([m.OwnerList("in1", ["alice"])], [m.OwnerList("out1", ["bob"])], True),
        ([m.OwnerList("in1", ["a"]), m.OwnerList("in2", ["b"])], [m.OwnerList("out1", ["b"])], True),
        ([], [m.OwnerList("out1", ["bob"])], False),  # mandatory input missing
        ([m.OwnerList("in1", ["a"])], [], False),  # mandatory output missing
        (
            [m.OwnerList("in1", ["a"]), m.OwnerList("in3", ["a"])],
            [m.OwnerList("out1", ["b"])],
            False,
        ),  # unknown
        ([m.OwnerList("in1", ["a"])], [m.OwnerList("out1", ["b"]), m.OwnerList("in1", ["b"])], False),
    ],
)
async def test_data_names_must_cover_the_mandatory_ones_and_nothing_else(
    svc: ManagementService, inputs: list[m.OwnerList], outputs: list[m.OwnerList], ok: bool
) -> None:
    fid = await function(svc)
    request = create(fid, inputs_ownership=inputs, outputs_ownership=outputs)
    if ok:
        await svc.create_task(ALICE, request)
    else:
        with pytest.raises(InvalidTask):
            await svc.create_task(ALICE, request)


async def test_owner_lists_are_sets(svc: ManagementService) -> None:
    fid = await function(svc)
    request = create(fid, inputs_ownership=[m.OwnerList("in1", ["bob", "alice", "bob"])])
    task_id = (await svc.create_task(ALICE, request)).task_id
    assert (await svc.get_task(ALICE, m.TaskIdRequest(task_id))).inputs_ownership == [
        m.OwnerList("in1", ["alice", "bob"])
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"executor": "java"}, "executor: unknown value 'java'"),
        ({"function_arguments": "[1, 2]"}, "function_arguments: must be a JSON object, got list"),
        ({"function_arguments": "{"}, "function_arguments: not valid JSON"),
        ({"function_arguments": '{"order": NaN}'}, "function_arguments: not valid JSON"),
        (
            {"inputs_ownership": [m.OwnerList("in1", ["a"]), m.OwnerList("in1", ["b"])]},
            "'in1' is listed twice",
        ),
    ],
)
async def test_request_parse_errors_are_invalid_arguments(
    svc: ManagementService, changes: dict[str, object], message: str
) -> None:
    fid = await function(svc)
    with pytest.raises(InvalidRequest, match=message) as info:
        await svc.create_task(ALICE, create(fid, **changes))
    assert info.value.code is Code.INVALID_ARGUMENT


async def test_python_is_an_alias_of_the_mesapy_executor(svc: ManagementService) -> None:
    fid = await function(svc)
    await svc.create_task(ALICE, create(fid, executor="python"))


async def test_disabled_function_cannot_be_used_even_if_public(svc: ManagementService) -> None:
    """Teahouse fix: Teaclave still runs tasks of a disabled public function (and admins' tasks)."""
    fid = await function(svc)
    await svc.disable_function(FOWNER, m.FunctionIdRequest(fid))
    for caller in (ALICE, ADMIN):
        with pytest.raises(FunctionDisabled) as info:
            await svc.create_task(caller, create(fid))
        assert info.value.code is Code.PERMISSION_DENIED


async def test_get_task_is_for_participants_only_without_admin_override(svc: ManagementService) -> None:
    fid = await function(svc)
    task_id = (await svc.create_task(ALICE, create(fid))).task_id
    for outsider in (ADMIN, FOWNER, data_owner("carol")):
        with pytest.raises(PermissionDenied):
            await svc.get_task(outsider, m.TaskIdRequest(task_id))


@pytest.mark.parametrize("bad", ["", "task-x", "function-00000000-0000-4000-8000-000000000000"])
async def test_get_task_of_an_unknown_id(svc: ManagementService, bad: str) -> None:
    from teahouse.services.management.errors import InvalidTaskId

    with pytest.raises(InvalidTaskId) as info:
        await svc.get_task(ALICE, m.TaskIdRequest(bad))
    assert info.value.message == "invalid task id"
