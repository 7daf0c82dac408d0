"""The one error tree of Teahouse.

Every error that may cross a service boundary derives from :class:`TeahouseError` and carries
the gRPC status code and the message that the caller sees. Domain code raises these errors
and knows nothing of gRPC; exactly one translator (``teahouse.rpc.errors``) turns them into
gRPC statuses on the server side, and the SDK maps statuses back to classes on the client side.

::

    TeahouseError
    ├── InvalidArgument          3  (request fields that do not parse or validate)
    ├── PermissionDenied         7
    ├── Unauthenticated         16
    ├── NotFound                 5
    ├── FailedPrecondition       9
    ├── ServiceError            13  (a dependency failed; the text is generic)
    ├── Unavailable             14
    └── DomainError              2  (Teaclave's UNKNOWN-coded business errors)

Services derive their own errors from these (see ``teahouse.services.*.errors``), each with
its exact Teaclave message.
"""

from __future__ import annotations

import enum


class Code(enum.IntEnum):
    """gRPC status codes, kept here so that domain code need not import grpclib."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class TeahouseError(Exception):
    """Base of every error whose message may be sent to a caller.

    ``code`` is the gRPC status; ``message`` is the text the caller sees. Subclasses fix both
    as class attributes; an instance may pass a more specific message.
    """

    code: Code = Code.UNKNOWN
    message: str = "error"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class InvalidArgument(TeahouseError):
    code = Code.INVALID_ARGUMENT
    message = "invalid argument"


class PermissionDenied(TeahouseError):
    code = Code.PERMISSION_DENIED
    message = "permission denied"


class Unauthenticated(TeahouseError):
    code = Code.UNAUTHENTICATED
    message = "authentication failed"


class NotFound(TeahouseError):
    code = Code.NOT_FOUND
    message = "not found"


class FailedPrecondition(TeahouseError):
    code = Code.FAILED_PRECONDITION
    message = "failed precondition"


class ServiceError(TeahouseError):
    code = Code.INTERNAL
    message = "service internal error"


class Unavailable(TeahouseError):
    code = Code.UNAVAILABLE
    message = "service unavailable"


class DomainError(TeahouseError):
    code = Code.UNKNOWN
    message = "error"


def all_error_classes() -> list[type[TeahouseError]]:
    """Every subclass of :class:`TeahouseError` that is currently imported, depth first."""
    found: list[type[TeahouseError]] = []
    stack: list[type[TeahouseError]] = [TeahouseError]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return found
