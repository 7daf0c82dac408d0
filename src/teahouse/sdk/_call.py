"""One unary RPC as a value: built by pure code, performed by the async or the sync client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from teahouse.sdk._errors import AuthenticationError, InvalidArgumentError
from teahouse.sdk._types import Credentials

T = TypeVar("T")


@dataclass(frozen=True)
class Call(Generic[T]):
    """The stub method to call, its request message, and how to read the reply.

    ``authenticated`` calls carry the ``id``/``token`` metadata; only ``UserLogin`` does not.
    """

    method: str
    request: Any
    parse: Callable[[Any], T]
    authenticated: bool = True


def no_reply(_reply: Any) -> None:
    return None


def metadata(credentials: Credentials | None) -> dict[str, str]:
    """The ``id``/``token`` metadata of an authenticated call (spec/wire.md §2.1)."""
    if credentials is None:
        raise AuthenticationError("not logged in: call login() first or pass credentials")
    for what, value in (("user id", credentials.id), ("token", credentials.token)):
        if not value.isascii() or not value.isprintable():
            raise InvalidArgumentError(f"the {what} must be printable ASCII to travel as gRPC metadata")
    return {"id": credentials.id, "token": credentials.token}
