"""The authentication service's trusted part: api endpoint (one-way) and internal endpoint (mutual)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from teahouse import topology
from teahouse.framework.app import run_service
from teahouse.framework.environment import Environment
from teahouse.kvcache import OwnedKeysCache
from teahouse.proto.teaclave_authentication_service_grpc import (
    TeaclaveAuthenticationApiBase,
    TeaclaveAuthenticationInternalBase,
)
from teahouse.rpc.dispatch import bind
from teahouse.services.authentication.handlers import (
    AuthenticationApiHandlers,
    AuthenticationInternalHandlers,
)
from teahouse.services.authentication.service import AuthenticationService
from teahouse.services.storage.client import StorageClient


class AuthenticationTrustedPart:
    def __init__(self, env: Environment, args: argparse.Namespace) -> None:
        self._env = env

    async def start(self) -> dict[str, str]:
        env = self._env
        # Authentication is the only writer of its records, so it may cache them (one storage round
        # trip less per token check).
        kv = OwnedKeysCache(StorageClient(env.channel(topology.STORAGE)), (b"auth-",))
        service = await AuthenticationService.open(kv)
        await service.ensure_admin()
        api = env.api_server([bind(TeaclaveAuthenticationApiBase, AuthenticationApiHandlers(service))])
        internal = env.internal_server(
            [bind(TeaclaveAuthenticationInternalBase, AuthenticationInternalHandlers(service))]
        )
        return {
            "api": await env.serve(api, env.config.api_endpoints[topology.AUTHENTICATION]),
            "internal": await env.serve(
                internal, env.config.internal_endpoints[topology.AUTHENTICATION].listen
            ),
        }

    async def finalize(self) -> None:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    return run_service(topology.AUTHENTICATION, AuthenticationTrustedPart, argv)
