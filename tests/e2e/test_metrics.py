"""Every process serves Prometheus metrics on loopback; the counts follow what clients did."""

from __future__ import annotations

import asyncio
import re
import urllib.request

import pytest
from grpclib.const import Status

from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.testing.platform import LocalPlatform

from .wire import Metadata, Wire, status_of

pytestmark = pytest.mark.e2e


def scrape(platform: LocalPlatform, process: str) -> str:
    state = platform.state(process)
    assert state is not None and "metrics" in state.endpoints, f"{process} publishes no metrics endpoint"
    with urllib.request.urlopen(state.endpoints["metrics"], timeout=10) as response:
        return response.read().decode()


def sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match and ",".join(sorted((match.group(1) or "").split(","))).strip(",") == wanted:
            return float(match.group(2))
    return 0.0


async def test_rpc_counts_and_latencies(platform: LocalPlatform, wire: Wire, admin: Metadata) -> None:
    method = "TeaclaveFrontend/ListFunctions"
    before = scrape(platform, "frontend")
    ok_before = sample(before, "teahouse_rpc_requests_total", method=method, code="0")
    denied_before = sample(before, "teahouse_rpc_requests_total", method=method, code="16")
    for _ in range(5):
        await wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id="admin"), metadata=admin)
    for _ in range(3):
        assert (await status_of(wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id="admin"))))[
            0
        ] is Status.UNAUTHENTICATED
    after = await asyncio.to_thread(scrape, platform, "frontend")
    assert sample(after, "teahouse_rpc_requests_total", method=method, code="0") == ok_before + 5
    assert sample(after, "teahouse_rpc_requests_total", method=method, code="16") == denied_before + 3
    assert sample(after, "teahouse_rpc_duration_seconds_count", method=method) >= 8
    # The calls went through authentication and management too.
    assert sample(scrape(platform, "authentication"), "teahouse_rpc_requests_total",
                  method="TeaclaveAuthenticationInternal/UserAuthenticate", code="0") >= 5  # fmt: skip
    assert "teahouse_rpc_requests_total" in scrape(platform, "storage")


async def _run_echo(wire: Wire, admin: Metadata) -> str:
    import json

    from teahouse.proto import teaclave_common_pb2 as common

    function_id = (
        await wire.frontend.RegisterFunction(
            fe.RegisterFunctionRequest(
                name="builtin-echo", executor_type="builtin", public=True, usage_quota=-1,
                arguments=[fe.FunctionArgument(key="message", allow_overwrite=True)],
            ),
            metadata=admin,
        )
    ).function_id  # fmt: skip
    task_id = (
        await wire.frontend.CreateTask(
            fe.CreateTaskRequest(
                function_id=function_id,
                function_arguments=json.dumps({"message": "metrics"}),
                executor="builtin",
            ),
            metadata=admin,
        )
    ).task_id
    await wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=admin)
    for _ in range(300):
        task = await wire.frontend.GetTask(fe.GetTaskRequest(task_id=task_id), metadata=admin)
        if task.status == common.TaskStatus.Finished:
            return task_id
        await asyncio.sleep(0.05)
    raise AssertionError("the echo task did not finish")


async def _eventually(check, what: str, timeout: float = 45.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.25)):
        if await asyncio.to_thread(check):
            return
        await asyncio.sleep(0.25)
    raise AssertionError(f"{what} did not happen within {timeout} s")


async def test_task_metrics_follow_the_tasks_run(
    platform: LocalPlatform, wire: Wire, admin: Metadata
) -> None:
    nodes = ("execution-1", "execution-2")

    def tasks_run() -> float:
        return sum(sample(scrape(platform, n), "teahouse_node_tasks_run") for n in nodes)

    def results_reported() -> float:
        return sample(
            scrape(platform, "scheduler"), "teahouse_rpc_requests_total",
            method="TeaclaveScheduler/UpdateTaskResult", code="0",
        )  # fmt: skip

    before_run, before_results = tasks_run(), results_reported()
    await _run_echo(wire, admin)
    await _run_echo(wire, admin)
    await _eventually(lambda: tasks_run() >= before_run + 2, "teahouse_node_tasks_run +2")
    assert results_reported() >= before_results + 2
    await _eventually(
        lambda: sample(scrape(platform, "management"), "teahouse_tasks", status="Finished") >= 2,
        "teahouse_tasks{status=Finished} >= 2",
    )
    storage = scrape(platform, "storage")
    assert 'teahouse_queue_depth{queue="staged-task"}' in storage
    scheduler = scrape(platform, "scheduler")
    assert (
        sample(scheduler, "teahouse_execution_nodes", state="idle")
        + sample(scheduler, "teahouse_execution_nodes", state="busy")
        >= 1
    )
