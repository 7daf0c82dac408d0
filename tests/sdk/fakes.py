"""Fake authentication and frontend servicers that record every call and answer from scripts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.empty_pb2 import Empty
from grpclib.const import Status
from grpclib.exceptions import GRPCError
from grpclib.server import Stream

from teahouse.proto import teaclave_authentication_service_pb2 as auth
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.proto.teaclave_authentication_service_grpc import TeaclaveAuthenticationApiBase
from teahouse.proto.teaclave_frontend_service_grpc import TeaclaveFrontendBase

Reply = Callable[[Any, dict[str, str]], Any]


@dataclass
class Recorded:
    method: str
    request: Any
    metadata: dict[str, str]


@dataclass
class Recorder:
    """What a fake received, and what it answers (``replies[method](request, metadata)``)."""

    defaults: dict[str, Reply]
    calls: list[Recorded] = field(default_factory=list)
    replies: dict[str, Reply] = field(default_factory=dict)

    def reset(self) -> None:
        self.calls.clear()
        self.replies.clear()

    def answer(self, method: str, request: Any, metadata: dict[str, str]) -> Any:
        self.calls.append(Recorded(method, request, metadata))
        reply = self.replies.get(method) or self.defaults[method]
        return reply(request, metadata)

    def last(self, method: str) -> Recorded:
        return [c for c in self.calls if c.method == method][-1]

    def script_tasks(self, *replies: fe.GetTaskResponse) -> None:
        """GetTask answers these in turn, then keeps answering the last one."""
        queue = list(replies)

        def next_task(_request: Any, _md: dict[str, str]) -> fe.GetTaskResponse:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.replies["GetTask"] = next_task


def fail(status: Status, message: str) -> Reply:
    def reply(_request: Any, _md: dict[str, str]) -> Any:
        raise GRPCError(status, message)

    return reply


def _authenticated(reply: Reply) -> Reply:
    def checked(request: Any, md: dict[str, str]) -> Any:
        if "id" not in md:
            raise GRPCError(Status.UNAUTHENTICATED, "missing user id")
        if "token" not in md:
            raise GRPCError(Status.UNAUTHENTICATED, "missing token")
        return reply(request, md)

    return checked


def _login(request: auth.UserLoginRequest, _md: dict[str, str]) -> auth.UserLoginResponse:
    if (request.id, request.password) != ("admin", "teaclave"):
        raise GRPCError(Status.UNAUTHENTICATED, "authentication failed")
    return auth.UserLoginResponse(token="token-of-admin")


def _empty(_request: Any, _md: dict[str, str]) -> Empty:
    return Empty()


AUTH_DEFAULTS: dict[str, Reply] = {
    "UserLogin": _login,
    "UserRegister": _authenticated(_empty),
    "UserUpdate": _authenticated(_empty),
    "UserChangePassword": _authenticated(_empty),
    "ResetUserPassword": _authenticated(lambda r, md: auth.ResetUserPasswordResponse(password="fresh")),
    "DeleteUser": _authenticated(_empty),
    "ListUsers": _authenticated(lambda r, md: auth.ListUsersResponse(ids=["admin", "user0"])),
}


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4()}"


def finished_task(
    task_id: str = "task-1", *, value: bytes = b"ok", tags: dict[str, bytes] | None = None
) -> Any:
    return fe.GetTaskResponse(
        task_id=task_id,
        status=common.Finished,
        result=common.TaskResult(Ok=common.TaskOutputs(return_value=value, tags_map=tags or {})),
    )


FRONTEND_DEFAULTS: dict[str, Reply] = {
    name: _authenticated(reply)
    for name, reply in {
        "RegisterInputFile": lambda r, md: fe.RegisterInputFileResponse(data_id=new_id("input")),
        "RegisterOutputFile": lambda r, md: fe.RegisterOutputFileResponse(data_id=new_id("output")),
        "UpdateInputFile": lambda r, md: fe.UpdateInputFileResponse(data_id=new_id("input")),
        "UpdateOutputFile": lambda r, md: fe.UpdateOutputFileResponse(data_id=new_id("output")),
        "RegisterFusionOutput": lambda r, md: fe.RegisterFusionOutputResponse(data_id=new_id("output")),
        "RegisterInputFromOutput": lambda r, md: fe.RegisterInputFromOutputResponse(
            data_id="input-" + r.data_id.split("-", 1)[1]
        ),
        "GetOutputFile": lambda r, md: fe.GetOutputFileResponse(owner=[md["id"]]),
        "GetInputFile": lambda r, md: fe.GetInputFileResponse(owner=[md["id"]], cmac=bytes(16)),
        "RegisterFunction": lambda r, md: fe.RegisterFunctionResponse(function_id=new_id("function")),
        "GetFunction": lambda r, md: fe.GetFunctionResponse(name="echo", owner=md["id"], public=True),
        "GetFunctionUsageStats": lambda r, md: fe.GetFunctionUsageStatsResponse(
            function_quota=-1, current_usage=3
        ),
        "UpdateFunction": lambda r, md: fe.UpdateFunctionResponse(function_id=r.function_id),
        "ListFunctions": lambda r, md: fe.ListFunctionsResponse(registered_functions=["function-a"]),
        "DeleteFunction": _empty,
        "DisableFunction": _empty,
        "CreateTask": lambda r, md: fe.CreateTaskResponse(task_id=new_id("task")),
        "GetTask": lambda r, md: finished_task(r.task_id),
        "AssignData": _empty,
        "ApproveTask": _empty,
        "InvokeTask": _empty,
        "CancelTask": _empty,
        "QueryAuditLogs": lambda r, md: fe.QueryAuditLogsResponse(),
    }.items()
}


def servicer(base: type, recorder: Recorder) -> Any:
    """An instance of the generated ``base`` whose every RPC goes through ``recorder``."""

    def handler(method: str) -> Callable[[Any, Stream[Any, Any]], Any]:
        async def handle(self: Any, stream: Stream[Any, Any]) -> None:
            request = await stream.recv_message()
            metadata = {k: v for k, v in (stream.metadata or {}).items() if isinstance(v, str)}
            await stream.send_message(recorder.answer(method, request, metadata))

        return handle

    namespace = {name: handler(name) for name in base.__abstractmethods__}
    return type(f"Fake{base.__name__}", (base,), namespace)()


def fake_authentication(recorder: Recorder) -> Any:
    return servicer(TeaclaveAuthenticationApiBase, recorder)


def fake_frontend(recorder: Recorder) -> Any:
    return servicer(TeaclaveFrontendBase, recorder)
