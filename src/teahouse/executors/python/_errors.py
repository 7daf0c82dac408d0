"""Errors of the Python executor itself (the function's own failures are FunctionFailed)."""

from __future__ import annotations

from teahouse.errors import ServiceError


class SandboxError(ServiceError):
    """A sandboxed worker could not be started or the executor is closed: a platform fault."""

    message = "python sandbox unavailable"
