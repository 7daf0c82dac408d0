"""The node's side of the scheduler protocol: Watch, UpdateTaskStatus, UpdateTaskResult over an
attested channel. Every failure comes out as a ``TeahouseError``; ``Unavailable`` when the
scheduler could not be reached or the call was cut off."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from grpclib.client import Channel
from grpclib.exceptions import GRPCError, ProtocolError, StreamTerminatedError

from teahouse.errors import Unavailable
from teahouse.model import ExecutorCommand, ExecutorStatus, TaskResult, TaskStatus
from teahouse.proto import teaclave_scheduler_service_pb2 as pb
from teahouse.proto.teaclave_scheduler_service_grpc import TeaclaveSchedulerStub
from teahouse.rpc.convert import task_result_to_proto
from teahouse.rpc.errors import from_grpc

T = TypeVar("T")

_TIMEOUT = 30.0
_WATCH_MARGIN = 10.0


class SchedulerClient:
    def __init__(self, channel: Channel, *, timeout: float = _TIMEOUT) -> None:
        self._stub = TeaclaveSchedulerStub(channel)
        self._timeout = timeout

    async def watch(
        self, executor_id: str, status: ExecutorStatus, task_id: str, timeout: float
    ) -> tuple[ExecutorCommand, bytes]:
        request = pb.WatchRequest(
            executor_id=executor_id,
            status=int(status),  # type: ignore[arg-type]
            task_id=task_id,
            timeout_ms=max(1, round(timeout * 1000)),
        )
        reply = await _call(self._stub.Watch(request, timeout=timeout + _WATCH_MARGIN))
        return ExecutorCommand(reply.command), reply.staged_task

    async def update_status(self, task_id: str) -> None:
        request = pb.UpdateTaskStatusRequest(task_id=task_id, task_status=int(TaskStatus.Running))  # type: ignore[arg-type]
        await _call(self._stub.UpdateTaskStatus(request, timeout=self._timeout))

    async def update_result(self, task_id: str, result: TaskResult) -> None:
        request = pb.UpdateTaskResultRequest(task_id=task_id)
        task_result_to_proto(result, request.result)
        await _call(self._stub.UpdateTaskResult(request, timeout=self._timeout))


async def _call(call: Awaitable[T]) -> T:
    try:
        return await call
    except GRPCError as exc:
        raise from_grpc(exc) from None
    except (TimeoutError, StreamTerminatedError, ProtocolError, OSError) as exc:
        raise Unavailable(f"scheduler call cut off: {exc!r}") from None
