"""The authentication clients against a fake authentication service over RA-TLS."""

from __future__ import annotations

import pytest
from grpclib.const import Status

from teahouse.errors import Code
from teahouse.proto import teaclave_authentication_service_pb2 as auth
from teahouse.sdk import (
    AsyncAuthenticationClient,
    AuthenticationClient,
    AuthenticationError,
    Credentials,
    Trust,
)

from .conftest import ADMIN, Services
from .fakes import fail


async def test_login_sends_no_metadata_and_later_calls_send_the_token(fakes: Services, trust: Trust) -> None:
    async with AsyncAuthenticationClient(fakes.auth_address, trust) as client:
        credentials = await client.login("admin", "teaclave")
        await client.register_user("user0", "pw", "DataOwner", "bank")
    assert credentials == Credentials("admin", "token-of-admin") and client.credentials == credentials
    login, register = fakes.auth.calls
    assert "id" not in login.metadata and "token" not in login.metadata
    assert login.request == auth.UserLoginRequest(id="admin", password="teaclave")
    assert register.metadata["id"] == "admin" and register.metadata["token"] == "token-of-admin"
    assert register.request == auth.UserRegisterRequest(
        id="user0", password="pw", role="DataOwner", attribute="bank"
    )


async def test_a_wrong_password(fakes: Services, trust: Trust) -> None:
    async with AsyncAuthenticationClient(fakes.auth_address, trust) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.login("admin", "wrong")
    assert info.value.status is Code.UNAUTHENTICATED and info.value.message == "authentication failed"
    assert client.credentials is None


async def test_calls_before_login_fail_locally(fakes: Services, trust: Trust) -> None:
    async with AsyncAuthenticationClient(fakes.auth_address, trust) as client:
        with pytest.raises(AuthenticationError, match="not logged in"):
            await client.delete_user("user0")
    assert fakes.auth.calls == []


def test_update_user_sends_metadata(fakes: Services, trust: Trust) -> None:
    # Teaclave's SDK sent none, so the server always answered "missing user id".
    with AuthenticationClient(fakes.auth_address, trust, ADMIN) as client:
        client.update_user("user0", "pw2", "FunctionOwner")
    (call,) = fakes.auth.calls
    assert call.method == "UserUpdate" and call.metadata["id"] == "admin"
    assert call.request == auth.UserUpdateRequest(id="user0", password="pw2", role="FunctionOwner")


def test_user_management_returns_plain_values(fakes: Services, trust: Trust) -> None:
    with AuthenticationClient(fakes.auth_address, trust) as client:
        client.login("admin", "teaclave")
        assert client.reset_password("user0") == "fresh"
        assert client.list_users() == ["admin", "user0"]
        assert client.list_users("bank") == ["admin", "user0"]
        client.change_password("new password")
        client.delete_user("user0")
    methods = [(c.method, getattr(c.request, "id", None)) for c in fakes.auth.calls]
    assert methods == [
        ("UserLogin", "admin"),
        ("ResetUserPassword", "user0"),
        ("ListUsers", "admin"),
        ("ListUsers", "bank"),
        ("UserChangePassword", None),
        ("DeleteUser", "user0"),
    ]


async def test_teaclaves_all_16_quirk_stays_an_authentication_error(fakes: Services, trust: Trust) -> None:
    fakes.auth.replies["DeleteUser"] = fail(Status.UNAUTHENTICATED, "permission denied")
    async with AsyncAuthenticationClient(fakes.auth_address, trust, ADMIN) as client:
        with pytest.raises(AuthenticationError, match="permission denied"):
            await client.delete_user("admin")


def test_credentials_can_be_set_on_the_sync_client(fakes: Services, trust: Trust) -> None:
    with AuthenticationClient(fakes.auth_address, trust) as client:
        assert client.credentials is None
        client.credentials = Credentials("root", "t0ken")
        client.list_users()
        assert "user='root'" in repr(client)
    assert fakes.auth.last("ListUsers").metadata["token"] == "t0ken"
