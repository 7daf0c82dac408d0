"""Errors of the management service, with Teaclave's codes and messages (spec/wire.md §2.6).

::

    InvalidArgument (3)
    ├── InvalidDataId            invalid data id
    ├── InvalidOutputFile        invalid output file
    │   └── OutputAlreadyWritten     (Teahouse) an assigned output must not hold a result yet
    ├── InvalidFunctionId        invalid function id
    ├── InvalidTaskId            invalid task id
    ├── InvalidTask              invalid task (CreateTask validation)
    ├── InvalidRequest           (Teahouse) a request field does not parse; Teaclave: 13 + debug text
    └── InvalidAuditQuery        (Teahouse) a malformed audit query
    PermissionDenied (7)         permission denied
    └── FunctionDisabled         (Teahouse) a disabled function cannot run tasks
    DomainError (2)
    ├── MissingUserId / MissingUserRole
    ├── TaskAssignDataError / TaskApproveError / TaskInvokeError / TaskCancelError
    ├── FunctionQuotaError
    └── AuditError
    CommitConflict (10, teahouse.kv)
    └── TooManyConflicts         (Teahouse, teahouse.kv) optimistic retries exhausted
"""

from __future__ import annotations

from teahouse.errors import DomainError, InvalidArgument, PermissionDenied
from teahouse.kv import TooManyConflicts


class InvalidDataId(InvalidArgument):
    message = "invalid data id"


class InvalidOutputFile(InvalidArgument):
    message = "invalid output file"


class OutputAlreadyWritten(InvalidOutputFile):
    """AssignData of an output whose cmac is set: the task's upload would be refused later."""

    message = "invalid output file: the output already holds a result; register a new output file"


class InvalidFunctionId(InvalidArgument):
    message = "invalid function id"


class InvalidTaskId(InvalidArgument):
    message = "invalid task id"


class InvalidTask(InvalidArgument):
    message = "invalid task"


class InvalidRequest(InvalidArgument):
    """A request field that does not parse or validate; the message names the field and the problem."""

    message = "invalid request"


class InvalidAuditQuery(InvalidArgument):
    message = "invalid audit query"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(None if detail is None else f"invalid audit query: {detail}")


class FunctionDisabled(PermissionDenied):
    message = "permission denied: the function has been disabled"


class MissingUserId(DomainError):
    message = "missing user id"


class MissingUserRole(DomainError):
    message = "missing user role"


class TaskAssignDataError(DomainError):
    message = "failed to assign data to task"


class TaskApproveError(DomainError):
    message = "failed to approve task"


class TaskInvokeError(DomainError):
    message = "failed to invoke task"


class TaskCancelError(DomainError):
    message = "failed to cancel task, reason: task has already been canceled"

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(None if reason is None else f"failed to cancel task, reason: {reason}")


class FunctionQuotaError(DomainError):
    message = "function quota has been used up"


class AuditError(DomainError):
    message = "audit log error"

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(None if reason is None else f"audit log error, reason: {reason}")


__all__ = [
    "AuditError",
    "FunctionDisabled",
    "FunctionQuotaError",
    "InvalidAuditQuery",
    "InvalidDataId",
    "InvalidFunctionId",
    "InvalidOutputFile",
    "InvalidRequest",
    "InvalidTask",
    "InvalidTaskId",
    "MissingUserId",
    "MissingUserRole",
    "OutputAlreadyWritten",
    "PermissionDenied",
    "TaskApproveError",
    "TaskAssignDataError",
    "TaskCancelError",
    "TaskInvokeError",
    "TooManyConflicts",
]
