"""The user database and the token secret, kept in the platform's key-value store.

A user is stored under ``auth-user-<id>`` as JSON close to Teaclave's record (spec/wire.md §5.3):
``{"id": str, "role": <role enum>, "salt": [16 ints], "salted_password_hash": [64 ints]}``.
The storage service seals values at rest; this module only stores bytes.

The JWT secret is created once and kept under ``auth-jwt-secret``, so that tokens survive a
restart of the service (Teaclave draws a new secret at every start).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from teahouse.errors import TeahouseError
from teahouse.kv import CommitConflict, KeyValueStore, WriteBatch
from teahouse.model.roles import Role
from teahouse.services.authentication.errors import UserDatabaseError, UserIdExists
from teahouse.services.authentication.passwords import PasswordHash
from teahouse.services.authentication.tokens import SECRET_LEN

log = logging.getLogger(__name__)

USER_PREFIX = b"auth-user"
JWT_SECRET_KEY = b"auth-jwt-secret"

T = TypeVar("T")


@dataclass(frozen=True, repr=False)
class UserRecord:
    id: str
    role: Role
    password: PasswordHash

    def __repr__(self) -> str:
        return f"UserRecord(id={self.id!r}, role={self.role.claim!r})"

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "id": self.id,
                "role": self.role.to_record(),
                "salt": list(self.password.salt),
                "salted_password_hash": list(self.password.digest),
            },
            separators=(",", ":"),
        ).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> UserRecord:
        """Parse a stored record; raises ``ValueError`` (or ``KeyError``/``TypeError``) if corrupt."""
        data: dict[str, Any] = json.loads(raw)
        if not isinstance(data["id"], str):
            raise ValueError("user id is not a string")
        if not isinstance(data["salt"], list) or not isinstance(data["salted_password_hash"], list):
            raise ValueError("salt and hash must be lists of bytes")
        return cls(
            id=data["id"],
            role=Role.from_record(data["role"]),
            password=PasswordHash(bytes(data["salt"]), bytes(data["salted_password_hash"])),
        )


@dataclass(frozen=True)
class StoredUser:
    """A record together with the exact bytes it was read from (for compare-and-swap)."""

    record: UserRecord
    raw: bytes


def user_key(user_id: str) -> bytes:
    return USER_PREFIX + b"-" + user_id.encode()


class UserStore:
    """Users and the token secret on a :class:`~teahouse.kv.KeyValueStore`.

    Writes are compare-and-swap: :meth:`replace` and :meth:`delete` apply only if the record is
    still the one that was read, and raise :class:`~teahouse.kv.CommitConflict` otherwise. Any
    other storage failure becomes :class:`UserDatabaseError`.
    """

    def __init__(self, kv: KeyValueStore) -> None:
        self._kv = kv

    async def get(self, user_id: str) -> StoredUser | None:
        raw = await self._call(self._kv.get(user_key(user_id)))
        if raw is None:
            return None
        try:
            record = UserRecord.from_json(raw)
        except (ValueError, KeyError, TypeError) as exc:
            log.error("unreadable user record for %r: %s", user_id, type(exc).__name__)
            raise UserDatabaseError() from exc
        return StoredUser(record, raw)

    async def create(self, record: UserRecord) -> None:
        """Store a new user; raise :class:`UserIdExists` if the id is taken."""
        batch = WriteBatch().expect(user_key(record.id), None).put(user_key(record.id), record.to_json())
        try:
            await self._call(self._kv.commit(batch))
        except CommitConflict as exc:
            raise UserIdExists() from exc

    async def replace(self, current: StoredUser, record: UserRecord) -> None:
        key = user_key(current.record.id)
        await self._call(self._kv.commit(WriteBatch().expect(key, current.raw).put(key, record.to_json())))

    async def delete(self, current: StoredUser) -> None:
        key = user_key(current.record.id)
        await self._call(self._kv.commit(WriteBatch().expect(key, current.raw).delete(key)))

    async def user_ids(self) -> list[str]:
        """Every user id, sorted by key."""
        keys = await self._call(self._kv.keys_with_prefix(USER_PREFIX))
        start = len(USER_PREFIX) + 1
        return [key[start:].decode() for key in keys]

    async def jwt_secret(self, make: Callable[[int], bytes] = secrets.token_bytes) -> bytes:
        """The platform's token secret, created on first use (safe if several start at once)."""
        secret = await self._call(self._kv.get(JWT_SECRET_KEY))
        if secret is not None:
            return secret
        fresh = make(SECRET_LEN)
        batch = WriteBatch().expect(JWT_SECRET_KEY, None).put(JWT_SECRET_KEY, fresh)
        try:
            await self._call(self._kv.commit(batch))
        except CommitConflict:
            secret = await self._call(self._kv.get(JWT_SECRET_KEY))
            if secret is None:
                raise UserDatabaseError() from None
            return secret
        log.info("created a new token secret")
        return fresh

    @staticmethod
    async def _call(awaitable: Awaitable[T]) -> T:
        try:
            return await awaitable
        except CommitConflict:
            raise
        except TeahouseError as exc:
            log.error("user database failure: %r", exc)
            raise UserDatabaseError() from exc
