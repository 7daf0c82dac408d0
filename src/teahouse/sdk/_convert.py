"""Pure conversions between the SDK's values and Teaclave's protobuf messages (spec/wire.md §1.1, §1.3)."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeAlias

from teahouse.crypto.files import FileCrypto
from teahouse.model import TaskStatus
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.sdk._errors import ServiceError
from teahouse.sdk._results import AuditEntry, Function, IPAddress, Task, TaskResult
from teahouse.sdk._types import DataMap, FunctionArgument, FunctionInput, FunctionOutput, OwnerList

#: Task ownership: ``OwnerList`` values, or a mapping of data name to user ids.
Ownership: TypeAlias = Sequence[OwnerList] | Mapping[str, Sequence[str]]
#: Task data: ``DataMap`` values, or a mapping of data name to data id.
DataAssignment: TypeAlias = Sequence[DataMap] | Mapping[str, str]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def crypto_info(crypto: FileCrypto) -> common.FileCryptoInfo:
    schema, key, iv = crypto.to_wire()
    return common.FileCryptoInfo(schema=schema, key=key, iv=iv)


def arguments_json(arguments: Mapping[str, Any]) -> str:
    """Task arguments as the JSON object text the wire carries (values may be any JSON type)."""
    if not isinstance(arguments, Mapping):
        raise TypeError(f"task arguments must be a mapping, not {type(arguments).__name__}")
    try:
        return json.dumps(dict(arguments))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"task arguments must be JSON-serialisable: {exc}") from None


def owner_lists(ownership: Ownership) -> list[fe.OwnerList]:
    if isinstance(ownership, Mapping):
        items = [OwnerList(name, uids) for name, uids in ownership.items()]
    else:
        items = list(ownership)
    return [fe.OwnerList(data_name=o.data_name, uids=list(o.uids)) for o in items]


def data_maps(assignment: DataAssignment) -> list[fe.DataMap]:
    if isinstance(assignment, Mapping):
        items = [DataMap(name, data_id) for name, data_id in assignment.items()]
    else:
        items = list(assignment)
    return [fe.DataMap(data_name=d.data_name, data_id=d.data_id) for d in items]


def function_fields(
    *,
    name: str,
    description: str,
    executor_type: str,
    public: bool,
    payload: bytes,
    arguments: Sequence[FunctionArgument],
    inputs: Sequence[FunctionInput],
    outputs: Sequence[FunctionOutput],
    user_allowlist: Sequence[str],
    usage_quota: int | None,
) -> dict[str, Any]:
    """The fields RegisterFunctionRequest and UpdateFunctionRequest share."""
    if isinstance(user_allowlist, str):
        raise TypeError("user_allowlist is a list of user ids, not one string")
    return {
        "name": name,
        "description": description,
        "executor_type": executor_type,
        "public": public,
        "payload": bytes(payload),
        "arguments": [
            fe.FunctionArgument(key=a.key, default_value=a.default_value, allow_overwrite=a.allow_overwrite)
            for a in arguments
        ],
        "inputs": [
            fe.FunctionInput(name=i.name, description=i.description, optional=i.optional) for i in inputs
        ],
        "outputs": [
            fe.FunctionOutput(name=o.name, description=o.description, optional=o.optional) for o in outputs
        ],
        "user_allowlist": list(user_allowlist),
        "usage_quota": -1 if usage_quota is None or usage_quota < 0 else usage_quota,
    }


def parse_function(function_id: str, reply: fe.GetFunctionResponse) -> Function:
    return Function(
        function_id=function_id,
        name=reply.name,
        description=reply.description,
        executor_type=reply.executor_type,
        owner=reply.owner,
        payload=bytes(reply.payload),
        public=reply.public,
        arguments=tuple(FunctionArgument(a.key, a.default_value, a.allow_overwrite) for a in reply.arguments),
        inputs=tuple(FunctionInput(i.name, i.description, i.optional) for i in reply.inputs),
        outputs=tuple(FunctionOutput(o.name, o.description, o.optional) for o in reply.outputs),
        user_allowlist=tuple(reply.user_allowlist),
    )


def parse_task_result(result: common.TaskResult) -> TaskResult | None:
    which = result.WhichOneof("result")
    if which == "Ok":
        ok = result.Ok
        return TaskResult(
            ok=True, return_value=bytes(ok.return_value), tags=dict(ok.tags_map), log=tuple(ok.log)
        )
    if which == "Err":
        return TaskResult(ok=False, reason=result.Err.reason)
    return None


def parse_task(reply: fe.GetTaskResponse) -> Task:
    try:
        status = TaskStatus(reply.status)
    except ValueError:
        raise ServiceError(f"the server sent an unknown task status {reply.status}") from None
    return Task(
        task_id=reply.task_id,
        creator=reply.creator,
        function_id=reply.function_id,
        function_owner=reply.function_owner,
        function_arguments=_arguments_object(reply.function_arguments),
        inputs_ownership=tuple(OwnerList(o.data_name, tuple(o.uids)) for o in reply.inputs_ownership),
        outputs_ownership=tuple(OwnerList(o.data_name, tuple(o.uids)) for o in reply.outputs_ownership),
        participants=frozenset(reply.participants),
        approved_users=frozenset(reply.approved_users),
        assigned_inputs=tuple(DataMap(d.data_name, d.data_id) for d in reply.assigned_inputs),
        assigned_outputs=tuple(DataMap(d.data_name, d.data_id) for d in reply.assigned_outputs),
        status=status,
        result=parse_task_result(reply.result),
    )


def _arguments_object(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise ServiceError("the server sent task arguments that are not JSON") from None
    if not isinstance(value, dict):
        raise ServiceError("the server sent task arguments that are not a JSON object")
    return value


def entry_ip(raw: bytes) -> IPAddress:
    """``Entry.ip`` (16 bytes) as an address; IPv4-compatible and IPv4-mapped become IPv4.

    ``::`` means unknown (Teaclave's value for a peer without an address).
    """
    if len(raw) != 16:
        return ipaddress.IPv6Address(0)
    ip = ipaddress.IPv6Address(raw)
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    # ``::`` (unknown) and ``::1`` (loopback) are IPv6 addresses, not IPv4-compatible ones.
    if raw[:12] == bytes(12) and int.from_bytes(raw[12:], "big") > 1:
        return ipaddress.IPv4Address(raw[12:])
    return ip


def parse_entry(entry: common.Entry) -> AuditEntry:
    return AuditEntry(
        time=_EPOCH + timedelta(microseconds=entry.microsecond),
        ip=entry_ip(bytes(entry.ip)),
        user=entry.user,
        message=entry.message,
        result=entry.result,
    )
