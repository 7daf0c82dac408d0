"""Clients of the authentication API (port 7776): log in, and manage users."""

from __future__ import annotations

from typing import TypeVar

from grpclib.client import Channel

from teahouse.proto.teaclave_authentication_service_grpc import TeaclaveAuthenticationApiStub
from teahouse.sdk import _auth_calls as calls
from teahouse.sdk._call import Call
from teahouse.sdk._connection import Address, AsyncClientBase, SyncClientBase
from teahouse.sdk._trust import Trust
from teahouse.sdk._types import Credentials

T = TypeVar("T")


class AsyncAuthenticationClient(AsyncClientBase):
    """The authentication service, attested as ``authentication``.

    ``login`` stores the credentials it returns, and every other call sends them (Teaclave's
    ``user_update`` forgot to, and always failed).
    """

    _service = "authentication"

    def __init__(
        self,
        address: Address,
        trust: Trust,
        credentials: Credentials | None = None,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
    ) -> None:
        super().__init__(address, trust, timeout=timeout, connect_timeout=connect_timeout)
        self.credentials = credentials

    def _make_stub(self, channel: Channel) -> TeaclaveAuthenticationApiStub:
        return TeaclaveAuthenticationApiStub(channel)

    def _describe(self) -> str:
        user = f", user={self.credentials.id!r}" if self.credentials is not None else ""
        return f"{self.address!r}{user}"

    async def _call(self, call: Call[T]) -> T:
        return await self._perform(call, self.credentials)

    async def login(self, user_id: str, password: str) -> Credentials:
        """Log in; the credentials are returned and used by this client's later calls."""
        self.credentials = await self._call(calls.login(user_id, password))
        return self.credentials

    async def register_user(self, user_id: str, password: str, role: str, attribute: str = "") -> None:
        await self._call(calls.register_user(user_id, password, role, attribute))

    async def update_user(self, user_id: str, password: str, role: str, attribute: str = "") -> None:
        await self._call(calls.update_user(user_id, password, role, attribute))

    async def change_password(self, password: str) -> None:
        await self._call(calls.change_password(password))

    async def reset_password(self, user_id: str) -> str:
        """Give ``user_id`` a new random password and return it."""
        return await self._call(calls.reset_password(user_id))

    async def delete_user(self, user_id: str) -> None:
        await self._call(calls.delete_user(user_id))

    async def list_users(self, user_id: str | None = None) -> list[str]:
        """All users (PlatformAdmin), or a DataOwnerManager's group (``user_id`` = the group).

        ``user_id`` defaults to the logged-in user's id (the server refuses an empty one).
        """
        return await self._call(calls.list_users(self._default_id(user_id)))

    def _default_id(self, user_id: str | None) -> str:
        if user_id is not None:
            return user_id
        return self.credentials.id if self.credentials is not None else ""


class AuthenticationClient(SyncClientBase):
    """The blocking twin of :class:`AsyncAuthenticationClient`."""

    _async: AsyncAuthenticationClient

    def __init__(
        self,
        address: Address,
        trust: Trust,
        credentials: Credentials | None = None,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
    ) -> None:
        super().__init__(
            AsyncAuthenticationClient(
                address, trust, credentials, timeout=timeout, connect_timeout=connect_timeout
            )
        )

    @property
    def credentials(self) -> Credentials | None:
        return self._async.credentials

    @credentials.setter
    def credentials(self, value: Credentials | None) -> None:
        self._async.credentials = value

    def login(self, user_id: str, password: str) -> Credentials:
        """Log in; the credentials are returned and used by this client's later calls."""
        return self._run(self._async.login(user_id, password))

    def register_user(self, user_id: str, password: str, role: str, attribute: str = "") -> None:
        self._run(self._async.register_user(user_id, password, role, attribute))

    def update_user(self, user_id: str, password: str, role: str, attribute: str = "") -> None:
        self._run(self._async.update_user(user_id, password, role, attribute))

    def change_password(self, password: str) -> None:
        self._run(self._async.change_password(password))

    def reset_password(self, user_id: str) -> str:
        """Give ``user_id`` a new random password and return it."""
        return self._run(self._async.reset_password(user_id))

    def delete_user(self, user_id: str) -> None:
        self._run(self._async.delete_user(user_id))

    def list_users(self, user_id: str | None = None) -> list[str]:
        """All users (PlatformAdmin), or a DataOwnerManager's group; defaults to the own id."""
        return self._run(self._async.list_users(user_id))
