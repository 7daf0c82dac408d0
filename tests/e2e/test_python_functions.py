"""The MesaPy scenarios of behaviour §9 (items 9-12) through the platform, executor ``mesapy``.

Payloads are Python source run by the sandboxed Python executor with Teaclave's MesaPy interface
(``entrypoint(argv)``, ``teaclave_open``, ``_numpypy``, ``marshal``). The SDK drives the data
flows; raw stubs are used where the exact status and reason matter (cancel, failures).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.sdk import (
    AsyncFrontendClient,
    Credentials,
    DataMap,
    FileCrypto,
    FunctionArgument,
    FunctionInput,
    FunctionOutput,
    OwnerList,
    Schema,
    TaskFailed,
    TaskStatus,
    Trust,
)
from teahouse.testing.platform import LocalPlatform

from .test_builtins import CMACS, FIXTURES, Files, ok, serve_fixtures
from .test_tasks import create_task, invoke, new_user, register_function, wait_status
from .test_tasks_faults import all_nodes_ready, node_running
from .wire import Metadata, Wire

pytestmark = pytest.mark.e2e

ZERO_KEY = FileCrypto(Schema.TEACLAVE_FILE_128, bytes(16))
ECHO = b"""\
def entrypoint(argv):
    assert argv[0] == "message"
    return argv[1]
"""
DEADLOOP = b"""\
def entrypoint(argv):
    while True:
        pass
"""
RAISES = b"""\
def entrypoint(argv):
    operations = {"train": 1}
    if argv[1] not in operations:
        raise KeyError("no operation named " + argv[1])
"""
OPTIONAL_FILES = b"""\
def entrypoint(argv):
    try:
        f = teaclave_open("input_data1", "rb")
        line = f.readline()
        f.close()
        return line
    except Exception:
        return "input_data1 does not exist"
"""
LOGISTIC_REGRESSION = (FIXTURES / "payloads" / "mesapy_logistic_reg.py").read_bytes()

Party = Callable[[str], Awaitable[AsyncFrontendClient]]


@pytest.fixture
def files(tmp_path: Path) -> Iterator[Files]:
    yield from serve_fixtures(tmp_path)


@pytest.fixture
async def party(platform: LocalPlatform, wire: Wire, admin: Metadata) -> AsyncIterator[Party]:
    """``await party("name")``: a fresh PlatformAdmin user (as the examples make) with an SDK client."""
    trust = Trust.load(platform.trust_dir)
    host, port = platform.address("frontend", api=True)
    async with contextlib.AsyncExitStack() as stack:

        async def make(prefix: str) -> AsyncFrontendClient:
            user = await new_user(wire, admin, prefix)
            client = AsyncFrontendClient(f"{host}:{port}", trust, Credentials(user["id"], user["token"]))
            return await stack.enter_async_context(client)

        yield make


async def test_mesapy_echo(wire: Wire, admin: Metadata) -> None:
    """mesapy_echo.py."""
    user = await new_user(wire, admin, "mesapy")
    function_id = await register_function(
        wire, user, "mesapy-echo", executor_type="python", payload=ECHO, arguments=["message"]
    )
    task_id = await create_task(wire, user, function_id, {"message": "Hello, Teaclave!"}, executor="mesapy")
    await invoke(wire, user, task_id)
    assert ok(await wait_status(wire, user, task_id)).return_value == b"Hello, Teaclave!"


async def test_logistic_regression_trains_then_predicts_on_its_outputs(party: Party, files: Files) -> None:
    """mesapy_logistic_reg.py: the train task's two outputs become the predict task's inputs."""
    client = await party("pylr")
    me = [client.credentials.id]
    train_function = await client.register_function(
        "mesapy_logistic_reg_train_task",
        "train",
        "python",
        payload=LOGISTIC_REGRESSION,
        arguments=[FunctionArgument(k) for k in ("operation", "params_saved", "scaler_saved", "train_file")],
        inputs=[FunctionInput("input_train")],
        outputs=[FunctionOutput("output_params"), FunctionOutput("output_scaler")],
    )
    train_args = {
        "train_file": "input_train",
        "operation": "train",
        "params_saved": "output_params",
        "scaler_saved": "output_scaler",
    }
    task_id = await client.create_task(
        train_function,
        train_args,
        "mesapy",
        {"input_train": me},
        {"output_params": me, "output_scaler": me},
    )
    train_data = await client.register_input_file(
        files.server.url("py_logistic_reg/train.enc"),
        ZERO_KEY,
        bytes.fromhex(CMACS["py_logistic_reg/train.enc"]),
    )
    keys = {name: FileCrypto.generate(Schema.TEACLAVE_FILE_128) for name in ("params", "scaler")}
    urls = {name: files.server.url(f"out/{name}.out") for name in keys}
    outputs = {name: await client.register_output_file(urls[name], keys[name]) for name in keys}
    await client.assign_data(
        task_id,
        {"input_train": train_data},
        {"output_params": outputs["params"], "output_scaler": outputs["scaler"]},
    )
    await client.approve_task(task_id)
    await client.invoke_task(task_id)
    trained = await client.wait_task(task_id, timeout=60, poll=0.02)
    assert trained.result is not None and trained.result.return_value == b"Training is finished!"
    tags = trained.result.tags
    assert set(tags) == {"output_params", "output_scaler"}

    predict_function = await client.register_function(
        "mesapy_logistic_reg_predict_task",
        "predict",
        "python",
        payload=LOGISTIC_REGRESSION,
        arguments=[
            FunctionArgument(k) for k in ("operation", "params_saved", "predict_file", "scaler_saved")
        ],
        inputs=[FunctionInput(n) for n in ("input_predict", "output_params", "output_scaler")],
    )
    predict_args = {
        "operation": "predict",
        "predict_file": "input_predict",
        "params_saved": "output_params",
        "scaler_saved": "output_scaler",
    }
    task_id = await client.create_task(
        predict_function,
        predict_args,
        "mesapy",
        [OwnerList(n, me) for n in ("input_predict", "output_params", "output_scaler")],
    )
    predict_data = await client.register_input_file(
        files.server.url("py_logistic_reg/predict.enc"),
        ZERO_KEY,
        bytes.fromhex(CMACS["py_logistic_reg/predict.enc"]),
    )
    # As the example does: the uploaded params file registered as a new input with the cmac from
    # the train task's tags_map; the scaler through RegisterInputFromOutput (same URL, key, cmac).
    params = await client.register_input_file(urls["params"], keys["params"], tags["output_params"])
    scaler = await client.register_input_from_output(outputs["scaler"])
    assert (await client.get_input_file(scaler)).cmac == tags["output_scaler"]
    await client.assign_data(
        task_id,
        [
            DataMap("input_predict", predict_data),
            DataMap("output_params", params),
            DataMap("output_scaler", scaler),
        ],
    )
    await client.approve_task(task_id)
    await client.invoke_task(task_id)
    printed = (await client.get_task_result(task_id, timeout=60)).decode()
    # numpy prints "[1. 1. 0. 0. 0.]" where MesaPy printed "[1.0 1.0 0.0 0.0 0.0]".
    assert [float(p) for p in printed.strip("[]").split()] == [1, 1, 0, 0, 0]


async def _optional_files_function(client: AsyncFrontendClient) -> str:
    return await client.register_function(
        "mesapy-echo",
        "first line of input_data1",
        "python",
        payload=OPTIONAL_FILES,
        inputs=[FunctionInput(f"input_data{i}", optional=True) for i in (1, 2, 3)],
    )


async def _train_file(client: AsyncFrontendClient, files: Files) -> str:
    """gbdt_training/train.enc, registered with its real cmac (the example's cmac is wrong)."""
    url = files.server.url("gbdt_training/train.enc")
    return await client.register_input_file(url, ZERO_KEY, bytes.fromhex(CMACS["gbdt_training/train.enc"]))


async def test_optional_files_none_given(party: Party) -> None:
    """mesapy_optional_files.py (a): no input at all."""
    client = await party("opt")
    task_id = await client.create_task(await _optional_files_function(client), {}, "mesapy")
    await client.invoke_task(task_id)
    assert await client.get_task_result(task_id, timeout=30) == b"input_data1 does not exist"


async def test_optional_files_one_given(party: Party, files: Files) -> None:
    """mesapy_optional_files.py (b): only input_data1, owned by the task's creator."""
    client = await party("opt")
    me = [client.credentials.id]
    task_id = await client.create_task(
        await _optional_files_function(client), {}, "mesapy", {"input_data1": me}
    )
    await client.assign_data(task_id, {"input_data1": await _train_file(client, files)})
    await client.approve_task(task_id)
    await client.invoke_task(task_id)
    assert await client.get_task_result(task_id, timeout=30) == b"4.8,3.0,1.4,0.3,3.0\n"


async def test_optional_files_two_owners(party: Party, files: Files) -> None:
    """mesapy_optional_files.py (c): user_a and user_b each register the same file for their input."""
    user_a, user_b = await party("opt-a"), await party("opt-b")
    a, b = user_a.credentials.id, user_b.credentials.id
    task_id = await user_a.create_task(
        await _optional_files_function(user_a), {}, "mesapy", {"input_data1": [a], "input_data2": [b]}
    )
    await user_a.assign_data(task_id, {"input_data1": await _train_file(user_a, files)})
    await user_b.assign_data(task_id, {"input_data2": await _train_file(user_b, files)})
    task = await user_b.get_task(task_id)
    assert set(task.inputs_ownership) == {OwnerList("input_data1", [a]), OwnerList("input_data2", [b])}
    assert task.status is TaskStatus.DataAssigned
    for user in (user_a, user_b):
        await user.approve_task(task_id)
    await user_a.invoke_task(task_id)
    assert await user_a.get_task_result(task_id, timeout=30) == b"4.8,3.0,1.4,0.3,3.0\n"


async def cancel(wire: Wire, user: Metadata, task_id: str) -> None:
    await wire.frontend.CancelTask(fe.CancelTaskRequest(task_id=task_id), metadata=user)


async def test_dead_loop_is_canceled_and_its_node_takes_the_next_task(
    wire: Wire, admin: Metadata, platform: LocalPlatform
) -> None:
    """mesapy_deadloop_cancel.py, with both nodes busy so that the next task must go to the freed one."""
    await all_nodes_ready(platform)
    user = await new_user(wire, admin, "deadloop")
    loop_id = await register_function(wire, user, "mesapy-deadloop", executor_type="python", payload=DEADLOOP)
    echo_id = await register_function(
        wire, user, "mesapy-echo", executor_type="python", payload=ECHO, arguments=["message"]
    )
    loops = [await create_task(wire, user, loop_id, {}, executor="mesapy") for _ in range(2)]
    for task_id in loops:
        await invoke(wire, user, task_id)
        assert (await wait_status(wire, user, task_id, (common.Running,))).status == common.Running
    node = await node_running(platform, loops[0])
    assert node != await node_running(platform, loops[1])
    pid = platform.pid(node)

    started = time.monotonic()
    await cancel(wire, user, loops[0])
    reply = await wait_status(wire, user, loops[0], timeout=10)
    elapsed = time.monotonic() - started
    assert reply.status == common.Canceled
    assert reply.result.Err.reason == "Task Canceled by the user"
    print(f"dead loop canceled {elapsed * 1000:.0f} ms after CancelTask")  # bench.function_types measures it

    echo = await create_task(wire, user, echo_id, {"message": "next"}, executor="mesapy")
    await invoke(wire, user, echo)
    assert ok(await wait_status(wire, user, echo)).return_value == b"next"
    assert await node_running(platform, echo) == node and platform.pid(node) == pid

    await cancel(wire, user, loops[1])
    assert (await wait_status(wire, user, loops[1], timeout=10)).status == common.Canceled


async def test_a_raising_payload_fails_with_the_exception(wire: Wire, admin: Metadata) -> None:
    """Teahouse reports the exception (Teaclave: a successful run returning MESAPY_EXEC_ERROR)."""
    user = await new_user(wire, admin, "raises")
    function_id = await register_function(
        wire, user, "mesapy-raises", executor_type="python", payload=RAISES, arguments=["operation"]
    )
    task_id = await create_task(wire, user, function_id, {"operation": "fly"}, executor="mesapy")
    await invoke(wire, user, task_id)
    reply = await wait_status(wire, user, task_id)
    assert reply.status == common.Finished and reply.result.WhichOneof("result") == "Err"
    assert reply.result.Err.reason == "KeyError: 'no operation named fly'"


async def test_optional_files_with_the_examples_wrong_cmac(party: Party, files: Files) -> None:
    """The example registers train.enc with cmac 881adca6…, which is not the file's: Teaclave's
    payload then failed to open it and returned ``input_data1 does not exist``; Teahouse checks
    every input before the run and fails the task with the cause."""
    client = await party("opt")
    me = [client.credentials.id]
    task_id = await client.create_task(
        await _optional_files_function(client), {}, "mesapy", {"input_data1": me}
    )
    url = files.server.url("gbdt_training/train.enc")
    wrong = await client.register_input_file(url, ZERO_KEY, bytes.fromhex("881adca6b0524472da0a9d0bb02b9af9"))
    await client.assign_data(task_id, {"input_data1": wrong})
    await client.approve_task(task_id)
    await client.invoke_task(task_id)
    with pytest.raises(TaskFailed) as failed:
        await client.wait_task(task_id, timeout=30)
    assert failed.value.task.status is TaskStatus.Finished  # Teaclave's status for a failed run
    assert failed.value.reason == (
        "cmac mismatch: expected 881adca6b0524472da0a9d0bb02b9af9, file has 860030495909b84864b991865e9ad94f"
    )
