"""The five ``env.teaclave_*`` host functions as a module sees them (behaviour §5.5 items 3-4)."""

from __future__ import annotations

import pytest

from teahouse.executors import FunctionFailed, Limits

WRITE = 0x4000_0000


def _abi_run(invocation, payload, input_file, mode, **kwargs):
    return invocation(
        payload("host_abi"),
        {"input": "data", "mode": mode, "output": "report"},
        inputs={"data": input_file("data", b"abcdefgh")},
        outputs=["report"],
        **kwargs,
    )


async def test_handles_eof_and_errors(executor, payload, invocation, input_file) -> None:
    run = _abi_run(invocation, payload, input_file, "abi")
    result = await executor.run(run)
    assert result.return_value == b"0"  # closing the report handle
    report = dict(line.split("=") for line in run.outputs["report"].read_text().splitlines())
    assert {key: int(value) for key, value in report.items()} == {
        "create_output": WRITE | 1,  # the module creates its report first
        "open_input": 2,
        "open_input_again": 3,
        "open_input_unknown": -1,
        "create_output_unknown": -1,
        "read_4": 4,
        "first_byte": ord("a"),
        "read_other_reader_2": 2,
        "other_first_byte": ord("a"),  # a second open is an independent reader
        "read_rest": 4,
        "read_at_eof": 0,
        "read_at_eof_again": 0,
        "read_zero_bytes": 0,
        "read_negative_size": -1,
        "read_write_handle": -1,
        "write_read_handle": -1,
        "read_unknown_handle": -1,
        "write_unknown_handle": -1,
        "close": 0,
        "close_again": -1,
        "read_closed": -1,
        "close_unknown": -1,
        "close_other": 0,
        "open_after_close": 4,  # numbers are never reused
    }


async def test_at_most_1023_opens_per_task(executor, payload, invocation, input_file) -> None:
    run = _abi_run(invocation, payload, input_file, "opens")
    await executor.run(run)
    # The report output took number 1, so 1022 input opens remain of the 1023.
    assert run.outputs["report"].read_text() == "total=1022\n"


async def test_open_files_limit_caps_concurrently_open_handles(
    executor, payload, invocation, input_file
) -> None:
    run = _abi_run(invocation, payload, input_file, "concurrent", limits=Limits(open_files=5))
    assert (await executor.run(run)).return_value == b"5"


@pytest.mark.parametrize(
    ("mode", "function"), [("oob_buffer", "teaclave_read_file"), ("oob_name", "teaclave_open_input")]
)
async def test_pointer_outside_memory_fails_the_task(
    executor, payload, invocation, input_file, mode, function
):
    with pytest.raises(FunctionFailed) as failed:
        await executor.run(_abi_run(invocation, payload, input_file, mode))
    assert failed.value.reason == f"out of bounds memory access in {function}"


async def test_output_limit_fails_the_task(executor, payload, invocation, input_file) -> None:
    lines = b"".join(b"LINE%04d\n" % i for i in range(200))
    run = invocation(
        payload("set_intersect"),
        {"input1_fid": "a", "input2_fid": "b", "output1_fid": "x", "output2_fid": "y"},
        inputs={"a": input_file("a", lines), "b": input_file("b", lines)},
        outputs=["x", "y"],
        limits=Limits(output_bytes=1000),
    )
    with pytest.raises(FunctionFailed, match="output limit of 1000 bytes exceeded in teaclave_write_file"):
        await executor.run(run)
