"""Every cell of the access-control matrix (spec/behaviour.md §3.2), allowed and denied, through
the real frontend: a denial is the frontend's own PERMISSION_DENIED with an audit entry saying
"authenticate to <api>"; an allowed call reaches management."""

from __future__ import annotations

import uuid

import pytest
from grpclib.const import Status

from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.services.access_control.policy import FRONTEND_APIS

from .wire import Metadata, Wire, status_of

pytestmark = pytest.mark.e2e

FUNCTION_OWNER_ONLY = {"register_function", "update_function", "delete_function", "disable_function"}
EVERYONE = {"get_function", "list_functions", "get_function_usage_stats"}
DATA_OWNERS = {
    "register_input_file", "register_output_file", "update_input_file", "update_output_file",
    "register_fusion_output", "register_input_from_output", "get_output_file", "get_input_file",
    "create_task", "get_task", "assign_data", "approve_task", "invoke_task", "cancel_task",
}  # fmt: skip
ADMIN_ONLY = {"query_audit_logs"}

MATRIX = {
    "PlatformAdmin": FRONTEND_APIS,
    "FunctionOwner": FUNCTION_OWNER_ONLY | EVERYONE,
    "DataOwnerManager": EVERYONE | DATA_OWNERS,
    "DataOwner": EVERYONE | DATA_OWNERS,
}


def test_the_matrix_covers_every_api() -> None:
    assert FUNCTION_OWNER_ONLY | EVERYONE | DATA_OWNERS | ADMIN_ONLY == FRONTEND_APIS
    assert len(FRONTEND_APIS) == 22


def _request(api: str, user: str) -> object:
    """A request that management answers without PERMISSION_DENIED when the call gets through."""
    missing_function = f"function-{uuid.uuid4()}"
    missing_task = f"task-{uuid.uuid4()}"
    crypto = common.FileCryptoInfo(schema="teaclave-file-128", key=bytes(16))
    return {
        "register_input_file": fe.RegisterInputFileRequest(
            url="http://localhost/x", cmac=bytes(16), crypto_info=crypto
        ),
        "register_output_file": fe.RegisterOutputFileRequest(url="http://localhost/y", crypto_info=crypto),
        "update_input_file": fe.UpdateInputFileRequest(
            data_id=f"input-{uuid.uuid4()}", url="http://localhost/z"
        ),
        "update_output_file": fe.UpdateOutputFileRequest(
            data_id=f"output-{uuid.uuid4()}", url="http://localhost/z"
        ),
        "register_fusion_output": fe.RegisterFusionOutputRequest(owner_list=[user, "someone-else"]),
        "register_input_from_output": fe.RegisterInputFromOutputRequest(data_id=f"output-{uuid.uuid4()}"),
        "get_output_file": fe.GetOutputFileRequest(data_id=f"output-{uuid.uuid4()}"),
        "get_input_file": fe.GetInputFileRequest(data_id=f"input-{uuid.uuid4()}"),
        "register_function": fe.RegisterFunctionRequest(
            name="acl-probe", executor_type="builtin", usage_quota=-1
        ),
        "update_function": fe.UpdateFunctionRequest(
            function_id=missing_function, name="x", executor_type="builtin"
        ),
        "get_function": fe.GetFunctionRequest(function_id=missing_function),
        "get_function_usage_stats": fe.GetFunctionUsageStatsRequest(function_id=missing_function),
        "delete_function": fe.DeleteFunctionRequest(function_id=missing_function),
        "disable_function": fe.DisableFunctionRequest(function_id=missing_function),
        "list_functions": fe.ListFunctionsRequest(user_id=user),
        "create_task": fe.CreateTaskRequest(
            function_id=missing_function, function_arguments="{}", executor="builtin"
        ),
        "get_task": fe.GetTaskRequest(task_id=missing_task),
        "assign_data": fe.AssignDataRequest(task_id=missing_task),
        "approve_task": fe.ApproveTaskRequest(task_id=missing_task),
        "invoke_task": fe.InvokeTaskRequest(task_id=missing_task),
        "cancel_task": fe.CancelTaskRequest(task_id=missing_task),
        "query_audit_logs": fe.QueryAuditLogsRequest(query="message:list_functions", limit=1),
    }[api]


def _rpc(api: str) -> str:
    return "".join(part.capitalize() for part in api.split("_"))


@pytest.fixture(scope="module")
async def users(wire: Wire, admin: Metadata) -> dict[str, Metadata]:
    return {
        "PlatformAdmin": admin,
        "FunctionOwner": await wire.new_user(admin, "FunctionOwner", prefix="acl-fo"),
        "DataOwnerManager": await wire.new_user(admin, "DataOwnerManager", "acl", prefix="acl-dom"),
        "DataOwner": await wire.new_user(admin, "DataOwner", "acl", prefix="acl-do"),
    }


@pytest.mark.parametrize("role", sorted(MATRIX))
async def test_matrix_row(wire: Wire, users: dict[str, Metadata], role: str) -> None:
    md = users[role]
    allowed_seen, denied_seen = set(), set()
    for api in sorted(FRONTEND_APIS):
        status, message = await status_of(
            getattr(wire.frontend, _rpc(api))(_request(api, md["id"]), metadata=md)
        )
        if api in MATRIX[role]:
            assert status is not Status.PERMISSION_DENIED, (
                f"{role} should reach management for {api}: {message}"
            )
            allowed_seen.add(api)
        else:
            assert (status, message) == (Status.PERMISSION_DENIED, "permission denied"), f"{role} / {api}"
            denied_seen.add(api)
    assert allowed_seen == MATRIX[role]
    assert denied_seen == FRONTEND_APIS - MATRIX[role]


async def test_an_invalid_role_is_denied_everything(wire: Wire, admin: Metadata) -> None:
    """A user whose stored role was later made invalid still holds a valid token with a valid
    role; the ACL applies to the token's role. Roles other than the four are refused at
    registration, so an Invalid token cannot be minted; the policy's rule for it is tested at
    the domain level (tests/services/access_control)."""
    assert await status_of(
        wire.frontend.ListFunctions(
            fe.ListFunctionsRequest(user_id="admin"), metadata={**admin, "role": "Invalid"}
        )
    ) == (Status.OK, "")  # a client-sent role is ignored: the frontend sets it from the token
