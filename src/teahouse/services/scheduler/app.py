"""The scheduler service's trusted part: its internal endpoint (for execution nodes) over storage."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from teahouse import topology
from teahouse.framework import metrics
from teahouse.framework.app import run_service
from teahouse.framework.environment import Environment
from teahouse.proto.teaclave_scheduler_service_grpc import TeaclaveSchedulerBase
from teahouse.rpc.dispatch import bind
from teahouse.services.scheduler.config import SchedulerConfig
from teahouse.services.scheduler.handlers import SchedulerHandlers
from teahouse.services.scheduler.service import SchedulerService
from teahouse.services.storage.client import StorageClient


class SchedulerTrustedPart:
    def __init__(self, env: Environment, args: argparse.Namespace) -> None:
        self._env = env
        self._config = SchedulerConfig.from_settings(env.config.raw)
        self._service: SchedulerService | None = None

    async def start(self) -> dict[str, str]:
        store = StorageClient(self._env.channel(topology.STORAGE))
        self._service = SchedulerService(store, self._config)
        await self._service.start()
        server = self._env.internal_server([bind(TeaclaveSchedulerBase, SchedulerHandlers(self._service))])
        self._env.keep_metrics_updated(self._update_metrics, 2.0)
        return {
            "internal": await self._env.serve(
                server, self._env.config.internal_endpoints[topology.SCHEDULER].listen
            )
        }

    async def _update_metrics(self) -> None:
        assert self._service is not None
        known, busy = self._service.node_counts()
        gauge = metrics.gauge("teahouse_execution_nodes", "Execution nodes by state", ("state",))
        gauge.labels(state="busy").set(busy)
        gauge.labels(state="idle").set(known - busy)

    async def finalize(self) -> None:
        if self._service is not None:
            await self._service.close()


def main(argv: Sequence[str] | None = None) -> int:
    return run_service(topology.SCHEDULER, SchedulerTrustedPart, argv)
