"""User management: the authorization table of spec/wire.md §5.2 and the order of checks of §2.2."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from teahouse.errors import Code, all_error_classes
from teahouse.kv import MemoryKeyValueStore, WriteBatch
from teahouse.model.roles import Role
from teahouse.services.authentication import errors
from teahouse.services.authentication.errors import (
    AuthenticationServiceError,
    InvalidRole,
    InvalidUserId,
    PasswordMismatch,
    UserIdExists,
    UserPermissionDenied,
)
from teahouse.services.authentication.service import AuthenticationService

from .conftest import ADMIN, FAST_ITERATIONS, FakeClock, claims

# Requesters, by the role claim in their token.
FO = claims("fo", "FunctionOwner")
DOM_A = claims("dom-a", "DataOwnerManager-a")
DO_A = claims("do-a", "DataOwner-a")
INVALID = claims("x", "Invalid")
REQUESTERS = {"PA": ADMIN, "FO": FO, "DOM(a)": DOM_A, "DO(a)": DO_A, "Invalid": INVALID}

# New/target roles as (role, attribute) request fields.
ROLES = {
    "PA": ("PlatformAdmin", ""),
    "FO": ("FunctionOwner", ""),
    "DOM(a)": ("DataOwnerManager", "a"),
    "DOM(z)": ("DataOwnerManager", "z"),
    "DO(a)": ("DataOwner", "a"),
    "DO(b)": ("DataOwner", "b"),
}

REGISTER_ALLOWED = {("PA", role) for role in ROLES} | {
    ("DOM(a)", "DO(a)"),
    ("FO", "DOM(a)"),
    ("FO", "DOM(z)"),
}


async def add(service: AuthenticationService, user_id: str, role: str) -> None:
    await service.register(ADMIN, user_id, "pw", *ROLES[role])


@pytest.mark.parametrize("new", sorted(ROLES))
@pytest.mark.parametrize("requester", sorted(REQUESTERS))
async def test_register_authorization(service: AuthenticationService, requester: str, new: str) -> None:
    call = service.register(REQUESTERS[requester], "newbie", "pw", *ROLES[new])
    if (requester, new) in REGISTER_ALLOWED:
        await call
        await service.login("newbie", "pw")
    else:
        with pytest.raises(UserPermissionDenied):
            await call


# (requester, current role of target, new role) -> allowed
UPDATE_CASES = [
    ("PA", "DO(a)", "PA", True),
    ("PA", "PA", "DO(b)", True),
    ("PA", "FO", "DOM(z)", True),
    ("DOM(a)", "DO(a)", "DO(a)", True),
    ("DOM(a)", "DO(a)", "DO(b)", False),
    ("DOM(a)", "DO(a)", "FO", False),
    # Deliberate difference: Teaclave checked only the new role, so a manager could take over
    # any account by turning it into one of its DataOwners.
    ("DOM(a)", "DO(b)", "DO(a)", False),
    ("DOM(a)", "PA", "DO(a)", False),
    ("DOM(a)", "DOM(a)", "DO(a)", False),
    ("FO", "DOM(a)", "DOM(a)", False),
    ("FO", "FO", "FO", False),
    ("DO(a)", "DO(a)", "DO(a)", False),
    ("Invalid", "DO(a)", "DO(a)", False),
]


@pytest.mark.parametrize(("requester", "current", "new", "allowed"), UPDATE_CASES)
async def test_update_authorization(
    service: AuthenticationService, requester: str, current: str, new: str, allowed: bool
) -> None:
    await add(service, "target", current)
    call = service.update(REQUESTERS[requester], "target", "new-pw", *ROLES[new])
    if allowed:
        await call
        token = await service.login("target", "new-pw")
        assert Role.parse((await service.authenticate("target", token)).role) == Role.from_request(
            *ROLES[new]
        )
        with pytest.raises(PasswordMismatch):
            await service.login("target", "pw")
    else:
        with pytest.raises(UserPermissionDenied):
            await call
        await service.login("target", "pw")


MANAGE_ALLOWED = {("PA", role) for role in ROLES} | {("DOM(a)", "DO(a)")}


@pytest.mark.parametrize("target", sorted(ROLES))
@pytest.mark.parametrize("requester", sorted(REQUESTERS))
async def test_reset_password_authorization(
    service: AuthenticationService, requester: str, target: str
) -> None:
    await add(service, "target", target)
    if (requester, target) in MANAGE_ALLOWED:
        password = await service.reset_password(REQUESTERS[requester], "target")
        assert len(password) == 32 and password == password.lower()
        int(password, 16)
        await service.login("target", password)
        with pytest.raises(PasswordMismatch):
            await service.login("target", "pw")
    else:
        with pytest.raises(UserPermissionDenied):
            await service.reset_password(REQUESTERS[requester], "target")
        await service.login("target", "pw")


@pytest.mark.parametrize("target", sorted(ROLES))
@pytest.mark.parametrize("requester", sorted(REQUESTERS))
async def test_delete_authorization(service: AuthenticationService, requester: str, target: str) -> None:
    await add(service, "target", target)
    if (requester, target) in MANAGE_ALLOWED:
        await service.delete(REQUESTERS[requester], "target")
        assert "target" not in await service.list_users(ADMIN, "ignored")
    else:
        with pytest.raises(UserPermissionDenied):
            await service.delete(REQUESTERS[requester], "target")
        assert "target" in await service.list_users(ADMIN, "ignored")


async def test_reset_and_delete_of_a_missing_user_is_permission_denied(
    service: AuthenticationService,
) -> None:
    with pytest.raises(UserPermissionDenied):
        await service.reset_password(ADMIN, "nobody")
    with pytest.raises(UserPermissionDenied):
        await service.delete(ADMIN, "nobody")


async def test_list_users(service: AuthenticationService) -> None:
    for user_id, role in [("d1", "DO(a)"), ("d2", "DO(a)"), ("d3", "DO(b)"), ("m", "DOM(a)"), ("f", "FO")]:
        await add(service, user_id, role)
    assert await service.list_users(ADMIN, "anything") == ["admin", "d1", "d2", "d3", "f", "m"]
    assert await service.list_users(DOM_A, "a") == ["d1", "d2"]
    for requester, group in [(DOM_A, "b"), (FO, "a"), (DO_A, "a"), (INVALID, "a")]:
        with pytest.raises(UserPermissionDenied):
            await service.list_users(requester, group)


@pytest.mark.parametrize("requester", sorted(REQUESTERS))
async def test_empty_id_is_invalid_user_id_before_anything_else(
    service: AuthenticationService, requester: str
) -> None:
    caller = REQUESTERS[requester]
    for call in (
        service.register(caller, "", "pw", "Bogus", ""),
        service.update(caller, "", "pw", "Bogus", ""),
        service.reset_password(caller, ""),
        service.delete(caller, ""),
        service.list_users(caller, ""),
    ):
        with pytest.raises(InvalidUserId):
            await call


async def test_register_order_of_checks(service: AuthenticationService) -> None:
    # An existing id wins over an invalid role and a missing right, an invalid role over a missing right.
    with pytest.raises(UserIdExists):
        await service.register(DO_A, "admin", "pw", "Bogus", "")
    with pytest.raises(InvalidRole):
        await service.register(DO_A, "fresh", "pw", "Bogus", "")
    with pytest.raises(InvalidRole):
        await service.register(ADMIN, "fresh", "pw", "", "")
    with pytest.raises(UserPermissionDenied):
        await service.register(DO_A, "fresh", "pw", "DataOwner", "a")


async def test_update_order_of_checks(service: AuthenticationService) -> None:
    with pytest.raises(InvalidUserId):
        await service.update(DO_A, "nobody", "pw", "Bogus", "")
    with pytest.raises(InvalidRole):
        await service.update(DO_A, "admin", "pw", "Bogus", "")
    with pytest.raises(InvalidRole):
        await service.update(ADMIN, "admin", "pw", "Invalid", "")
    with pytest.raises(UserPermissionDenied):
        await service.update(DO_A, "admin", "pw", "DataOwner", "a")


async def test_register_attributes_are_free_form(service: AuthenticationService) -> None:
    await service.register(FO, "m", "pw", "DataOwnerManager", "")
    await service.register(ADMIN, "d", "pw", "DataOwner", "org-with-dashes")
    token = await service.login("d", "pw")
    assert (await service.authenticate("d", token)).role == "DataOwner-org-with-dashes"


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (errors.AuthenticationFailed, "authentication failed"),
        (errors.MissingUserId, "missing user id"),
        (errors.MissingToken, "missing token"),
        (errors.UserPermissionDenied, "permission denied"),
        (errors.InvalidUserId, "invalid user id"),
        (errors.InvalidRole, "invalid role"),
        (errors.UserIdExists, "user id exist"),
        (errors.UserDatabaseError, "service internal error"),
    ],
)
def test_error_messages_are_teaclaves(cls: type[AuthenticationServiceError], message: str) -> None:
    assert cls().message == str(cls()) == message


def test_every_authentication_error_is_unauthenticated() -> None:
    ours = [c for c in all_error_classes() if issubclass(c, AuthenticationServiceError)]
    assert len(ours) >= 17
    assert all(c.code is Code.UNAUTHENTICATED for c in ours)


async def test_concurrent_registrations_of_one_id(service: AuthenticationService) -> None:
    results = await asyncio.gather(
        *(service.register(ADMIN, "race", f"pw{i}", "FunctionOwner", "") for i in range(20)),
        return_exceptions=True,
    )
    assert sum(r is None for r in results) == 1
    assert all(isinstance(r, UserIdExists) for r in results if r is not None)


async def test_concurrent_registrations_and_logins(service: AuthenticationService) -> None:
    await asyncio.gather(*(service.register(ADMIN, f"u{i}", f"pw{i}", "DataOwner", "g") for i in range(30)))
    tokens = await asyncio.gather(*(service.login(f"u{i}", f"pw{i}") for i in range(30)))
    found = await asyncio.gather(*(service.authenticate(f"u{i}", t) for i, t in enumerate(tokens)))
    assert [c.sub for c in found] == [f"u{i}" for i in range(30)]
    assert len(await service.list_users(claims("m", "DataOwnerManager-g"), "g")) == 30


async def test_concurrent_updates_leave_one_consistent_record(service: AuthenticationService) -> None:
    await service.register(ADMIN, "target", "pw", "DataOwner", "a")
    await asyncio.gather(*(service.update(ADMIN, "target", f"pw{i}", "DataOwner", str(i)) for i in range(10)))
    winners = []
    for i in range(10):
        try:
            winners.append((i, await service.login("target", f"pw{i}")))
        except PasswordMismatch:
            continue
    assert len(winners) == 1
    i, token = winners[0]
    assert (await service.authenticate("target", token)).role == f"DataOwner-{i}"


class RacingStore(MemoryKeyValueStore):
    """Runs ``interloper`` once, just before the first commit that carries an expectation."""

    def __init__(self) -> None:
        super().__init__()
        self.interloper: Callable[[], Awaitable[None]] | None = None

    async def commit(self, batch: WriteBatch) -> None:
        interloper, self.interloper = self.interloper, None
        if interloper is not None and batch.expects:
            await interloper()
        await super().commit(batch)


async def test_rights_are_checked_again_after_a_write_conflict(clock: FakeClock) -> None:
    store = RacingStore()
    service = await AuthenticationService.open(store, iterations=FAST_ITERATIONS, clock=clock)
    await service.register(ADMIN, "target", "pw", "DataOwner", "a")

    async def move_to_group_b() -> None:
        # The admin moves the user to group b between the manager's read and its write.
        await service.update(ADMIN, "target", "pw", "DataOwner", "b")

    store.interloper = move_to_group_b
    with pytest.raises(UserPermissionDenied):
        await service.reset_password(DOM_A, "target")
    await service.login("target", "pw")
    assert (await service.list_users(claims("m", "DataOwnerManager-b"), "b")) == ["target"]
