"""Tasks end to end on the real platform: login, functions, data, tasks, results (behaviour §9).

Each test uses fresh users and its own functions. Inputs are Teaclave's encrypted fixtures served
over HTTP by ``FileServer``; outputs are uploaded there by the execution nodes and decrypted here.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from teahouse.crypto.files import FileCrypto, Schema, decrypt_file
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.testing.fileserver import FileServer

from .wire import Metadata, Wire

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parent / "fixtures"
ENDED = (common.Finished, common.Canceled, common.Failed)
TEACLAVE_FILE_ZERO = common.FileCryptoInfo(schema="teaclave-file-128", key=bytes(16))


# ---- helpers (also used by test_tasks_faults) --------------------------------------------------
async def register_function(
    wire: Wire,
    user: Metadata,
    name: str,
    *,
    executor_type: str = "builtin",
    payload: bytes = b"",
    arguments: Sequence[str] = (),
    inputs: Sequence[str] = (),
    outputs: Sequence[str] = (),
) -> str:
    request = fe.RegisterFunctionRequest(
        name=name,
        description=f"e2e {name}",
        executor_type=executor_type,
        public=True,
        payload=payload,
        arguments=[fe.FunctionArgument(key=key, allow_overwrite=True) for key in arguments],
        inputs=[fe.FunctionInput(name=n) for n in inputs],
        outputs=[fe.FunctionOutput(name=n) for n in outputs],
        usage_quota=-1,
    )
    return (await wire.frontend.RegisterFunction(request, metadata=user)).function_id


async def create_task(
    wire: Wire,
    user: Metadata,
    function_id: str,
    arguments: dict[str, object],
    *,
    executor: str = "builtin",
    inputs: dict[str, list[str]] | None = None,
    outputs: dict[str, list[str]] | None = None,
) -> str:
    request = fe.CreateTaskRequest(
        function_id=function_id,
        function_arguments=json.dumps(arguments),
        executor=executor,
        inputs_ownership=[fe.OwnerList(data_name=k, uids=v) for k, v in (inputs or {}).items()],
        outputs_ownership=[fe.OwnerList(data_name=k, uids=v) for k, v in (outputs or {}).items()],
    )
    return (await wire.frontend.CreateTask(request, metadata=user)).task_id


async def invoke(wire: Wire, user: Metadata, task_id: str) -> None:
    await wire.frontend.InvokeTask(fe.InvokeTaskRequest(task_id=task_id), metadata=user)


async def get_task(wire: Wire, user: Metadata, task_id: str) -> fe.GetTaskResponse:
    return await wire.frontend.GetTask(fe.GetTaskRequest(task_id=task_id), metadata=user)


async def wait_status(
    wire: Wire, user: Metadata, task_id: str, statuses: Sequence[int] = ENDED, timeout: float = 30.0
) -> fe.GetTaskResponse:
    async with asyncio.timeout(timeout):
        while True:
            reply = await get_task(wire, user, task_id)
            if reply.status in statuses:
                return reply
            await asyncio.sleep(0.01)


async def new_user(wire: Wire, admin: Metadata, prefix: str) -> Metadata:
    # The examples register every user as PlatformAdmin (behaviour §9, "Common").
    return await wire.new_user(admin, "PlatformAdmin", prefix=prefix)


async def register_input(
    wire: Wire, user: Metadata, url: str, cmac: str | bytes, crypto: common.FileCryptoInfo
) -> str:
    tag = bytes.fromhex(cmac) if isinstance(cmac, str) else cmac
    request = fe.RegisterInputFileRequest(url=url, cmac=tag, crypto_info=crypto)
    return (await wire.frontend.RegisterInputFile(request, metadata=user)).data_id


async def register_output(wire: Wire, user: Metadata, url: str, crypto: common.FileCryptoInfo) -> str:
    request = fe.RegisterOutputFileRequest(url=url, crypto_info=crypto)
    return (await wire.frontend.RegisterOutputFile(request, metadata=user)).data_id


async def assign(wire: Wire, user: Metadata, task_id: str, *, inputs=(), outputs=()) -> None:  # type: ignore[no-untyped-def]
    request = fe.AssignDataRequest(
        task_id=task_id,
        inputs=[fe.DataMap(data_name=n, data_id=d) for n, d in inputs],
        outputs=[fe.DataMap(data_name=n, data_id=d) for n, d in outputs],
    )
    await wire.frontend.AssignData(request, metadata=user)


async def approve(wire: Wire, user: Metadata, task_id: str) -> None:
    await wire.frontend.ApproveTask(fe.ApproveTaskRequest(task_id=task_id), metadata=user)


def fresh_key() -> common.FileCryptoInfo:
    return common.FileCryptoInfo(schema="teaclave-file-128", key=os.urandom(16))


def decrypt_upload(path: Path, crypto: common.FileCryptoInfo) -> bytes:
    plain = path.with_name(path.name + ".plain")
    decrypt_file(FileCrypto(Schema(crypto.schema), crypto.key, crypto.iv), path, plain, name=path.name)
    return plain.read_bytes()


@pytest.fixture
def files(tmp_path: Path) -> Iterator[FileServer]:
    """An HTTP file server over a copy of the fixtures (uploads land under ``out/``)."""
    root = tmp_path / "files"
    shutil.copytree(FIXTURES, root)
    with FileServer(root) as server:
        yield server


# ---- tests -----------------------------------------------------------------------------------
async def test_echo_from_login_to_result(wire: Wire, admin: Metadata) -> None:
    """builtin_echo.py: one participant, no data, invoked straight after CreateTask."""
    user = await new_user(wire, admin, "echo")
    function_id = await register_function(wire, user, "builtin-echo", arguments=["message", "save_log"])
    task_id = await create_task(wire, user, function_id, {"message": "Hello, Teaclave!", "save_log": "true"})
    await invoke(wire, user, task_id)
    reply = await wait_status(wire, user, task_id)
    assert reply.status == common.Finished
    assert reply.result.WhichOneof("result") == "Ok"
    assert reply.result.Ok.return_value == b"Hello, Teaclave!"
    assert list(reply.result.Ok.log) == ["[INFO teaclave_function::echo] Hello, Teaclave!"]


async def test_a_function_failure_finishes_with_its_reason(wire: Wire, admin: Metadata) -> None:
    """Teaclave's quirk, kept: an execution error is Finished with an Err result."""
    user = await new_user(wire, admin, "fail")
    function_id = await register_function(
        wire, user, "builtin-private-join-and-compute", arguments=["num_user"]
    )
    task_id = await create_task(wire, user, function_id, {"num_user": "three"})
    await invoke(wire, user, task_id)
    reply = await wait_status(wire, user, task_id)
    assert reply.status == common.Finished
    assert reply.result.Err.reason.startswith("Cannot deserialize arguments")


async def test_ordered_set_intersect_two_parties(wire: Wire, admin: Metadata, files: FileServer) -> None:
    """builtin_ordered_set_intersect.py: two data owners, encrypted inputs and outputs over HTTP."""
    user0, user1 = await new_user(wire, admin, "psi0"), await new_user(wire, admin, "psi1")
    function_id = await register_function(
        wire,
        user0,
        "builtin-ordered-set-intersect",
        arguments=["order"],
        inputs=["input_data1", "input_data2"],
        outputs=["output_result1", "output_result2"],
    )
    task_id = await create_task(
        wire,
        user0,
        function_id,
        {"order": "ascending"},
        inputs={"input_data1": [user0["id"]], "input_data2": [user1["id"]]},
        outputs={"output_result1": [user0["id"]], "output_result2": [user1["id"]]},
    )
    keys = {"0": fresh_key(), "1": fresh_key()}
    for user, n, cmac in (
        (user0, "0", "92f686d4ac2ba6b4ffd93bc7ac5dbf58"),
        (user1, "1", "8b3104972a6f0de949315e0b45d5dd66"),
    ):
        data_in = await register_input(wire, user, files.url(f"psi{n}.txt.enc"), cmac, TEACLAVE_FILE_ZERO)
        data_out = await register_output(wire, user, files.url(f"out/output_psi{n}.enc"), keys[n])
        number = int(n) + 1
        await assign(
            wire,
            user,
            task_id,
            inputs=[(f"input_data{number}", data_in)],
            outputs=[(f"output_result{number}", data_out)],
        )
    for user in (user0, user1):
        await approve(wire, user, task_id)
    await invoke(wire, user0, task_id)

    for user in (user0, user1):  # both parties see the result
        reply = await wait_status(wire, user, task_id)
        assert reply.status == common.Finished and reply.result.Ok.return_value == b"3 common items"
    assert decrypt_upload(files.root / "out" / "output_psi0.enc", keys["0"]) == b"0101010"
    assert decrypt_upload(files.root / "out" / "output_psi1.enc", keys["1"]) == b"01101"
    # The cmac of each upload is in the result and in the output file record.
    tags = reply.result.Ok.tags_map
    outputs = {m.data_name: m.data_id for m in reply.assigned_outputs}
    record = await wire.frontend.GetOutputFile(
        fe.GetOutputFileRequest(data_id=outputs["output_result2"]), metadata=user1
    )
    assert record.cmac == tags["output_result2"] and len(record.cmac) == 16


async def test_private_join_and_compute_three_banks(wire: Wire, admin: Metadata, files: FileServer) -> None:
    """builtin_private_join_and_compute.py: three banks and a fourth user who creates the task."""
    banks = [await new_user(wire, admin, f"bank{i}") for i in range(3)]
    user3 = await new_user(wire, admin, "pjc")
    names = range(3)
    function_id = await register_function(
        wire,
        user3,
        "builtin-private-join-and-compute",
        arguments=["num_user"],
        inputs=[f"input_data{i}" for i in names],
        outputs=[f"output_data{i}" for i in names],
    )
    task_id = await create_task(
        wire,
        user3,
        function_id,
        {"num_user": 3},
        inputs={f"input_data{i}": [banks[i]["id"]] for i in names},
        outputs={f"output_data{i}": [banks[i]["id"]] for i in names},
    )
    cmacs = [
        "f6a4585a4903f8dea0ee90ac84a50dba",
        "ab6065314fcbacd6971ff55d3821b51e",
        "9d7dbe465806731a43008ab094c97688",
    ]
    keys = [fresh_key() for _ in names]
    for i, (bank, letter) in enumerate(zip(banks, "abc", strict=True)):
        data_in = await register_input(
            wire, bank, files.url(f"bank_{letter}.enc"), cmacs[i], TEACLAVE_FILE_ZERO
        )
        data_out = await register_output(wire, bank, files.url(f"out/user{i}_output.enc"), keys[i])
        await assign(
            wire, bank, task_id, inputs=[(f"input_data{i}", data_in)], outputs=[(f"output_data{i}", data_out)]
        )
    for user in [*banks, user3]:
        await approve(wire, user, task_id)
    await invoke(wire, user3, task_id)

    reply = await wait_status(wire, user3, task_id)
    assert reply.status == common.Finished
    assert reply.result.Ok.return_value == b"3 users join the task in total."
    for i in names:
        lines = decrypt_upload(files.root / "out" / f"user{i}_output.enc", keys[i]).decode().splitlines()
        assert sorted(lines) == ["c, 470000", "e, 5033000"]


async def test_password_check_with_a_data_url(wire: Wire, admin: Metadata, files: FileServer) -> None:
    """builtin_password_check.py: one input inline as an AES-GCM data: URL, one over HTTP."""
    user0, user1 = await new_user(wire, admin, "pw0"), await new_user(wire, admin, "pw1")
    function_id = await register_function(
        wire, user0, "builtin-password-check", inputs=["password", "exposed_passwords"]
    )
    task_id = await create_task(
        wire,
        user0,
        function_id,
        {},
        inputs={"password": [user0["id"]], "exposed_passwords": [user1["id"]]},
    )
    aes = common.FileCryptoInfo(schema="aes-gcm-128", key=bytes(16), iv=bytes(12))
    password = await register_input(
        wire,
        user0,
        "data:text/plain;base64,c+mpvRfZ0fboR0j3rTgOGDBiubSzlCt9",
        "e84748f7ad380e183062b9b4b3942b7d",
        aes,
    )
    exposed = await register_input(
        wire,
        user1,
        files.url("exposed_passwords.txt.enc"),
        "a31dd0b7de0b6cc7e0dec1dcf7a46479",
        TEACLAVE_FILE_ZERO,
    )
    await assign(wire, user0, task_id, inputs=[("password", password)])
    await assign(wire, user1, task_id, inputs=[("exposed_passwords", exposed)])
    for user in (user0, user1):
        await approve(wire, user, task_id)
    await invoke(wire, user0, task_id)
    for user in (user0, user1):
        reply = await wait_status(wire, user, task_id)
        assert reply.status == common.Finished and reply.result.Ok.return_value == b"true"


async def test_a_wrong_input_cmac_fails_the_run_with_the_cause(
    wire: Wire, admin: Metadata, files: FileServer
) -> None:
    user = await new_user(wire, admin, "cmac")
    function_id = await register_function(
        wire, user, "builtin-password-check", inputs=["password", "exposed_passwords"]
    )
    task_id = await create_task(
        wire, user, function_id, {}, inputs={"password": [user["id"]], "exposed_passwords": [user["id"]]}
    )
    aes = common.FileCryptoInfo(schema="aes-gcm-128", key=bytes(16), iv=bytes(12))
    password = await register_input(
        wire,
        user,
        "data:text/plain;base64,c+mpvRfZ0fboR0j3rTgOGDBiubSzlCt9",
        "e84748f7ad380e183062b9b4b3942b7d",
        aes,
    )
    exposed = await register_input(
        wire, user, files.url("exposed_passwords.txt.enc"), bytes(16), TEACLAVE_FILE_ZERO
    )
    await assign(wire, user, task_id, inputs=[("password", password), ("exposed_passwords", exposed)])
    await invoke(wire, user, task_id)
    reply = await wait_status(wire, user, task_id)
    assert reply.status == common.Finished and "cmac" in reply.result.Err.reason.lower()
