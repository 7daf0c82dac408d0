"""The storage service's trusted part (internal endpoint, or standalone with one-way attestation)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from teahouse import topology
from teahouse.config import parse_address
from teahouse.framework import metrics
from teahouse.framework.app import run_service
from teahouse.framework.environment import Environment
from teahouse.proto.teaclave_storage_service_grpc import TeaclaveStorageBase
from teahouse.rpc.dispatch import bind
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

    async def start(self) -> dict[str, str]:
        env = self._env
        key = env.platform.sealing_key(SEALING_LABEL, SealPolicy.MRSIGNER)
        self._service = StorageService(env.config.storage_path, key)
        handlers = [bind(TeaclaveStorageBase, StorageHandlers(self._service))]
        env.keep_metrics_updated(self._update_metrics, 5.0)
        if self._standalone is None:
            listen = env.config.internal_endpoints[topology.STORAGE].listen
            return {"internal": await env.serve(env.internal_server(handlers), listen)}
        listen = parse_address(self._standalone, "--standalone")
        return {"standalone": await env.serve(env.api_server(handlers), listen)}

    async def _update_metrics(self) -> None:
        assert self._service is not None
        depths = await self._service.queue_depths()
        gauge = metrics.gauge("teahouse_queue_depth", "Elements waiting in each storage queue", ("queue",))
        for name in (b"staged-task", b"cancel_queue", *depths):
            gauge.labels(queue=name.decode(errors="replace")).set(depths.get(name, 0))

    async def finalize(self) -> None:
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
