"""Tasks end to end: echo latency, sustained echo throughput with 2 nodes, cancel latency.

Starts a ``LocalPlatform`` (2 execution nodes) in a temporary folder and drives it like a client:
attested channels to authentication and frontend, the admin user, builtin-echo. Latency runs from
InvokeTask until GetTask (polled back to back) shows Finished; each figure is also given in units
of one plain attested unary call (a GetTask round trip through frontend, management and storage).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from teahouse.attestation.trust import TrustBundle
from teahouse.attestation.verify import Verifier
from teahouse.proto import teaclave_authentication_service_pb2 as auth_pb
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.proto.teaclave_authentication_service_grpc import TeaclaveAuthenticationApiStub
from teahouse.proto.teaclave_frontend_service_grpc import TeaclaveFrontendStub
from teahouse.rpc.channel import AttestedChannel
from teahouse.testing.platform import LocalPlatform, write_config

WARM_UP = 10
LATENCY_RUNS = 100
UNIT_CALLS = 200
THROUGHPUT_TASKS = 200
SUBMITTERS = 8
CANCEL_RUNS = 5
ENDED = (common.Finished, common.Canceled, common.Failed)
SLEEPER = b"import time\ndef entrypoint(argv):\n    time.sleep(60)\n    return 'late'\n"


class Client:
    def __init__(self, platform: LocalPlatform) -> None:
        verifier = Verifier(TrustBundle.load(platform.trust_dir).anchors())
        self._auth = AttestedChannel(
            *platform.address("authentication", api=True), verifier=verifier, accept={"authentication"}
        )
        self._fe = AttestedChannel(
            *platform.address("frontend", api=True), verifier=verifier, accept={"frontend"}
        )
        self.frontend = TeaclaveFrontendStub(self._fe)
        self.metadata: dict[str, str] = {}

    async def login(self) -> None:
        reply = await TeaclaveAuthenticationApiStub(self._auth).UserLogin(
            auth_pb.UserLoginRequest(id="admin", password="teaclave")
        )
        self.metadata = {"id": "admin", "token": reply.token}

    def close(self) -> None:
        self._auth.close()
        self._fe.close()

    async def function(self, name: str, executor_type: str = "builtin", payload: bytes = b"") -> str:
        request = fe.RegisterFunctionRequest(
            name=name,
            executor_type=executor_type,
            public=True,
            payload=payload,
            arguments=[fe.FunctionArgument(key="message", allow_overwrite=True)],
            usage_quota=-1,
        )
        return (await self.frontend.RegisterFunction(request, metadata=self.metadata)).function_id

    async def task(self, function_id: str, message: str, executor: str = "builtin") -> str:
        request = fe.CreateTaskRequest(
            function_id=function_id, function_arguments=json.dumps({"message": message}), executor=executor
        )
        return (await self.frontend.CreateTask(request, metadata=self.metadata)).task_id

    async def invoke(self, task_id: str) -> None:
        await self.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=self.metadata)

    async def get(self, task_id: str) -> fe.GetTaskResponse:
        return await self.frontend.GetTask(fe.GetTaskRequest(task_id=task_id), metadata=self.metadata)

    async def until(self, task_id: str, statuses: tuple[int, ...] = ENDED, pause: float = 0.0) -> int:
        while True:
            status = (await self.get(task_id)).status
            if status in statuses:
                return status
            if pause:
                await asyncio.sleep(pause)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


async def _unit(client: Client, task_id: str) -> float:
    times = []
    for _ in range(UNIT_CALLS):
        start = time.perf_counter()
        await client.get(task_id)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _latency(client: Client, echo: str) -> list[float]:
    times = []
    for i in range(WARM_UP + LATENCY_RUNS):
        task_id = await client.task(echo, f"latency {i}")
        start = time.perf_counter()
        await client.invoke(task_id)
        status = await client.until(task_id)
        elapsed = time.perf_counter() - start
        assert status == common.Finished, status
        if i >= WARM_UP:
            times.append(elapsed)
    return times


async def _throughput(client: Client, echo: str) -> tuple[int, float]:
    """Create the tasks first, then invoke them all (``SUBMITTERS`` at a time) and wait until the
    last one has finished: how fast the scheduler and the nodes drain a stream of staged tasks."""
    tasks = [await client.task(echo, f"throughput {i}") for i in range(THROUGHPUT_TASKS)]
    pending = list(tasks)

    async def invoker() -> None:
        while pending:
            await client.invoke(pending.pop(0))

    start = time.perf_counter()
    invokers = asyncio.gather(*(invoker() for _ in range(SUBMITTERS)))
    for task_id in tasks:  # they finish in about this order; polls are spaced to load little
        assert await client.until(task_id, pause=0.02) == common.Finished
    await invokers
    return THROUGHPUT_TASKS, time.perf_counter() - start


async def _cancel_latency(client: Client) -> list[float] | None:
    sleeper = await client.function("bench-sleep", "python", SLEEPER)
    times = []
    for i in range(CANCEL_RUNS):
        task_id = await client.task(sleeper, str(i), executor="mesapy")
        await client.invoke(task_id)
        if await client.until(task_id, (common.Running, *ENDED)) != common.Running:
            return None  # no python executor here
        start = time.perf_counter()
        await client.frontend.CancelTask(fe.CancelTaskRequest(task_id=task_id), metadata=client.metadata)
        assert await client.until(task_id) == common.Canceled
        times.append(time.perf_counter() - start)
    return times


async def _run(platform: LocalPlatform) -> None:
    client = Client(platform)
    try:
        await client.login()
        echo = await client.function("builtin-echo")
        probe = await client.task(echo, "probe")
        await client.invoke(probe)
        await client.until(probe)
        unit = await _unit(client, probe)
        latencies = sorted(await _latency(client, echo))
        done, elapsed = await _throughput(client, echo)
        cancels = await _cancel_latency(client)
    finally:
        client.close()

    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    median = statistics.median(latencies)
    print(f"unit: one attested unary call (GetTask round trip)   {_ms(unit)}")
    print(f"echo latency, InvokeTask -> Finished seen  median {_ms(median)}  ({median / unit:5.1f} units)")
    print(f"                                            p99    {_ms(p99)}  ({p99 / unit:5.1f} units)")
    rate = done / elapsed
    print(
        f"echo throughput, 2 nodes ({SUBMITTERS} invokers)     {rate:8.1f} tasks/s"
        f"  ({1 / rate / unit:5.1f} units per task)"
    )
    if cancels is None:
        print("cancel latency: skipped (no python executor on this host)")
    else:
        median_cancel, worst = statistics.median(cancels), max(cancels)
        print(f"cancel a running task -> Canceled seen     median {_ms(median_cancel)}  max {_ms(worst)}")
    runs = f"{LATENCY_RUNS} latency runs after {WARM_UP} warm-up"
    print(f"({runs}, {done} throughput tasks, {len(cancels or [])} cancels)")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="teahouse-bench-tasks-") as tmp:
        home = Path(tmp)
        write_config(home, execution_nodes=2)
        platform = LocalPlatform(home).start()
        try:
            asyncio.run(_run(platform))
        finally:
            platform.stop()


if __name__ == "__main__":
    main()
