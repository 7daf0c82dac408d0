"""The access-control service's trusted part: AuthorizeApi over the policy file."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from teahouse import topology
from teahouse.framework.app import run_service
from teahouse.framework.environment import Environment
from teahouse.proto import teaclave_access_control_service_pb2 as pb
from teahouse.proto.teaclave_access_control_service_grpc import TeaclaveAccessControlBase
from teahouse.rpc.dispatch import bind
from teahouse.services.access_control.policy import Policy, default_policy


class AccessControlHandlers:
    def __init__(self, policy: Policy) -> None:
        self._policy = policy

    async def authorize_api(self, request: pb.AuthorizeApiRequest) -> pb.AuthorizeApiResponse:
        return pb.AuthorizeApiResponse(accept=self._policy.decide(request.user_role, request.api))


class AccessControlTrustedPart:
    def __init__(self, env: Environment, args: argparse.Namespace) -> None:
        self._env = env

    async def start(self) -> dict[str, str]:
        handlers = AccessControlHandlers(default_policy())  # a malformed policy fails the start
        server = self._env.internal_server([bind(TeaclaveAccessControlBase, handlers)])
        listen = self._env.config.internal_endpoints[topology.ACCESS_CONTROL].listen
        return {"internal": await self._env.serve(server, listen)}

    async def finalize(self) -> None:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    return run_service(topology.ACCESS_CONTROL, AccessControlTrustedPart, argv)
