"""Login, token checks, password changes, bootstrap and persistence."""

from __future__ import annotations

import logging

import pytest

from teahouse.errors import Code
from teahouse.kv import MemoryKeyValueStore
from teahouse.model.roles import Role
from teahouse.services.authentication.errors import (
    AuthenticationFailed,
    PasswordMismatch,
    TokenExpired,
    TokenMalformed,
    TokenSignatureInvalid,
    TokenSubjectMismatch,
    UnknownUser,
)
from teahouse.services.authentication.service import AuthenticationService

from .conftest import ADMIN, FAST_ITERATIONS, T0, FakeClock


async def register(
    service: AuthenticationService, user_id: str, password: str, role: str, attr: str = ""
) -> None:
    await service.register(ADMIN, user_id, password, role, attr)


async def test_bootstrap_admin_logs_in(service: AuthenticationService) -> None:
    token = await service.login("admin", "teaclave")
    claims = await service.authenticate("admin", token)
    assert (claims.sub, claims.role, claims.iss, claims.exp) == (
        "admin",
        "PlatformAdmin",
        "Teaclave",
        int(T0) + 86400,
    )


async def test_ensure_admin_is_idempotent_and_keeps_a_changed_password(
    service: AuthenticationService,
) -> None:
    await service.change_password(ADMIN, "new secret")
    assert await service.ensure_admin() is False
    await service.login("admin", "new secret")
    with pytest.raises(PasswordMismatch):
        await service.login("admin", "teaclave")


async def test_ensure_admin_creates_once(kv: MemoryKeyValueStore, clock: FakeClock) -> None:
    service = await AuthenticationService.open(kv, iterations=FAST_ITERATIONS, clock=clock)
    assert await service.ensure_admin() is True
    assert await service.ensure_admin() is False


@pytest.mark.parametrize(
    ("user_id", "password", "cause"),
    [
        ("", "teaclave", AuthenticationFailed),
        ("admin", "", AuthenticationFailed),
        ("nobody", "teaclave", UnknownUser),
        ("admin", "Teaclave", PasswordMismatch),
    ],
)
async def test_login_failures(
    service: AuthenticationService, user_id: str, password: str, cause: type
) -> None:
    with pytest.raises(cause) as info:
        await service.login(user_id, password)
    assert info.value.code is Code.UNAUTHENTICATED
    assert info.value.message == "authentication failed"


async def test_token_carries_the_role_at_login_time(service: AuthenticationService) -> None:
    await register(service, "dora", "pw", "DataOwner", "bank")
    token = await service.login("dora", "pw")
    assert (await service.authenticate("dora", token)).role == "DataOwner-bank"
    await service.update(ADMIN, "dora", "pw", "FunctionOwner", "")
    assert (await service.authenticate("dora", token)).role == "DataOwner-bank"
    assert (await service.authenticate("dora", await service.login("dora", "pw"))).role == "FunctionOwner"


async def test_authenticate_failures(service: AuthenticationService, clock: FakeClock) -> None:
    await register(service, "alice", "pw", "FunctionOwner")
    token = await service.login("alice", "pw")
    with pytest.raises(UnknownUser):
        await service.authenticate("", token)
    with pytest.raises(UnknownUser):
        await service.authenticate("nobody", token)
    with pytest.raises(TokenMalformed):
        await service.authenticate("alice", "")
    with pytest.raises(TokenMalformed):
        await service.authenticate("alice", "garbage")
    with pytest.raises(TokenSubjectMismatch):
        await service.authenticate("admin", token)
    clock.now += 86400
    with pytest.raises(TokenExpired):
        await service.authenticate("alice", token)


async def test_token_of_a_deleted_user_is_refused(service: AuthenticationService) -> None:
    await register(service, "alice", "pw", "FunctionOwner")
    token = await service.login("alice", "pw")
    await service.delete(ADMIN, "alice")
    with pytest.raises(UnknownUser):
        await service.authenticate("alice", token)


async def test_tokens_survive_a_restart_on_the_same_store(kv: MemoryKeyValueStore, clock: FakeClock) -> None:
    first = await AuthenticationService.open(kv, iterations=FAST_ITERATIONS, clock=clock)
    await first.ensure_admin()
    token = await first.login("admin", "teaclave")
    second = await AuthenticationService.open(kv, iterations=FAST_ITERATIONS, clock=clock)
    assert (await second.authenticate("admin", token)).sub == "admin"


async def test_tokens_of_another_platform_are_refused(
    service: AuthenticationService, clock: FakeClock
) -> None:
    other = await AuthenticationService.open(MemoryKeyValueStore(), iterations=FAST_ITERATIONS, clock=clock)
    await other.ensure_admin()
    with pytest.raises(TokenSignatureInvalid):
        await service.authenticate("admin", await other.login("admin", "teaclave"))


async def test_change_password(service: AuthenticationService) -> None:
    await register(service, "alice", "old", "FunctionOwner")
    caller = await service.authenticate("alice", await service.login("alice", "old"))
    with pytest.raises(AuthenticationFailed) as info:
        await service.change_password(caller, "")
    assert info.value.message == "authentication failed"
    await service.change_password(caller, "new")
    await service.login("alice", "new")
    with pytest.raises(PasswordMismatch):
        await service.login("alice", "old")


async def test_change_password_keeps_the_stored_role(service: AuthenticationService) -> None:
    # Deliberate difference: Teaclave rewrote the role from the (older) token, undoing a demotion.
    await register(service, "fo", "pw", "FunctionOwner")
    stale = await service.authenticate("fo", await service.login("fo", "pw"))
    await service.update(ADMIN, "fo", "pw", "DataOwner", "a")
    await service.change_password(stale, "pw2")
    fresh = await service.authenticate("fo", await service.login("fo", "pw2"))
    assert Role.parse(fresh.role) == Role.data_owner("a")


async def test_change_password_of_a_deleted_user(service: AuthenticationService) -> None:
    await register(service, "alice", "pw", "FunctionOwner")
    caller = await service.authenticate("alice", await service.login("alice", "pw"))
    await service.delete(ADMIN, "alice")
    with pytest.raises(UnknownUser):
        await service.change_password(caller, "new")


async def test_secrets_never_reach_the_logs(
    kv: MemoryKeyValueStore, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    service = await AuthenticationService.open(kv, iterations=FAST_ITERATIONS, clock=clock)
    await service.ensure_admin()
    token = await service.login("admin", "teaclave")
    await service.register(ADMIN, "alice", "hunter2-password", "FunctionOwner", "")
    reset = await service.reset_password(ADMIN, "alice")
    for bad in ("nobody", "alice"):
        with pytest.raises(AuthenticationFailed):
            await service.login(bad, "wrong-password-xyz")
    logged = caplog.text + "".join(repr(r.args) for r in caplog.records)
    for secret in ("teaclave", "hunter2-password", reset, token, "wrong-password-xyz"):
        assert secret not in logged
