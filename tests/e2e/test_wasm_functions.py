"""Teaclave's WebAssembly (``wamr``) examples through the platform (behaviour §5.5, §9 items 14, 15, 17).

The modules are the C payloads of ``tests/executors/wasm/payloads/``, built with clang by that
package's ``PayloadBuilder`` (the test is skipped without clang).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from grpclib.const import Status

from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from tests.executors.wasm.conftest import PayloadBuilder, find_clang

from .test_builtins import Files, fixture_text, ok, read_output, serve_fixtures
from .test_tasks import (
    approve,
    assign,
    create_task,
    invoke,
    new_user,
    register_function,
    register_input,
    register_output,
    wait_status,
)
from .wire import Metadata, Wire, status_of

pytestmark = pytest.mark.e2e

PSI_COMMON = {
    "1SZAD1OQPELAG5UU",
    "DZSG168P1F6RI79G",
    "I19L8FHJN3DHVMV5",
    "M3AUONYLXUZWS9V2",
    "P950PQRHNSB0RD13",
    "UYYAL5KKMUCKHSUR",
}


@pytest.fixture(scope="module")
def wasm(tmp_path_factory: pytest.TempPathFactory) -> PayloadBuilder:
    """``wasm("simple_add")`` is the module built from ``payloads/simple_add.c``."""
    clang = find_clang()
    if clang is None:
        pytest.skip("clang is not installed (the wasm32 test payloads need clang, lld and wasi-libc)")
    return PayloadBuilder(clang, tmp_path_factory.mktemp("e2e-wasm"))


@pytest.fixture
def files(tmp_path: Path) -> Iterator[Files]:
    yield from serve_fixtures(tmp_path)


async def test_simple_add(wire: Wire, admin: Metadata, wasm: PayloadBuilder) -> None:
    """wasm_c_simple_add.py: a function named ``entrypoint`` with arguments adder1 and adder2."""
    user = await new_user(wire, admin, "add")
    function_id = await register_function(
        wire,
        user,
        "entrypoint",
        executor_type="wamr",
        payload=wasm("simple_add"),
        arguments=["adder1", "adder2"],
    )
    task_id = await create_task(wire, user, function_id, {"adder1": "3", "adder2": "4"}, executor="wamr")
    await invoke(wire, user, task_id)
    assert ok(await wait_status(wire, user, task_id)).return_value == b"7"


async def test_millionaire_problem_on_encrypted_inputs(
    wire: Wire, admin: Metadata, wasm: PayloadBuilder, files: Files
) -> None:
    """wasm_c_millionaire_problem: each millionaire encrypts their fortune; the richer one's name wins."""
    alice, bob = await new_user(wire, admin, "alice"), await new_user(wire, admin, "bob")
    function_id = await register_function(
        wire,
        alice,
        "millionaire-problem",
        executor_type="wamr",
        payload=wasm("millionaire_problem"),
        arguments=["input_file_id1", "input_file_id2", "output_file_id"],
        inputs=["pf_in_a", "pf_in_b"],
        outputs=["pf_out"],
    )
    arguments = {"input_file_id1": "pf_in_a", "input_file_id2": "pf_in_b", "output_file_id": "pf_out"}
    task_id = await create_task(
        wire,
        alice,
        function_id,
        arguments,
        executor="wamr",
        inputs={"pf_in_a": [alice["id"]], "pf_in_b": [bob["id"]]},
        outputs={"pf_out": [alice["id"]]},
    )
    for user, name in ((alice, "pf_in_a"), (bob, "pf_in_b")):
        fortune = files.encrypted(f"wamr_c_millionaire_problem/input_{name[-1]}.txt")  # 4211037, 1008611
        data_id = await register_input(wire, user, fortune.url, fortune.cmac, fortune.crypto)
        await assign(wire, user, task_id, inputs=[(name, data_id)])
    winner = files.output("pf_out.enc")
    output_id = await register_output(wire, alice, winner.url, winner.crypto)
    await assign(wire, alice, task_id, outputs=[("pf_out", output_id)])
    for user in (alice, bob):
        await approve(wire, user, task_id)
    await invoke(wire, alice, task_id)

    result = ok(await wait_status(wire, bob, task_id))
    assert result.return_value == b"7"
    expected = fixture_text("wamr_c_millionaire_problem/expected_output.txt")
    assert read_output(winner, result.tags_map["pf_out"]).decode() == expected == "pf_in_a"


async def test_ordered_set_intersection_writes_both_outputs(
    wire: Wire, admin: Metadata, wasm: PayloadBuilder, files: Files
) -> None:
    """wasm_rust_psi.py, with a C module in place of the Rust one: 6 common lines and ``done``."""
    user0, user1 = await new_user(wire, admin, "wpsi0"), await new_user(wire, admin, "wpsi1")
    function_id = await register_function(
        wire,
        user0,
        "rust-wasm-ordered-set-intersect",
        executor_type="wamr",
        payload=wasm("set_intersect"),
        arguments=["input1_fid", "input2_fid", "output1_fid", "output2_fid"],
        inputs=["input_data1", "input_data2"],
        outputs=["output_result1", "output_result2"],
    )
    arguments = {
        "input1_fid": "input_data1",
        "input2_fid": "input_data2",
        "output1_fid": "output_result1",
        "output2_fid": "output_result2",
    }
    task_id = await create_task(
        wire,
        user0,
        function_id,
        arguments,
        executor="wamr",
        inputs={"input_data1": [user0["id"]], "input_data2": [user1["id"]]},
        outputs={"output_result1": [user0["id"]], "output_result2": [user1["id"]]},
    )
    outputs = {n: files.output(f"output_psi{n}.enc") for n in (1, 2)}
    for n, user in ((1, user0), (2, user1)):
        psi = files.fixture(f"wamr_rust_psi/psi{n - 1}.txt.enc")
        data_in = await register_input(wire, user, psi.url, psi.cmac, psi.crypto)
        data_out = await register_output(wire, user, outputs[n].url, outputs[n].crypto)
        await assign(
            wire,
            user,
            task_id,
            inputs=[(f"input_data{n}", data_in)],
            outputs=[(f"output_result{n}", data_out)],
        )
    for user in (user0, user1):
        await approve(wire, user, task_id)
    await invoke(wire, user0, task_id)

    for user in (user0, user1):
        result = ok(await wait_status(wire, user, task_id))
        assert result.return_value == b"6"
    for n in (1, 2):
        lines = read_output(outputs[n], result.tags_map[f"output_result{n}"]).decode().splitlines()
        assert set(lines[:-1]) == PSI_COMMON and len(lines) == 7 and lines[-1] == "done"


async def test_an_endless_module_is_stopped_by_cancellation(
    wire: Wire, admin: Metadata, wasm: PayloadBuilder
) -> None:
    user = await new_user(wire, admin, "wloop")
    function_id = await register_function(
        wire, user, "infinite-loop", executor_type="wamr", payload=wasm("infinite_loop")
    )
    task_id = await create_task(wire, user, function_id, {}, executor="wamr")
    await invoke(wire, user, task_id)
    assert (await wait_status(wire, user, task_id, (common.Running,))).status == common.Running
    await wire.frontend.CancelTask(fe.CancelTaskRequest(task_id=task_id), metadata=user)
    reply = await wait_status(wire, user, task_id, timeout=10)
    assert reply.status == common.Canceled
    assert reply.result.Err.reason == "Task Canceled by the user"


async def test_an_unknown_host_import_is_refused_at_registration(
    wire: Wire, admin: Metadata, wasm: PayloadBuilder
) -> None:
    user = await new_user(wire, admin, "wrockets")
    request = fe.RegisterFunctionRequest(
        name="rockets", executor_type="wamr", public=True, payload=wasm("unknown_import"), usage_quota=-1
    )
    status, message = await status_of(wire.frontend.RegisterFunction(request, metadata=user))
    assert status == Status.INVALID_ARGUMENT
    assert message.startswith(
        "payload: wasm module imports unknown host function env.teaclave_launch_rockets; "
        "the wamr executor provides env.teaclave_open_input"
    )
    listed = await wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id=user["id"]), metadata=user)
    assert list(listed.registered_functions) == []
