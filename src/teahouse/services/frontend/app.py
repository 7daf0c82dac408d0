"""The frontend's trusted part: the api endpoint, its pipeline and its audit trail."""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
import types
from collections.abc import Mapping, Sequence
from typing import Any

from grpclib.exceptions import GRPCError

from teahouse import topology
from teahouse.errors import Unauthenticated
from teahouse.framework.app import run_service
from teahouse.framework.environment import Environment
from teahouse.model import AuditEntry
from teahouse.proto import teaclave_access_control_service_pb2 as acs_pb
from teahouse.proto import teaclave_authentication_service_pb2 as auth_pb
from teahouse.proto import teaclave_common_pb2 as common_pb
from teahouse.proto import teaclave_management_service_pb2 as mgmt_pb
from teahouse.proto.teaclave_access_control_service_grpc import TeaclaveAccessControlStub
from teahouse.proto.teaclave_authentication_service_grpc import TeaclaveAuthenticationInternalStub
from teahouse.proto.teaclave_frontend_service_grpc import TeaclaveFrontendBase
from teahouse.proto.teaclave_management_service_grpc import TeaclaveManagementStub
from teahouse.rpc.context import current_call
from teahouse.rpc.dispatch import bind, rpc_types, snake_case
from teahouse.services.frontend.audit import AuditTrail
from teahouse.services.frontend.pipeline import ForwardFailed, FrontendPipeline, VerifiedClaims

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 60.0
DECISION_TTL_S = 10.0
FINAL_FLUSH_ATTEMPTS = 5


class FrontendTrustedPart:
    def __init__(self, env: Environment, args: argparse.Namespace) -> None:
        self._env = env
        self._audit: AuditTrail | None = None

    def _pipeline(self) -> FrontendPipeline:
        env = self._env
        auth = TeaclaveAuthenticationInternalStub(env.channel(topology.AUTHENTICATION))
        acs = TeaclaveAccessControlStub(env.channel(topology.ACCESS_CONTROL))
        management = TeaclaveManagementStub(env.channel(topology.MANAGEMENT))
        rpc_of_api = {snake_case(rpc): rpc for rpc in rpc_types(TeaclaveFrontendBase)}

        async def authenticate(user_id: str, token: str) -> VerifiedClaims:
            credential = common_pb.UserCredential(id=user_id, token=token)
            reply = await auth.UserAuthenticate(
                auth_pb.UserAuthenticateRequest(credential=credential), timeout=CALL_TIMEOUT_S
            )
            if not reply.HasField("claims"):
                raise Unauthenticated("no claims")
            return VerifiedClaims(reply.claims.sub, reply.claims.role)

        decisions: dict[tuple[str, str], tuple[float, bool]] = {}

        async def authorize(role: str, api: str) -> bool:
            # The policy is fixed while access control runs; remember its answers for a while.
            cached = decisions.get((role, api))
            if cached is not None and time.monotonic() - cached[0] < DECISION_TTL_S:
                return cached[1]
            reply = await acs.AuthorizeApi(
                acs_pb.AuthorizeApiRequest(user_role=role, api=api), timeout=CALL_TIMEOUT_S
            )
            decisions[(role, api)] = (time.monotonic(), bool(reply.accept))
            return bool(reply.accept)

        async def forward(api: str, request: Any, metadata: Mapping[str, str]) -> Any:
            try:
                return await getattr(management, rpc_of_api[api])(
                    request, metadata=dict(metadata), timeout=CALL_TIMEOUT_S
                )
            except GRPCError as exc:
                raise ForwardFailed(exc, exc.message or "") from None

        async def save(entries: list[AuditEntry]) -> None:
            logs = [
                common_pb.Entry(
                    microsecond=e.microsecond, ip=e.ip, user=e.user, message=e.message, result=e.result
                )
                for e in entries
            ]
            await management.SaveLogs(mgmt_pb.SaveLogsRequest(logs=logs), timeout=CALL_TIMEOUT_S)

        self._audit = AuditTrail(save)
        return FrontendPipeline(authenticate, authorize, forward, self._audit)

    async def start(self) -> dict[str, str]:
        pipeline = self._pipeline()
        handlers = types.SimpleNamespace()
        for rpc in rpc_types(TeaclaveFrontendBase):
            setattr(handlers, snake_case(rpc), _entry(pipeline, snake_case(rpc)))
        server = self._env.api_server([bind(TeaclaveFrontendBase, handlers)])
        assert self._audit is not None
        self._env.background(self._audit.flush_forever(), "audit-flush")
        return {"api": await self._env.serve(server, self._env.config.api_endpoints[topology.FRONTEND])}

    async def finalize(self) -> None:
        # The server is closed by now: no new entry can come; save what is buffered.
        if self._audit is not None:
            for attempt in range(FINAL_FLUSH_ATTEMPTS):
                try:
                    await self._audit.flush()
                    break
                except Exception as exc:  # noqa: BLE001 - retry, then report what is lost
                    log.warning("final audit flush failed (attempt %d): %s", attempt + 1, exc)
                    await asyncio.sleep(0.5)
            if self._audit.pending:
                log.error("%d audit entries could not be saved before shutdown", self._audit.pending)


def _entry(pipeline: FrontendPipeline, api: str):  # type: ignore[no-untyped-def]
    async def call(request: Any) -> Any:
        context = current_call()
        return await pipeline.handle(
            api, request, context.metadata, context.client_ip16(), context.request_id
        )

    return call


def main(argv: Sequence[str] | None = None) -> int:
    return run_service(topology.FRONTEND, FrontendTrustedPart, argv)
