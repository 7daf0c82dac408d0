"""Errors of the scheduler, with Teaclave's codes and messages where a node can observe them.

::

    DomainError (2)
    ├── TaskQueueEmpty           task queue is empty
    └── PulledTaskCanceled       task to pull has been canceled
    ServiceError (13)
    ├── InvalidExecutorId        (Teaclave: 13) the executor id is not a UUID
    ├── InvalidExecutorStatus    (Teaclave: 13) not Idle or Executing
    ├── InvalidTaskId            the task id is not a UUID
    ├── UnknownTask              no such task
    ├── TaskNotStaged            UpdateTaskStatus of a task that is not Staged
    ├── TaskNotRunning           UpdateTaskResult of a task that is not Running
    ├── ResultMissing            UpdateTaskResult without a result
    ├── UnknownOutput            a tag for an output the task does not have
    └── OutputAlreadyWritten     an output whose cmac is already set
    Unimplemented (12)           Subscribe
"""

from __future__ import annotations

from teahouse.errors import Code, DomainError, ServiceError, TeahouseError


class TaskQueueEmpty(DomainError):
    message = "task queue is empty"


class PulledTaskCanceled(DomainError):
    message = "task to pull has been canceled"


class InvalidExecutorId(ServiceError):
    message = "invalid executor id: expected a UUID"


class InvalidExecutorStatus(ServiceError):
    message = "invalid executor status"


class InvalidTaskId(ServiceError):
    message = "invalid task id: expected a UUID"


class UnknownTask(ServiceError):
    message = "no such task"


class TaskNotStaged(ServiceError):
    message = "the task is not staged"


class TaskNotRunning(ServiceError):
    message = "the task is not running"


class ResultMissing(ServiceError):
    message = "the task result is missing"


class UnknownOutput(ServiceError):
    message = "the task has no such output"


class OutputAlreadyWritten(ServiceError):
    message = "the output file already holds a result"


class Unimplemented(TeahouseError):
    code = Code.UNIMPLEMENTED
    message = "not implemented"


__all__ = [
    "InvalidExecutorId",
    "InvalidExecutorStatus",
    "InvalidTaskId",
    "OutputAlreadyWritten",
    "PulledTaskCanceled",
    "ResultMissing",
    "TaskNotRunning",
    "TaskNotStaged",
    "TaskQueueEmpty",
    "Unimplemented",
    "UnknownOutput",
    "UnknownTask",
]
