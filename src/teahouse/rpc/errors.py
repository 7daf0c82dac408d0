"""The one translation between Teahouse errors and gRPC statuses, both directions."""

from __future__ import annotations

import logging

from grpclib.const import Status
from grpclib.exceptions import GRPCError

from teahouse import errors
from teahouse.errors import Code, TeahouseError

log = logging.getLogger(__name__)

INTERNAL_MESSAGE = "service internal error"

_BY_CODE: dict[Code, type[TeahouseError]] = {
    Code.INVALID_ARGUMENT: errors.InvalidArgument,
    Code.PERMISSION_DENIED: errors.PermissionDenied,
    Code.UNAUTHENTICATED: errors.Unauthenticated,
    Code.NOT_FOUND: errors.NotFound,
    Code.FAILED_PRECONDITION: errors.FailedPrecondition,
    Code.INTERNAL: errors.ServiceError,
    Code.UNAVAILABLE: errors.Unavailable,
    Code.UNKNOWN: errors.DomainError,
}


def to_grpc(exc: BaseException, method: str) -> GRPCError:
    """Server side: a TeahouseError keeps its status and message; anything else is INTERNAL."""
    if isinstance(exc, GRPCError):
        return exc
    if isinstance(exc, TeahouseError):
        return GRPCError(Status(int(exc.code)), exc.message)
    log.error("unexpected error in %s", method, exc_info=exc)
    return GRPCError(Status.INTERNAL, INTERNAL_MESSAGE)


class RemoteError(TeahouseError):
    """A status of a code this side has no class for."""


def from_grpc(exc: GRPCError) -> TeahouseError:
    """Client side: the class of the status (message kept verbatim)."""
    code = Code(int(exc.status.value))
    message = exc.message or ""
    cls = _BY_CODE.get(code)
    if cls is None:
        err = RemoteError(message)
        err.code = code
        return err
    return cls(message)
