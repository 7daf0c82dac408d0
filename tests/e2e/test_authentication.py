"""Users, roles and tokens through the real authentication and frontend services."""

from __future__ import annotations

import time

import jwt
import pytest
from grpclib.const import Status

from teahouse.framework.environment import Environment
from teahouse.proto import teaclave_authentication_service_pb2 as auth_pb
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.services.storage.client import StorageClient
from teahouse.testing.platform import LocalPlatform

from .wire import Metadata, Wire, status_of

pytestmark = pytest.mark.e2e

UNAUTH = Status.UNAUTHENTICATED


async def list_functions(wire: Wire, md: Metadata) -> tuple[Status, str]:
    return await status_of(
        wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id=md["id"]), metadata=md)
    )


async def test_login_and_a_wrong_password(wire: Wire) -> None:
    md = await wire.login("admin", "teaclave")
    assert md["token"].count(".") == 2
    assert await status_of(wire.auth.UserLogin(auth_pb.UserLoginRequest(id="admin", password="nope"))) == (
        UNAUTH,
        "authentication failed",
    )
    assert await status_of(
        wire.auth.UserLogin(auth_pb.UserLoginRequest(id="nobody-at-all", password="x"))
    ) == (
        UNAUTH,
        "authentication failed",
    )


@pytest.mark.parametrize(
    ("role", "attribute"),
    [("PlatformAdmin", ""), ("FunctionOwner", ""), ("DataOwnerManager", "bank"), ("DataOwner", "bank")],
)
async def test_register_every_role_and_use_the_token(
    wire: Wire, admin: Metadata, role: str, attribute: str
) -> None:
    md = await wire.new_user(admin, role, attribute)
    assert await list_functions(wire, md) == (Status.OK, "")


async def test_update_reset_delete_and_list(wire: Wire, admin: Metadata) -> None:
    user = await wire.new_user(admin, "DataOwner", "alpha")
    uid = user["id"]
    await wire.auth.UserUpdate(
        auth_pb.UserUpdateRequest(id=uid, password="new-pw", role="FunctionOwner", attribute=""),
        metadata=admin,
    )
    updated = await wire.login(uid, "new-pw")
    reply = await wire.auth.ResetUserPassword(auth_pb.ResetUserPasswordRequest(id=uid), metadata=admin)
    assert len(reply.password) == 32
    assert await status_of(wire.login(uid, "new-pw")) == (UNAUTH, "authentication failed")
    await wire.login(uid, reply.password)
    ids = (await wire.auth.ListUsers(auth_pb.ListUsersRequest(id="admin"), metadata=admin)).ids
    assert uid in ids and "admin" in ids
    await wire.auth.DeleteUser(auth_pb.DeleteUserRequest(id=uid), metadata=admin)
    assert await status_of(wire.login(uid, reply.password)) == (UNAUTH, "authentication failed")
    # The token of a deleted user no longer works anywhere.
    assert await list_functions(wire, updated) == (UNAUTH, "incorrent credential")
    assert await status_of(
        wire.auth.UserChangePassword(auth_pb.UserChangePasswordRequest(password="x"), metadata=updated)
    ) == (UNAUTH, "authentication failed")


async def test_data_owner_manager_administers_only_its_own_data_owners(wire: Wire, admin: Metadata) -> None:
    manager = await wire.new_user(admin, "DataOwnerManager", "team")
    ok = auth_pb.UserRegisterRequest(
        id=manager["id"] + "-member", password="p", role="DataOwner", attribute="team"
    )
    await wire.auth.UserRegister(ok, metadata=manager)
    other = auth_pb.UserRegisterRequest(
        id=manager["id"] + "-x", password="p", role="DataOwner", attribute="other"
    )
    assert await status_of(wire.auth.UserRegister(other, metadata=manager)) == (UNAUTH, "permission denied")
    listed = await wire.auth.ListUsers(auth_pb.ListUsersRequest(id="team"), metadata=manager)
    assert manager["id"] + "-member" in listed.ids and "admin" not in listed.ids
    assert await status_of(wire.auth.ListUsers(auth_pb.ListUsersRequest(id="other"), metadata=manager)) == (
        UNAUTH,
        "permission denied",
    )
    assert await status_of(wire.auth.DeleteUser(auth_pb.DeleteUserRequest(id="admin"), metadata=manager)) == (
        UNAUTH,
        "permission denied",
    )
    function_owner = await wire.new_user(admin, "FunctionOwner")
    dom = auth_pb.UserRegisterRequest(
        id=manager["id"] + "-m2", password="p", role="DataOwnerManager", attribute="z"
    )
    await wire.auth.UserRegister(dom, metadata=function_owner)
    data_owner = await wire.new_user(admin, "DataOwner", "team")
    anyone = auth_pb.UserRegisterRequest(
        id=manager["id"] + "-y", password="p", role="DataOwner", attribute="team"
    )
    assert await status_of(wire.auth.UserRegister(anyone, metadata=data_owner)) == (
        UNAUTH,
        "permission denied",
    )
    assert await status_of(
        wire.auth.UserRegister(
            auth_pb.UserRegisterRequest(id="", password="p", role="DataOwner"), metadata=admin
        )
    ) == (UNAUTH, "invalid user id")
    assert await status_of(
        wire.auth.UserRegister(
            auth_pb.UserRegisterRequest(id="x-bad-role", password="p", role="King"), metadata=admin
        )
    ) == (UNAUTH, "invalid role")
    assert await status_of(
        wire.auth.UserRegister(
            auth_pb.UserRegisterRequest(id="admin", password="p", role="DataOwner"), metadata=admin
        )
    ) == (UNAUTH, "user id exist")


async def test_missing_metadata(wire: Wire, admin: Metadata) -> None:
    request = fe.ListFunctionsRequest(user_id="admin")
    assert await status_of(wire.frontend.ListFunctions(request)) == (UNAUTH, "missing user id")
    assert await status_of(wire.frontend.ListFunctions(request, metadata={"id": "admin"})) == (
        UNAUTH,
        "missing token",
    )
    register = auth_pb.UserRegisterRequest(id="someone", password="p", role="DataOwner")
    assert await status_of(wire.auth.UserRegister(register)) == (UNAUTH, "missing user id")
    assert await status_of(wire.auth.UserRegister(register, metadata={"id": "admin"})) == (
        UNAUTH,
        "missing token",
    )


async def test_bad_tokens_are_unauthenticated(platform: LocalPlatform, wire: Wire, admin: Metadata) -> None:
    # The platform's own secret, read as the authentication service may (it persists it sealed).
    env = await Environment.create(platform.config, "authentication")
    try:
        secret = await StorageClient(env.channel("storage")).get(b"auth-jwt-secret")
    finally:
        env.close_channels()
    assert secret is not None and len(secret) == 512
    now = int(time.time())
    claims = {"sub": "admin", "role": "PlatformAdmin", "iss": "Teaclave"}
    expired = jwt.encode({**claims, "exp": now - 5}, secret, algorithm="HS512")
    foreign = jwt.encode({**claims, "exp": now + 3600}, b"k" * 512, algorithm="HS512")
    wrong_user = jwt.encode({**claims, "sub": "someone-else", "exp": now + 3600}, secret, algorithm="HS512")
    genuine = jwt.encode({**claims, "exp": now + 3600}, secret, algorithm="HS512")
    for token in (expired, foreign, wrong_user, "not-a-jwt"):
        md = {"id": "admin", "token": token}
        assert await list_functions(wire, md) == (UNAUTH, "incorrent credential")
        assert await status_of(wire.auth.ListUsers(auth_pb.ListUsersRequest(id="admin"), metadata=md)) == (
            UNAUTH,
            "authentication failed",
        )
    assert await list_functions(wire, {"id": "admin", "token": genuine}) == (Status.OK, "")
