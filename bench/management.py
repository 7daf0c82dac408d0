"""Two-party task round trips through the frontend: create → both assign → both approve →
invoke (up to Staged), per second, sequential and with several flows in flight."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

from bench._platform import running_platform, stubs
from teahouse.proto import teaclave_authentication_service_pb2 as auth_pb
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe

FLOWS = 30
CRYPTO = common.FileCryptoInfo(schema="teaclave-file-128", key=bytes(16))


async def run(platform) -> None:  # type: ignore[no-untyped-def]
    auth, frontend, channels = stubs(platform)
    admin = {
        "id": "admin",
        "token": (await auth.UserLogin(auth_pb.UserLoginRequest(id="admin", password="teaclave"))).token,
    }
    users = []
    for name in ("bench-a", "bench-b"):
        await auth.UserRegister(
            auth_pb.UserRegisterRequest(id=name, password=name, role="PlatformAdmin"), metadata=admin
        )
        users.append(
            {
                "id": name,
                "token": (await auth.UserLogin(auth_pb.UserLoginRequest(id=name, password=name))).token,
            }
        )
    a, b = users
    fid = (
        await frontend.RegisterFunction(
            fe.RegisterFunctionRequest(
                name="builtin-ordered-set-intersect",
                executor_type="builtin",
                public=True,
                usage_quota=-1,
                arguments=[fe.FunctionArgument(key="order", allow_overwrite=True)],
                inputs=[fe.FunctionInput(name="in_a"), fe.FunctionInput(name="in_b")],
            ),
            metadata=a,
        )
    ).function_id

    async def flow() -> float:
        start = time.perf_counter()
        create = fe.CreateTaskRequest(
            function_id=fid,
            function_arguments=json.dumps({"order": "ascending"}),
            executor="builtin",
            inputs_ownership=[
                fe.OwnerList(data_name="in_a", uids=["bench-a"]),
                fe.OwnerList(data_name="in_b", uids=["bench-b"]),
            ],
        )
        task = (await frontend.CreateTask(create, metadata=a)).task_id
        for md, name in ((a, "in_a"), (b, "in_b")):
            url = f"http://localhost/{uuid.uuid4()}"
            data = (
                await frontend.RegisterInputFile(
                    fe.RegisterInputFileRequest(url=url, cmac=bytes(16), crypto_info=CRYPTO), metadata=md
                )
            ).data_id
            await frontend.AssignData(
                fe.AssignDataRequest(task_id=task, inputs=[fe.DataMap(data_name=name, data_id=data)]),
                metadata=md,
            )
        await asyncio.gather(
            *(frontend.ApproveTask(fe.ApproveTaskRequest(task_id=task), metadata=md) for md in (a, b))
        )
        await frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task), metadata=a)
        return time.perf_counter() - start

    await flow()
    for in_flight in (1, 4):
        start = time.perf_counter()
        for _ in range(FLOWS // in_flight):
            await asyncio.gather(*(flow() for _ in range(in_flight)))
        elapsed = time.perf_counter() - start
        done = FLOWS // in_flight * in_flight
        print(
            f"  {in_flight} in flight: {done / elapsed:6.1f} two-party flows/s "
            f"({elapsed / done * 1e3:6.1f} ms each, 9 RPCs per flow)"
        )
    for channel in channels:
        channel.close()


def main() -> None:
    with running_platform() as platform:
        asyncio.run(run(platform))


if __name__ == "__main__":
    main()
