from __future__ import annotations

import asyncio
import json

import pytest

from teahouse.errors import Code, ServiceError, Unavailable
from teahouse.kv import CommitConflict, MemoryKeyValueStore, WriteBatch
from teahouse.model.roles import PLATFORM_ADMIN, Role
from teahouse.services.authentication.errors import UserDatabaseError, UserIdExists
from teahouse.services.authentication.passwords import PasswordHash
from teahouse.services.authentication.users import JWT_SECRET_KEY, UserRecord, UserStore, user_key

HASH = PasswordHash(bytes(range(16)), bytes(range(64)))


class BrokenStore(MemoryKeyValueStore):
    """A store whose every operation fails the way the storage client reports an outage."""

    async def get(self, key: bytes) -> bytes | None:
        raise Unavailable()

    async def keys_with_prefix(self, prefix: bytes) -> list[bytes]:
        raise Unavailable()

    async def commit(self, batch: WriteBatch) -> None:
        raise Unavailable()


def test_record_json_is_teaclaves_layout() -> None:
    record = UserRecord("alice", Role.data_owner("bank"), HASH)
    assert json.loads(record.to_json()) == {
        "id": "alice",
        "role": {"DataOwner": "bank"},
        "salt": list(range(16)),
        "salted_password_hash": list(range(64)),
    }
    assert UserRecord.from_json(record.to_json()) == record
    admin = UserRecord("admin", PLATFORM_ADMIN, HASH)
    assert json.loads(admin.to_json())["role"] == "PlatformAdmin"


def test_record_repr_hides_the_hash() -> None:
    assert "salt" not in repr(UserRecord("alice", PLATFORM_ADMIN, HASH))


async def test_create_get_list_delete() -> None:
    kv = MemoryKeyValueStore()
    store = UserStore(kv)
    for user_id in ["bob", "alice", "a-b", "ünï"]:
        await store.create(UserRecord(user_id, PLATFORM_ADMIN, HASH))
    assert await kv.get(b"auth-user-alice") is not None
    assert sorted(await store.user_ids()) == sorted(["bob", "alice", "a-b", "ünï"])
    stored = await store.get("alice")
    assert stored is not None and stored.record.id == "alice"
    await store.delete(stored)
    assert await store.get("alice") is None


async def test_create_refuses_an_existing_id() -> None:
    store = UserStore(MemoryKeyValueStore())
    await store.create(UserRecord("alice", PLATFORM_ADMIN, HASH))
    with pytest.raises(UserIdExists):
        await store.create(UserRecord("alice", Role.data_owner("x"), HASH))


async def test_replace_is_compare_and_swap() -> None:
    store = UserStore(MemoryKeyValueStore())
    await store.create(UserRecord("alice", PLATFORM_ADMIN, HASH))
    seen = await store.get("alice")
    assert seen is not None
    await store.replace(seen, UserRecord("alice", Role.data_owner("a"), HASH))
    with pytest.raises(CommitConflict):
        await store.replace(seen, UserRecord("alice", PLATFORM_ADMIN, HASH))
    with pytest.raises(CommitConflict):
        await store.delete(seen)
    now = await store.get("alice")
    assert now is not None and now.record.role == Role.data_owner("a")


async def test_secret_is_created_once_and_persisted() -> None:
    kv = MemoryKeyValueStore()
    first = await UserStore(kv).jwt_secret()
    assert len(first) == 512
    assert await kv.get(JWT_SECRET_KEY) == first
    assert await UserStore(kv).jwt_secret() == first


async def test_concurrent_first_starts_agree_on_one_secret() -> None:
    kv = MemoryKeyValueStore()
    secrets = await asyncio.gather(*(UserStore(kv).jwt_secret() for _ in range(10)))
    assert len(set(secrets)) == 1


async def test_secret_is_not_a_user() -> None:
    kv = MemoryKeyValueStore()
    store = UserStore(kv)
    await store.jwt_secret()
    assert await store.user_ids() == []


async def test_storage_failure_is_a_service_internal_error() -> None:
    store = UserStore(BrokenStore())
    for operation in (
        store.get("alice"),
        store.user_ids(),
        store.jwt_secret(),
        store.create(UserRecord("a", PLATFORM_ADMIN, HASH)),
    ):
        with pytest.raises(UserDatabaseError) as info:
            await operation
        assert isinstance(info.value, ServiceError)
        assert info.value.code is Code.UNAUTHENTICATED
        assert info.value.message == "service internal error"


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"{}",
        b'{"id": "alice", "role": "Boss", "salt": [], "salted_password_hash": []}',
        b'{"id": 3}',
        b'{"id": "alice", "role": "PlatformAdmin", "salt": 16, "salted_password_hash": 64}',
        b'{"id": "alice", "role": "PlatformAdmin", "salt": [256], "salted_password_hash": []}',
    ],
)
async def test_corrupt_record_is_a_service_internal_error(raw: bytes) -> None:
    kv = MemoryKeyValueStore()
    await kv.put(user_key("alice"), raw)
    with pytest.raises(UserDatabaseError):
        await UserStore(kv).get("alice")
