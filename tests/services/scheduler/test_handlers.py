"""The gRPC face: proto requests in, Teaclave's enums and messages out (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from google.protobuf.empty_pb2 import Empty
from grpclib.const import Status
from grpclib.exceptions import GRPCError
from grpclib.testing import ChannelFor

from teahouse.model import TaskOutputs, TaskStatus
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_scheduler_service_pb2 as pb
from teahouse.proto.teaclave_scheduler_service_grpc import TeaclaveSchedulerBase, TeaclaveSchedulerStub
from teahouse.rpc.dispatch import bind
from teahouse.services.scheduler.handlers import SchedulerHandlers
from teahouse.services.scheduler.service import SchedulerService

from .conftest import node
from .fakes import MemoryStore, stage, task_of

Call = Callable[[TeaclaveSchedulerStub], Awaitable[object]]


@pytest.fixture
async def stub(scheduler: SchedulerService) -> AsyncIterator[TeaclaveSchedulerStub]:
    async with ChannelFor([bind(TeaclaveSchedulerBase, SchedulerHandlers(scheduler))]) as channel:
        yield TeaclaveSchedulerStub(channel)


async def test_a_task_round_trip_through_the_stubs(stub: TeaclaveSchedulerStub, store: MemoryStore) -> None:
    s = await stage(store)
    a = node()
    reply = await stub.Watch(pb.WatchRequest(executor_id=a, status=common.Idle, timeout_ms=1000))
    assert reply.command == common.NewTask and reply.staged_task == s.bytes
    await stub.UpdateTaskStatus(pb.UpdateTaskStatusRequest(task_id=str(s.id), task_status=common.Running))
    reply = await stub.Watch(
        pb.WatchRequest(executor_id=a, status=common.Executing, task_id=str(s.id), timeout_ms=10)
    )
    assert reply.command == common.NoAction
    result = common.TaskResult(Ok=common.TaskOutputs(return_value=b"hi", tags_map={"out": bytes(16)}))
    await stub.UpdateTaskResult(pb.UpdateTaskResultRequest(task_id=str(s.id), result=result))
    task = await task_of(store, s)
    assert task.status is TaskStatus.Finished and task.result == TaskOutputs(b"hi", {"out": bytes(16)})


async def test_heartbeat_and_pull(stub: TeaclaveSchedulerStub, store: MemoryStore) -> None:
    s = await stage(store)
    a = node()
    assert (
        await stub.Heartbeat(pb.HeartbeatRequest(executor_id=a, status=common.Idle))
    ).command == common.NewTask
    assert (await stub.PullTask(pb.PullTaskRequest(executor_id=a))).staged_task == s.bytes


@pytest.mark.parametrize(
    ("call", "status", "message"),
    [
        (
            lambda stub: stub.PullTask(pb.PullTaskRequest(executor_id=node())),
            Status.UNKNOWN,
            "task queue is empty",
        ),
        (lambda stub: stub.Subscribe(Empty()), Status.UNIMPLEMENTED, None),
        (lambda stub: stub.Heartbeat(pb.HeartbeatRequest(executor_id="x")), Status.INTERNAL, None),
        (
            lambda stub: stub.Heartbeat(pb.HeartbeatRequest(executor_id=node(), status=7)),
            Status.INTERNAL,
            None,
        ),
        (
            lambda stub: stub.UpdateTaskResult(pb.UpdateTaskResultRequest(task_id=node())),
            Status.INTERNAL,
            None,
        ),
    ],
)
async def test_errors_keep_teaclaves_codes(
    stub: TeaclaveSchedulerStub, call: Call, status: Status, message: str | None
) -> None:
    with pytest.raises(GRPCError) as info:
        await call(stub)
    assert info.value.status is status
    if message is not None:
        assert info.value.message == message
