"""The authentication service's domain: one method per RPC (spec/wire.md §1.2, §2.2, §5).

The RPC layer calls :meth:`AuthenticationService.authenticate` with the ``id``/``token``
metadata first (every API RPC but UserLogin), then passes the returned :class:`Claims` to the
method of the RPC. The requester's role is the token's ``role`` claim, not the stored role.
Checks run in Teaclave's order and raise the errors of
:mod:`teahouse.services.authentication.errors`.

Deliberate differences from Teaclave (see the module's tests):

- a DataOwnerManager(s) may update only users whose *current* role is DataOwner(s) (Teaclave
  checks only the new role, which let a manager take over any account, the admin's included);
- UserChangePassword keeps the stored role (Teaclave rewrote it from the token's claim, which
  undid a demotion made after the token was issued).
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from teahouse.kv import CommitConflict, KeyValueStore
from teahouse.model.roles import PLATFORM_ADMIN, Role, RoleKind
from teahouse.services.authentication.errors import (
    AuthenticationFailed,
    InvalidRole,
    InvalidUserId,
    PasswordMismatch,
    TokenMalformed,
    UnknownUser,
    UserDatabaseError,
    UserIdExists,
    UserPermissionDenied,
)
from teahouse.services.authentication.passwords import (
    HASH_LEN,
    ITERATIONS,
    SALT_LEN,
    PasswordHash,
    PasswordHasher,
)
from teahouse.services.authentication.tokens import Claims, Clock, TokenCodec
from teahouse.services.authentication.users import StoredUser, UserRecord, UserStore

log = logging.getLogger(__name__)

ADMIN_ID = "admin"
ADMIN_PASSWORD = "teaclave"
# Read-modify-write operations retry this often when a concurrent write got there first.
MAX_ATTEMPTS = 8
# Compared against when the user does not exist, so that a login costs the same either way.
_DUMMY_HASH = PasswordHash(bytes(SALT_LEN), bytes(HASH_LEN))

T = TypeVar("T")


def may_register(requester: Role, new: Role) -> bool:
    """Whether ``requester`` may create a user with role ``new``."""
    if requester.kind is RoleKind.PLATFORM_ADMIN:
        return True
    if requester.kind is RoleKind.DATA_OWNER_MANAGER:
        return new == Role.data_owner(requester.attribute)
    if requester.kind is RoleKind.FUNCTION_OWNER:
        return new.kind is RoleKind.DATA_OWNER_MANAGER
    return False


def may_update(requester: Role, current: Role, new: Role) -> bool:
    """Whether ``requester`` may give a user whose role is ``current`` the role ``new``."""
    if requester.kind is RoleKind.PLATFORM_ADMIN:
        return True
    if requester.kind is RoleKind.DATA_OWNER_MANAGER:
        group = Role.data_owner(requester.attribute)
        return new == group and current == group
    return False


def may_manage(requester: Role, target: Role) -> bool:
    """Whether ``requester`` may reset the password of, or delete, a user with role ``target``."""
    if requester.kind is RoleKind.PLATFORM_ADMIN:
        return True
    if requester.kind is RoleKind.DATA_OWNER_MANAGER:
        return target == Role.data_owner(requester.attribute)
    return False


class AuthenticationService:
    """Users, passwords and tokens of one platform."""

    def __init__(self, users: UserStore, tokens: TokenCodec, hasher: PasswordHasher | None = None) -> None:
        self._users = users
        self._tokens = tokens
        self._hasher = hasher or PasswordHasher()

    @classmethod
    async def open(
        cls, kv: KeyValueStore, *, iterations: int = ITERATIONS, clock: Clock = time.time
    ) -> AuthenticationService:
        """The service over ``kv``, with the persisted token secret (created on first start)."""
        users = UserStore(kv)
        secret = await users.jwt_secret()
        return cls(users, TokenCodec(secret, clock=clock), PasswordHasher(iterations))

    async def ensure_admin(self, user_id: str = ADMIN_ID, password: str = ADMIN_PASSWORD) -> bool:
        """Create the bootstrap PlatformAdmin if absent; return whether it was created."""
        if await self._users.get(user_id) is not None:
            return False
        try:
            await self._users.create(UserRecord(user_id, PLATFORM_ADMIN, await self._hasher.ahash(password)))
        except UserIdExists:
            return False
        log.info("created the bootstrap user %r", user_id)
        return True

    async def authenticate(self, user_id: str, token: str) -> Claims:
        """The claims of ``token`` if it is a valid token of the existing user ``user_id``."""
        if not user_id:
            raise UnknownUser("empty user id")
        if await self._users.get(user_id) is None:
            raise UnknownUser()
        if not token:
            raise TokenMalformed("empty token")
        return self._tokens.validate(token, user_id)

    async def login(self, user_id: str, password: str) -> str:
        """A fresh token for ``user_id`` if ``password`` is right."""
        if not user_id or not password:
            raise AuthenticationFailed("empty user id or password")
        stored = await self._users.get(user_id)
        if stored is None:
            with contextlib.suppress(PasswordMismatch):
                await self._hasher.averify(password, _DUMMY_HASH)
            raise UnknownUser()
        await self._hasher.averify(password, stored.record.password)
        return self._tokens.issue(user_id, stored.record.role.claim)

    async def register(self, caller: Claims, user_id: str, password: str, role: str, attribute: str) -> None:
        if not user_id:
            raise InvalidUserId()
        if await self._users.get(user_id) is not None:
            raise UserIdExists()
        new_role = Role.from_request(role, attribute)
        if not new_role.is_valid:
            raise InvalidRole()
        if not may_register(Role.parse(caller.role), new_role):
            raise UserPermissionDenied()
        await self._users.create(UserRecord(user_id, new_role, await self._hasher.ahash(password)))

    async def update(self, caller: Claims, user_id: str, password: str, role: str, attribute: str) -> None:
        """Replace the password and role of an existing user."""
        if not user_id:
            raise InvalidUserId()
        requester = Role.parse(caller.role)
        new_role = Role.from_request(role, attribute)
        hashed: PasswordHash | None = None

        async def attempt() -> None:
            nonlocal hashed
            current = await self._users.get(user_id)
            if current is None:
                raise InvalidUserId()
            if not new_role.is_valid:
                raise InvalidRole()
            if not may_update(requester, current.record.role, new_role):
                raise UserPermissionDenied()
            hashed = hashed or await self._hasher.ahash(password)
            await self._users.replace(current, UserRecord(user_id, new_role, hashed))

        await _retrying(attempt)

    async def change_password(self, caller: Claims, password: str) -> None:
        """Set a new password for the caller."""
        if not password:
            raise AuthenticationFailed("empty password")
        hashed = await self._hasher.ahash(password)

        async def attempt() -> None:
            current = await self._users.get(caller.sub)
            if current is None:
                raise UnknownUser()
            await self._users.replace(current, UserRecord(caller.sub, current.record.role, hashed))

        await _retrying(attempt)

    async def reset_password(self, caller: Claims, user_id: str) -> str:
        """Give ``user_id`` a new random password and return it."""
        if not user_id:
            raise InvalidUserId()
        password = uuid.uuid4().hex
        hashed = await self._hasher.ahash(password)

        async def attempt() -> None:
            current = await self._managed_user(caller, user_id)
            await self._users.replace(current, UserRecord(user_id, current.record.role, hashed))

        await _retrying(attempt)
        return password

    async def delete(self, caller: Claims, user_id: str) -> None:
        if not user_id:
            raise InvalidUserId()

        async def attempt() -> None:
            await self._users.delete(await self._managed_user(caller, user_id))

        await _retrying(attempt)

    async def list_users(self, caller: Claims, user_id: str) -> list[str]:
        """All ids (PlatformAdmin), or the DataOwners of group ``user_id`` (its DataOwnerManager)."""
        if not user_id:
            raise InvalidUserId()
        requester = Role.parse(caller.role)
        if requester.kind is RoleKind.PLATFORM_ADMIN:
            return await self._users.user_ids()
        if requester.kind is RoleKind.DATA_OWNER_MANAGER and user_id == requester.attribute:
            group = Role.data_owner(requester.attribute)
            members = []
            for member_id in await self._users.user_ids():
                stored = await self._users.get(member_id)
                if stored is not None and stored.record.role == group:
                    members.append(member_id)
            return members
        raise UserPermissionDenied()

    async def _managed_user(self, caller: Claims, user_id: str) -> StoredUser:
        current = await self._users.get(user_id)
        if current is None or not may_manage(Role.parse(caller.role), current.record.role):
            raise UserPermissionDenied()
        return current


async def _retrying(operation: Callable[[], Awaitable[T]]) -> T:
    """Run a read-check-write ``operation`` again (checks included) after a write conflict."""
    for _ in range(MAX_ATTEMPTS):
        try:
            return await operation()
        except CommitConflict:
            continue
    log.error("giving up after %d conflicting writes", MAX_ATTEMPTS)
    raise UserDatabaseError()
