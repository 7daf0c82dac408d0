"""Function types through the platform: builtin-echo beside a Python echo and a wasm simple_add.

Starts a ``LocalPlatform`` (2 execution nodes) in a temporary folder and, for each type, measures
the latency of one task (InvokeTask until GetTask shows Finished) and the throughput of a batch
(all created first, then invoked by a few concurrent clients, until the last one has finished);
then how long a running endless function of each sandboxed type takes to show Canceled after
CancelTask (the goal: well under a second). Ratios are against builtin-echo.

The wasm module is Teaclave's ``simple_add.c`` written in the text format (so the benchmark needs
no clang): ``atoi(argv[1]) + atoi(argv[3])``.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass

import wasmtime

from bench._platform import running_platform, stubs
from teahouse.proto import teaclave_authentication_service_pb2 as auth_pb
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.proto.teaclave_frontend_service_grpc import TeaclaveFrontendStub
from teahouse.testing.platform import LocalPlatform

WARM_UP = 5
LATENCY_RUNS = 30
BATCH = 100
INVOKERS = 4
CANCEL_RUNS = 5
ENDED = (common.Finished, common.Canceled, common.Failed)

PYTHON_ECHO = b"def entrypoint(argv):\n    return argv[1]\n"
PYTHON_LOOP = b"def entrypoint(argv):\n    while True:\n        pass\n"
SIMPLE_ADD_WAT = """
(module
  (memory (export "memory") 1)
  (func $atoi (param $p i32) (result i32)
    (local $n i32) (local $digit i32)
    (block $done
      (loop $next
        (local.set $digit (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $digit) (i32.const 9)))
        (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (local.get $digit)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (local.get $n))
  (func (export "entrypoint") (param $argc i32) (param $argv i32) (result i32)
    (if (i32.lt_s (local.get $argc) (i32.const 4)) (then (return (i32.const -1))))
    (i32.add (call $atoi (i32.load offset=4 (local.get $argv)))
             (call $atoi (i32.load offset=12 (local.get $argv))))))
"""
WASM_LOOP_WAT = """
(module
  (memory (export "memory") 1)
  (func (export "entrypoint") (param i32 i32) (result i32)
    (loop $forever (br $forever))
    (i32.const 0)))
"""


@dataclass(frozen=True)
class Kind:
    """One function type: how to register it, the task's executor and arguments, the expected result."""

    label: str
    executor_type: str
    executor: str
    payload: bytes
    arguments: dict[str, str]
    expected: bytes


KINDS = [
    Kind("builtin-echo", "builtin", "builtin", b"", {"message": "hi"}, b"hi"),
    Kind("python echo", "python", "mesapy", PYTHON_ECHO, {"message": "hi"}, b"hi"),
    Kind(
        "wasm simple_add",
        "wamr",
        "wamr",
        bytes(wasmtime.wat2wasm(SIMPLE_ADD_WAT)),
        {"adder1": "3", "adder2": "4"},
        b"7",
    ),
]
ENDLESS = [
    Kind("python dead loop", "python", "mesapy", PYTHON_LOOP, {}, b""),
    Kind("wasm endless loop", "wamr", "wamr", bytes(wasmtime.wat2wasm(WASM_LOOP_WAT)), {}, b""),
]


@dataclass(frozen=True)
class Figures:
    latency: float
    throughput: float


class Client:
    def __init__(self, frontend: TeaclaveFrontendStub, metadata: dict[str, str]) -> None:
        self.frontend = frontend
        self.metadata = metadata

    async def register(self, kind: Kind) -> str:
        name = "builtin-echo" if kind.executor_type == "builtin" else f"bench-{kind.executor}"
        request = fe.RegisterFunctionRequest(
            name=name,
            executor_type=kind.executor_type,
            public=True,
            payload=kind.payload,
            arguments=[fe.FunctionArgument(key=key, allow_overwrite=True) for key in kind.arguments],
            usage_quota=-1,
        )
        return (await self.frontend.RegisterFunction(request, metadata=self.metadata)).function_id

    async def create(self, function_id: str, kind: Kind) -> str:
        request = fe.CreateTaskRequest(
            function_id=function_id, function_arguments=json.dumps(kind.arguments), executor=kind.executor
        )
        return (await self.frontend.CreateTask(request, metadata=self.metadata)).task_id

    async def invoke(self, task_id: str) -> None:
        await self.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=self.metadata)

    async def cancel(self, task_id: str) -> None:
        await self.frontend.CancelTask(fe.CancelTaskRequest(task_id=task_id), metadata=self.metadata)

    async def until(
        self, task_id: str, statuses: tuple[int, ...] = ENDED, pause: float = 0.0
    ) -> fe.GetTaskResponse:
        while True:
            reply = await self.frontend.GetTask(fe.GetTaskRequest(task_id=task_id), metadata=self.metadata)
            if reply.status in statuses:
                return reply
            if pause:
                await asyncio.sleep(pause)

    async def finished(self, task_id: str, kind: Kind, pause: float = 0.0) -> None:
        reply = await self.until(task_id, pause=pause)
        value = reply.result.Ok.return_value if reply.result.WhichOneof("result") == "Ok" else None
        if reply.status != common.Finished or value != kind.expected:
            raise AssertionError(f"{kind.label}: task ended {reply.status} with {reply.result}")


async def _latencies(client: Client, function_id: str, kind: Kind) -> list[float]:
    times = []
    for i in range(WARM_UP + LATENCY_RUNS):
        task_id = await client.create(function_id, kind)
        started = time.perf_counter()
        await client.invoke(task_id)
        await client.finished(task_id, kind)
        if i >= WARM_UP:
            times.append(time.perf_counter() - started)
    return times


async def _throughput(client: Client, function_id: str, kind: Kind) -> float:
    tasks = [await client.create(function_id, kind) for _ in range(BATCH)]
    pending = list(tasks)

    async def invoker() -> None:
        while pending:
            await client.invoke(pending.pop(0))

    started = time.perf_counter()
    invokers = asyncio.gather(*(invoker() for _ in range(INVOKERS)))
    for task_id in tasks:  # they finish in about this order; spaced polls load the platform little
        await client.finished(task_id, kind, pause=0.02)
    await invokers
    return BATCH / (time.perf_counter() - started)


async def _cancel_latencies(client: Client, kind: Kind) -> list[float]:
    function_id = await client.register(kind)
    times = []
    for _ in range(CANCEL_RUNS):
        task_id = await client.create(function_id, kind)
        await client.invoke(task_id)
        await client.until(task_id, (common.Running, *ENDED))
        started = time.perf_counter()
        await client.cancel(task_id)
        reply = await client.until(task_id)
        if reply.status != common.Canceled:
            raise AssertionError(f"{kind.label}: ended {reply.status} instead of Canceled")
        times.append(time.perf_counter() - started)
    return times


async def _run(platform: LocalPlatform) -> tuple[dict[str, Figures], dict[str, list[float]]]:
    auth, frontend, channels = stubs(platform)
    try:
        login = await auth.UserLogin(auth_pb.UserLoginRequest(id="admin", password="teaclave"))
        client = Client(frontend, {"id": "admin", "token": login.token})
        figures = {}
        for kind in KINDS:
            function_id = await client.register(kind)
            latency = statistics.median(await _latencies(client, function_id, kind))
            figures[kind.label] = Figures(latency, await _throughput(client, function_id, kind))
        cancels = {kind.label: await _cancel_latencies(client, kind) for kind in ENDLESS}
    finally:
        for channel in channels:
            channel.close()
    return figures, cancels


def _report(figures: dict[str, Figures], cancels: dict[str, list[float]]) -> None:
    base = figures[KINDS[0].label]
    header = ("function type", "latency (median)", "x builtin", "tasks/s", "x builtin")
    print(f"{header[0]:<18} {header[1]:>17} {header[2]:>10} {header[3]:>9} {header[4]:>10}")
    for label, f in figures.items():
        print(
            f"{label:<18} {f.latency * 1000:14.1f} ms {f.latency / base.latency:9.2f}x"
            f" {f.throughput:9.1f} {f.throughput / base.throughput:9.2f}x"
        )
    for label, times in cancels.items():
        print(
            f"cancel {label:<20} -> Canceled seen  median {statistics.median(times) * 1000:6.1f} ms"
            f"  max {max(times) * 1000:6.1f} ms"
        )
    print(
        f"(2 execution nodes; latency: {LATENCY_RUNS} sequential tasks after {WARM_UP} warm-up; "
        f"throughput: {BATCH} tasks invoked by {INVOKERS} clients; {CANCEL_RUNS} cancels each)"
    )


def main() -> None:
    with running_platform(execution_nodes=2) as platform:
        figures, cancels = asyncio.run(_run(platform))
    _report(figures, cancels)


if __name__ == "__main__":
    main()
