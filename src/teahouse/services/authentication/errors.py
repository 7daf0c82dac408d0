"""Errors of the authentication service.

Teaclave returns every error of this service with gRPC code 16 (UNAUTHENTICATED), even
"permission denied" (spec/behaviour.md §13 item 17). We keep that quirk: every class here derives
from :class:`AuthenticationServiceError`, whose code is UNAUTHENTICATED, and also from the
:mod:`teahouse.errors` category it belongs to, so callers can catch either.

::

    AuthenticationServiceError (16)
    ├── AuthenticationFailed          "authentication failed"  (also Unauthenticated)
    │   ├── UnknownUser
    │   ├── PasswordMismatch
    │   └── InvalidToken
    │       ├── TokenMalformed
    │       ├── TokenAlgorithmNotAllowed
    │       ├── TokenSignatureInvalid
    │       ├── TokenIssuerInvalid
    │       ├── TokenExpired
    │       └── TokenSubjectMismatch
    ├── MissingUserId                 "missing user id"        (also Unauthenticated)
    ├── MissingToken                  "missing token"          (also Unauthenticated)
    ├── UserPermissionDenied          "permission denied"      (also PermissionDenied)
    ├── InvalidUserId                 "invalid user id"        (also InvalidArgument)
    ├── InvalidRole                   "invalid role"           (also InvalidArgument)
    ├── UserIdExists                  "user id exist"          (also FailedPrecondition)
    └── UserDatabaseError             "service internal error" (also ServiceError)

The caller only ever sees ``message``. The subclasses of :class:`AuthenticationFailed` say why
in ``detail``, for logs and tests; it never contains a password, hash or token.
"""

from __future__ import annotations

from teahouse.errors import (
    Code,
    FailedPrecondition,
    InvalidArgument,
    PermissionDenied,
    ServiceError,
    TeahouseError,
    Unauthenticated,
)


class AuthenticationServiceError(TeahouseError):
    """Base of the authentication service's errors; all travel as UNAUTHENTICATED."""

    code = Code.UNAUTHENTICATED
    message = "authentication failed"


class AuthenticationFailed(AuthenticationServiceError, Unauthenticated):
    """The credentials (user id, password or token) are not acceptable."""

    code = Code.UNAUTHENTICATED
    message = "authentication failed"
    detail = "authentication failed"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__()
        if detail is not None:
            self.detail = detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, detail={self.detail!r})"


class UnknownUser(AuthenticationFailed):
    detail = "no such user"


class PasswordMismatch(AuthenticationFailed):
    detail = "wrong password"


class InvalidToken(AuthenticationFailed):
    """A token did not validate; each subclass names the check that failed."""

    detail = "invalid token"


class TokenMalformed(InvalidToken):
    detail = "token is not a well-formed JWT with the expected claims"


class TokenAlgorithmNotAllowed(InvalidToken):
    detail = "token algorithm is not HS512"


class TokenSignatureInvalid(InvalidToken):
    detail = "token signature does not verify with this platform's key"


class TokenIssuerInvalid(InvalidToken):
    detail = "token issuer is not Teaclave"


class TokenExpired(InvalidToken):
    detail = "token has expired"


class TokenSubjectMismatch(InvalidToken):
    detail = "token was issued to another user"


class MissingUserId(AuthenticationServiceError, Unauthenticated):
    code = Code.UNAUTHENTICATED
    message = "missing user id"


class MissingToken(AuthenticationServiceError, Unauthenticated):
    code = Code.UNAUTHENTICATED
    message = "missing token"


class UserPermissionDenied(AuthenticationServiceError, PermissionDenied):
    """The requester's role may not act on this user (or the target user does not exist)."""

    code = Code.UNAUTHENTICATED
    message = "permission denied"


class InvalidUserId(AuthenticationServiceError, InvalidArgument):
    code = Code.UNAUTHENTICATED
    message = "invalid user id"


class InvalidRole(AuthenticationServiceError, InvalidArgument):
    code = Code.UNAUTHENTICATED
    message = "invalid role"


class UserIdExists(AuthenticationServiceError, FailedPrecondition):
    code = Code.UNAUTHENTICATED
    message = "user id exist"


class UserDatabaseError(AuthenticationServiceError, ServiceError):
    """The user database (the storage service) failed or holds an unreadable record."""

    code = Code.UNAUTHENTICATED
    message = "service internal error"
