"""The management service's trusted part: its internal endpoint over the domain service."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from teahouse import topology
from teahouse.framework import metrics
from teahouse.framework.app import run_service
from teahouse.framework.environment import Environment
from teahouse.proto.teaclave_management_service_grpc import TeaclaveManagementBase
from teahouse.rpc.context import current_call
from teahouse.rpc.dispatch import bind, domain_adapter
from teahouse.services.management import Caller
from teahouse.services.management.service import ManagementService
from teahouse.services.management.stats import task_counts
from teahouse.services.storage.client import StorageClient

#: Counting tasks reads every task record: not more often than this.
TASK_COUNT_INTERVAL_S = 30.0


def forwarded_caller() -> Caller:
    """The user id and role that the frontend forwarded as metadata."""
    metadata = current_call().metadata
    return Caller(metadata.get("id"), metadata.get("role"))


class ManagementTrustedPart:
    def __init__(self, env: Environment, args: argparse.Namespace) -> None:
        self._env = env
        self._service: ManagementService | None = None

    async def start(self) -> dict[str, str]:
        kv = StorageClient(self._env.channel(topology.STORAGE))
        self._service = await ManagementService.open(kv)
        self._env.keep_metrics_updated(lambda: self._count_tasks(kv), TASK_COUNT_INTERVAL_S)
        adapter = domain_adapter(TeaclaveManagementBase, self._service, forwarded_caller)
        server = self._env.internal_server([bind(TeaclaveManagementBase, adapter)])
        return {
            "internal": await self._env.serve(
                server, self._env.config.internal_endpoints[topology.MANAGEMENT].listen
            )
        }

    async def _count_tasks(self, kv: StorageClient) -> None:
        counts = await task_counts(kv)
        if counts is None:
            return
        gauge = metrics.gauge("teahouse_tasks", "Tasks in each state (refreshed every 30 s)", ("status",))
        for status, count in counts.items():
            gauge.labels(status=status.name).set(count)

    async def finalize(self) -> None:
        if self._service is not None:
            self._service.close()


def main(argv: Sequence[str] | None = None) -> int:
    return run_service(topology.MANAGEMENT, ManagementTrustedPart, argv)
