"""Faults on the real platform: cancel a running task, SIGKILL a busy node, restart the scheduler.

These tests kill processes of the session's platform; each waits until the launcher has brought
them back, so the tests after it find the platform whole.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.testing.platform import LocalPlatform

from .test_tasks import create_task, invoke, new_user, register_function, wait_status
from .wire import Metadata, Wire

pytestmark = pytest.mark.e2e

SLEEPER = b"""\
import time

def entrypoint(argv):
    time.sleep(float(argv[1]))
    return "slept " + argv[1]
"""


def nodes(platform: LocalPlatform) -> list[str]:
    return [f"execution-{n}" for n in range(1, platform.config.execution_nodes + 1)]


async def all_nodes_ready(platform: LocalPlatform) -> None:
    async with asyncio.timeout(60):
        while not all(
            (s := platform.state(n)) is not None and s.status == "ready" and s.alive()
            for n in nodes(platform)
        ):
            await asyncio.sleep(0.05)


async def node_running(platform: LocalPlatform, task_id: str) -> str:
    """The node whose log says it runs ``task_id``."""
    line = f"running task {task_id.removeprefix('task-')}"
    async with asyncio.timeout(10):
        while True:
            for name in nodes(platform):
                if line in platform.log(name):
                    return name
            await asyncio.sleep(0.02)


class Tasks:
    """One fresh user with an echo and a sleeping Python function."""

    def __init__(self, wire: Wire, user: Metadata, echo: str, sleeper: str) -> None:
        self.wire, self.user, self.echo_id, self.sleeper_id = wire, user, echo, sleeper

    @classmethod
    async def make(cls, wire: Wire, admin: Metadata, prefix: str) -> Tasks:
        user = await new_user(wire, admin, prefix)
        echo = await register_function(wire, user, "builtin-echo", arguments=["message"])
        sleeper = await register_function(
            wire, user, f"{prefix}-sleep", executor_type="python", payload=SLEEPER, arguments=["seconds"]
        )
        return cls(wire, user, echo, sleeper)

    async def echo(self, message: str) -> str:
        task_id = await create_task(self.wire, self.user, self.echo_id, {"message": message})
        await invoke(self.wire, self.user, task_id)
        return task_id

    async def sleep(self, seconds: float) -> str:
        """Invoke a sleeping task and return once it runs (skip if this host cannot run Python)."""
        task_id = await create_task(
            self.wire, self.user, self.sleeper_id, {"seconds": str(seconds)}, executor="mesapy"
        )
        await invoke(self.wire, self.user, task_id)
        reply = await wait_status(self.wire, self.user, task_id, (common.Running, common.Finished))
        if reply.status == common.Finished and reply.result.WhichOneof("result") == "Err":
            pytest.skip(f"the python executor is not available here: {reply.result.Err.reason}")
        return task_id

    async def cancel(self, task_id: str) -> None:
        await self.wire.frontend.CancelTask(fe.CancelTaskRequest(task_id=task_id), metadata=self.user)

    async def ended(self, task_id: str, timeout: float = 30.0) -> fe.GetTaskResponse:
        return await wait_status(self.wire, self.user, task_id, timeout=timeout)


async def test_cancel_stops_the_run_and_its_node_takes_the_next_task(
    wire: Wire, admin: Metadata, platform: LocalPlatform
) -> None:
    await all_nodes_ready(platform)
    tasks = await Tasks.make(wire, admin, "cancel")
    first = await tasks.sleep(60)
    second = await tasks.sleep(60)  # keeps the other node busy
    node = await node_running(platform, first)
    assert node != await node_running(platform, second)
    pid = platform.pid(node)

    started = time.monotonic()
    await tasks.cancel(first)
    reply = await tasks.ended(first, timeout=10)
    elapsed = time.monotonic() - started
    assert reply.status == common.Canceled and reply.result.Err.reason == "Task Canceled by the user"
    print(f"canceled a running task in {elapsed * 1000:.0f} ms")

    # The node cancelled that run only: same process, and it takes the next task.
    echo = await tasks.echo("after the cancel")
    reply = await tasks.ended(echo)
    assert reply.status == common.Finished and reply.result.Ok.return_value == b"after the cancel"
    assert await node_running(platform, echo) == node and platform.pid(node) == pid

    await tasks.cancel(second)
    assert (await tasks.ended(second, timeout=10)).status == common.Canceled
    # Cancelling again (as mesapy_deadloop_cancel.py may) is refused by management.
    with pytest.raises(Exception, match="task has already been canceled"):
        await tasks.cancel(second)


async def test_killing_a_busy_node_fails_its_task_and_the_next_goes_elsewhere(
    wire: Wire, admin: Metadata, platform: LocalPlatform
) -> None:
    await all_nodes_ready(platform)
    tasks = await Tasks.make(wire, admin, "kill")
    doomed = await tasks.sleep(60)
    node = await node_running(platform, doomed)
    old_pid = platform.kill(node)  # SIGKILL: its connection to the scheduler drops at once
    try:
        echo = await tasks.echo("still served")
        reply = await tasks.ended(echo)
        assert reply.status == common.Finished and reply.result.Ok.return_value == b"still served"
        assert await node_running(platform, echo) != node

        reply = await tasks.ended(doomed)
        assert reply.status == common.Failed
        # "Executor Lost" when the node's open call is cut off; a heavily loaded host can make the
        # scheduler notice the silence first ("Executor Timeout"). Either way the task failed.
        assert reply.result.Err.reason.startswith(
            ("Runtime Error: Executor Lost", "Runtime Error: Executor Timeout")
        )
    finally:
        await asyncio.to_thread(platform.wait_restarted, node, old_pid)


async def test_a_scheduler_restart_loses_no_task(
    wire: Wire, admin: Metadata, platform: LocalPlatform
) -> None:
    await all_nodes_ready(platform)
    tasks = await Tasks.make(wire, admin, "restart")
    running = await tasks.sleep(1.5)
    old_pid = platform.kill("scheduler")
    try:
        # Staged while no scheduler runs; the running task's node reports once it is back.
        staged = [await tasks.echo(f"staged {i}") for i in range(3)]
    finally:
        await asyncio.to_thread(platform.wait_restarted, "scheduler", old_pid)
    reply = await tasks.ended(running)
    assert reply.status == common.Finished and reply.result.Ok.return_value == b"slept 1.5"
    for i, task_id in enumerate(staged):
        reply = await tasks.ended(task_id)
        assert reply.status == common.Finished and reply.result.Ok.return_value == f"staged {i}".encode()
