"""Error mapping: one status table (teahouse.rpc.errors), SDK classes that keep status and message."""

from __future__ import annotations

import pytest
from grpclib.const import Status
from grpclib.exceptions import GRPCError, StreamTerminatedError

from teahouse import errors as core
from teahouse.attestation import errors as att
from teahouse.errors import Code
from teahouse.model import TaskStatus
from teahouse.sdk import (
    AttestationFailedError,
    AuthenticationError,
    DeadlineExceededError,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RequestFailedError,
    SdkError,
    ServiceError,
    Task,
    TaskCanceled,
    TaskFailed,
    TaskResult,
    UnavailableError,
)
from teahouse.sdk._errors import translate


@pytest.mark.parametrize(
    ("status", "message", "cls", "core_cls"),
    [
        (Status.UNAUTHENTICATED, "authentication failed", AuthenticationError, core.Unauthenticated),
        (Status.UNAUTHENTICATED, "incorrent credential", AuthenticationError, core.Unauthenticated),
        (Status.PERMISSION_DENIED, "permission denied", PermissionDeniedError, core.PermissionDenied),
        (Status.INVALID_ARGUMENT, "invalid task id", InvalidArgumentError, core.InvalidArgument),
        (Status.NOT_FOUND, "no such thing", NotFoundError, core.NotFound),
        (Status.FAILED_PRECONDITION, "not now", FailedPreconditionError, core.FailedPrecondition),
        (Status.UNKNOWN, "function quota has been used up", RequestFailedError, core.DomainError),
        (Status.INTERNAL, "service internal error", ServiceError, core.ServiceError),
        (Status.UNAVAILABLE, "try later", UnavailableError, core.Unavailable),
    ],
)
def test_statuses_map_to_classes(status: Status, message: str, cls: type[SdkError], core_cls: type) -> None:
    err = translate(GRPCError(status, message))
    assert type(err) is cls
    assert isinstance(err, core_cls)
    assert err.status == Code(status.value) and err.message == message
    assert str(err) == message


def test_a_status_without_class_keeps_its_code() -> None:
    err = translate(GRPCError(Status.RESOURCE_EXHAUSTED, "too big"))
    assert type(err) is SdkError
    assert err.status is Code.RESOURCE_EXHAUSTED and err.message == "too big"


def test_deadlines() -> None:
    assert isinstance(translate(TimeoutError()), DeadlineExceededError)
    server_side = translate(GRPCError(Status.DEADLINE_EXCEEDED, "late"))
    assert isinstance(server_side, DeadlineExceededError) and isinstance(server_side, TimeoutError)
    assert server_side.status is Code.DEADLINE_EXCEEDED


def test_connection_failures_are_unavailable() -> None:
    for exc in (StreamTerminatedError("gone"), ConnectionResetError("reset"), core.Unavailable("no route")):
        err = translate(exc, "host:1")
        assert isinstance(err, UnavailableError), exc
        assert err.status is Code.UNAVAILABLE


def test_attestation_errors_name_the_check() -> None:
    cause = att.MrEnclaveMismatch("mr_enclave abc is not enclave_info's value for frontend")
    err = translate(cause, "127.0.0.1:7777")
    assert isinstance(err, AttestationFailedError)
    assert err.error is cause and err.check == "mr_enclave"
    assert err.status is Code.UNAUTHENTICATED
    assert "127.0.0.1:7777" in err.message and "mr_enclave check" in err.message


def test_other_exceptions_are_not_call_failures() -> None:
    assert translate(ValueError("bug")) is None
    already = PermissionDeniedError("no")
    assert translate(already) is already


def _ended(status: TaskStatus, result: TaskResult | None) -> Task:
    return Task("task-1", "u", "f", "o", {}, (), (), frozenset(), frozenset(), (), (), status, result)


def test_task_errors_carry_the_task_and_reason() -> None:
    failed = TaskFailed(
        _ended(TaskStatus.Failed, TaskResult(ok=False, reason="Runtime Error: Executor Timeout"))
    )
    assert failed.reason == "Runtime Error: Executor Timeout" and failed.task.task_id == "task-1"
    assert "task-1" in str(failed) and "Executor Timeout" in str(failed)
    canceled = TaskCanceled(_ended(TaskStatus.Canceled, TaskResult(ok=False, reason="Task canceled")))
    assert canceled.reason == "Task canceled" and canceled.status is Code.CANCELLED
