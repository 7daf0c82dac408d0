"""Raw wire-level clients for end-to-end tests: the generated stubs over attested channels.

These tests look at exact status codes and messages, so they use the stubs directly rather
than the SDK.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from grpclib.const import Status
from grpclib.exceptions import GRPCError

from teahouse.attestation.trust import TrustBundle
from teahouse.attestation.verify import Verifier
from teahouse.proto import teaclave_authentication_service_pb2 as auth_pb
from teahouse.proto.teaclave_authentication_service_grpc import TeaclaveAuthenticationApiStub
from teahouse.proto.teaclave_frontend_service_grpc import TeaclaveFrontendStub
from teahouse.rpc.channel import AttestedChannel
from teahouse.testing.platform import LocalPlatform

Metadata = dict[str, str]


@dataclass
class Wire:
    auth: TeaclaveAuthenticationApiStub
    frontend: TeaclaveFrontendStub
    channels: list[AttestedChannel]

    @classmethod
    def connect(cls, platform: LocalPlatform) -> Wire:
        verifier = Verifier(TrustBundle.load(platform.trust_dir).anchors())
        auth_channel = AttestedChannel(
            *platform.address("authentication", api=True), verifier=verifier, accept={"authentication"}
        )
        fe_channel = AttestedChannel(
            *platform.address("frontend", api=True), verifier=verifier, accept={"frontend"}
        )
        return cls(
            TeaclaveAuthenticationApiStub(auth_channel),
            TeaclaveFrontendStub(fe_channel),
            [auth_channel, fe_channel],
        )

    def close(self) -> None:
        for channel in self.channels:
            channel.close()

    async def login(self, user: str, password: str) -> Metadata:
        reply = await self.auth.UserLogin(auth_pb.UserLoginRequest(id=user, password=password))
        return {"id": user, "token": reply.token}

    async def new_user(
        self, admin: Metadata, role: str, attribute: str = "", *, prefix: str = "u"
    ) -> Metadata:
        user = f"{prefix}-{uuid.uuid4().hex[:10]}"
        await self.auth.UserRegister(
            auth_pb.UserRegisterRequest(id=user, password="pw-" + user, role=role, attribute=attribute),
            metadata=admin,
        )
        return await self.login(user, "pw-" + user)


async def status_of(call) -> tuple[Status, str]:  # type: ignore[no-untyped-def]
    """Await ``call`` and return its (status, message); OK if it succeeded."""
    try:
        await call
    except GRPCError as exc:
        return exc.status, exc.message or ""
    return Status.OK, ""
