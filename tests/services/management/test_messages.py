"""The request/response values mirror the proto messages field for field, so the RPC layer's
mapping is mechanical and loses nothing (spec/wire.md §1.3, §1.4)."""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing

import pytest
from google.protobuf.descriptor import Descriptor

from teahouse.model import TaskStatus
from teahouse.proto import teaclave_management_service_pb2 as management_pb2
from teahouse.services.management import ManagementService

SERVICE = management_pb2.DESCRIPTOR.services_by_name["TeaclaveManagement"]


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _leaf(tp: object) -> object:
    """The element type of ``list[X]`` / ``X | None``, else the type itself."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (list, typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return tp


def check(cls: type, message: Descriptor, path: str) -> None:
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}
    assert fields == set(message.fields_by_name), (
        f"{path}: {sorted(fields)} vs {sorted(message.fields_by_name)}"
    )
    for name in fields:
        sub = message.fields_by_name[name].message_type
        leaf = _leaf(hints[name])
        if (
            sub is not None
            and dataclasses.is_dataclass(leaf)
            and sub.full_name != "teaclave_common_proto.TaskResult"
        ):
            check(leaf, sub, f"{path}.{name}")  # type: ignore[arg-type]


@pytest.mark.parametrize("rpc", [m.name for m in SERVICE.methods])
def test_rpc_values_mirror_the_proto(rpc: str) -> None:
    method = getattr(ManagementService, snake(rpc))
    hints = typing.get_type_hints(method)
    params = [p for p in inspect.signature(method).parameters if p != "self"]
    descriptor = SERVICE.methods_by_name[rpc]
    check(hints[params[-1]], descriptor.input_type, f"{rpc} request")
    reply = hints["return"]
    if descriptor.output_type.full_name == "google.protobuf.Empty":
        assert reply is type(None)
    else:
        check(reply, descriptor.output_type, f"{rpc} reply")


def test_every_rpc_but_save_logs_takes_the_caller_first() -> None:
    for method in SERVICE.methods:
        params = [
            p
            for p in inspect.signature(getattr(ManagementService, snake(method.name))).parameters
            if p != "self"
        ]
        assert params[0] == ("request" if method.name == "SaveLogs" else "caller"), method.name


def test_task_status_numbers_match_the_proto() -> None:
    from teahouse.proto import teaclave_common_pb2

    assert {s.name: s.value for s in TaskStatus} == dict(teaclave_common_pb2.TaskStatus.items())
