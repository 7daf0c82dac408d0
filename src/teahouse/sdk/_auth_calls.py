"""Requests and replies of the authentication API (spec/wire.md §1.2), as :class:`Call` values."""

from __future__ import annotations

from teahouse.proto import teaclave_authentication_service_pb2 as auth
from teahouse.sdk._call import Call, no_reply
from teahouse.sdk._types import Credentials


def login(user_id: str, password: str) -> Call[Credentials]:
    return Call(
        "UserLogin",
        auth.UserLoginRequest(id=user_id, password=password),
        lambda reply: Credentials(user_id, reply.token),
        authenticated=False,
    )


def register_user(user_id: str, password: str, role: str, attribute: str = "") -> Call[None]:
    request = auth.UserRegisterRequest(id=user_id, password=password, role=role, attribute=attribute)
    return Call("UserRegister", request, no_reply)


def update_user(user_id: str, password: str, role: str, attribute: str = "") -> Call[None]:
    request = auth.UserUpdateRequest(id=user_id, password=password, role=role, attribute=attribute)
    return Call("UserUpdate", request, no_reply)


def change_password(password: str) -> Call[None]:
    return Call("UserChangePassword", auth.UserChangePasswordRequest(password=password), no_reply)


def reset_password(user_id: str) -> Call[str]:
    return Call(
        "ResetUserPassword", auth.ResetUserPasswordRequest(id=user_id), lambda reply: str(reply.password)
    )


def delete_user(user_id: str) -> Call[None]:
    return Call("DeleteUser", auth.DeleteUserRequest(id=user_id), no_reply)


def list_users(user_id: str = "") -> Call[list[str]]:
    return Call("ListUsers", auth.ListUsersRequest(id=user_id), lambda reply: list(reply.ids))
