"""The generated messages and grpclib stubs behave as Teaclave clients expect on the wire."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from teahouse.proto import (
    teaclave_access_control_service_grpc,
    teaclave_authentication_service_grpc,
    teaclave_common_pb2,
    teaclave_frontend_service_grpc,
    teaclave_frontend_service_pb2,
    teaclave_management_service_grpc,
    teaclave_scheduler_service_grpc,
    teaclave_storage_service_grpc,
)

EXPECTED = json.loads((Path(__file__).parent / "expected_schema.json").read_text())

SERVICE_MODULES: dict[str, Any] = {
    "teaclave_authentication_service_proto.TeaclaveAuthenticationApi": teaclave_authentication_service_grpc,
    "teaclave_authentication_service_proto.TeaclaveAuthenticationInternal": (
        teaclave_authentication_service_grpc
    ),
    "teaclave_frontend_service_proto.TeaclaveFrontend": teaclave_frontend_service_grpc,
    "teaclave_management_service_proto.TeaclaveManagement": teaclave_management_service_grpc,
    "teaclave_storage_service_proto.TeaclaveStorage": teaclave_storage_service_grpc,
    "teaclave_scheduler_service_proto.TeaclaveScheduler": teaclave_scheduler_service_grpc,
    "teaclave_access_control_service_proto.TeaclaveAccessControl": teaclave_access_control_service_grpc,
}


def test_task_result_ok_round_trip() -> None:
    result = teaclave_common_pb2.TaskResult()
    result.Ok.return_value = b"Trained 3 trees"
    result.Ok.tags_map["model"] = bytes(range(16))
    result.Ok.log.extend(["line 1", "line 2"])
    decoded = teaclave_common_pb2.TaskResult.FromString(result.SerializeToString())
    assert decoded.WhichOneof("result") == "Ok"
    assert decoded.Ok.return_value == b"Trained 3 trees"
    assert dict(decoded.Ok.tags_map) == {"model": bytes(range(16))}
    assert list(decoded.Ok.log) == ["line 1", "line 2"]


def test_task_result_err_round_trip_and_oneof_exclusivity() -> None:
    result = teaclave_common_pb2.TaskResult()
    result.Ok.return_value = b"discarded"
    result.Err.reason = "Executor timeout"
    assert result.WhichOneof("result") == "Err"
    decoded = teaclave_common_pb2.TaskResult.FromString(result.SerializeToString())
    assert decoded.WhichOneof("result") == "Err"
    assert decoded.Err.reason == "Executor timeout"
    assert not decoded.HasField("Ok")


def test_task_result_err_wire_bytes() -> None:
    # Field 2 (Err), length-delimited, holding TaskFailure{reason (field 1) = "x"}.
    result = teaclave_common_pb2.TaskResult(Err=teaclave_common_pb2.TaskFailure(reason="x"))
    assert result.SerializeToString() == b"\x12\x03\x0a\x01x"


def test_not_ready_result_has_no_member() -> None:
    response = teaclave_frontend_service_pb2.GetTaskResponse(task_id="task-1")
    response.result.SetInParent()
    decoded = teaclave_frontend_service_pb2.GetTaskResponse.FromString(response.SerializeToString())
    assert decoded.HasField("result")
    assert decoded.result.WhichOneof("result") is None
    assert decoded.status == teaclave_common_pb2.TaskStatus.Created


def test_enum_values_are_file_scoped() -> None:
    assert teaclave_common_pb2.Finished == 10
    assert teaclave_common_pb2.Canceled == 20
    assert teaclave_common_pb2.Failed == 99
    assert teaclave_common_pb2.ExecutorCommand.NewTask == 2


def _concrete(base: type) -> Any:
    async def handler(self: Any, stream: Any) -> None:  # pragma: no cover - never called
        raise NotImplementedError

    methods = {name: handler for name in base.__abstractmethods__}  # type: ignore[attr-defined]
    return type(f"Concrete{base.__name__}", (base,), methods)()


@pytest.mark.parametrize("full_name", sorted(SERVICE_MODULES))
def test_server_routes_are_teaclave_method_paths(full_name: str) -> None:
    short = full_name.rsplit(".", 1)[1]
    module = SERVICE_MODULES[full_name]
    rpcs = dict(EXPECTED["teaclave"]["services"][full_name])
    rpcs.update(EXPECTED["teahouse_additions"]["services"].get(full_name, {}))
    mapping = _concrete(getattr(module, f"{short}Base")).__mapping__()
    assert set(mapping) == {f"/{full_name}/{rpc}" for rpc in rpcs}
    for rpc, sig in rpcs.items():
        handler = mapping[f"/{full_name}/{rpc}"]
        assert handler.request_type.DESCRIPTOR.full_name == sig["request"]
        assert handler.reply_type.DESCRIPTOR.full_name == sig["response"]
