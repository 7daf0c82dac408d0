"""The storage service's trusted part (internal endpoint, or standalone with one-way attestation)."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

from teahouse import topology
from teahouse.framework import metrics
from teahouse.framework.app import run_service
from teahouse.framework.environment import Environment
from teahouse.proto.teaclave_storage_service_grpc import TeaclaveStorageBase
from teahouse.rpc.dispatch import bind
from teahouse.rpc.server import AttestedServer
from teahouse.services.storage.handlers import StorageHandlers
from teahouse.services.storage.service import StorageService
from teahouse.tee import SealPolicy

#: The sealing label of storage values. MRSIGNER policy: data survives upgrades of the code.
SEALING_LABEL = "teahouse-storage-values"


class StorageTrustedPart:
    def __init__(self, env: Environment, args: argparse.Namespace) -> None:
        self._env = env
        self._standalone: str | None = getattr(args, "standalone", None)
        self._service: StorageService | None = None
        self._server: AttestedServer | None = None
        self._metrics: asyncio.Task[None] | None = None

    async def start(self) -> dict[str, str]:
        env = self._env
        key = env.platform.sealing_key(SEALING_LABEL, SealPolicy.MRSIGNER)
        self._service = StorageService(env.config.storage_path, key)
        handlers = [bind(TeaclaveStorageBase, StorageHandlers(self._service))]
        if self._standalone is None:
            self._server = env.internal_server(handlers)
            listen = env.config.internal_endpoints[topology.STORAGE].listen
            host, port = listen.host, listen.port
        else:
            self._server = env.api_server(handlers)
            host, _, port_text = self._standalone.rpartition(":")
            port = int(port_text)
        await self._server.start(host, port)
        self._metrics = metrics.keep_updated(self._update_metrics)
        kind = "internal" if self._standalone is None else "standalone"
        return {kind: f"{host}:{self._server.port}"}

    async def _update_metrics(self) -> None:
        assert self._service is not None
        depths = await self._service.queue_depths()
        gauge = metrics.gauge("teahouse_queue_depth", "Elements waiting in each storage queue", ("queue",))
        for name in (b"staged-task", b"cancel_queue", *depths):
            gauge.labels(queue=name.decode(errors="replace")).set(depths.get(name, 0))

    async def finalize(self) -> None:
        if self._metrics is not None:
            self._metrics.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        if self._service is not None:
            self._service.close()


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--standalone",
        metavar="HOST:PORT",
        default=None,
        help="serve as a standalone key-value database with one-way attestation on HOST:PORT",
    )


def main(argv: Sequence[str] | None = None) -> int:
    return run_service(topology.STORAGE, StorageTrustedPart, argv, add_options=_options)
