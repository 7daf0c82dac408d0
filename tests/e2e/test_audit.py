"""The audit trail: one entry per frontend call, queryable by PlatformAdmins only."""

from __future__ import annotations

import asyncio

import pytest
from grpclib.const import Status

from teahouse.proto import teaclave_frontend_service_pb2 as fe

from .wire import Metadata, Wire, status_of

pytestmark = pytest.mark.e2e


async def query(wire: Wire, admin: Metadata, text: str, limit: int = 100) -> list[fe.QueryAuditLogsResponse]:
    reply = await wire.frontend.QueryAuditLogs(
        fe.QueryAuditLogsRequest(query=text, limit=limit), metadata=admin
    )
    return list(reply.logs)


async def test_entries_by_user_and_by_method(wire: Wire, admin: Metadata) -> None:
    user = await wire.new_user(admin, "DataOwner", "audit", prefix="audit")
    await wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id=user["id"]), metadata=user)
    await status_of(wire.frontend.GetTask(fe.GetTaskRequest(task_id="task-nope"), metadata=user))
    await status_of(wire.frontend.QueryAuditLogs(fe.QueryAuditLogsRequest(query="*", limit=1), metadata=user))
    by_user = await query(wire, admin, f'user:"{user["id"]}"')
    messages = sorted(e.message for e in by_user)
    assert messages == ["get_task:invalid task id", "list_functions"]
    assert all(e.user == f'{{ user: {user["id"]}, role: DataOwner("audit") }}' for e in by_user)
    assert [e.result for e in by_user if e.message == "list_functions"] == [True]
    assert all(len(e.ip) == 16 and e.ip.endswith(bytes([127, 0, 0, 1])) for e in by_user)
    assert by_user[0].microsecond >= by_user[-1].microsecond  # newest first
    denied = await query(wire, admin, '"authenticate to query_audit_logs"')
    assert denied and all(not e.result and e.user == "" for e in denied)
    by_method = await query(wire, admin, "message:list_functions", limit=3)
    assert 1 <= len(by_method) <= 3 and all(e.message == "list_functions" for e in by_method)


async def test_non_admins_are_denied(wire: Wire, admin: Metadata) -> None:
    for role, attribute in (("FunctionOwner", ""), ("DataOwnerManager", "a"), ("DataOwner", "a")):
        user = await wire.new_user(admin, role, attribute, prefix="audit-deny")
        assert await status_of(
            wire.frontend.QueryAuditLogs(fe.QueryAuditLogsRequest(query="*", limit=10), metadata=user)
        ) == (Status.PERMISSION_DENIED, "permission denied")


async def test_a_malformed_query_is_an_invalid_argument(wire: Wire, admin: Metadata) -> None:
    status, message = await status_of(
        wire.frontend.QueryAuditLogs(
            fe.QueryAuditLogsRequest(query='user:"unclosed', limit=10), metadata=admin
        )
    )
    assert status is Status.INVALID_ARGUMENT and "invalid audit query" in message


async def test_entries_written_before_a_frontend_restart_are_kept(
    platform, wire: Wire, admin: Metadata
) -> None:  # type: ignore[no-untyped-def]
    user = await wire.new_user(admin, "DataOwner", "audit", prefix="audit-restart")
    await wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id=user["id"]), metadata=user)
    old = platform.kill("frontend", 15)  # SIGTERM: a clean stop flushes the trail
    await asyncio.to_thread(platform.wait_restarted, "frontend", old)
    entries = await query(wire, admin, f'user:"{user["id"]}"')
    assert [e.message for e in entries] == ["list_functions"]
