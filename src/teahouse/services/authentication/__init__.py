"""The authentication service: users, roles, passwords and login tokens.

Domain code only; the RPC handlers live in ``handlers.py``. Start with
:class:`AuthenticationService` (``await AuthenticationService.open(kv)``).
"""

from teahouse.model.roles import Role, RoleKind, acl_role_name
from teahouse.services.authentication.errors import (
    AuthenticationFailed,
    AuthenticationServiceError,
    InvalidToken,
)
from teahouse.services.authentication.passwords import PasswordHasher
from teahouse.services.authentication.service import AuthenticationService
from teahouse.services.authentication.tokens import Claims, TokenCodec
from teahouse.services.authentication.users import UserStore

__all__ = [
    "AuthenticationFailed",
    "AuthenticationService",
    "AuthenticationServiceError",
    "Claims",
    "InvalidToken",
    "PasswordHasher",
    "Role",
    "RoleKind",
    "TokenCodec",
    "UserStore",
    "acl_role_name",
]
