"""SDK costs: trust loading, an attested first call, steady calls (async, sync, concurrent), pure code.

A minimal frontend (GetTask only) runs over RA-TLS on loopback in a background thread, with a
simulated deployment made in this process; the clients are the public SDK classes.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from grpclib.server import Stream

from teahouse.attestation.enclave_info import sign
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.proto.teaclave_frontend_service_grpc import TeaclaveFrontendBase
from teahouse.rpc.server import AttestedServer
from teahouse.sdk import AsyncFrontendClient, Credentials, FrontendClient, OwnerList, Trust
from teahouse.sdk import _frontend_calls as calls
from teahouse.sdk._convert import parse_task
from teahouse.sdk._loop import LoopThread
from teahouse.testing.deployment import InMemoryDeployment

FIRST_CALLS = 30
CALLS = 2000
CONCURRENT = 1000
THREADS = 8
USER = Credentials("admin", "t" * 200)

TASK = fe.GetTaskResponse(
    task_id="task-00000000-0000-0000-0000-000000000000",
    creator="admin",
    function_id="function-00000000-0000-0000-0000-000000000000",
    function_owner="admin",
    function_arguments='{"order":"ascending"}',
    inputs_ownership=[fe.OwnerList(data_name=f"in{i}", uids=["admin", "u1"]) for i in range(3)],
    participants=["admin", "u1"],
    assigned_inputs=[fe.DataMap(data_name=f"in{i}", data_id=f"input-{i}") for i in range(3)],
    status=common.Finished,
    result=common.TaskResult(
        Ok=common.TaskOutputs(return_value=b"3 common items", tags_map={"o": bytes(16)})
    ),
)


def _frontend() -> Any:
    async def get_task(self: Any, stream: Stream[Any, Any]) -> None:
        await stream.recv_message()
        await stream.send_message(TASK)

    async def unimplemented(self: Any, stream: Stream[Any, Any]) -> None:
        raise NotImplementedError

    namespace = {name: unimplemented for name in TeaclaveFrontendBase.__abstractmethods__}
    namespace["GetTask"] = get_task
    return type("BenchFrontend", (TeaclaveFrontendBase,), namespace)()


def _trust_folder(dep: InMemoryDeployment, folder: Path) -> Path:
    info = dep.enclave_info().render()
    (folder / "auditors").mkdir(parents=True)
    (folder / "as_root_ca.pem").write_bytes(dep.layout.as_root_ca.read_bytes())
    (folder / "enclave_info.toml").write_bytes(info)
    for name in ("a", "b", "c"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        (folder / "auditors" / f"{name}.public.pem").write_bytes(public)
        (folder / "auditors" / f"{name}.sign.sha256").write_bytes(sign(info, key))
    return folder


def _per_op(label: str, count: int, seconds: float) -> None:
    print(f"  {label:<52} {seconds / count * 1e6:9.1f} µs/op   {count / seconds:9.0f} op/s")


def _timed(fn: Callable[[], object], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        fn()
    return time.perf_counter() - started


def pure() -> None:
    print("pure request building and reply parsing:")
    _per_op("parse GetTaskResponse -> Task", 20000, _timed(lambda: parse_task(TASK), 20000))
    owners = [OwnerList(f"in{i}", ["admin", "u1"]) for i in range(3)]
    _per_op(
        "build CreateTask call",
        20000,
        _timed(lambda: calls.create_task("function-1", {"order": "ascending"}, "builtin", owners), 20000),
    )


async def _async_figures(address: str, trust: Trust) -> None:
    connects, firsts, closes = [], [], []
    for _ in range(FIRST_CALLS):
        client = AsyncFrontendClient(address, trust, USER)
        started = time.perf_counter()
        await client.connect()
        connected = time.perf_counter()
        await client.get_task("task-1")
        called = time.perf_counter()
        await client.aclose()
        connects.append(connected - started)
        firsts.append(called - connected)
        closes.append(time.perf_counter() - called)
    for label, values in (
        ("connect (TCP + TLS + attestation verified)", connects),
        ("first call after connect", firsts),
        ("aclose (until the socket is closed)", closes),
    ):
        print(f"  {label:<52} median {statistics.median(values) * 1e3:7.2f} ms")
    async with AsyncFrontendClient(address, trust, USER) as client:
        await client.connect()
        started = time.perf_counter()
        for _ in range(CALLS):
            await client.get_task("task-1")
        _per_op("async get_task, sequential", CALLS, time.perf_counter() - started)
        started = time.perf_counter()
        await asyncio.gather(*(client.get_task("task-1") for _ in range(CONCURRENT)))
        _per_op(
            f"async get_task, {CONCURRENT} concurrent on one client",
            CONCURRENT,
            time.perf_counter() - started,
        )


def _sync_figures(address: str, trust: Trust) -> None:
    with FrontendClient(address, trust, USER) as client:
        client.connect()
        _per_op("sync get_task, sequential", CALLS, _timed(lambda: client.get_task("task-1"), CALLS))
        per_thread = CALLS // THREADS

        def work() -> None:
            for _ in range(per_thread):
                client.get_task("task-1")

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        _per_op(
            f"sync get_task, {THREADS} threads sharing one client",
            per_thread * THREADS,
            time.perf_counter() - started,
        )


def main() -> None:
    pure()
    with tempfile.TemporaryDirectory() as tmp:
        dep = InMemoryDeployment(Path(tmp) / "home")
        folder = _trust_folder(dep, Path(tmp) / "trust")
        loads = []
        for _ in range(20):
            started = time.perf_counter()
            trust = Trust.load(folder)
            loads.append(time.perf_counter() - started)
        print("clients against a loopback RA-TLS frontend:")
        print(f"  {'Trust.load (3 RSA-3072 auditors)':<52} median {statistics.median(loads) * 1e3:7.2f} ms")
        server_loop = LoopThread("bench-frontend")
        holder: list[AttestedServer] = []

        async def start() -> str:
            server = AttestedServer([_frontend()], dep.identity("frontend"), name="bench frontend")
            await server.start("127.0.0.1", 0)
            holder.append(server)
            return f"127.0.0.1:{server.port}"

        async def stop() -> None:
            holder[0].close()
            await holder[0].wait_closed()

        address = server_loop.run(start())
        try:
            asyncio.run(_async_figures(address, trust))
            _sync_figures(address, trust)
        finally:
            server_loop.run(stop())
            server_loop.close()


if __name__ == "__main__":
    main()
