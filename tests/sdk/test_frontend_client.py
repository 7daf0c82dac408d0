"""The frontend clients against a fake frontend service over RA-TLS."""

from __future__ import annotations

import json

import pytest
from grpclib.const import Status

from teahouse.crypto.files import FileCrypto, Schema
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.sdk import (
    AsyncFrontendClient,
    AuthenticationError,
    Credentials,
    DataMap,
    FunctionArgument,
    InvalidArgumentError,
    OwnerList,
    PermissionDeniedError,
    RequestFailedError,
    TaskStatus,
    Trust,
)

from .conftest import ADMIN, Services
from .fakes import fail


async def test_a_whole_task_flow(fakes: Services, trust: Trust) -> None:
    crypto = FileCrypto(Schema.TEACLAVE_FILE_128, bytes(16))
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        function_id = await client.register_function(
            "builtin-ordered-set-intersect", "psi", "builtin", arguments=[FunctionArgument("order")]
        )
        input_id = await client.register_input_file("http://h/psi0.enc", crypto, bytes(16))
        output_id = await client.register_output_file("http://h/out0.enc", crypto)
        task_id = await client.create_task(
            function_id,
            {"order": "ascending"},
            "builtin",
            inputs_ownership=[OwnerList("input_data1", ["admin"])],
            outputs_ownership={"output_result1": ["admin"]},
        )
        await client.assign_data(task_id, [DataMap("input_data1", input_id)], {"output_result1": output_id})
        await client.approve_task(task_id)
        await client.invoke_task(task_id)
        task = await client.get_task(task_id)
    assert function_id.startswith("function-") and input_id.startswith("input-")
    assert task.task_id == task_id and task.status is TaskStatus.Finished
    assert [c.method for c in fakes.frontend.calls] == [
        "RegisterFunction",
        "RegisterInputFile",
        "RegisterOutputFile",
        "CreateTask",
        "AssignData",
        "ApproveTask",
        "InvokeTask",
        "GetTask",
    ]
    assert all(
        c.metadata["id"] == "admin" and c.metadata["token"] == ADMIN.token for c in fakes.frontend.calls
    )
    create = fakes.frontend.last("CreateTask").request
    assert json.loads(create.function_arguments) == {"order": "ascending"}
    assert [(o.data_name, list(o.uids)) for o in create.outputs_ownership] == [("output_result1", ["admin"])]


async def test_functions_come_back_typed(fakes: Services, trust: Trust) -> None:
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        function = await client.get_function("function-1")
        stats = await client.get_function_usage_stats("function-1")
        lists = await client.list_functions()
        await client.list_functions("user0")
        await client.update_function("function-1", "echo", "d", "builtin", public=False)
        await client.disable_function("function-1")
        await client.delete_function("function-1")
    assert function.function_id == "function-1" and function.owner == "admin" and function.public
    assert stats.unlimited and stats.current_usage == 3
    assert lists.registered_functions == ("function-a",) and lists.allowed_functions == ()
    list_calls = [c.request.user_id for c in fakes.frontend.calls if c.method == "ListFunctions"]
    assert list_calls == ["admin", "user0"]
    assert fakes.frontend.last("UpdateFunction").request.public is False
    assert [c.method for c in fakes.frontend.calls][-2:] == ["DisableFunction", "DeleteFunction"]


async def test_files_and_audit(fakes: Services, trust: Trust) -> None:
    fakes.frontend.replies["QueryAuditLogs"] = lambda r, md: fe.QueryAuditLogsResponse(
        logs=[common.Entry(microsecond=1, ip=bytes(16), user="u", message=r.query, result=False)]
    )
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        new_input = await client.update_input_file("input-1", "http://h/b")
        new_output = await client.update_output_file("output-1", "http://h/c")
        fusion = await client.register_fusion_output(["admin", "user0"])
        from_output = await client.register_input_from_output("output-0000")
        input_info = await client.get_input_file("input-1")
        output_info = await client.get_output_file("output-1")
        (entry,) = await client.query_audit_logs("message:get_task", limit=3)
    assert (
        new_input.startswith("input-") and new_output.startswith("output-") and fusion.startswith("output-")
    )
    assert from_output == "input-0000"
    assert input_info.owners == frozenset({"admin"}) and input_info.cmac == bytes(16)
    assert output_info.cmac is None
    assert entry.message == "message:get_task" and entry.result is False
    assert fakes.frontend.last("QueryAuditLogs").request.limit == 3
    assert list(fakes.frontend.last("RegisterFusionOutput").request.owner_list) == ["admin", "user0"]


@pytest.mark.parametrize(
    ("status", "message", "cls"),
    [
        (Status.UNAUTHENTICATED, "incorrent credential", AuthenticationError),
        (Status.PERMISSION_DENIED, "permission denied", PermissionDeniedError),
        (Status.INVALID_ARGUMENT, "invalid task", InvalidArgumentError),
        (Status.UNKNOWN, "failed to invoke task", RequestFailedError),
    ],
)
async def test_server_errors_keep_status_and_message(
    fakes: Services, trust: Trust, status: Status, message: str, cls: type[Exception]
) -> None:
    fakes.frontend.replies["InvokeTask"] = fail(status, message)
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        with pytest.raises(cls, match=message):
            await client.invoke_task("task-1")
        # The connection survives an error status.
        assert (await client.get_task("task-1")).task_id == "task-1"


async def test_a_bad_token_is_rejected_by_the_server(fakes: Services, trust: Trust) -> None:
    def check(request: object, md: dict[str, str]) -> object:
        if md.get("token") != ADMIN.token:
            fail(Status.UNAUTHENTICATED, "incorrent credential")(request, md)
        return fe.ListFunctionsResponse()

    fakes.frontend.replies["ListFunctions"] = check
    async with AsyncFrontendClient(fakes.frontend_address, trust, Credentials("admin", "stale")) as client:
        with pytest.raises(AuthenticationError, match="incorrent credential"):
            await client.list_functions()
        client.credentials = ADMIN
        await client.list_functions()


async def test_an_in_memory_channel_for_unit_tests(trust: Trust) -> None:
    from grpclib.testing import ChannelFor

    from .fakes import FRONTEND_DEFAULTS, Recorder, fake_frontend

    recorder = Recorder(FRONTEND_DEFAULTS)
    async with ChannelFor([fake_frontend(recorder)]) as channel:
        client = AsyncFrontendClient("in-memory:1", trust, ADMIN)
        client._use_channel(channel)
        task = await client.get_task("task-3")
    assert task.task_id == "task-3" and client.peer is None
    assert recorder.last("GetTask").metadata["id"] == "admin"
