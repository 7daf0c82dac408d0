"""Pure reply parsing: protobuf replies become plain typed values."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime

import pytest

from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.sdk import (
    DataMap,
    FileInfo,
    FunctionArgument,
    FunctionInput,
    FunctionLists,
    FunctionOutput,
    FunctionUsageStats,
    OwnerList,
    ServiceError,
    TaskResult,
    TaskStatus,
)
from teahouse.sdk import _frontend_calls as fc
from teahouse.sdk._convert import entry_ip, parse_task


def _task(**fields: object) -> fe.GetTaskResponse:
    base: dict[str, object] = {
        "task_id": "task-1",
        "creator": "u0",
        "function_id": "function-1",
        "function_owner": "fo",
        "function_arguments": '{"order":"ascending","n":2}',
        "inputs_ownership": [fe.OwnerList(data_name="in", uids=["u0", "u1"])],
        "outputs_ownership": [fe.OwnerList(data_name="out", uids=["u0"])],
        "participants": ["u0", "u1", "fo"],
        "approved_users": ["u1"],
        "assigned_inputs": [fe.DataMap(data_name="in", data_id="input-1")],
        "assigned_outputs": [fe.DataMap(data_name="out", data_id="output-1")],
        "status": common.Running,
    }
    base.update(fields)
    return fe.GetTaskResponse(**base)  # type: ignore[arg-type]


def test_a_running_task() -> None:
    task = parse_task(_task())
    assert task.task_id == "task-1" and task.creator == "u0" and task.function_owner == "fo"
    assert task.function_arguments == {"order": "ascending", "n": 2}
    assert task.inputs_ownership == (OwnerList("in", ("u0", "u1")),)
    assert task.outputs_ownership == (OwnerList("out", ("u0",)),)
    assert task.participants == frozenset({"u0", "u1", "fo"}) and task.approved_users == frozenset({"u1"})
    assert task.assigned_inputs == (DataMap("in", "input-1"),)
    assert task.assigned_outputs == (DataMap("out", "output-1"),)
    assert task.status is TaskStatus.Running and task.status == 4
    assert task.result is None and not task.ended


def test_a_finished_task_with_outputs() -> None:
    outputs = common.TaskOutputs(
        return_value=b"3 common items", tags_map={"out": b"\x07" * 16}, log=["a", "b"]
    )
    task = parse_task(_task(status=common.Finished, result=common.TaskResult(Ok=outputs)))
    assert task.ended and task.status is TaskStatus.Finished
    assert task.result == TaskResult(
        ok=True, return_value=b"3 common items", tags={"out": b"\x07" * 16}, log=("a", "b")
    )


def test_a_canceled_task_has_the_reason() -> None:
    result = common.TaskResult(Err=common.TaskFailure(reason="Task canceled"))
    task = parse_task(_task(status=common.Canceled, result=result))
    assert task.status is TaskStatus.Canceled
    assert task.result == TaskResult(ok=False, reason="Task canceled")


def test_statuses_use_teaclaves_numbers() -> None:
    assert [int(s) for s in TaskStatus] == [0, 1, 2, 3, 4, 10, 20, 99]
    for status in TaskStatus:
        assert int(status) == common.TaskStatus.Value(status.name)


def test_an_unknown_status_or_bad_arguments_are_service_errors() -> None:
    with pytest.raises(ServiceError, match="unknown task status 7"):
        parse_task(_task(status=7))
    with pytest.raises(ServiceError, match="not JSON"):
        parse_task(_task(function_arguments="{"))
    with pytest.raises(ServiceError, match="not a JSON object"):
        parse_task(_task(function_arguments="[1]"))
    assert parse_task(_task(function_arguments="")).function_arguments == {}


def test_function() -> None:
    reply = fe.GetFunctionResponse(
        name="echo",
        description="d",
        executor_type="builtin",
        owner="fo",
        payload=b"p",
        public=False,
        arguments=[fe.FunctionArgument(key="m", default_value="x", allow_overwrite=False)],
        inputs=[fe.FunctionInput(name="i", description="in", optional=True)],
        outputs=[fe.FunctionOutput(name="o")],
        user_allowlist=["u"],
    )
    function = fc.get_function("function-1").parse(reply)
    assert function.function_id == "function-1" and function.name == "echo" and function.owner == "fo"
    assert function.payload == b"p" and function.public is False and function.executor_type == "builtin"
    assert function.arguments == (FunctionArgument("m", "x", False),)
    assert function.inputs == (FunctionInput("i", "in", True),)
    assert function.outputs == (FunctionOutput("o"),)
    assert function.user_allowlist == ("u",)


def test_usage_stats_lists_and_files() -> None:
    stats = fc.get_function_usage_stats("f").parse(fe.GetFunctionUsageStatsResponse(function_quota=-1))
    assert stats == FunctionUsageStats(-1, 0) and stats.unlimited
    assert not FunctionUsageStats(3, 1).unlimited
    lists = fc.list_functions("u").parse(
        fe.ListFunctionsResponse(registered_functions=["function-a"], allowed_functions=["function-b"])
    )
    assert lists == FunctionLists(("function-a",), ("function-b",))
    pending = fc.get_output_file("output-1").parse(fe.GetOutputFileResponse(owner=["a", "b"]))
    assert pending == FileInfo("output-1", frozenset({"a", "b"}), None)
    written = fc.get_output_file("output-1").parse(fe.GetOutputFileResponse(owner=["a"], cmac=b"\1" * 16))
    assert written.cmac == b"\1" * 16
    assert fc.get_input_file("input-1").parse(
        fe.GetInputFileResponse(owner=["a"], cmac=b"\2" * 16)
    ) == FileInfo("input-1", frozenset({"a"}), b"\2" * 16)
    assert fc.register_input_from_output("output-x").parse(
        fe.RegisterInputFileResponse(data_id="input-x")
    ) == ("input-x")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (bytes(12) + bytes([10, 1, 2, 3]), ipaddress.IPv4Address("10.1.2.3")),
        (bytes(10) + b"\xff\xff" + bytes([192, 168, 0, 9]), ipaddress.IPv4Address("192.168.0.9")),
        (bytes(16), ipaddress.IPv6Address("::")),
        (bytes(15) + b"\x01", ipaddress.IPv6Address("::1")),
        (ipaddress.IPv6Address("2001:db8::7").packed, ipaddress.IPv6Address("2001:db8::7")),
        (b"\x01\x02", ipaddress.IPv6Address("::")),
    ],
)
def test_audit_entry_ips(raw: bytes, expected: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    assert entry_ip(raw) == expected


def test_audit_entries() -> None:
    reply = fe.QueryAuditLogsResponse(
        logs=[
            common.Entry(
                microsecond=1_700_000_000_123_456,
                ip=bytes(12) + bytes([127, 0, 0, 2]),
                user="{ user: admin, role: PlatformAdmin }",
                message="invoke_task",
                result=True,
            )
        ]
    )
    (entry,) = fc.query_audit_logs("invoke_task", 5).parse(reply)
    assert entry.time == datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=UTC)
    assert entry.ip == ipaddress.IPv4Address("127.0.0.2")
    assert entry.user == "{ user: admin, role: PlatformAdmin }"
    assert entry.message == "invoke_task" and entry.result is True
