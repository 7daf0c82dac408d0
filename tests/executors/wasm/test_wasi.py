"""The WASI flavour: commands, reactors, the task directory, captured streams, sleeping."""

from __future__ import annotations

import asyncio
import time

import pytest

from teahouse.executors import FunctionFailed, Limits


async def test_command_returns_its_stdout(executor, payload, invocation) -> None:
    result = await executor.run(invocation(payload("wasi_hello"), {"name": "Teahouse"}))
    assert result.return_value == b"Hello, Teahouse!\n"
    assert result.log == []


async def test_streams_become_log_lines_with_save_log(executor, payload, invocation) -> None:
    result = await executor.run(invocation(payload("wasi_hello"), {"name": "Teahouse"}, save_log=True))
    assert result.log == ["[INFO wasi::stdout] Hello, Teahouse!", "[WARN wasi::stderr] argc=2"]


async def test_argv_is_the_flattened_arguments(executor, payload, invocation) -> None:
    result = await executor.run(
        invocation(payload("wasi_hello"), {"status": "0", "name": "x"}, save_log=True)
    )
    assert result.return_value == b"Hello, x!\n"  # argv[1]: sorted keys put "name" first
    assert "[WARN wasi::stderr] argc=4" in result.log


async def test_non_zero_exit_status_fails_the_task(executor, payload, invocation) -> None:
    with pytest.raises(FunctionFailed) as failed:
        await executor.run(invocation(payload("wasi_hello"), {"name": "x", "status": "3"}, save_log=True))
    assert failed.value.reason == "exited with status 3"
    assert "[INFO wasi::stdout] Hello, x!" in failed.value.log


async def test_files_map_to_inputs_and_outputs_only(executor, payload, invocation, input_file) -> None:
    run = invocation(
        payload("wasi_files"),
        {"input": "plain", "output": "shout"},
        inputs={"plain": input_file("plain.txt", b"hello wasi\n")},
        outputs=["shout"],
    )
    result = await executor.run(run)
    assert run.outputs["shout"].read_bytes() == b"HELLO WASI\n"
    assert run.inputs["plain"].read_bytes() == b"hello wasi\n"
    assert result.return_value.decode().splitlines() == [
        "write_input=refused",
        "create_in_inputs=refused",
        "etc_passwd=refused",
        "dotdot=refused",
        "escape=refused",
        "teaclave_read=3:hel",
    ]


async def test_outputs_are_not_kept_when_the_run_fails(executor, payload, invocation) -> None:
    # Without its input the module has created /outputs/shout already, then exits with 3.
    run = invocation(payload("wasi_files"), {"input": "missing", "output": "shout"}, outputs=["shout"])
    with pytest.raises(FunctionFailed, match="exited with status 3"):
        await executor.run(run)
    assert not run.outputs["shout"].exists()


async def test_reactor_is_called_through_entrypoint(executor, payload, invocation) -> None:
    result = await executor.run(invocation(payload("wasi_reactor"), {"ab": "cde"}, save_log=True))
    assert result.return_value == b"5"
    assert result.log == ["[INFO wasi::stdout] argv[0]=ab", "[INFO wasi::stdout] argv[1]=cde"]


async def test_sleep_works(executor, payload, invocation) -> None:
    started = time.monotonic()
    result = await executor.run(invocation(payload("wasi_sleep"), {"ms": "50"}))
    assert result.return_value == b"awake\n"
    assert time.monotonic() - started >= 0.05


async def test_cancel_interrupts_a_sleeping_module(executor, payload, invocation) -> None:
    run = asyncio.create_task(executor.run(invocation(payload("wasi_sleep"), {"ms": "600000"})))
    async with asyncio.timeout(30):
        while not executor.running_instances:
            await asyncio.sleep(0.005)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert executor.active_runs == 0


async def test_time_limit_interrupts_a_sleeping_module(executor, payload, invocation) -> None:
    limits = Limits(wall_time_s=0.1)
    with pytest.raises(FunctionFailed, match="time limit"):
        await executor.run(invocation(payload("wasi_sleep"), {"ms": "600000"}, limits=limits))


async def test_stdout_beyond_the_limit_fails_a_command(executor, payload, invocation) -> None:
    with pytest.raises(FunctionFailed, match="stdout exceeds 1048576 bytes"):
        await executor.run(invocation(payload("wasi_flood")))
