"""Functions, data files and multi-party tasks through the real frontend, up to staging
(spec/behaviour.md §1.5, §9); tasks that run are covered by test_tasks*.py."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from grpclib.const import Status

from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe

from .wire import Metadata, Wire, status_of

pytestmark = pytest.mark.e2e

STAGED = common.TaskStatus.Staged
TF128 = common.FileCryptoInfo(schema="teaclave-file-128", key=bytes(16))


async def register_function(wire: Wire, md: Metadata, **fields: object) -> str:
    request = fe.RegisterFunctionRequest(
        name=str(fields.pop("name", "builtin-echo")),
        executor_type=str(fields.pop("executor_type", "builtin")),
        public=bool(fields.pop("public", True)),
        usage_quota=int(fields.pop("usage_quota", -1)),  # type: ignore[call-overload]
        **fields,  # type: ignore[arg-type]
    )
    return (await wire.frontend.RegisterFunction(request, metadata=md)).function_id


async def input_file(wire: Wire, md: Metadata) -> str:
    request = fe.RegisterInputFileRequest(
        url=f"http://localhost:6789/{uuid.uuid4()}.enc", cmac=b"\x01" * 16, crypto_info=TF128
    )
    return (await wire.frontend.RegisterInputFile(request, metadata=md)).data_id


async def output_file(wire: Wire, md: Metadata) -> str:
    request = fe.RegisterOutputFileRequest(url=f"http://localhost:6789/{uuid.uuid4()}.out", crypto_info=TF128)
    return (await wire.frontend.RegisterOutputFile(request, metadata=md)).data_id


async def get_task(wire: Wire, md: Metadata, task_id: str) -> fe.GetTaskResponse:
    return await wire.frontend.GetTask(fe.GetTaskRequest(task_id=task_id), metadata=md)


def owners(name: str, *uids: str) -> fe.OwnerList:
    return fe.OwnerList(data_name=name, uids=list(uids))


async def test_single_user_echo_is_staged_without_approval(wire: Wire, admin: Metadata) -> None:
    fid = await register_function(
        wire, admin, arguments=[fe.FunctionArgument(key="message", allow_overwrite=True)]
    )
    assert fid.startswith("function-")
    task_id = (
        await wire.frontend.CreateTask(
            fe.CreateTaskRequest(
                function_id=fid, function_arguments=json.dumps({"message": "Hello"}), executor="builtin"
            ),
            metadata=admin,
        )
    ).task_id
    assert task_id.startswith("task-")
    await wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=admin)
    task = await get_task(wire, admin, task_id)
    assert task.status in (STAGED, common.TaskStatus.Running, common.TaskStatus.Finished)
    assert json.loads(task.function_arguments) == {"message": "Hello"}
    assert list(task.participants) == ["admin"]
    stats = await wire.frontend.GetFunctionUsageStats(
        fe.GetFunctionUsageStatsRequest(function_id=fid), metadata=admin
    )
    assert (stats.function_quota, stats.current_usage) == (-1, 1)


@pytest.fixture
async def two_parties(wire: Wire, admin: Metadata) -> tuple[Metadata, Metadata]:
    return (
        await wire.new_user(admin, "PlatformAdmin", prefix="psi0"),
        await wire.new_user(admin, "PlatformAdmin", prefix="psi1"),
    )


async def create_psi_task(wire: Wire, user0: Metadata, user1: Metadata) -> tuple[str, str]:
    fid = await register_function(
        wire,
        user0,
        name="builtin-ordered-set-intersect",
        arguments=[fe.FunctionArgument(key="order", default_value="", allow_overwrite=True)],
        inputs=[fe.FunctionInput(name="input_data1"), fe.FunctionInput(name="input_data2")],
        outputs=[fe.FunctionOutput(name="output_result1"), fe.FunctionOutput(name="output_result2")],
    )
    request = fe.CreateTaskRequest(
        function_id=fid,
        function_arguments=json.dumps({"order": "ascending"}),
        executor="builtin",
        inputs_ownership=[owners("input_data1", user0["id"]), owners("input_data2", user1["id"])],
        outputs_ownership=[owners("output_result1", user0["id"]), owners("output_result2", user1["id"])],
    )
    return fid, (await wire.frontend.CreateTask(request, metadata=user0)).task_id


async def test_two_party_intersection_assign_approve_invoke(
    wire: Wire, two_parties: tuple[Metadata, Metadata]
) -> None:
    user0, user1 = two_parties
    _, task_id = await create_psi_task(wire, user0, user1)
    await wire.frontend.AssignData(
        fe.AssignDataRequest(
            task_id=task_id,
            inputs=[fe.DataMap(data_name="input_data1", data_id=await input_file(wire, user0))],
            outputs=[fe.DataMap(data_name="output_result1", data_id=await output_file(wire, user0))],
        ),
        metadata=user0,
    )
    assert (await get_task(wire, user0, task_id)).status == common.TaskStatus.Created
    # Invoking before every participant approved is refused.
    assert await status_of(
        wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=user0)
    ) == (
        Status.UNKNOWN,
        "failed to invoke task",
    )
    await wire.frontend.AssignData(
        fe.AssignDataRequest(
            task_id=task_id,
            inputs=[fe.DataMap(data_name="input_data2", data_id=await input_file(wire, user1))],
            outputs=[fe.DataMap(data_name="output_result2", data_id=await output_file(wire, user1))],
        ),
        metadata=user1,
    )
    assert (await get_task(wire, user1, task_id)).status == common.TaskStatus.DataAssigned
    await wire.frontend.ApproveTask(fe.ApproveTaskRequest(task_id=task_id), metadata=user0)
    assert await status_of(
        wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=user0)
    ) == (
        Status.UNKNOWN,
        "failed to invoke task",
    )
    await wire.frontend.ApproveTask(fe.ApproveTaskRequest(task_id=task_id), metadata=user1)
    assert (await get_task(wire, user0, task_id)).status == common.TaskStatus.Approved
    # Only the creator invokes.
    assert await status_of(
        wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=user1)
    ) == (
        Status.PERMISSION_DENIED,
        "permission denied",
    )
    await wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=user0)
    task = await get_task(wire, user1, task_id)
    assert task.status >= STAGED
    assert sorted(task.participants) == sorted([user0["id"], user1["id"]])
    assert sorted(task.approved_users) == sorted([user0["id"], user1["id"]])


async def test_four_party_private_join_with_a_creator_who_owns_no_data(wire: Wire, admin: Metadata) -> None:
    banks = [await wire.new_user(admin, "PlatformAdmin", prefix=f"bank{i}") for i in range(3)]
    creator = await wire.new_user(admin, "PlatformAdmin", prefix="joiner")
    fid = await register_function(
        wire,
        creator,
        name="builtin-private-join-and-compute",
        arguments=[fe.FunctionArgument(key="num_user", allow_overwrite=True)],
        inputs=[fe.FunctionInput(name=f"input_data{i}") for i in range(3)],
        outputs=[fe.FunctionOutput(name=f"output_data{i}") for i in range(3)],
    )
    request = fe.CreateTaskRequest(
        function_id=fid,
        function_arguments=json.dumps({"num_user": 3}),
        executor="builtin",
        inputs_ownership=[owners(f"input_data{i}", b["id"]) for i, b in enumerate(banks)],
        outputs_ownership=[owners(f"output_data{i}", b["id"]) for i, b in enumerate(banks)],
    )
    task_id = (await wire.frontend.CreateTask(request, metadata=creator)).task_id
    for i, bank in enumerate(banks):
        await wire.frontend.AssignData(
            fe.AssignDataRequest(
                task_id=task_id,
                inputs=[fe.DataMap(data_name=f"input_data{i}", data_id=await input_file(wire, bank))],
                outputs=[fe.DataMap(data_name=f"output_data{i}", data_id=await output_file(wire, bank))],
            ),
            metadata=bank,
        )
    for party in [*banks, creator]:
        await wire.frontend.ApproveTask(fe.ApproveTaskRequest(task_id=task_id), metadata=party)
    await wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=creator)
    task = await get_task(wire, creator, task_id)
    assert task.status >= STAGED
    assert len(task.participants) == 4


async def test_optional_inputs_may_be_left_out(wire: Wire, admin: Metadata) -> None:
    fid = await register_function(
        wire,
        admin,
        name="mesapy-echo",
        executor_type="python",
        payload=b"def entrypoint(argv):\n    return 'x'\n",
        inputs=[fe.FunctionInput(name=f"input_data{i}", optional=True) for i in (1, 2, 3)],
    )
    request = fe.CreateTaskRequest(function_id=fid, function_arguments="{}", executor="mesapy")
    task_id = (await wire.frontend.CreateTask(request, metadata=admin)).task_id
    await wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=admin)
    assert (await get_task(wire, admin, task_id)).status >= STAGED


async def test_disable_function_listing(wire: Wire, admin: Metadata) -> None:
    user = await wire.new_user(admin, "PlatformAdmin", prefix="disable")
    await register_function(wire, user, name="func_test1", arguments=[fe.FunctionArgument(key="num_user")])
    second = await register_function(
        wire, user, name="func_test1", arguments=[fe.FunctionArgument(key="num_user")]
    )
    listed = await wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id=user["id"]), metadata=user)
    assert len(listed.registered_functions) == 2
    await wire.frontend.DisableFunction(fe.DisableFunctionRequest(function_id=second), metadata=user)
    listed = await wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id=user["id"]), metadata=user)
    assert len(listed.registered_functions) == 1 and second not in listed.registered_functions


async def test_refusals(wire: Wire, admin: Metadata) -> None:
    alice = await wire.new_user(admin, "DataOwner", "a", prefix="alice")
    bob = await wire.new_user(admin, "DataOwner", "b", prefix="bob")
    mallory = await wire.new_user(admin, "DataOwner", "m", prefix="mallory")
    owner = await wire.new_user(admin, "FunctionOwner", prefix="fo")
    fid = await register_function(
        wire,
        owner,
        name="builtin-ordered-set-intersect",
        arguments=[fe.FunctionArgument(key="order", allow_overwrite=True)],
        inputs=[fe.FunctionInput(name="input_data1"), fe.FunctionInput(name="input_data2")],
        usage_quota=1,
    )
    create = fe.CreateTaskRequest(
        function_id=fid,
        function_arguments=json.dumps({"order": "ascending"}),
        executor="builtin",
        inputs_ownership=[owners("input_data1", alice["id"]), owners("input_data2", bob["id"])],
    )
    task_id = (await wire.frontend.CreateTask(create, metadata=alice)).task_id
    bobs_file = await input_file(wire, bob)
    denied = (Status.PERMISSION_DENIED, "permission denied")

    def assign(md: Metadata, name: str, data_id: str):  # type: ignore[no-untyped-def]
        request = fe.AssignDataRequest(task_id=task_id, inputs=[fe.DataMap(data_name=name, data_id=data_id)])
        return wire.frontend.AssignData(request, metadata=md)

    # A file one does not own; a file whose owner set does not match the declared owners.
    assert await status_of(assign(alice, "input_data1", bobs_file)) == denied
    assert await status_of(assign(bob, "input_data1", bobs_file)) == denied
    await assign(alice, "input_data1", await input_file(wire, alice))
    await assign(bob, "input_data2", bobs_file)
    # Approving as a non-participant; invoking before approval; invoking as a non-creator.
    assert (
        await status_of(wire.frontend.ApproveTask(fe.ApproveTaskRequest(task_id=task_id), metadata=mallory))
        == denied
    )
    invoke = fe.InvokeTaskRequest(task_id=task_id)
    assert await status_of(wire.frontend.InvokeTask(invoke, metadata=alice)) == (
        Status.UNKNOWN,
        "failed to invoke task",
    )
    await wire.frontend.ApproveTask(fe.ApproveTaskRequest(task_id=task_id), metadata=alice)
    await wire.frontend.ApproveTask(fe.ApproveTaskRequest(task_id=task_id), metadata=bob)
    assert await status_of(wire.frontend.InvokeTask(invoke, metadata=bob)) == denied
    await wire.frontend.InvokeTask(invoke, metadata=alice)
    # Exceeding the usage quota (1).
    second = (await wire.frontend.CreateTask(create, metadata=alice)).task_id
    quota_status = await status_of(
        wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=second), metadata=alice)
    )
    assert quota_status == (Status.UNKNOWN, "function quota has been used up")
    # Unknown argument keys.
    bad_args = fe.CreateTaskRequest(
        function_id=fid,
        function_arguments=json.dumps({"order": "ascending", "extra": 1}),
        executor="builtin",
        inputs_ownership=create.inputs_ownership,
    )
    assert await status_of(wire.frontend.CreateTask(bad_args, metadata=alice)) == (
        Status.INVALID_ARGUMENT,
        "invalid task",
    )
    # A private function one is not allowed to use.
    private = await register_function(
        wire, owner, name="builtin-echo", public=False, user_allowlist=[bob["id"]]
    )
    private_task = fe.CreateTaskRequest(function_id=private, function_arguments="{}", executor="builtin")
    assert await status_of(wire.frontend.CreateTask(private_task, metadata=alice)) == denied
    await wire.frontend.CreateTask(private_task, metadata=bob)
    # Cancelling a finished (here: already canceled) task.
    third = (await wire.frontend.CreateTask(create, metadata=alice)).task_id
    await wire.frontend.CancelTask(fe.CancelTaskRequest(task_id=third), metadata=alice)
    assert (await get_task(wire, alice, third)).status == common.TaskStatus.Canceled
    assert await status_of(wire.frontend.CancelTask(fe.CancelTaskRequest(task_id=third), metadata=alice)) == (
        Status.UNKNOWN,
        "failed to cancel task, reason: task has already been canceled",
    )


async def test_concurrent_approvals_and_assignments_lose_no_update(wire: Wire, admin: Metadata) -> None:
    parties = await asyncio.gather(*(wire.new_user(admin, "PlatformAdmin", prefix="crowd") for _ in range(8)))
    fid = await register_function(
        wire, parties[0], inputs=[fe.FunctionInput(name=f"in{i}") for i in range(len(parties))]
    )
    request = fe.CreateTaskRequest(
        function_id=fid,
        function_arguments="{}",
        executor="builtin",
        inputs_ownership=[owners(f"in{i}", p["id"]) for i, p in enumerate(parties)],
    )
    task_id = (await wire.frontend.CreateTask(request, metadata=parties[0])).task_id
    files = await asyncio.gather(*(input_file(wire, p) for p in parties))
    await asyncio.gather(
        *(
            wire.frontend.AssignData(
                fe.AssignDataRequest(
                    task_id=task_id, inputs=[fe.DataMap(data_name=f"in{i}", data_id=files[i])]
                ),
                metadata=p,
            )
            for i, p in enumerate(parties)
        )
    )
    task = await get_task(wire, parties[0], task_id)
    assert len(task.assigned_inputs) == len(parties) and task.status == common.TaskStatus.DataAssigned
    await asyncio.gather(
        *(wire.frontend.ApproveTask(fe.ApproveTaskRequest(task_id=task_id), metadata=p) for p in parties)
    )
    task = await get_task(wire, parties[0], task_id)
    assert sorted(task.approved_users) == sorted(p["id"] for p in parties)
    assert task.status == common.TaskStatus.Approved
