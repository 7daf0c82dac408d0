"""gRPC faces of the authentication service: the api endpoint and the internal one."""

from __future__ import annotations

from google.protobuf.empty_pb2 import Empty

from teahouse.proto import teaclave_authentication_service_pb2 as pb
from teahouse.rpc.context import current_call
from teahouse.services.authentication.errors import AuthenticationFailed, MissingToken, MissingUserId
from teahouse.services.authentication.service import AuthenticationService
from teahouse.services.authentication.tokens import Claims


class AuthenticationApiHandlers:
    """TeaclaveAuthenticationApi: every RPC but UserLogin needs the caller's id and token."""

    def __init__(self, service: AuthenticationService) -> None:
        self._service = service

    async def _caller(self) -> Claims:
        metadata = current_call().metadata
        user_id, token = metadata.get("id"), metadata.get("token")
        if user_id is None:
            raise MissingUserId()
        if token is None:
            raise MissingToken()
        return await self._service.authenticate(user_id, token)

    async def user_register(self, request: pb.UserRegisterRequest) -> Empty:
        caller = await self._caller()
        await self._service.register(caller, request.id, request.password, request.role, request.attribute)
        return Empty()

    async def user_update(self, request: pb.UserUpdateRequest) -> Empty:
        caller = await self._caller()
        await self._service.update(caller, request.id, request.password, request.role, request.attribute)
        return Empty()

    async def user_login(self, request: pb.UserLoginRequest) -> pb.UserLoginResponse:
        return pb.UserLoginResponse(token=await self._service.login(request.id, request.password))

    async def user_change_password(self, request: pb.UserChangePasswordRequest) -> Empty:
        await self._service.change_password(await self._caller(), request.password)
        return Empty()

    async def reset_user_password(self, request: pb.ResetUserPasswordRequest) -> pb.ResetUserPasswordResponse:
        password = await self._service.reset_password(await self._caller(), request.id)
        return pb.ResetUserPasswordResponse(password=password)

    async def delete_user(self, request: pb.DeleteUserRequest) -> Empty:
        await self._service.delete(await self._caller(), request.id)
        return Empty()

    async def list_users(self, request: pb.ListUsersRequest) -> pb.ListUsersResponse:
        return pb.ListUsersResponse(ids=await self._service.list_users(await self._caller(), request.id))


class AuthenticationInternalHandlers:
    """TeaclaveAuthenticationInternal: token checks for the frontend."""

    def __init__(self, service: AuthenticationService) -> None:
        self._service = service

    async def user_authenticate(self, request: pb.UserAuthenticateRequest) -> pb.UserAuthenticateResponse:
        if not request.HasField("credential"):
            raise AuthenticationFailed("no credential")
        claims = await self._service.authenticate(request.credential.id, request.credential.token)
        return pb.UserAuthenticateResponse(
            claims=pb.UserAuthClaims(sub=claims.sub, role=claims.role, iss=claims.iss, exp=claims.exp)
        )
