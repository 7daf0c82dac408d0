"""Requests and replies of the frontend API (spec/wire.md §1.3), as :class:`Call` values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from teahouse.crypto.files import FileCrypto, validate_cmac
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.sdk._call import Call, no_reply
from teahouse.sdk._convert import (
    DataAssignment,
    Ownership,
    arguments_json,
    crypto_info,
    data_maps,
    function_fields,
    owner_lists,
    parse_entry,
    parse_function,
    parse_task,
)
from teahouse.sdk._results import AuditEntry, FileInfo, Function, FunctionLists, FunctionUsageStats, Task
from teahouse.sdk._types import FunctionArgument, FunctionInput, FunctionOutput


def _data_id(reply: Any) -> str:
    return str(reply.data_id)


def register_function(
    name: str,
    description: str,
    executor_type: str,
    *,
    public: bool = True,
    payload: bytes = b"",
    arguments: Sequence[FunctionArgument] = (),
    inputs: Sequence[FunctionInput] = (),
    outputs: Sequence[FunctionOutput] = (),
    user_allowlist: Sequence[str] = (),
    usage_quota: int | None = -1,
) -> Call[str]:
    fields = function_fields(
        name=name,
        description=description,
        executor_type=executor_type,
        public=public,
        payload=payload,
        arguments=arguments,
        inputs=inputs,
        outputs=outputs,
        user_allowlist=user_allowlist,
        usage_quota=usage_quota,
    )
    return Call("RegisterFunction", fe.RegisterFunctionRequest(**fields), lambda r: str(r.function_id))


def update_function(
    function_id: str,
    name: str,
    description: str,
    executor_type: str,
    *,
    public: bool = True,
    payload: bytes = b"",
    arguments: Sequence[FunctionArgument] = (),
    inputs: Sequence[FunctionInput] = (),
    outputs: Sequence[FunctionOutput] = (),
    user_allowlist: Sequence[str] = (),
    usage_quota: int | None = -1,
) -> Call[str]:
    fields = function_fields(
        name=name,
        description=description,
        executor_type=executor_type,
        public=public,
        payload=payload,
        arguments=arguments,
        inputs=inputs,
        outputs=outputs,
        user_allowlist=user_allowlist,
        usage_quota=usage_quota,
    )
    request = fe.UpdateFunctionRequest(function_id=function_id, **fields)
    return Call("UpdateFunction", request, lambda r: str(r.function_id))


def get_function(function_id: str) -> Call[Function]:
    return Call(
        "GetFunction",
        fe.GetFunctionRequest(function_id=function_id),
        lambda r: parse_function(function_id, r),
    )


def get_function_usage_stats(function_id: str) -> Call[FunctionUsageStats]:
    return Call(
        "GetFunctionUsageStats",
        fe.GetFunctionUsageStatsRequest(function_id=function_id),
        lambda r: FunctionUsageStats(function_quota=r.function_quota, current_usage=r.current_usage),
    )


def list_functions(user_id: str) -> Call[FunctionLists]:
    return Call(
        "ListFunctions",
        fe.ListFunctionsRequest(user_id=user_id),
        lambda r: FunctionLists(tuple(r.registered_functions), tuple(r.allowed_functions)),
    )


def delete_function(function_id: str) -> Call[None]:
    return Call("DeleteFunction", fe.DeleteFunctionRequest(function_id=function_id), no_reply)


def disable_function(function_id: str) -> Call[None]:
    return Call("DisableFunction", fe.DisableFunctionRequest(function_id=function_id), no_reply)


def register_input_file(url: str, crypto: FileCrypto, cmac: bytes) -> Call[str]:
    request = fe.RegisterInputFileRequest(url=url, cmac=validate_cmac(cmac), crypto_info=crypto_info(crypto))
    return Call("RegisterInputFile", request, _data_id)


def register_output_file(url: str, crypto: FileCrypto) -> Call[str]:
    request = fe.RegisterOutputFileRequest(url=url, crypto_info=crypto_info(crypto))
    return Call("RegisterOutputFile", request, _data_id)


def update_input_file(data_id: str, url: str) -> Call[str]:
    return Call("UpdateInputFile", fe.UpdateInputFileRequest(data_id=data_id, url=url), _data_id)


def update_output_file(data_id: str, url: str) -> Call[str]:
    return Call("UpdateOutputFile", fe.UpdateOutputFileRequest(data_id=data_id, url=url), _data_id)


def register_fusion_output(owners: Sequence[str]) -> Call[str]:
    if isinstance(owners, str):
        raise TypeError("owners is a list of user ids, not one string")
    return Call("RegisterFusionOutput", fe.RegisterFusionOutputRequest(owner_list=list(owners)), _data_id)


def register_input_from_output(data_id: str) -> Call[str]:
    return Call("RegisterInputFromOutput", fe.RegisterInputFromOutputRequest(data_id=data_id), _data_id)


def get_input_file(data_id: str) -> Call[FileInfo]:
    return Call(
        "GetInputFile",
        fe.GetInputFileRequest(data_id=data_id),
        lambda r: FileInfo(data_id, frozenset(r.owner), bytes(r.cmac)),
    )


def get_output_file(data_id: str) -> Call[FileInfo]:
    return Call(
        "GetOutputFile",
        fe.GetOutputFileRequest(data_id=data_id),
        lambda r: FileInfo(data_id, frozenset(r.owner), bytes(r.cmac) or None),
    )


def create_task(
    function_id: str,
    arguments: Mapping[str, Any],
    executor: str,
    inputs_ownership: Ownership = (),
    outputs_ownership: Ownership = (),
) -> Call[str]:
    request = fe.CreateTaskRequest(
        function_id=function_id,
        function_arguments=arguments_json(arguments),
        executor=executor,
        inputs_ownership=owner_lists(inputs_ownership),
        outputs_ownership=owner_lists(outputs_ownership),
    )
    return Call("CreateTask", request, lambda r: str(r.task_id))


def assign_data(task_id: str, inputs: DataAssignment = (), outputs: DataAssignment = ()) -> Call[None]:
    request = fe.AssignDataRequest(task_id=task_id, inputs=data_maps(inputs), outputs=data_maps(outputs))
    return Call("AssignData", request, no_reply)


def approve_task(task_id: str) -> Call[None]:
    return Call("ApproveTask", fe.ApproveTaskRequest(task_id=task_id), no_reply)


def invoke_task(task_id: str) -> Call[None]:
    return Call("InvokeTask", fe.InvokeTaskRequest(task_id=task_id), no_reply)


def cancel_task(task_id: str) -> Call[None]:
    return Call("CancelTask", fe.CancelTaskRequest(task_id=task_id), no_reply)


def get_task(task_id: str) -> Call[Task]:
    return Call("GetTask", fe.GetTaskRequest(task_id=task_id), parse_task)


def query_audit_logs(query: str, limit: int) -> Call[list[AuditEntry]]:
    if limit < 0:
        raise ValueError("limit must not be negative")
    return Call(
        "QueryAuditLogs",
        fe.QueryAuditLogsRequest(query=query, limit=limit),
        lambda r: [parse_entry(e) for e in r.logs],
    )
