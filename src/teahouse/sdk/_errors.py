"""The errors the SDK raises, and the one place that translates everything else into them.

::

    SdkError (TeahouseError)            status + message
    ├── AuthenticationError       16    bad credentials or token (Teaclave's auth service uses 16 for all)
    ├── PermissionDeniedError      7
    ├── InvalidArgumentError       3
    ├── NotFoundError              5
    ├── FailedPreconditionError    9
    ├── RequestFailedError         2    Teaclave's business-rule refusals (quota used up, cannot invoke...)
    ├── ServiceError              13
    ├── UnavailableError          14    cannot connect, or the connection broke
    ├── DeadlineExceededError      4    the call took longer than its timeout (also a TimeoutError)
    ├── AttestationFailedError    16    the server's evidence was refused; ``check`` names the failed check
    ├── TrustError                 9    the trust folder is missing, malformed or not signed by its auditors
    ├── TaskFailed                      the task ended without a result; ``reason`` and ``task``
    └── TaskCanceled                    the task was canceled; ``reason`` and ``task``

Each status class also derives from the matching class of :mod:`teahouse.errors`, so the status
mapping is :func:`teahouse.rpc.errors.from_grpc`'s and nothing here repeats it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from grpclib.exceptions import GRPCError, ProtocolError, StreamTerminatedError

from teahouse import errors as core
from teahouse.attestation.errors import AttestationError
from teahouse.errors import Code, TeahouseError
from teahouse.rpc.errors import from_grpc

if TYPE_CHECKING:
    from teahouse.sdk._results import Task


class SdkError(TeahouseError):
    """Base of every SDK error: ``status`` is the gRPC status code, ``message`` the server's text."""

    @property
    def status(self) -> Code:
        return self.code


class AuthenticationError(SdkError, core.Unauthenticated):
    """Wrong user id or password, a missing, expired or foreign token (gRPC 16)."""


class PermissionDeniedError(SdkError, core.PermissionDenied):
    pass


class InvalidArgumentError(SdkError, core.InvalidArgument):
    pass


class NotFoundError(SdkError, core.NotFound):
    pass


class FailedPreconditionError(SdkError, core.FailedPrecondition):
    pass


class RequestFailedError(SdkError, core.DomainError):
    """The platform refused the request by one of its rules (gRPC 2, e.g. ``failed to invoke task``)."""


class ServiceError(SdkError, core.ServiceError):
    pass


class UnavailableError(SdkError, core.Unavailable):
    """The service cannot be reached, or the connection broke during the call."""


class DeadlineExceededError(SdkError, TimeoutError):
    code = Code.DEADLINE_EXCEEDED
    message = "the call did not complete within its timeout"


class AttestationFailedError(SdkError):
    """The server's attestation evidence was refused; nothing was sent to it.

    ``error`` is the :class:`~teahouse.attestation.errors.AttestationError` that the verifier
    raised and ``check`` the name of the check that failed (``"mr_enclave"``, ``"report signer"``...).
    """

    code = Code.UNAUTHENTICATED

    def __init__(self, error: AttestationError, address: str = "") -> None:
        self.error = error
        self.check = error.check
        where = f" of {address}" if address else ""
        super().__init__(f"attestation{where} failed: {error.check} check: {error.message}")


class TrustError(SdkError):
    """The trust folder cannot be used; ``path`` is the offending file or folder."""

    code = Code.FAILED_PRECONDITION

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(message)


class TaskFailed(SdkError):
    """The task ended with an error (status Failed, or Finished with an error result)."""

    code = Code.UNKNOWN

    def __init__(self, task: Task) -> None:
        self.task = task
        self.reason = task.result.reason if task.result is not None else ""
        super().__init__(f"task {task.task_id} failed ({task.status.name}): {self.reason}")


class TaskCanceled(SdkError):
    code = Code.CANCELLED

    def __init__(self, task: Task) -> None:
        self.task = task
        self.reason = task.result.reason if task.result is not None else ""
        super().__init__(f"task {task.task_id} was canceled: {self.reason}")


# The SDK class of each core class, read off the class definitions above.
_BY_CORE: dict[type[TeahouseError], type[SdkError]] = {
    base: cls
    for cls in (
        AuthenticationError,
        PermissionDeniedError,
        InvalidArgumentError,
        NotFoundError,
        FailedPreconditionError,
        RequestFailedError,
        ServiceError,
        UnavailableError,
    )
    for base in cls.__bases__
    if base is not SdkError
}


def translate(exc: BaseException, address: str = "") -> SdkError | None:
    """The SDK error for an exception raised by a call, or ``None`` if it is not a call failure."""
    if isinstance(exc, SdkError):
        return exc
    if isinstance(exc, AttestationError):
        return AttestationFailedError(exc, address)
    if isinstance(exc, GRPCError):
        return _from_core(from_grpc(exc))
    if isinstance(exc, TeahouseError):
        return _from_core(exc)
    if isinstance(exc, asyncio.TimeoutError):
        return DeadlineExceededError()
    if isinstance(exc, StreamTerminatedError | ProtocolError | OSError):
        where = f"{address}: " if address else ""
        return UnavailableError(f"{where}connection failed: {exc or type(exc).__name__}")
    return None


def _from_core(err: TeahouseError) -> SdkError:
    if err.code is Code.DEADLINE_EXCEEDED:
        return DeadlineExceededError(err.message)
    for cls in type(err).__mro__:
        sdk = _BY_CORE.get(cls)
        if sdk is not None:
            return sdk(err.message)
    result = SdkError(err.message)
    result.code = err.code
    return result
