"""An execution node's trusted part: no endpoint of its own; it dials the scheduler (mutual
attestation), pulls tasks and runs them. ``teahouse up`` starts nodes as ``--name execution-N``."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

from teahouse import topology
from teahouse.config import parse_address
from teahouse.fileagent import FileAgent, FileAgentConfig
from teahouse.framework import metrics
from teahouse.framework.app import run_service
from teahouse.framework.environment import Environment
from teahouse.proto.teahouse_executor_service_grpc import TeahouseExecutorBase
from teahouse.rpc.dispatch import bind
from teahouse.services.execution._executors import ExecutorPool, default_factories
from teahouse.services.execution._node import ExecutionNode
from teahouse.services.execution._runner import TaskRunner
from teahouse.services.execution._workdir import prepare_root
from teahouse.services.execution.client import SchedulerClient
from teahouse.services.execution.config import ExecutionConfig
from teahouse.services.execution.handlers import StandaloneHandlers
from teahouse.services.execution.standalone import StandaloneExecutor


class ExecutionTrustedPart:
    def __init__(self, env: Environment, args: argparse.Namespace) -> None:
        self._env = env
        self._standalone: str | None = getattr(args, "standalone", None)
        self._name: str = args.name or topology.EXECUTION
        default_root = env.config.home / "data" / "execution" / self._name
        self._config = ExecutionConfig.from_settings(env.config.raw, default_root)
        self._executors = ExecutorPool(default_factories(self._config.python_pool_size))

    async def start(self) -> dict[str, str]:
        config = self._config
        await asyncio.to_thread(prepare_root, config.work_dir)
        self._env.background(self._executors.warm_up(config.executors), "warm-up")
        if self._standalone is not None:
            return await self._start_standalone(self._standalone)
        shared = self._env.config
        files = FileAgent(
            FileAgentConfig(fusion_base_dir=shared.fusion_base_dir, file_roots=shared.file_roots)
        )
        runner = TaskRunner(self._executors, files, config.work_dir, config.limits)
        link = SchedulerClient(self._env.channel(topology.SCHEDULER))
        node = ExecutionNode(link, runner, name=self._name, watch_timeout=config.watch_timeout_s)
        self._env.background(node.serve(), "node")
        self._env.keep_metrics_updated(lambda: self._update_metrics(node), 2.0)
        return {}

    async def _update_metrics(self, node: ExecutionNode) -> None:
        metrics.gauge("teahouse_node_busy", "1 while this execution node runs a task").set(
            1 if node.current_task else 0
        )
        metrics.gauge("teahouse_node_tasks_run", "Tasks this execution node has run").set(node.tasks_run)
        python = self._executors.started("python")
        idle = getattr(python, "idle_workers", None)
        if idle is not None:
            metrics.gauge("teahouse_sandbox_pool_idle", "Python sandbox workers ready for a task").set(idle)

    async def _start_standalone(self, address: str) -> dict[str, str]:
        """Serve runs to clients (one-way attestation) instead of taking tasks from the scheduler."""
        listen = parse_address(address, "--standalone")
        config = self._config
        executor = StandaloneExecutor(self._executors, config.work_dir, config.limits)
        server = self._env.api_server([bind(TeahouseExecutorBase, StandaloneHandlers(executor))])
        return {"standalone": await self._env.serve(server, listen)}

    async def finalize(self) -> None:
        await self._executors.close()
        await asyncio.to_thread(prepare_root, self._config.work_dir)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--standalone",
        metavar="HOST:PORT",
        default=None,
        help="serve as a standalone executor with one-way attestation on HOST:PORT",
    )


def main(argv: Sequence[str] | None = None) -> int:
    return run_service(topology.EXECUTION, ExecutionTrustedPart, argv, add_options=_options)
