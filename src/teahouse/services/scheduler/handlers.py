"""gRPC face of the scheduler (spec/wire.md §1.6, §8.2) plus Teahouse's Watch."""

from __future__ import annotations

from google.protobuf.empty_pb2 import Empty

from teahouse.model import NOT_READY, ExecutorStatus
from teahouse.proto import teaclave_scheduler_service_pb2 as pb
from teahouse.rpc.convert import task_result_from_proto
from teahouse.services.scheduler.errors import InvalidExecutorStatus
from teahouse.services.scheduler.service import SchedulerService


def _status(value: int) -> ExecutorStatus:
    try:
        return ExecutorStatus(value)
    except ValueError:
        raise InvalidExecutorStatus(f"invalid executor status {value}") from None


class SchedulerHandlers:
    def __init__(self, service: SchedulerService) -> None:
        self._service = service

    async def publish_task(self, request: pb.PublishTaskRequest) -> Empty:
        await self._service.publish_task(request.staged_task)
        return Empty()

    async def subscribe(self, request: Empty) -> pb.SubscribeResponse:
        await self._service.subscribe()

    async def pull_task(self, request: pb.PullTaskRequest) -> pb.PullTaskResponse:
        return pb.PullTaskResponse(staged_task=await self._service.pull_task(request.executor_id))

    async def update_task_status(self, request: pb.UpdateTaskStatusRequest) -> Empty:
        await self._service.update_task_status(request.task_id)
        return Empty()

    async def update_task_result(self, request: pb.UpdateTaskResultRequest) -> Empty:
        result = task_result_from_proto(request.result) if request.HasField("result") else NOT_READY
        await self._service.update_task_result(request.task_id, result)
        return Empty()

    async def heartbeat(self, request: pb.HeartbeatRequest) -> pb.HeartbeatResponse:
        command = await self._service.heartbeat(request.executor_id, _status(request.status))
        return pb.HeartbeatResponse(command=int(command))  # type: ignore[arg-type]

    async def watch(self, request: pb.WatchRequest) -> pb.WatchResponse:
        command, staged = await self._service.watch(
            request.executor_id, _status(request.status), request.task_id, request.timeout_ms / 1000
        )
        return pb.WatchResponse(command=int(command), staged_task=staged)  # type: ignore[arg-type]
