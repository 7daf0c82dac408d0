"""The Python examples of spec/behaviour.md §9, up to the task being staged for the scheduler."""

from __future__ import annotations

import json

from teahouse.kv import MemoryKeyValueStore
from teahouse.model import (
    CANCEL_QUEUE,
    STAGED_TASK_QUEUE,
    Executor,
    ExecutorType,
    FunctionArgument,
    FunctionInput,
    FunctionOutput,
    StagedTask,
    TaskStatus,
)
from teahouse.services.management import Caller, ManagementService
from teahouse.services.management import messages as m

from .conftest import ADMIN, TF128, Files

USER0, USER1, USER2, USER3 = (Caller(f"user{i}", "PlatformAdmin") for i in range(4))
URL = "http://localhost:6789/fixtures/functions/"


async def status(svc: ManagementService, caller: Caller, task_id: str) -> TaskStatus:
    return (await svc.get_task(caller, m.TaskIdRequest(task_id))).status


async def staged(kv: MemoryKeyValueStore) -> StagedTask:
    raw = await kv.dequeue(STAGED_TASK_QUEUE)
    assert raw is not None
    assert await kv.dequeue(STAGED_TASK_QUEUE) is None
    return StagedTask.from_bytes(raw)


async def test_builtin_echo_single_user_invokes_at_once(
    svc: ManagementService, kv: MemoryKeyValueStore
) -> None:
    fid = (
        await svc.register_function(
            ADMIN,
            m.RegisterFunctionRequest(
                "builtin-echo",
                "Native Echo Function",
                "builtin",
                True,
                arguments=[FunctionArgument("message")],
            ),
        )
    ).function_id
    request = m.CreateTaskRequest(fid, json.dumps({"message": "Hello, Teaclave!"}), "builtin")
    task_id = (await svc.create_task(ADMIN, request)).task_id
    await svc.invoke_task(ADMIN, m.TaskIdRequest(task_id))  # one participant: no approval needed
    assert await status(svc, ADMIN, task_id) is TaskStatus.Staged
    task = await staged(kv)
    assert str(task.task_id) == task_id.removeprefix("task-")
    assert (task.user_id, task.function_name, task.executor, task.executor_type) == (
        "admin",
        "builtin-echo",
        Executor.BUILTIN,
        ExecutorType.BUILTIN,
    )
    assert task.function_arguments == {"message": "Hello, Teaclave!"}
    assert (task.input_data, task.output_data) == ({}, {})
    usage = await svc.get_function_usage_stats(ADMIN, m.FunctionIdRequest(fid))
    assert usage.current_usage == 1


async def test_ordered_set_intersection_two_parties(
    svc: ManagementService, kv: MemoryKeyValueStore, files: Files
) -> None:
    fid = (
        await svc.register_function(
            USER0,
            m.RegisterFunctionRequest(
                "builtin-ordered-set-intersect",
                "Native Private Set Intersection",
                arguments=[FunctionArgument("order")],
                inputs=[FunctionInput("input_data1"), FunctionInput("input_data2")],
                outputs=[FunctionOutput("output_result1"), FunctionOutput("output_result2")],
            ),
        )
    ).function_id
    task_id = (
        await svc.create_task(
            USER0,
            m.CreateTaskRequest(
                fid,
                json.dumps({"order": "ascending"}),
                "builtin",
                inputs_ownership=[
                    m.OwnerList("input_data1", ["user0"]),
                    m.OwnerList("input_data2", ["user1"]),
                ],
                outputs_ownership=[
                    m.OwnerList("output_result1", ["user0"]),
                    m.OwnerList("output_result2", ["user1"]),
                ],
            ),
        )
    ).task_id
    in0 = await files.input(USER0, URL + "ordered_set_intersect/psi0.txt.enc")
    out0 = await files.output(USER0, URL + "ordered_set_intersect/output_psi0.enc")
    in1 = await files.input(USER1, URL + "ordered_set_intersect/psi1.txt.enc")
    out1 = await files.output(USER1, URL + "ordered_set_intersect/output_psi1.enc")

    task = m.TaskIdRequest(task_id)
    await svc.assign_data(
        USER0,
        m.AssignDataRequest(task_id, [m.DataMap("input_data1", in0)], [m.DataMap("output_result1", out0)]),
    )
    assert await status(svc, USER0, task_id) is TaskStatus.Created
    await svc.assign_data(
        USER1,
        m.AssignDataRequest(task_id, [m.DataMap("input_data2", in1)], [m.DataMap("output_result2", out1)]),
    )
    assert await status(svc, USER1, task_id) is TaskStatus.DataAssigned
    await svc.approve_task(USER0, task)
    assert await status(svc, USER0, task_id) is TaskStatus.DataAssigned
    await svc.approve_task(USER1, task)
    assert await status(svc, USER0, task_id) is TaskStatus.Approved
    await svc.invoke_task(USER0, task)
    view = await svc.get_task(USER1, task)
    assert view.status is TaskStatus.Staged
    assert view.assigned_inputs == [m.DataMap("input_data1", in0), m.DataMap("input_data2", in1)]
    assert view.approved_users == ["user0", "user1"]

    st = await staged(kv)
    assert set(st.input_data) == {"input_data1", "input_data2"}
    assert st.input_data["input_data1"].url == URL + "ordered_set_intersect/psi0.txt.enc"
    assert st.output_data["output_result2"].url == URL + "ordered_set_intersect/output_psi1.enc"
    assert st.output_data["output_result2"].crypto_info.to_wire() == (TF128.schema, TF128.key, TF128.iv)
    assert st.user_id == "user0"


async def test_private_join_four_parties_creator_owns_no_data(
    svc: ManagementService, kv: MemoryKeyValueStore, files: Files
) -> None:
    parties = (USER0, USER1, USER2)
    fid = (
        await svc.register_function(
            USER3,
            m.RegisterFunctionRequest(
                "builtin-private-join-and-compute",
                arguments=[FunctionArgument("num_user")],
                inputs=[FunctionInput(f"input_data{i}") for i in range(3)],
                outputs=[FunctionOutput(f"output_data{i}") for i in range(3)],
            ),
        )
    ).function_id
    task_id = (
        await svc.create_task(
            USER3,
            m.CreateTaskRequest(
                fid,
                json.dumps({"num_user": 3}),
                "builtin",
                inputs_ownership=[m.OwnerList(f"input_data{i}", [f"user{i}"]) for i in range(3)],
                outputs_ownership=[m.OwnerList(f"output_data{i}", [f"user{i}"]) for i in range(3)],
            ),
        )
    ).task_id
    assert (await svc.get_task(USER3, m.TaskIdRequest(task_id))).participants == [
        "user0",
        "user1",
        "user2",
        "user3",
    ]
    for i, user in enumerate(parties):
        bank = "abc"[i]
        data = await files.input(user, URL + f"three_party_data/bank_{bank}.enc")
        out = await files.output(user, URL + f"three_party_data/user{i}_output.enc")
        await svc.assign_data(
            user,
            m.AssignDataRequest(
                task_id, [m.DataMap(f"input_data{i}", data)], [m.DataMap(f"output_data{i}", out)]
            ),
        )
    for user in parties:
        await svc.approve_task(user, m.TaskIdRequest(task_id))
    assert await status(svc, USER3, task_id) is TaskStatus.DataAssigned  # the creator has not approved yet
    await svc.approve_task(USER3, m.TaskIdRequest(task_id))
    assert await status(svc, USER3, task_id) is TaskStatus.Approved
    await svc.invoke_task(USER3, m.TaskIdRequest(task_id))
    st = await staged(kv)
    assert st.function_arguments == {"num_user": 3}  # typed JSON kept as given
    assert len(st.input_data) == len(st.output_data) == 3


async def test_optional_inputs_left_out(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    """mesapy_optional_files.py (a): no inputs at all, single user, invoke at once."""
    user_a = Caller("user_a", "PlatformAdmin")
    fid = (
        await svc.register_function(
            user_a,
            m.RegisterFunctionRequest(
                "mesapy-echo",
                executor_type="python",
                payload=b"def entrypoint(argv): ...",
                inputs=[FunctionInput(f"input_data{i}", optional=True) for i in (1, 2, 3)],
            ),
        )
    ).function_id
    task_id = (await svc.create_task(user_a, m.CreateTaskRequest(fid, "{}", "mesapy"))).task_id
    await svc.invoke_task(user_a, m.TaskIdRequest(task_id))
    st = await staged(kv)
    assert st.input_data == {} and st.executor is Executor.MESAPY and st.executor_type is ExecutorType.PYTHON
    assert st.function_payload == b"def entrypoint(argv): ..."


async def test_optional_inputs_two_owners(
    svc: ManagementService, kv: MemoryKeyValueStore, files: Files
) -> None:
    """mesapy_optional_files.py (c): two of three optional inputs, one per user."""
    user_a, user_b = Caller("user_a", "PlatformAdmin"), Caller("user_b", "PlatformAdmin")
    fid = (
        await svc.register_function(
            user_a,
            m.RegisterFunctionRequest(
                "mesapy-echo",
                executor_type="python",
                inputs=[FunctionInput(f"input_data{i}", optional=True) for i in (1, 2, 3)],
            ),
        )
    ).function_id
    request = m.CreateTaskRequest(
        fid,
        "{}",
        "mesapy",
        inputs_ownership=[m.OwnerList("input_data1", ["user_a"]), m.OwnerList("input_data2", ["user_b"])],
    )
    task_id = (await svc.create_task(user_a, request)).task_id
    for name, user in (("input_data1", user_a), ("input_data2", user_b)):
        data = await files.input(user, URL + "gbdt_training/train.enc")
        await svc.assign_data(user, m.AssignDataRequest(task_id, [m.DataMap(name, data)]))
    view = await svc.get_task(user_b, m.TaskIdRequest(task_id))
    assert view.inputs_ownership == [
        m.OwnerList("input_data1", ["user_a"]),
        m.OwnerList("input_data2", ["user_b"]),
    ]
    for user in (user_a, user_b):
        await svc.approve_task(user, m.TaskIdRequest(task_id))
    await svc.invoke_task(user_a, m.TaskIdRequest(task_id))
    assert set((await staged(kv)).input_data) == {"input_data1", "input_data2"}
    assert await kv.dequeue(CANCEL_QUEUE) is None
