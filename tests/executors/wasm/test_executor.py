"""Teaclave-style modules end to end through ``WasmExecutor.run`` (behaviour §5.5, §9 items 14-17)."""

from __future__ import annotations

import asyncio

import pytest

from teahouse.executors import FunctionFailed, Limits
from teahouse.executors.wasm import WasmExecutor

from .conftest import DATA

PSI_COMMON = {
    b"1SZAD1OQPELAG5UU",
    b"DZSG168P1F6RI79G",
    b"I19L8FHJN3DHVMV5",
    b"M3AUONYLXUZWS9V2",
    b"P950PQRHNSB0RD13",
    b"UYYAL5KKMUCKHSUR",
}


async def test_executor_type_is_wamr() -> None:
    assert WasmExecutor.executor_type == "wamr"


async def test_simple_add_returns_the_sum_in_decimal(executor, payload, invocation) -> None:
    result = await executor.run(invocation(payload("simple_add"), {"adder1": "3", "adder2": "4"}))
    assert result.return_value == b"7"
    assert result.log == []


async def test_simple_add_sees_arguments_sorted_by_key(executor, payload, invocation) -> None:
    # Request order does not matter: "a..." sorts before "b...", so argv[1] is 40 and argv[3] is -50.
    result = await executor.run(invocation(payload("simple_add"), {"b_second": "-50", "a_first": "40"}))
    assert result.return_value == b"-10"


async def test_simple_add_without_enough_arguments_returns_minus_one(executor, payload, invocation) -> None:
    result = await executor.run(invocation(payload("simple_add"), {"adder1": "3"}))
    assert result.return_value == b"-1"


async def test_non_string_arguments_arrive_as_compact_json(executor, payload, invocation) -> None:
    result = await executor.run(invocation(payload("simple_add"), {"adder1": 30, "adder2": 12}))
    assert result.return_value == b"42"


async def test_millionaire_problem_fixture(executor, payload, invocation) -> None:
    fixture = DATA / "wamr_c_millionaire_problem"
    run = invocation(
        payload("millionaire_problem"),
        {"input_file_id1": "pf_in_a", "input_file_id2": "pf_in_b", "output_file_id": "pf_out"},
        inputs={"pf_in_a": fixture / "input_a.txt", "pf_in_b": fixture / "input_b.txt"},
        outputs=["pf_out"],
    )
    result = await executor.run(run)
    assert result.return_value == b"7"
    assert run.outputs["pf_out"].read_bytes() == (fixture / "expected_output.txt").read_bytes() == b"pf_in_a"


async def test_millionaire_problem_tie_goes_to_the_second(executor, payload, invocation, input_file) -> None:
    run = invocation(
        payload("millionaire_problem"),
        {"input_file_id1": "alice", "input_file_id2": "bob", "output_file_id": "winner"},
        inputs={"alice": input_file("a", b"100"), "bob": input_file("b", b"100")},
        outputs=["winner"],
    )
    assert (await executor.run(run)).return_value == b"3"
    assert run.outputs["winner"].read_bytes() == b"bob"


async def test_set_intersection_of_the_psi_fixture(executor, payload, invocation) -> None:
    fixture = DATA / "wamr_rust_psi"
    run = invocation(
        payload("set_intersect"),
        {
            "input1_fid": "input_data1",
            "input2_fid": "input_data2",
            "output1_fid": "out1",
            "output2_fid": "out2",
        },
        inputs={"input_data1": fixture / "psi0.txt", "input_data2": fixture / "psi1.txt"},
        outputs=["out1", "out2"],
    )
    result = await executor.run(run)
    assert result.return_value == b"6"
    for name in ("out1", "out2"):
        lines = run.outputs[name].read_bytes().split(b"\n")
        assert lines[-2:] == [b"done", b""]
        assert set(lines[:-2]) == PSI_COMMON
        assert len(lines[:-2]) == 6


async def test_trap_fails_the_task_with_the_trap_message(executor, payload, invocation) -> None:
    with pytest.raises(FunctionFailed) as failed:
        await executor.run(invocation(payload("trap"), {"divisor": "0"}))
    assert failed.value.reason == "wasm trap: integer divide by zero"
    assert failed.value.log == []


async def test_trap_backtrace_is_logged_with_save_log(executor, payload, invocation) -> None:
    with pytest.raises(FunctionFailed) as failed:
        await executor.run(invocation(payload("trap"), {"divisor": "0"}, save_log=True))
    assert any("entrypoint" in line for line in failed.value.log)


async def test_unknown_import_fails_before_running(executor, payload, invocation) -> None:
    with pytest.raises(FunctionFailed, match=r"env\.teaclave_launch_rockets"):
        await executor.run(invocation(payload("unknown_import")))


async def test_a_payload_that_is_not_wasm_fails(executor, invocation) -> None:
    with pytest.raises(FunctionFailed, match="not a WebAssembly binary"):
        await executor.run(invocation(b"def entrypoint(argv): pass"))


async def test_time_limit_stops_an_endless_loop(executor, payload, invocation) -> None:
    with pytest.raises(FunctionFailed, match=r"time limit of 0\.2 s exceeded"):
        await executor.run(invocation(payload("infinite_loop"), limits=Limits(wall_time_s=0.2)))


async def test_cpu_limit_is_enforced_as_a_deadline_too(executor, payload, invocation) -> None:
    limits = Limits(wall_time_s=None, cpu_time_s=0.1)
    with pytest.raises(FunctionFailed, match=r"time limit of 0\.1 s exceeded"):
        await executor.run(invocation(payload("infinite_loop"), limits=limits))


async def test_cancelling_run_stops_the_instance(executor, payload, invocation) -> None:
    run = asyncio.create_task(executor.run(invocation(payload("infinite_loop"))))
    await _until_running(executor)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert executor.active_runs == 0


async def test_executor_keeps_serving_after_trap_timeout_and_cancel(executor, payload, invocation) -> None:
    with pytest.raises(FunctionFailed):
        await executor.run(invocation(payload("trap"), {"divisor": "0"}))
    with pytest.raises(FunctionFailed):
        await executor.run(invocation(payload("infinite_loop"), limits=Limits(wall_time_s=0.05)))
    loop = asyncio.create_task(executor.run(invocation(payload("infinite_loop"))))
    await _until_running(executor)
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop
    result = await executor.run(invocation(payload("simple_add"), {"adder1": "1", "adder2": "2"}))
    assert result.return_value == b"3"


async def test_cancelling_one_run_leaves_the_others_running(executor, payload, invocation) -> None:
    endless = asyncio.create_task(executor.run(invocation(payload("infinite_loop"))))
    await _until_running(executor)
    added = await asyncio.gather(
        *(executor.run(invocation(payload("simple_add"), {"a": str(i), "b": "1"})) for i in range(4))
    )
    assert [result.return_value for result in added] == [b"1", b"2", b"3", b"4"]
    assert not endless.done()
    endless.cancel()
    with pytest.raises(asyncio.CancelledError):
        await endless


async def test_cancelling_a_queued_run_does_not_wait_for_the_running_one(payload, invocation) -> None:
    executor = WasmExecutor(max_concurrent_runs=1)
    try:
        endless = asyncio.create_task(executor.run(invocation(payload("infinite_loop"))))
        await _until_running(executor)
        queued = asyncio.create_task(executor.run(invocation(payload("simple_add"), {"a": "1", "b": "1"})))
        await asyncio.sleep(0.01)
        assert executor.active_runs == 2
        queued.cancel()
        with pytest.raises(asyncio.CancelledError):
            await queued
        assert not endless.done()
        endless.cancel()
        with pytest.raises(asyncio.CancelledError):
            await endless
    finally:
        await executor.close()


async def test_close_fails_queued_runs(payload, invocation) -> None:
    executor = WasmExecutor(max_concurrent_runs=1)
    endless = asyncio.create_task(executor.run(invocation(payload("infinite_loop"))))
    await _until_running(executor)
    queued = asyncio.create_task(executor.run(invocation(payload("simple_add"))))
    await asyncio.sleep(0.01)
    await executor.close()
    for run in (endless, queued):
        with pytest.raises(FunctionFailed, match="executor closed"):
            await run


async def test_close_stops_running_instances(payload, invocation) -> None:
    executor = WasmExecutor()
    endless = asyncio.create_task(executor.run(invocation(payload("infinite_loop"))))
    await _until_running(executor)
    await executor.close()
    with pytest.raises(FunctionFailed, match="executor closed"):
        await endless
    with pytest.raises(RuntimeError):
        await executor.run(invocation(payload("simple_add")))


async def test_second_run_of_a_function_does_not_compile_again(payload, invocation) -> None:
    executor = WasmExecutor()
    module = payload("simple_add")
    try:
        await executor.run(invocation(module, {"a": "1", "b": "1"}))
        await executor.run(invocation(module, {"a": "2", "b": "2"}))
    finally:
        await executor.close()
    stats = executor.cache.stats()
    assert (stats.misses, stats.hits, stats.entries) == (1, 1, 1)


async def _until_running(executor: WasmExecutor) -> None:
    """Wait until some run has entered WebAssembly."""
    async with asyncio.timeout(30):
        while executor.running_instances == 0:
            await asyncio.sleep(0.005)
